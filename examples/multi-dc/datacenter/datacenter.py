"""One datacenter: its Hyper-V hosts as Active Directory lists them, each placed by the stack's plan.

AD decides which hosts there are (enabled computers under ``searchBase`` named like
``namePattern``, cluster objects left out) and their FQDNs; the stack's ``hosts`` map gives each
one its migration address, adapter and switch port. A planned host AD does not list is an error (a
typo, or a host disabled since); a listed host without a plan is reported and left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from lm_provider import FabricHost, FabricSwitch, HyperVHost, LiveMigrationFabric

PLAN_KEYS = ("address", "adapterName", "switch", "port")


@dataclass(frozen=True)
class Datacenter:
    """The fabric, and the hosts AD lists that the plan leaves out."""

    fabric: LiveMigrationFabric
    unplanned: list[str]

    @property
    def members(self) -> list[dict[str, str]]:
        """Each host's name, FQDN and migration address (what other stacks read)."""
        return [{"name": c.host.name, "fqdn": c.host.fqdn, "address": c.host.address} for c in self.fabric.plan.hosts]


def planned_hosts(found: Sequence[HyperVHost], plan: dict[str, dict[str, Any]]) -> tuple[list[FabricHost], list[str]]:
    """The hosts to build (AD's name and FQDN, the plan's address and cabling) and the unplanned names.

    Raises pulumi.RunError naming planned hosts AD does not list and plan entries missing a key."""
    listed = {h.name.lower() for h in found}
    problems = [f"lm-datacenter:hosts.{name}: not found enabled in AD (remove it, or check the account)"
                for name in plan if name.lower() not in listed]
    problems += [f"lm-datacenter:hosts.{name}: lacks {', '.join(k for k in PLAN_KEYS if k not in entry)}"
                 for name, entry in plan.items() if not all(k in entry for k in PLAN_KEYS)]
    if problems:
        raise pulumi.RunError("; ".join(problems))
    entries = {name.lower(): entry for name, entry in plan.items()}
    hosts, unplanned = [], []
    for host in found:
        entry = entries.get(host.name.lower())
        if entry is None:
            unplanned.append(host.name)
            continue
        hosts.append(FabricHost(host.name, host.fqdn, entry["address"], adapter_name=entry["adapterName"],
                                switch=entry["switch"], port=entry["port"], os=entry.get("os")))
    return hosts, unplanned


def datacenter(found: Sequence[HyperVHost], config: pulumi.Config | None = None) -> Datacenter:
    """The datacenter's fabric from the hosts AD lists (``found``) and the stack's configuration."""
    config = config or pulumi.Config()
    hosts, unplanned = planned_hosts(found, config.require_object("hosts"))
    if unplanned:
        pulumi.log.warn(f"in AD but not in lm-datacenter:hosts, left alone: {', '.join(unplanned)}")
    switches = [FabricSwitch(s["name"], mtu=s.get("mtu", 9000), reload=s.get("reload", "never"),
                             platform=s.get("platform")) for s in config.require_object("switches")]
    fabric = LiveMigrationFabric(pulumi.get_stack(), subnet=config.require("subnet"), hosts=hosts, switches=switches,
                                 authentication=config.get("authentication") or "Kerberos")
    return Datacenter(fabric, unplanned)
