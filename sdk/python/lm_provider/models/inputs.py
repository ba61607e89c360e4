"""Reading raw resource inputs into typed values, collecting every failure with its property name.

``check`` must reject bad input before any remote call, naming the property and the reason, and
report every problem at once. :class:`InputReader` does the reading; each resource's model module
uses it to build its ``Args`` dataclass. Values that are not known yet (during ``preview``) are
the :data:`UNKNOWN` sentinel: they are not validated, and the args are then incomplete
(:attr:`Checked.args` is None) while the failures of known values are still reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")
A = TypeVar("A")


class _Unknown:
    """The type of :data:`UNKNOWN`."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""A value that is not known yet (an output of a resource that does not exist during preview)."""

Validator = Callable[[T], "str | None"]
"""Returns None when the value is fine, else the reason it is not."""


@dataclass(frozen=True)
class CheckFailure:
    """One rejected input: the property (dotted path for nested values) and the reason."""

    property: str
    reason: str

    def __str__(self) -> str:
        return f"{self.property}: {self.reason}"


@dataclass(frozen=True)
class Checked(Generic[A]):
    """The outcome of a check: typed args (None when invalid or not fully known) and failures."""

    args: A | None
    failures: list[CheckFailure] = field(default_factory=list)


class InputReader:
    """Reads typed values out of a raw input mapping, recording failures instead of raising.

    Every reader method returns the value (or the default, or :data:`UNKNOWN`) and never raises;
    after reading all fields, :attr:`failures` lists what was wrong and :attr:`complete` says
    whether every value was known.
    """

    def __init__(self, inputs: Mapping[str, Any], known_keys: Sequence[str] = ()) -> None:
        self.inputs = inputs
        self.failures: list[CheckFailure] = []
        self.complete = True
        unknown = sorted(set(inputs) - set(known_keys)) if known_keys else []
        for key in unknown:
            self.fail(key, f"unknown property; properties: {', '.join(known_keys)}")

    def fail(self, prop: str, reason: str) -> None:
        """Record a failure of ``prop``."""
        self.failures.append(CheckFailure(prop, reason))

    def value(self, prop: str, *, required: bool = False) -> Any:
        """The raw value of ``prop`` (None when absent), for inputs of more than one shape:
        :data:`UNKNOWN` marks the inputs incomplete, a missing required value is recorded."""
        value = self.inputs.get(prop)
        if value is UNKNOWN:
            self.complete = False
        elif value is None and required:
            self.fail(prop, "is required")
        return value

    def _validated(self, prop: str, value: T, validator: Validator[T] | None) -> T:
        if validator is not None:
            reason = validator(value)
            if reason:
                self.fail(prop, reason)
        return value

    def string(self, prop: str, *, required: bool = False, default: str | None = None,
               validator: Validator[str] | None = None) -> Any:
        """A string; ``default`` when absent."""
        value = self.value(prop, required=required)
        if value is UNKNOWN:
            return UNKNOWN
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(prop, f"must be a string, got {type(value).__name__}")
            return default
        return self._validated(prop, value, validator)

    def integer(self, prop: str, *, required: bool = False, default: int | None = None,
                minimum: int | None = None, maximum: int | None = None) -> Any:
        """A whole number (Pulumi sends numbers as floats; 9014.0 is accepted, 9014.5 is not)."""
        value = self.value(prop, required=required)
        if value is UNKNOWN:
            return UNKNOWN
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                isinstance(value, float) and (not math.isfinite(value) or not value.is_integer())):
            self.fail(prop, f"must be a whole number, got {value!r}")
            return default
        number = int(value)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            low = "" if minimum is None else str(minimum)
            high = "" if maximum is None else str(maximum)
            self.fail(prop, f"{number} is out of range {low}..{high}")
        return number

    def boolean(self, prop: str, *, required: bool = False, default: bool | None = None) -> Any:
        """True or false."""
        value = self.value(prop, required=required)
        if value is UNKNOWN:
            return UNKNOWN
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(prop, f"must be true or false, got {value!r}")
            return default
        return value

    def choice(self, prop: str, choices: Sequence[str], *, required: bool = False,
               default: str | None = None) -> Any:
        """One of ``choices``, compared case-insensitively and returned in the listed spelling."""
        value = self.string(prop, required=required, default=default)
        if value is UNKNOWN or value is None:
            return value
        for option in choices:
            if option.lower() == value.lower():
                return option
        self.fail(prop, f"{value!r} is not one of {', '.join(choices)}")
        return default

    def string_list(self, prop: str, *, required: bool = False, default: Sequence[str] | None = None,
                    allow_empty: bool = False, validator: Validator[str] | None = None) -> Any:
        """A list of strings; each item validated (failures name ``prop[i]``)."""
        value = self.value(prop, required=required)
        if value is UNKNOWN:
            return UNKNOWN
        if value is None:
            return list(default) if default is not None else None
        if not isinstance(value, (list, tuple)):
            self.fail(prop, f"must be a list of strings, got {type(value).__name__}")
            return list(default) if default is not None else None
        if not value and not allow_empty:
            self.fail(prop, "must not be empty")
        items: list[str] = []
        for index, item in enumerate(value):
            if item is UNKNOWN:
                self.complete = False
                items.append(item)
            elif not isinstance(item, str):
                self.fail(f"{prop}[{index}]", f"must be a string, got {type(item).__name__}")
            else:
                items.append(self._validated(f"{prop}[{index}]", item, validator))
        return items

    def objects(self, prop: str, *, required: bool = False, allow_empty: bool = False) -> Any:
        """A list of objects (mappings), each to be read with :meth:`nested`."""
        value = self.value(prop, required=required)
        if value is UNKNOWN or value is None:
            return value
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, Mapping) or v is UNKNOWN for v in value):
            self.fail(prop, "must be a list of objects")
            return []
        if not value and not allow_empty:
            self.fail(prop, "must not be empty")
        return list(value)

    def nested(self, prefix: str, inputs: Mapping[str, Any], known_keys: Sequence[str]) -> InputReader:
        """A reader for one nested object whose failures land here, prefixed with ``prefix``."""
        reader = _NestedReader(self, prefix, inputs, known_keys)
        return reader

    def checked(self, build: Callable[[], A]) -> Checked[A]:
        """``Checked(build())`` when every value was known and valid, else failures only."""
        if self.failures or not self.complete:
            return Checked(None, list(self.failures))
        return Checked(build(), [])


class _NestedReader(InputReader):
    """An InputReader that reports to a parent, with property names under a prefix."""

    def __init__(self, parent: InputReader, prefix: str, inputs: Mapping[str, Any], known_keys: Sequence[str]) -> None:
        self.parent = parent
        self.prefix = prefix
        super().__init__(inputs, known_keys)

    def fail(self, prop: str, reason: str) -> None:
        """Record the failure on the parent as ``prefix.prop``."""
        self.parent.fail(f"{self.prefix}.{prop}", reason)

    @property
    def complete(self) -> bool:
        """The parent's completeness."""
        return self.parent.complete

    @complete.setter
    def complete(self, value: bool) -> None:
        if not value:
            self.parent.complete = False
