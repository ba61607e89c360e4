"""The fabric's readiness summary as stack outputs a person reads after ``pulumi up`` (pure).

    ready    : true
    hosts    : {KOM-AD01-VM01: "ready: migrates on 10.160.35.60 (vmms listens on 10.160.35.60:6600)", ...}
    pathCheck: "passed: 9000-byte packets cross between every pair of hosts unfragmented"
    pendingReloads: []
    ticketPurges: {KOM-AD01-VM01: 1, ...}
    migrationTest: "passed: 2 moves in 1.20 s: KOM-AD01-VM01 -> KOM-AD01-VM02: ok over 10.160.35.61 (0.61 s); ..."
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fabric import PATH_PACKET

PASSED = f"passed: {PATH_PACKET}-byte packets cross between every pair of hosts unfragmented"


def host_line(summary: Mapping[str, Any], listeners: list[str]) -> str:
    """One host's readiness in words, from its entry of the fabric's summary and its listener addresses."""
    address = summary.get("migration_address")
    listening = ", ".join(f"{a}:6600" for a in listeners) or "nothing"
    if summary.get("ready"):
        return f"ready: migrates on {address} (vmms listens on {listening})"
    return "NOT READY: " + "; ".join(summary.get("reasons") or ["no reason given"])


def path_line(check: Mapping[str, Any] | None) -> str:
    """The jumbo path check's result in words."""
    if check is None:
        return "off"
    if check.get("passed"):
        return PASSED
    return "FAILED: " + "; ".join(check.get("failures") or ["no failure reported"])


def test_line(test: Mapping[str, Any] | None) -> str:
    """The test migration's result in words."""
    if test is None:
        return "off"
    if not test.get("passed"):
        return "FAILED: " + "; ".join(test.get("failures") or ["no failure reported"])
    pairs = list(test.get("pairs") or [])
    moves = "; ".join(f"{p.get('source')} -> {p.get('destination')}: ok over {p.get('destination_address')} "
                      f"({float(p.get('seconds') or 0):.2f} s)" for p in pairs)
    return f"passed: {len(pairs)} moves in {float(test.get('seconds') or 0):.2f} s: {moves}"


def readable_outputs(summary: Mapping[str, Any], hosts: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``ready``, ``hosts`` (name -> line), ``pathCheck``, ``pendingReloads``, ``ticketPurges`` (name ->
    purges run) and ``migrationTest`` from the fabric's ``summary`` and ``hosts`` outputs."""
    host_summaries: Mapping[str, Mapping[str, Any]] = summary.get("hosts") or {}
    return {
        "ready": bool(summary.get("ready")),
        "hosts": {name: host_line(entry, list((hosts.get(name) or {}).get("listener_addresses") or []))
                  for name, entry in host_summaries.items()},
        "pathCheck": path_line(summary.get("path_check")),
        "pendingReloads": list(summary.get("pending_reloads") or []),
        "ticketPurges": dict(summary.get("ticket_purges") or {}),
        "migrationTest": test_line(summary.get("migration_test")),
    }
