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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from numbers import Number

import numpy as np

#: Element symbols whose isotopes :func:`typeset_isotopes` recognises.
_ELEMENTS = "|".join(
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge Kr Rb Sr Ag Cd In "
    "Sn Sb Te I Xe Cs Ba La Nd Sm Gd W Pb Bi Po Rn Ra Th U Pu".split()
)
_ISOTOPE = re.compile(rf"(?<![\w.^$])(\d{{1,3}})({_ELEMENTS})(?![a-z])")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


_E_NOTATION = re.compile(r"^([+-]?\d+(?:\.\d+)?)e([+-]\d+)$")


def typeset_number(text: str) -> str:
    """A number printed in e-notation as MyST math: '1.598e+22' -> '$1.598\\times10^{22}$'; others unchanged."""
    m = _E_NOTATION.match(text.strip())
    if m is None:
        return text
    mantissa, exponent = m.group(1), int(m.group(2))
    if exponent == 0:
        return mantissa
    return f"${mantissa}\\times10^{{{exponent}}}$"


def typeset_isotopes(text: str) -> str:
    """Mass numbers as superscripts: '222Rn/85Kr' -> '²²²Rn/⁸⁵Kr', '5 MCi 51Cr' -> '5 MCi ⁵¹Cr'.

    Only a number of one to three digits written directly before an element symbol is changed,
    so '2 keV', 'XENON1T', 'arXiv:2207.11330' and '1.5 MeV' stay as they are.
    """
    return _ISOTOPE.sub(lambda m: m.group(1).translate(_SUPERSCRIPT) + m.group(2), text)


@dataclass
class Table:
    """Rows of cells under column headers; numbers are formatted with ``formats`` and right-aligned.

    ``formats`` holds one format spec per column (e.g. ``",.0f"``, ``".3f"``, ``"+.2%"``) or
    ``None`` for ``str``; ``caption`` is a line of Markdown shown above the table. The Markdown
    the book shows writes isotopes with superscript mass numbers (:func:`typeset_isotopes`:
    "51Cr" in a cell or a header becomes "⁵¹Cr") and numbers in e-notation as powers of ten
    (:func:`typeset_number`: "1.598e+22" becomes :math:`1.598\\times10^{22}`); the plain text
    keeps what it was given.
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
            # +inf is how a limit or a reach says "no exclusion" (lxenu never stores NaN for it)
            return "none" if np.isnan(float(v)) or float(v) > 0 else "−∞"
        fmt = self.formats[j]
        return format(v, fmt) if fmt else str(v)

    def text_rows(self) -> list[list[str]]:
        return [[self.cell(i, j) for j in range(len(self.columns))] for i in range(len(self.rows))]

    def _repr_markdown_(self) -> str:
        def esc(s: str) -> str:
            return s.replace("|", "\\|")

        def text(s: str) -> str:
            return esc(typeset_isotopes(s))

        align = ["---:" if self._numeric(j) else ":---" for j in range(len(self.columns))]
        lines = [f"| {' | '.join(text(c) for c in self.columns)} |", f"|{'|'.join(align)}|"]

        def cell(c: str, value) -> str:
            return text(c) if isinstance(value, str) else typeset_number(c)

        lines += [
            f"| {' | '.join(cell(c, v) for c, v in zip(row, raw, strict=True))} |"
            for row, raw in zip(self.text_rows(), self.rows, strict=True)
        ]
        caption = typeset_isotopes(self.caption)
        return (f"{caption}\n\n" if caption else "") + "\n".join(lines)

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
