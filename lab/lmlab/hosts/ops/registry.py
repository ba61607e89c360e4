"""The op registry: op name -> handler, parameter type and whether the op may change the host.

A family module registers its ops with the decorator::

    @op("host.facts", params=FactsParams, changes=False)
    def facts(host: Host, params: FactsParams) -> dict[str, Any]: ...

A handler gets a private copy of the host (mutations only count if the op succeeds and the result
validates) and its parameters already bound; it returns what goes to stdout as JSON, or raises
OpError with the record the real cmdlet would write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

P = TypeVar("P")
Handler = Callable[..., Any]
"""``(host, params)``, or ``(host, params, context)`` for ops registered with ``context=True``."""


@dataclass(frozen=True)
class OpSpec(Generic[P]):
    """One registered op."""

    name: str
    handler: Handler
    params: type[P]
    changes: bool
    """False: a read; if the handler changes the host anyway, that is a lab bug (answered as one)."""
    context: bool = False
    """True: the handler takes a third argument, the OpContext (the lab's network, directory, peers)."""
    cross_host: bool = False
    """True: the op may change another host (``context.on_commit``); it runs under the lab-wide lock,
    so two such ops never wait for each other's hosts."""


class OpRegistry:
    """Ops by name; names are case-insensitive, as PowerShell command names are."""

    def __init__(self) -> None:
        self._ops: dict[str, OpSpec[Any]] = {}

    def add(self, spec: OpSpec[Any]) -> None:
        """Register ``spec``; a second op with the same name is a programming error."""
        key = spec.name.lower()
        if key in self._ops:
            raise ValueError(f"op {spec.name!r} is registered twice")
        self._ops[key] = spec

    def get(self, name: str) -> OpSpec[Any] | None:
        """The op called ``name`` (any case), or None."""
        return self._ops.get(name.lower())

    def names(self) -> tuple[str, ...]:
        """Every op name, sorted, as registered."""
        return tuple(sorted(spec.name for spec in self._ops.values()))

    def copy(self) -> OpRegistry:
        """An independent registry with the same ops (tests add ops to a copy, never to REGISTRY)."""
        clone = OpRegistry()
        clone._ops = dict(self._ops)
        return clone


REGISTRY = OpRegistry()
"""The ops every simulated host serves (filled by the family modules of this package)."""


def op(name: str, *, params: type[P], changes: bool, context: bool = False, cross_host: bool = False,
       registry: OpRegistry = REGISTRY) -> Callable[[Handler], Handler]:
    """Decorator: register the function as op ``name`` taking ``params`` (and, with ``context``,
    the OpContext as a third argument; ``cross_host``: see OpSpec)."""
    def register(handler: Handler) -> Handler:
        registry.add(OpSpec(name, handler, params, changes, context, cross_host))
        return handler
    return register
