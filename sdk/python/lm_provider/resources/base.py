"""The shape every resource's logic has (after pulumi-go-provider's "infer" style).

A resource is typed ``Args`` (inputs, a frozen dataclass), typed ``State`` (outputs: every input
plus what was found and computed) and these operations, none of which imports Pulumi:

- ``check(inputs) -> Checked[Args]``: validation with property names, no I/O;
- ``diff(state, args) -> Plan``: which fields change, which force a replacement, no I/O;
- ``create(args) -> (id, State)``, ``read(id, state) -> State | None`` (None: gone),
  ``update(id, state, args) -> State``, ``delete(id, state)``: one remote invocation each where
  the remote side allows, through clients the resource was built with.

Adapters (``lm_provider.dynamic``; later ``provider/``) translate between Pulumi's property maps
and these types with :mod:`lm_provider.models.codec`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from ..models.inputs import Checked
from ..models.plan import Plan

__all__ = ["Created", "Plan", "ResourceLogic"]

A = TypeVar("A")
S = TypeVar("S")


@dataclass(frozen=True)
class Created:
    """The id and the state of a created object."""

    id: str
    state: Any


class ResourceLogic(Protocol[A, S]):
    """What the adapters call. ``args_type``/``state_type`` are the dataclasses of this resource."""

    args_type: type[A]
    state_type: type[S]

    def check(self, inputs: Mapping[str, Any]) -> Checked[A]:
        """Validate raw inputs (may hold UNKNOWN values during preview)."""
        ...

    def diff(self, state: S, args: A) -> Plan:
        """Compare the recorded state with the desired args."""
        ...

    def create(self, args: A) -> Created:
        """Make the remote object match ``args``; return its id and resulting state."""
        ...

    def read(self, id_: str, state: S) -> S | None:
        """The object's real state now (None when it is gone)."""
        ...

    def update(self, id_: str, state: S, args: A) -> S:
        """Change the object in place from ``state`` to ``args``."""
        ...

    def delete(self, id_: str, state: S) -> None:
        """Undo exactly what create/update did; harmless when already gone."""
        ...
