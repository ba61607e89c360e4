"""Dataclasses from JSON-like data, with type conversion and errors that name the path.

``build(cls, data)`` checks every key against the dataclass's fields (unknown ones are refused,
missing ones take their defaults) and converts each value to the field's declared type: ``bool``
(true/false only), ``int`` (integral numbers), ``float``, ``str`` (numbers become text),
``X | None``, ``list[X]``, ``dict[str, X]`` and nested dataclasses. A refusal is one ValueError
line (:class:`InvalidValue`): ``<path>: <value> is not <what>; allowed ...``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, TypeVar, Union

T = TypeVar("T")


class InvalidValue(ValueError):
    """A value that does not fit its field; the message names the path and what is allowed."""


def build(cls: type[T], data: Any, path: str = "") -> T:
    """An instance of dataclass ``cls`` from ``data`` (a dict)."""
    where = path or "model"
    if not isinstance(data, dict):
        raise InvalidValue(f"{where}: {_shown(data)} is not an object; fields: {', '.join(_field_names(cls))}")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = [key for key in data if key not in known]
    if unknown:
        raise InvalidValue(f"{_join(path, unknown[0])}: unknown field; allowed: {', '.join(known)}")
    missing = [f.name for f in known.values() if f.name not in data
               and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if missing:
        raise InvalidValue(f"{_join(path, missing[0])}: missing (required)")
    return cls(**{key: convert(value, hints[key], _join(path, key)) for key, value in data.items()})


def convert(value: Any, hint: Any, path: str) -> Any:
    """``value`` as type ``hint``; ValueError naming ``path`` when it cannot be."""
    if hint is Any:
        return value
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return convert(value, inner, path)
    if dataclasses.is_dataclass(hint):
        return build(typing.cast(type, hint), value, path)
    if origin is list:
        if not isinstance(value, list):
            raise InvalidValue(f"{path}: {_shown(value)} is not a list")
        return [convert(item, args[0], f"{path}.{index}") for index, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise InvalidValue(f"{path}: {_shown(value)} is not an object")
        return {str(key): convert(item, args[1], f"{path}.{key}") for key, item in value.items()}
    return _scalar(value, hint, path)


def _scalar(value: Any, hint: Any, path: str) -> Any:
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise InvalidValue(f"{path}: {_shown(value)} is not a boolean; allowed: true, false")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise InvalidValue(f"{path}: {_shown(value)} is not a whole number")
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise InvalidValue(f"{path}: {_shown(value)} is not a number")
    if hint is str:
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        raise InvalidValue(f"{path}: {_shown(value)} is not text")
    raise TypeError(f"{path}: no conversion to {hint!r}")  # a model field of a type this module lacks


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_range(path: str, value: float, low: float, high: float, unit: str = "") -> None:
    """ValueError unless ``low <= value <= high``."""
    if not low <= value <= high:
        suffix = f" {unit}" if unit else ""
        raise InvalidValue(f"{path}: {value:g} is out of range; allowed {low:g}-{high:g}{suffix}")
