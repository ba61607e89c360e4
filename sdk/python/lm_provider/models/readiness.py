"""The readiness summary of a live-migration fabric, from its children's outputs (pure).

A host is ready when vmms listens on its migration address (TCP 6600), its switch has no reload
pending, no pair of the jumbo path check involving it failed, and its delegations (Kerberos) name
registered services. Each reason it is not says what to look at.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .fabric import FabricPlan


def _path_reasons(address: str, results: Sequence[Mapping[str, Any]]) -> list[str]:
    return [f"path {r.get('host')} {r.get('source')} -> {r.get('target')}: {r.get('reason')}"
            for r in results if not r.get("passed") and address in (r.get("source"), r.get("target"))]


def summarize(plan: FabricPlan, listeners: Mapping[str, Sequence[str]], pending: Mapping[str, bool],
              path: Mapping[str, Any] | None, kcd_warnings: Mapping[str, Sequence[str]],
              purges: Mapping[str, int] | None = None, ring: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``{"ready", "hosts": {name: {"ready", "migration_address", "reasons"}}, "path_check",
    "pending_reloads", "ticket_purges", "migration_test"}`` from the children's outputs: listener
    addresses per host, pending reload per switch, the path check's ``passed``/``results``/``failures``
    (None when the check is off), the KCD warnings per host, the ticket purges run per host and the
    test migration's ``passed``/``failures``/``seconds``/``pairs`` (None when off)."""
    pending_reloads = [name for name, is_pending in pending.items() if is_pending]
    results = list(path.get("results") or []) if path else []
    hosts: dict[str, dict[str, Any]] = {}
    for children in plan.hosts:
        host = children.host
        reasons = []
        if host.address not in (listeners.get(host.name) or []):
            reasons.append(f"vmms does not listen on {host.address} (TCP 6600)")
        if host.switch and host.switch.lower() in {name.lower() for name in pending_reloads}:
            reasons.append(f"{host.switch}: a reload is pending (its jumbo MTU is not live)")
        reasons += _path_reasons(host.address, results)
        reasons += [f"delegation: {w}" for w in kcd_warnings.get(host.name) or []]
        hosts[host.name] = {"ready": not reasons, "migration_address": host.address, "reasons": reasons}
    check = None if path is None else {"passed": bool(path.get("passed")), "failures": list(path.get("failures") or [])}
    test = None if ring is None else {"passed": bool(ring.get("passed")), "failures": list(ring.get("failures") or []),
                                      "seconds": ring.get("seconds"), "pairs": list(ring.get("pairs") or [])}
    ready = (all(h["ready"] for h in hosts.values()) and (check is None or check["passed"])
             and (test is None or test["passed"]))
    return {"ready": ready, "hosts": hosts, "path_check": check, "pending_reloads": pending_reloads,
            "ticket_purges": dict(purges or {}), "migration_test": test}
