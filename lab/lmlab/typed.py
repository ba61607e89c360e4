"""Dataclasses from JSON-like data, with type conversion and errors that name the path.

One walk serves every model of the lab: :class:`Converter` checks every key against the dataclass's
fields (unknown ones are refused, missing ones take their defaults) and converts each value to the
field's declared type: ``bool``, ``int``, ``float`` (integers too), ``str``, ``X | None``,
``list[X]``, ``dict[str, X]``, nested dataclasses and ``Any`` (taken as it is). Which other JSON
types a scalar accepts is the converter's ``coercions`` (lossless ones only: see the functions
below; none at all is a strict type check); how a refusal reads, and how a list item is named in
a path, are small hooks a caller's subclass overrides.

The module's own :func:`build` and :func:`convert` speak for the switch model and the site file:
a bool is true/false only, a whole float is an int, a number is text, a list item is named by its
index, and a refusal is one ValueError line (:class:`InvalidValue`):
``<path>: <value> is not <what>; allowed ...``.

Written here rather than taken from a validation library: the paths name list items (by name, for
the host model), and Booleans are never numbers (pydantic's lax mode, for one, turns ``True`` into 1).
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar, Union

T = TypeVar("T")

Coercion = Callable[[Any], Any]
"""A lossless conversion from another JSON type: the converted value, or None when it does not apply."""

_INTEGER = re.compile(r"^[+-]?\d+$")


class InvalidValue(ValueError):
    """A value that does not fit its field; the message names the path and what is allowed."""


def optional_of(hint: Any) -> Any | None:
    """T for ``T | None`` (``Optional[T]``), else None."""
    if typing.get_origin(hint) in (Union, types.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return None


def whole_float(value: Any) -> int | None:
    """9014.0 -> 9014."""
    return int(value) if isinstance(value, float) and value.is_integer() else None


def integer_text(value: Any) -> int | None:
    """``"9014"`` -> 9014 (surrounding blanks allowed)."""
    return int(value) if isinstance(value, str) and _INTEGER.match(value.strip()) else None


def boolean_text(value: Any) -> bool | None:
    """``"true"`` / ``"false"`` (any case) -> a Boolean."""
    return value.lower() == "true" if isinstance(value, str) and value.lower() in ("true", "false") else None


def integer_as_text(value: Any) -> str | None:
    """5 -> ``"5"`` (a Boolean is not an integer here)."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def number_as_text(value: Any) -> str | None:
    """5 -> ``"5"``, 2.5 -> ``"2.5"`` (a Boolean is not a number here)."""
    return str(value) if _is_number(value) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_NATIVE: dict[Any, Coercion] = {
    bool: lambda v: v if isinstance(v, bool) else None,
    int: lambda v: v if isinstance(v, int) and not isinstance(v, bool) else None,
    float: lambda v: float(v) if _is_number(v) else None,
    str: lambda v: v if isinstance(v, str) else None,
}


def join(path: str, key: str) -> str:
    """``path.key`` (or ``key`` at the top)."""
    return f"{path}.{key}" if path else key


def field_names(cls: type) -> list[str]:
    """The field names of dataclass ``cls``, in declaration order."""
    return [f.name for f in dataclasses.fields(cls)]


class Converter:
    """The walk from JSON-like data to typed values; subclasses override the hooks for their texts.

    ``coercions`` maps a scalar type to the conversions tried after the exact JSON type failed.
    """

    error: ClassVar[type[ValueError]] = InvalidValue
    nouns: ClassVar[Mapping[Any, str]] = {
        bool: "a boolean; allowed: true, false", int: "a whole number", float: "a number", str: "text",
    }

    def __init__(self, coercions: Mapping[Any, Sequence[Coercion]]) -> None:
        self.coercions = coercions

    def build(self, cls: type[T], data: Any, path: str = "") -> T:
        """An instance of dataclass ``cls`` from ``data`` (a dict)."""
        if not isinstance(data, dict):
            raise self.error(self.not_an_instance(path, cls, data))
        known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = [str(key) for key in data if key not in known]
        if unknown:
            raise self.error(self.unknown_fields(path, cls, unknown))
        missing = [f.name for f in known.values() if f.name not in data
                   and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        if missing:
            raise self.error(self.missing_fields(path, cls, missing))
        hints = typing.get_type_hints(cls)
        return cls(**{key: self.convert(value, hints[key], join(path, key)) for key, value in data.items()})

    def convert(self, value: Any, hint: Any, path: str) -> Any:
        """``value`` as type ``hint``; the converter's error naming ``path`` when it cannot be."""
        inner = optional_of(hint)
        if inner is not None:
            return None if value is None else self.convert(value, inner, path)
        if hint is Any:
            return value
        if dataclasses.is_dataclass(hint):
            return self.build(typing.cast(type, hint), value, path)
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is list:
            if not isinstance(value, list):
                raise self.error(self.not_a_container(path, value, "a list"))
            return [self.convert(item, args[0], self.item_path(path, index, item)) for index, item in enumerate(value)]
        if origin is dict:
            if not isinstance(value, dict):
                raise self.error(self.not_a_container(path, value, "an object"))
            return {str(key): self.convert(item, args[1], join(path, str(key))) for key, item in value.items()}
        return self._scalar(value, hint, path)

    def _scalar(self, value: Any, hint: Any, path: str) -> Any:
        native = _NATIVE.get(hint)
        if native is None:
            raise TypeError(f"{path}: no conversion to {hint!r}")  # a model field of a type this module lacks
        for attempt in (native, *self.coercions.get(hint, ())):
            result = attempt(value)
            if result is not None:
                return result
        raise self.error(self.not_a(path, value, self.nouns[hint]))

    def show(self, value: Any) -> str:
        """A value as a refusal quotes it (shortened to 60 characters)."""
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."

    def item_path(self, path: str, index: int, item: Any) -> str:
        """The path of a list item: ``path.index``."""
        return f"{path}.{index}"

    def not_a(self, path: str, value: Any, noun: str) -> str:
        """The refusal of a value of the wrong type: ``path: 'x' is not a whole number``."""
        return f"{path}: {self.show(value)} is not {noun}"

    def not_a_container(self, path: str, value: Any, noun: str) -> str:
        """The refusal of a plain value where a list or an object (``noun``) belongs."""
        return self.not_a(path, value, noun)

    def not_an_instance(self, path: str, cls: type, value: Any) -> str:
        """The refusal of a plain value where dataclass ``cls`` belongs."""
        return f"{path or 'model'}: {self.show(value)} is not an object; fields: {', '.join(field_names(cls))}"

    def unknown_fields(self, path: str, cls: type, unknown: list[str]) -> str:
        """The refusal of keys ``cls`` does not have (in the data's order)."""
        return f"{join(path, unknown[0])}: unknown field; allowed: {', '.join(field_names(cls))}"

    def missing_fields(self, path: str, cls: type, missing: list[str]) -> str:
        """The refusal of data lacking required fields (in declaration order)."""
        return f"{join(path, missing[0])}: missing (required)"


_CONVERTER = Converter({int: (whole_float,), str: (number_as_text,)})


def build(cls: type[T], data: Any, path: str = "") -> T:
    """An instance of dataclass ``cls`` from ``data`` (a dict); InvalidValue names a bad path."""
    return _CONVERTER.build(cls, data, path)


def convert(value: Any, hint: Any, path: str) -> Any:
    """``value`` as type ``hint``; InvalidValue naming ``path`` when it cannot be."""
    return _CONVERTER.convert(value, hint, path)


def check_range(path: str, value: float, low: float, high: float, unit: str = "") -> None:
    """ValueError unless ``low <= value <= high``."""
    if not low <= value <= high:
        suffix = f" {unit}" if unit else ""
        raise InvalidValue(f"{path}: {value:g} is out of range; allowed {low:g}-{high:g}{suffix}")
