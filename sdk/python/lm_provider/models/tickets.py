"""KerberosTicketPurge: args, state, check, diff (pure).

A host holds Kerberos tickets for up to 10 hours; a constrained delegation added in AD is not used
by a host whose tickets predate it until they expire, the host reboots, or its system ticket cache
is purged (``klist -li 0x3e7 purge``). The purge runs on create and whenever ``delegation`` (what
the host's account is trusted for, e.g. KcdDelegation's ``present`` values) changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .host_resource import HostArgs, HostState, args_of, update_plan
from .host_target import TARGET_KEYS, read_target
from .inputs import Checked, InputReader
from .plan import Plan

LOCAL_FIELDS = frozenset({"fqdn", "winrm_endpoint", "winrm_username", "winrm_password"})
"""Inputs whose change alone needs no purge (how the host is reached)."""


@dataclass(frozen=True, kw_only=True)
class TicketPurgeInputs:
    """``delegation``: the values the purge is for; any change purges again."""

    delegation: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TicketPurgeArgs(HostArgs, TicketPurgeInputs):
    """Inputs: the host and the delegation values."""


@dataclass(frozen=True, kw_only=True)
class TicketPurgeState(HostState, TicketPurgeInputs):
    """Outputs: the inputs, klist's answer to the last purge and how many purges this resource ran."""

    output: str = ""
    purges: int = 0


def check_purge(inputs: Mapping[str, Any]) -> Checked[TicketPurgeArgs]:
    """Validate raw inputs: every failure at once, named by property; no I/O."""
    reader = InputReader(inputs, [*TARGET_KEYS, "delegation"])
    target = read_target(reader)
    delegation = reader.string_list("delegation", default=(), allow_empty=True)
    return reader.checked(lambda: TicketPurgeArgs(target, delegation=list(delegation)))


def purge_args(state: TicketPurgeState) -> TicketPurgeArgs:
    """The inputs recorded in ``state``."""
    return args_of(state, TicketPurgeArgs)


def diff_purge(state: TicketPurgeState, args: TicketPurgeArgs) -> Plan:
    """A changed delegation purges again (an update); so does a change of how the host is reached
    (no purge then: see :func:`needs_purge`)."""
    return update_plan(purge_args(state), args, [], state.host)


def needs_purge(plan: Plan) -> bool:
    """Whether an update with ``plan`` must run the purge (something besides reaching the host changed)."""
    return not plan.changes_only(LOCAL_FIELDS)
