"""From JSON-ready data to the host model's dataclasses, converting to each field's declared type.

A conversion happens only where it is lossless and unambiguous: ``"9014"`` -> 9014, ``9014.0`` ->
9014, ``"true"``/``"false"`` -> a Boolean, 5 -> ``"5"``. Everything else is refused with a
ModelError naming the path, e.g. ``adapters[Ethernet 2].jumbo_packet: 'abc' is not an integer``
(list items are named by their ``name`` when they have one, else by index). In strict mode
nothing is converted: that is the type check of a model built in code (see rules.py).

Written here rather than taken from a validation library: the paths name list items by name,
and Booleans are never numbers (pydantic's lax mode, for one, turns ``True`` into 1).
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from typing import Any, TypeVar, Union

T = TypeVar("T")
_INTEGER = re.compile(r"^[+-]?\d+$")


class ModelError(ValueError):
    """A model value that has the wrong type or an impossible value; the message names its path."""


def show(value: Any) -> str:
    """A value as a message quotes it: strings in quotes, the rest as JSON."""
    if isinstance(value, str):
        return repr(value)
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def field_path(path: str, name: str) -> str:
    """``path.name`` (or ``name`` at the top)."""
    return f"{path}.{name}" if path else name


def item_path(path: str, index: int, item: Any) -> str:
    """``path[name]`` for an item with a string ``name``, else ``path[index]``."""
    name = item.get("name") if isinstance(item, dict) else getattr(item, "name", None)
    return f"{path}[{name}]" if isinstance(name, str) and name else f"{path}[{index}]"


def build(cls: type[T], data: Any, path: str = "", strict: bool = False) -> T:
    """Construct dataclass ``cls`` from ``data`` (a dict), recursing into nested dataclasses."""
    where = path or cls.__name__
    if not isinstance(data, dict):
        raise ModelError(f"{where}: expected an object, got {show(data)}")
    declared = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(declared))
    if unknown:
        raise ModelError(f"{where}: unknown field(s) {', '.join(map(str, unknown))}; fields: {', '.join(declared)}")
    missing = [name for name, f in declared.items() if name not in data
               and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if missing:
        raise ModelError(f"{where}: missing field(s) {', '.join(missing)}")
    hints = typing.get_type_hints(cls)
    kwargs = {key: convert(value, hints[key], field_path(path, key), strict) for key, value in data.items()}
    return cls(**kwargs)


def _optional_of(hint: Any) -> Any | None:
    if typing.get_origin(hint) in (Union, types.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return None


def _scalar(value: Any, hint: Any, path: str, strict: bool) -> Any:
    """bool, int, float and str, with the lossless conversions unless ``strict``."""
    if hint is bool:
        if isinstance(value, bool):
            return value
        if not strict and isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ModelError(f"{path}: {show(value)} is not a boolean")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if not strict and isinstance(value, float) and value.is_integer():
            return int(value)
        if not strict and isinstance(value, str) and _INTEGER.match(value.strip()):
            return int(value)
        raise ModelError(f"{path}: {show(value)} is not an integer")
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ModelError(f"{path}: {show(value)} is not a number")
    if hint is str:
        if isinstance(value, str):
            return value
        if not strict and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise ModelError(f"{path}: {show(value)} is not a string")
    raise TypeError(f"{path}: the model declares a type the converter does not know: {hint!r}")


def convert(value: Any, hint: Any, path: str, strict: bool = False) -> Any:
    """``value`` as type ``hint`` (see the module docstring), or ModelError naming ``path``."""
    inner = _optional_of(hint)
    if inner is not None:
        return None if value is None else convert(value, inner, path, strict)
    if hint is Any:
        return value
    if dataclasses.is_dataclass(hint):
        return build(typing.cast(type, hint), value, path, strict)
    origin = typing.get_origin(hint)
    if origin is list:
        if not isinstance(value, list):
            raise ModelError(f"{path}: expected a list, got {show(value)}")
        element = typing.get_args(hint)[0]
        return [convert(v, element, item_path(path, i, v), strict) for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ModelError(f"{path}: expected an object, got {show(value)}")
        _, element = typing.get_args(hint)
        return {str(k): convert(v, element, field_path(path, str(k)), strict) for k, v in value.items()}
    return _scalar(value, hint, path, strict)


def check_types(obj: Any) -> None:
    """Raise ModelError when a dataclass built in code holds a value of the wrong type anywhere."""
    build(type(obj), dataclasses.asdict(obj), strict=True)
