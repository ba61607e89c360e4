"""The two forms of a host resource's target, and the in-place update plan (pure).

Args carry the target as one :class:`HostTarget` (``args.target``, what a connector takes); the
state carries it flat (``host``, ``fqdn``, ``winrm_*``: top-level outputs, so that the password
can be a secret output). A resource declares its other inputs once, in a keyword-only dataclass
that its args (with :class:`HostArgs`) and its state (with :class:`HostState`) both extend.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from .host_target import TARGET_KEYS, HostTarget
from .plan import Plan


@dataclass(frozen=True)
class HostArgs:
    """The args' part every host resource has: the target (positional; the other inputs are keywords)."""

    target: HostTarget


@dataclass(frozen=True)
class HostState(HostTarget):
    """The state's part every host resource has: the target's fields, flat."""

    @property
    def target(self) -> HostTarget:
        """The host and how it is reached."""
        return HostTarget(self.host, self.fqdn, self.winrm_endpoint, self.winrm_username, self.winrm_password)


A = TypeVar("A", bound=HostArgs)


def state_fields(args: HostArgs) -> dict[str, Any]:
    """``args`` as the fields of a state: the resource's own inputs, then the target's."""
    own = {f.name: getattr(args, f.name) for f in fields(args) if f.name != "target"}
    return own | {key: getattr(args.target, key) for key in TARGET_KEYS}


def args_of(state: HostState, args_type: type[A]) -> A:
    """The args of type ``args_type`` that ``state`` was made from."""
    return args_type(state.target, **{f.name: getattr(state, f.name) for f in fields(args_type) if f.name != "target"})


def update_plan(old: HostArgs, new: HostArgs, drifted: Iterable[str], subject: str) -> Plan:
    """An in-place update from ``old`` to ``new`` args of the same host: every input that differs
    (the target's overrides included), then every drifted input not among them, with a note that
    ``subject`` (as last read) differs from it."""
    before, after = state_fields(old), state_fields(new)
    changes = [key for key, value in after.items() if key != "host" and before[key] != value]
    notes = []
    for name in drifted:
        if name not in changes:
            changes.append(name)
            notes.append(f"{name}: {subject} differs from the inputs (drift)")
    return Plan(changes=changes, notes=notes)
