"""Binding an op's JSON parameters to its typed parameter object, as PowerShell's binder would.

Each op declares a dataclass; its fields are the script's parameters. A field ``adapter_name``
is the PowerShell parameter ``AdapterName``; JSON keys match it case-insensitively, as the binder
does (unambiguous prefixes are not accepted: scripts send full names). A field without a default
is mandatory. ``field(metadata=choices(...))`` and ``field(metadata=value_range(...))`` are the
ValidateSet and ValidateRange attributes.

Refusals carry the binder's texts and FullyQualifiedErrorIds (NamedParameterNotFound,
MissingMandatoryParameter, ParameterArgumentTransformationError, ParameterArgumentValidationError,
ParameterArgumentValidationErrorNullNotAllowed). Conversions follow PowerShell's (a numeric
string to an integer, a number to a string or a Boolean) with two deliberate refusals where
PowerShell would convert with a loss: a Boolean to a number and a fraction to an integer.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Any, TypeVar

from ...typed import optional_of
from .. import clixml
from .protocol import OpError

P = TypeVar("P")

INT32 = (-(2**31), 2**31 - 1)
_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
_NET_NAMES: dict[Any, str] = {str: "System.String", int: "System.Int32", float: "System.Double",
                              bool: "System.Boolean", dict: "System.Management.Automation.PSObject"}
_NOT_A_NUMBER = 'Error: "Input string was not in a correct format."'
_TOO_BIG = 'Error: "Value was either too large or too small for an Int32."'


def choices(*values: str) -> dict[str, Any]:
    """Field metadata: the ValidateSet attribute (case-insensitive; the declared spelling is kept)."""
    return {"choices": values}


def value_range(low: int, high: int) -> dict[str, Any]:
    """Field metadata: the ValidateRange attribute (inclusive)."""
    return {"range": (low, high)}


def ps_name(name: str) -> str:
    """The PowerShell parameter name of a field: ``adapter_name`` -> ``AdapterName``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


class _Refused(Exception):
    """A value the binder cannot convert; the message is the conversion error's text."""


def _value_text(value: Any) -> str:
    """How PowerShell shows a value inside a conversion error."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return "System.Object[]"
    if isinstance(value, dict):
        return "System.Management.Automation.PSCustomObject"
    return str(value)


def _value_type(value: Any) -> str:
    """The .NET type ConvertFrom-Json gives ``value``."""
    if isinstance(value, bool):
        return "System.Boolean"
    if isinstance(value, int):
        return "System.Int32" if INT32[0] <= value <= INT32[1] else "System.Int64"
    if isinstance(value, float):
        return "System.Decimal"
    if isinstance(value, str):
        return "System.String"
    return "System.Object[]" if isinstance(value, list) else "System.Management.Automation.PSCustomObject"


def _net_name(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is list:
        return _net_name(typing.get_args(hint)[0]) + "[]"
    key: Any = origin or hint
    return _NET_NAMES.get(key, "System.Object")


def _cannot_convert(value: Any, hint: Any) -> _Refused:
    return _Refused(f'Cannot convert the "{_value_text(value)}" value of type "{_value_type(value)}" '
                    f'to type "{_net_name(hint)}".')


def _to_int(value: Any, hint: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _INTEGER.match(value):
        number = int(value)
    elif isinstance(value, str):
        raise _Refused(f'Cannot convert value "{value}" to type "System.Int32". {_NOT_A_NUMBER}')
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raise _cannot_convert(value, hint)
    if not INT32[0] <= number <= INT32[1]:
        raise _Refused(f'Cannot convert value "{value}" to type "System.Int32". {_TOO_BIG}')
    return number


def _to_float(value: Any, hint: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise _Refused(f'Cannot convert value "{value}" to type "System.Double". {_NOT_A_NUMBER}') from None
    raise _cannot_convert(value, hint)


def _to_str(value: Any, hint: Any) -> str:
    if isinstance(value, (str, int, float)):  # bool is an int: PowerShell writes True/False
        return str(value)
    raise _cannot_convert(value, hint)


def _to_bool(value: Any, hint: Any) -> bool:
    if isinstance(value, (bool, int, float)):
        return bool(value)
    raise _Refused(f'Cannot convert value "{_value_type(value)}" to type "System.Boolean". Boolean parameters '
                   "accept only Boolean values and numbers, such as $True, $False, 1 or 0.")


def _to_object(value: Any, hint: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise _cannot_convert(value, hint)


_SCALARS = {int: _to_int, float: _to_float, str: _to_str, bool: _to_bool, dict: _to_object}


def _convert(value: Any, hint: Any) -> Any:
    inner = optional_of(hint)
    if inner is not None:
        return None if value is None else _convert(value, inner)
    if hint is Any:
        return value
    origin = typing.get_origin(hint)
    if origin is list:
        element = typing.get_args(hint)[0]
        return [_convert(v, element) for v in (value if isinstance(value, list) else [value])]
    return _SCALARS[origin or hint](value, hint)


def _record(op: str, message: str, error_id: str, category: str, exception: str) -> OpError:
    return OpError(clixml.ErrorRecord(
        message=message, category=category, target="", error_id=f"{error_id},{op}",
        exception=f"System.Management.Automation.{exception}", command_text=op, activity=op,
        position=f"{op} @LmParams"))


def _validate(op: str, name: str, value: Any, meta: typing.Mapping[str, Any]) -> Any:
    """ValidateSet / ValidateRange; returns the value (a set member in its declared spelling)."""
    prefix = f"Cannot validate argument on parameter '{name}'."
    if "choices" in meta and value is not None:
        found = [c for c in meta["choices"] if c.lower() == str(value).lower()]
        if not found:
            valid = ",".join(meta["choices"])
            raise _record(op, f'{prefix} The argument "{value}" does not belong to the set "{valid}" specified by '
                              "the ValidateSet attribute. Supply an argument that is in the set and then try the "
                              "command again.", "ParameterArgumentValidationError", "InvalidData",
                          "ParameterBindingValidationException")
        value = found[0]
    if "range" in meta and value is not None:
        low, high = meta["range"]
        if value < low or value > high:
            below = value < low
            bound, side, word = (low, "less than the minimum", "greater") if below else \
                (high, "greater than the maximum", "less")
            raise _record(op, f"{prefix} The {value} argument is {side} allowed range of {bound}. Supply an argument "
                              f"that is {word} than or equal to {bound} and then try the command again.",
                          "ParameterArgumentValidationError", "InvalidData", "ParameterBindingValidationException")
    return value


def bind(op: str, cls: type[P], data: dict[str, Any]) -> P:
    """Build ``cls`` from the JSON parameters, or raise OpError with the binder's error record."""
    hints = typing.get_type_hints(cls)
    declared = {ps_name(f.name).lower(): f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, raw in data.items():
        spec = declared.get(key.lower())
        if spec is None:
            raise _record(op, f"A parameter cannot be found that matches parameter name '{key}'.",
                          "NamedParameterNotFound", "InvalidArgument", "ParameterBindingException")
        name = ps_name(spec.name)
        if raw is None and optional_of(hints[spec.name]) is None:
            raise _record(op, f"Cannot bind argument to parameter '{name}' because it is null.",
                          "ParameterArgumentValidationErrorNullNotAllowed", "InvalidData",
                          "ParameterBindingValidationException")
        try:
            value = _convert(raw, hints[spec.name])
        except _Refused as exc:
            raise _record(op, f"Cannot process argument transformation on parameter '{name}'. {exc}",
                          "ParameterArgumentTransformationError", "InvalidData",
                          "ParameterBindingArgumentTransformationException") from None
        values[spec.name] = _validate(op, name, value, spec.metadata)
    missing = [ps_name(f.name) for f in dataclasses.fields(cls)  # type: ignore[arg-type]
               if f.name not in values and f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING]
    if missing:
        raise _record(op, f"Cannot process command because of one or more missing mandatory parameters: "
                          f"{' '.join(missing)}.", "MissingMandatoryParameter", "InvalidArgument",
                      "ParameterBindingException")
    return cls(**values)
