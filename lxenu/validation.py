"""Input checks that raise a ValueError naming the parameter, the value and the allowed range."""

from __future__ import annotations

import numpy as np


def check_range(
    name: str,
    value,
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unit: str = "",
):
    """Return ``value`` (a number or array) if every element lies in the range, else raise.

    ``None`` for ``low`` or ``high`` leaves that side open. NaN is always rejected.
    """
    arr = np.asarray(value, dtype=float)
    lo_br = "[" if (low_inclusive and low is not None) else "("
    hi_br = "]" if (high_inclusive and high is not None) else ")"
    lo_txt = "-inf" if low is None else f"{low:g}"
    hi_txt = "inf" if high is None else f"{high:g}"
    allowed = f"{lo_br}{lo_txt}, {hi_txt}{hi_br}" + (f" {unit}" if unit else "")
    shown = value if arr.ndim == 0 else f"array with range [{np.nanmin(arr):g}, {np.nanmax(arr):g}]"
    if arr.size and np.isnan(arr).any():
        raise ValueError(f"{name} must be a number in {allowed}; got NaN")
    bad = False
    if low is not None:
        bad |= bool(np.any(arr < low) if low_inclusive else np.any(arr <= low))
    if high is not None:
        bad |= bool(np.any(arr > high) if high_inclusive else np.any(arr >= high))
    if bad:
        raise ValueError(f"{name} must lie in {allowed}; got {shown}")
    return value


def check_positive(name: str, value, unit: str = ""):
    """Require a finite, strictly positive number (or array of them)."""
    check_range(name, value, 0.0, None, low_inclusive=False, unit=unit)
    if not np.all(np.isfinite(np.asarray(value, dtype=float))):
        raise ValueError(f"{name} must be finite and > 0 {unit}".rstrip() + f"; got {value}")
    return value


def check_non_negative(name: str, value, unit: str = ""):
    """Require a finite number >= 0 (or array of them)."""
    check_range(name, value, 0.0, None, unit=unit)
    if not np.all(np.isfinite(np.asarray(value, dtype=float))):
        raise ValueError(f"{name} must be finite and >= 0 {unit}".rstrip() + f"; got {value}")
    return value


def check_integer(name: str, value, low: int = 1, high: int | None = None) -> int:
    """Require an integer in [low, high]."""
    if isinstance(value, bool) or not float(value).is_integer():
        raise ValueError(f"{name} must be an integer >= {low}; got {value!r}")
    check_range(name, float(value), low, high)
    return int(value)


def check_edges(name: str, edges) -> np.ndarray:
    """Require a 1-d array of at least two strictly increasing, finite bin edges."""
    e = np.asarray(edges, dtype=float)
    if e.ndim != 1 or e.size < 2:
        raise ValueError(f"{name} must be a 1-d array of at least two bin edges; got shape {e.shape}")
    if not np.all(np.isfinite(e)):
        raise ValueError(f"{name} must be finite")
    if np.any(np.diff(e) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return e

