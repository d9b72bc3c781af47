"""Input checks that raise a ValueError naming the parameter, the value and the allowed range."""

from __future__ import annotations

import dataclasses

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

    ``None`` for ``low`` or ``high`` leaves that side open. NaN is always rejected, and so are
    strings, ``None`` and booleans where a number is meant.
    """
    arr = as_float_array(name, value)
    lo_br = "[" if (low_inclusive and low is not None) else "("
    hi_br = "]" if (high_inclusive and high is not None) else ")"
    lo_txt = "-inf" if low is None else f"{low:g}"
    hi_txt = "inf" if high is None else f"{high:g}"
    allowed = f"{lo_br}{lo_txt}, {hi_txt}{hi_br}" + (f" {unit}" if unit else "")
    if arr.size and np.isnan(arr).any():
        raise ValueError(f"{name} must be a number in {allowed}; got NaN")
    if arr.ndim == 0:
        shown = value
    elif arr.size == 1:
        shown = f"{arr.item():g}"
    else:
        shown = f"values in [{arr.min():g}, {arr.max():g}]" if arr.size else "[]"
    bad = False
    if low is not None:
        bad |= bool(np.any(arr < low) if low_inclusive else np.any(arr <= low))
    if high is not None:
        bad |= bool(np.any(arr > high) if high_inclusive else np.any(arr >= high))
    if bad:
        raise ValueError(f"{name} must lie in {allowed}; got {shown}")
    return value


def as_float_array(name: str, value) -> np.ndarray:
    """``value`` as a float array, or a ``ValueError`` naming ``name`` if it is not numeric.

    Booleans are rejected: ``True`` is not a number of keV.
    """
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise ValueError(f"{name} must be a number; got {value!r}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers; got {value!r}") from None
    if raw.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be a number or an array of numbers; got {value!r}")
    return raw.astype(float)


def check_finite(name: str, value, unit: str = "") -> np.ndarray:
    """``value`` as a float array whose every element is finite (no NaN, no infinity)."""
    arr = as_float_array(name, value)
    if not np.all(np.isfinite(arr)):
        shown = value if arr.ndim == 0 else "an array with non-finite entries"
        raise ValueError(f"{name} must be finite{' (' + unit + ')' if unit else ''}; got {shown}")
    return arr


def check_nonempty(name: str, values) -> np.ndarray:
    """A 1-d float array of at least one number."""
    arr = np.atleast_1d(as_float_array(name, values))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a 1-d list of at least one number; got {values!r}")
    return arr


def check_instance(name: str, value, kinds, what: str | None = None):
    """Require ``isinstance(value, kinds)``; the message names the parameter and what it must be."""
    if not isinstance(value, kinds):
        if what is None:
            names = kinds if isinstance(kinds, tuple) else (kinds,)
            what = " or ".join(k.__name__ for k in names)
        raise ValueError(f"{name} must be {what}; got {value!r}")
    return value


def check_seed(name: str, value) -> int:
    """A random seed: an integer >= 0 (numpy.random.default_rng's range)."""
    return check_integer(name, value, 0)


def check_flag(name: str, value) -> bool:
    """Require a boolean (``True``/``False``): the string ``"no"`` must not switch an option on."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def check_positive(name: str, value, unit: str = ""):
    """Require a finite, strictly positive number (or array of them)."""
    check_range(name, value, 0.0, None, low_inclusive=False, unit=unit)
    if not np.all(np.isfinite(as_float_array(name, value))):
        raise ValueError(f"{name} must be finite and > 0 {unit}".rstrip() + f"; got {value}")
    return value


def check_non_negative(name: str, value, unit: str = ""):
    """Require a finite number >= 0 (or array of them)."""
    check_range(name, value, 0.0, None, unit=unit)
    if not np.all(np.isfinite(as_float_array(name, value))):
        raise ValueError(f"{name} must be finite and >= 0 {unit}".rstrip() + f"; got {value}")
    return value


def check_integer(name: str, value, low: int = 1, high: int | None = None) -> int:
    """Require an integer in [low, high]."""
    arr = as_float_array(name, value)
    if arr.ndim != 0 or not np.isfinite(arr) or not float(arr).is_integer():
        bound = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an integer {bound}; got {value!r}")
    check_range(name, int(arr), low, high)
    return int(value)


def check_edges(name: str, edges) -> np.ndarray:
    """Require a 1-d array of at least two strictly increasing, finite bin edges."""
    e = as_float_array(name, edges)
    if e.ndim != 1 or e.size < 2:
        raise ValueError(f"{name} must be a 1-d array of at least two bin edges; got shape {e.shape}")
    if not np.all(np.isfinite(e)):
        raise ValueError(
            f"{name} must be finite; got {e.tolist() if e.size < 8 else 'an array with non-finite entries'}"
        )
    if np.any(np.diff(e) <= 0):
        shown = e.tolist() if e.size < 8 else f"an array of {e.size} edges"
        raise ValueError(f"{name} must be strictly increasing; got {shown}")
    return e


def check_scalar_fields(obj) -> None:
    """Require every field of a dataclass annotated ``float`` or ``int`` to hold one real number.

    Called first in ``__post_init__`` so that a string, ``None``, a bool or a list given for a
    number raises a ``ValueError`` naming the field.
    """
    for f in dataclasses.fields(obj):
        hint = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        if hint not in ("float", "int"):
            continue
        value = getattr(obj, f.name)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            kind = "an integer" if hint == "int" else "a number"
            raise ValueError(f"{f.name} must be {kind}; got {value!r}")
