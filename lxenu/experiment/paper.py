"""The numbers published by Coloma, Huber & Link, JHEP 11 (2014) 042, read from one data file.

``lxenu/data/paper2014_numbers.toml`` holds each number the paper's text quotes, with
its unit and section. The summary, the scorecard, the tests and the notebooks read
them from here (:data:`PAPER_NUMBERS`, :func:`paper_value`); none is retyped.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class PublishedNumber:
    """One number of the paper: value, unit, section of the text and what it is."""

    key: str
    value: float
    unit: str
    section: str
    what: str


def _load() -> tuple[str, dict[str, PublishedNumber]]:
    text = (resources.files("lxenu") / "data" / "paper2014_numbers.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)
    reference = table.pop("reference")
    return reference, {
        key: PublishedNumber(key, float(t["value"]), t["unit"], t["section"], t["what"]) for key, t in table.items()
    }


#: Citation of the paper.
PAPER_REFERENCE, PAPER_NUMBERS = _load()


def paper_value(key: str) -> float:
    """The paper's value of ``key`` (a key of :data:`PAPER_NUMBERS`)."""
    if key not in PAPER_NUMBERS:
        raise ValueError(f"key must be one of the paper's numbers {sorted(PAPER_NUMBERS)}; got {key!r}")
    return PAPER_NUMBERS[key].value
