"""KerberosTicketPurge's pure model: what runs the purge again and what does not."""

from __future__ import annotations

from typing import Any

from lm_provider.models.host_resource import state_fields
from lm_provider.models.tickets import TicketPurgeArgs, TicketPurgeState, check_purge, diff_purge, needs_purge

VALUES = ["cifs/HV2.holding.com", "cifs/HV2"]


def args(**inputs: Any) -> TicketPurgeArgs:
    checked = check_purge({"host": "HV1", "delegation": VALUES, **inputs})
    assert checked.failures == [] and checked.args is not None
    return checked.args


def test_a_changed_delegation_purges_again_and_a_changed_endpoint_does_not() -> None:
    state = TicketPurgeState(**state_fields(args()), output="Ticket(s) purged!", purges=1)
    assert not diff_purge(state, args()).has_changes
    more = diff_purge(state, args(delegation=[*VALUES, "cifs/HV3"]))
    assert more.changes == ["delegation"] and needs_purge(more)
    moved = diff_purge(state, args(winrm_endpoint="https://hv1.holding.com:5986/wsman"))
    assert moved.changes == ["winrm_endpoint"] and not needs_purge(moved)


def test_bad_input_is_refused_by_property() -> None:
    failures = [str(f) for f in check_purge({"host": "HV 1", "delegation": "cifs/HV2", "when": 1}).failures]
    assert any(f.startswith("when: unknown property") for f in failures), failures
    assert any(f.startswith("delegation: must be a list of strings") for f in failures), failures
    assert any(f.startswith("host:") for f in failures), failures
