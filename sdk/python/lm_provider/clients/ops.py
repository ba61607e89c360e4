"""The ops lm-provider runs on hosts, each with a typed parameter dataclass.

Register a parameter class with ``@host_op("family.verb")``. A field ``adapter_name`` travels as
the JSON key ``AdapterName`` (PowerShell's parameter naming), which the op's script reads as
``$LmParams.AdapterName``; a contract test compares the script, this class and the lab's op.
:meth:`HostClient.run` takes an instance and knows the op from the class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..models.codec import to_props

T = TypeVar("T")

HOST_OPS: dict[str, type[Any]] = {}
"""Op name -> its parameter dataclass."""

_OP_OF: dict[type[Any], str] = {}


def host_op(name: str) -> Callable[[type[T]], type[T]]:
    """Class decorator: ``cls`` holds the parameters of op ``name``."""
    def register(cls: type[T]) -> type[T]:
        if name in HOST_OPS:
            raise ValueError(f"op {name} is registered twice")
        HOST_OPS[name] = cls
        _OP_OF[cls] = name
        return cls
    return register


def op_of(params: object) -> str:
    """The op name of a registered parameter object."""
    return _OP_OF[type(params)]


def ps_name(field_name: str) -> str:
    """The JSON key (PowerShell parameter name) of a field: ``adapter_name`` -> ``AdapterName``."""
    return "".join(part[:1].upper() + part[1:] for part in field_name.split("_"))


def wire_params(params: object) -> dict[str, Any]:
    """The parameters of ``params`` as the op's JSON object (PowerShell names, plain values)."""
    return {ps_name(k): v for k, v in to_props(params).items()}
