"""The host model's dialect of the lab's one converter (:mod:`lmlab.typed`).

A conversion happens only where it is lossless and unambiguous: ``"9014"`` -> 9014, ``9014.0`` ->
9014, ``"true"``/``"false"`` -> a Boolean, 5 -> ``"5"``. Everything else is refused with a
ModelError naming the path, e.g. ``adapters[Ethernet 2].jumbo_packet: 'abc' is not an integer``
(list items are named by their ``name`` when they have one, else by index). In strict mode
nothing is converted: that is the type check of a model built in code (see rules.py).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, ClassVar, TypeVar

from ..typed import Converter, boolean_text, field_names, integer_as_text, integer_text, whole_float

T = TypeVar("T")


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


def item_path(path: str, index: int, item: Any) -> str:
    """``path[name]`` for an item with a string ``name``, else ``path[index]``."""
    name = item.get("name") if isinstance(item, dict) else getattr(item, "name", None)
    return f"{path}[{name}]" if isinstance(name, str) and name else f"{path}[{index}]"


class _HostConverter(Converter):
    """Items named by name, JSON-quoted values, and the host model's refusal texts."""

    error: ClassVar[type[ValueError]] = ModelError
    nouns: ClassVar[dict[Any, str]] = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}

    def show(self, value: Any) -> str:
        """See :func:`show`."""
        return show(value)

    def item_path(self, path: str, index: int, item: Any) -> str:
        """See :func:`item_path`."""
        return item_path(path, index, item)

    def not_a_container(self, path: str, value: Any, noun: str) -> str:
        """``path: expected a list, got 5``."""
        return f"{path}: expected {noun}, got {show(value)}"

    def not_an_instance(self, path: str, cls: type, value: Any) -> str:
        """``NetAdapter: expected an object, got 5`` (the class names the top)."""
        return self.not_a_container(path or cls.__name__, value, "an object")

    def unknown_fields(self, path: str, cls: type, unknown: list[str]) -> str:
        """All of them, sorted, at the object's path."""
        return (f"{path or cls.__name__}: unknown field(s) {', '.join(sorted(unknown))}; "
                f"fields: {', '.join(field_names(cls))}")

    def missing_fields(self, path: str, cls: type, missing: list[str]) -> str:
        """All of them, at the object's path."""
        return f"{path or cls.__name__}: missing field(s) {', '.join(missing)}"


_LENIENT = _HostConverter({bool: (boolean_text,), int: (whole_float, integer_text), str: (integer_as_text,)})
_STRICT = _HostConverter({})


def build(cls: type[T], data: Any, path: str = "", strict: bool = False) -> T:
    """Construct dataclass ``cls`` from ``data`` (a dict), recursing into nested dataclasses."""
    return (_STRICT if strict else _LENIENT).build(cls, data, path)


def check_types(obj: Any) -> None:
    """Raise ModelError when a dataclass built in code holds a value of the wrong type anywhere."""
    build(type(obj), dataclasses.asdict(obj), strict=True)
