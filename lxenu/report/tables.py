"""Comparison tables for the chapters: a list of rows shown as a table that fits the page.

:func:`table` returns a :class:`Table`, which Jupyter shows as a Markdown table
(``_repr_markdown_``, rendered by the book like any other table, with MyST math in the cells)
and a terminal or a test sees as aligned plain text (``__repr__``). No pandas.

>>> table([("pp", 1.009), ("7Be", 0.372)], ["flux", "events / (t day)"], formats=[None, ".3f"])
flux  events / (t day)
----  ----------------
pp               1.009
7Be              0.372
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from numbers import Number

import numpy as np


@dataclass
class Table:
    """Rows of cells under column headers; numbers are formatted with ``formats`` and right-aligned.

    ``formats`` holds one format spec per column (e.g. ``",.0f"``, ``".3f"``, ``"+.2%"``) or
    ``None`` for ``str``; ``caption`` is a line of Markdown shown above the table.
    """

    rows: list[list]
    columns: list[str]
    formats: list[str | None] = field(default_factory=list)
    caption: str = ""

    def __post_init__(self):
        self.rows = [list(r) for r in self.rows]
        if not self.formats:
            self.formats = [None] * len(self.columns)
        for i, r in enumerate(self.rows):
            if len(r) != len(self.columns):
                raise ValueError(f"rows[{i}] has {len(r)} cells; the table has {len(self.columns)} columns")
        if len(self.formats) != len(self.columns):
            raise ValueError(f"formats has {len(self.formats)} entries; the table has {len(self.columns)} columns")

    def _numeric(self, j: int) -> bool:
        cells = [r[j] for r in self.rows if r[j] is not None and r[j] != ""]
        return bool(cells) and all(_is_number(c) for c in cells)

    def cell(self, i: int, j: int) -> str:
        """The text of cell (row i, column j)."""
        v = self.rows[i][j]
        if v is None:
            return "–"
        if _is_number(v) and not np.isfinite(float(v)):
            return "none" if np.isnan(float(v)) else "∞" if float(v) > 0 else "−∞"
        fmt = self.formats[j]
        return format(v, fmt) if fmt else str(v)

    def text_rows(self) -> list[list[str]]:
        return [[self.cell(i, j) for j in range(len(self.columns))] for i in range(len(self.rows))]

    def _repr_markdown_(self) -> str:
        def esc(s: str) -> str:
            return s.replace("|", "\\|")

        align = ["---:" if self._numeric(j) else ":---" for j in range(len(self.columns))]
        lines = [f"| {' | '.join(esc(c) for c in self.columns)} |", f"|{'|'.join(align)}|"]
        lines += [f"| {' | '.join(esc(c) for c in row)} |" for row in self.text_rows()]
        return (f"{self.caption}\n\n" if self.caption else "") + "\n".join(lines)

    def __repr__(self) -> str:
        body = self.text_rows()
        widths = [max([len(c)] + [len(r[j]) for r in body]) for j, c in enumerate(self.columns)]
        numeric = [self._numeric(j) for j in range(len(self.columns))]

        def line(cells):
            return "  ".join(
                c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True)
            ).rstrip()

        out = ([self.caption] if self.caption else []) + [line(self.columns), line(["-" * w for w in widths])]
        return "\n".join(out + [line(r) for r in body])


def _is_number(x) -> bool:
    return isinstance(x, (Number, np.number)) and not isinstance(x, (bool, np.bool_))


def table(
    rows: Sequence[Sequence], columns: Sequence[str], formats: Sequence[str | None] | None = None, caption: str = ""
) -> Table:
    """A :class:`Table` of ``rows`` (sequences of cells) under ``columns``; see :class:`Table`."""
    return Table([list(r) for r in rows], list(columns), list(formats) if formats else [], caption)
