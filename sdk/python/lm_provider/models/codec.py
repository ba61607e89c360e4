"""Dataclasses <-> Pulumi property maps (plain JSON-like data), driven by the type hints.

Pulumi hands numbers over as floats and drops ``None`` values; state written by an older version
may lack newer fields (their defaults apply). :func:`from_props` turns such data back into the
typed state dataclass; :func:`to_props` produces what the adapters return as outputs.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def to_props(value: Any) -> Any:
    """A dataclass (or nested lists/dicts of them) as plain data: dicts, lists, str, int, bool."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_props(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_props(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_props(v) for k, v in value.items()}
    return value


def from_props(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build dataclass ``cls`` from plain data; keys it does not know are ignored, missing ones
    take their defaults, and an optional field without a default is None (Pulumi drops None
    values from state). Raises ValueError naming the field when a value has the wrong shape."""
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data and data[f.name] is not None:
            kwargs[f.name] = _convert(hints[f.name], data[f.name], f.name)
        elif _optional(hints[f.name]) and f.default is dataclasses.MISSING \
                and f.default_factory is dataclasses.MISSING:
            kwargs[f.name] = None
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"{cls.__name__}: {exc}") from None


def _optional(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)


def _convert(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _convert(options[0], value, where)
        return int(value) if int in options and isinstance(value, float) and value.is_integer() else value
    if origin is typing.Literal:
        return value
    if origin in (list, tuple):
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"{where}: expected a list, got {type(value).__name__}")
        items = [_convert(args[0] if args else Any, v, f"{where}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ValueError(f"{where}: expected an object, got {type(value).__name__}")
        return {k: _convert(args[1], v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise ValueError(f"{where}: expected an object, got {type(value).__name__}")
        return from_props(hint, value)
    if hint is int and isinstance(value, float) and value.is_integer():
        return int(value)
    return value
