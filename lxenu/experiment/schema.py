"""Tables of an experiment file → frozen dataclasses, with errors that name the file and the key.

Every section of an experiment file (see :mod:`lxenu.experiment.experiment`) is read into a
frozen dataclass whose field names are the file's keys. :func:`build` rejects
unknown keys, values of the wrong type (a string, a bool or a list where a number
is meant), NaN and infinities, then lets the dataclass check its ranges; every
error is a ``ValueError`` that starts with where the value came from
(``"paper2014.toml [detector]"``, ``"--set detector.height_m"``) so that a user
sees the key they wrote. :func:`table_of` is the way back, for writing files.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing

#: Keys that describe a table rather than set a value; accepted in every table that has the field.
DESCRIPTIVE_KEYS = ("name", "description", "reference")


def _allowed_types(hint) -> tuple:
    """The Python types a TOML value may have for a field annotated ``hint``."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        out = ()
        for arg in typing.get_args(hint):
            out += _allowed_types(arg)
        return out
    if hint is float:
        return (float, int)
    if origin is tuple or hint is tuple:
        return (list, tuple)
    if hint is type(None):
        return ()
    return (hint,) if isinstance(hint, type) else (object,)


def _type_name(types_: tuple) -> str:
    names = {
        float: "a number",
        int: "an integer",
        bool: "true or false",
        str: "a string",
        list: "a list",
        tuple: "a list",
    }
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types_))


def check_value(where: str, key: str, value, hint):
    """Check one value's type (and finiteness) against a field's annotation; return it normalised."""
    allowed = _allowed_types(hint)
    if object in allowed:
        return value
    if isinstance(value, bool) and bool not in allowed:
        raise ValueError(f"{where}: {key} must be {_type_name(allowed)}; got {value!r}")
    if not isinstance(value, allowed):
        raise ValueError(f"{where}: {key} must be {_type_name(allowed)}; got {value!r} ({type(value).__name__})")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{where}: {key} must be a finite number; got {value!r}")
    if isinstance(value, (list, tuple)):
        args = typing.get_args(hint)
        item = args[0] if args else object
        for x in value:
            check_value(where, f"{key} entry", x, item)
        return tuple(value)
    if isinstance(value, int) and not isinstance(value, bool) and float in allowed and int not in allowed:
        return float(value)
    return value


def build(cls, table: dict, where: str, **already):
    """``cls(**table)`` after checking every key and type; errors name ``where`` and the key.

    ``already`` passes fields the caller has built itself (nested objects).
    """
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table of keys; got {table!r}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(table) - set(fields) - set(already))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}; allowed keys: {', '.join(sorted(fields))}")
    kwargs = {key: check_value(where, key, value, hints[key]) for key, value in table.items()}
    kwargs.update(already)
    try:
        return cls(**kwargs)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None


def table_of(obj, skip=()) -> dict:
    """The fields of a dataclass instance as a TOML-ready table (tuples as lists), minus ``skip``."""
    out = {}
    for f in dataclasses.fields(obj):
        if f.name in skip or not f.init:
            continue
        value = getattr(obj, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out
