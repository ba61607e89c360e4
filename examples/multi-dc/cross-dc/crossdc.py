"""Kerberos delegation across datacenters: each datacenter stack delegates among its own hosts; for
moves between datacenters every host also needs delegation to the hosts of the others.

One KcdDelegation per host, next to the one its datacenter's fabric owns: each owns only the values
it added, so destroying this stack leaves the datacenters' own delegations as they were. Both set
"use any authentication protocol" (``protocol_transition``, as the fabric does); destroy this stack
before the datacenter stacks, or the flag comes back after they are gone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi

from lm_provider import KcdDelegation, Peer


def cross_delegations(members: Mapping[str, Sequence[Mapping[str, str]]],
                      opts: pulumi.ResourceOptions | None = None) -> list[KcdDelegation]:
    """``members``: datacenter stack -> its hosts (``name``, ``fqdn``); per host, one KcdDelegation to
    every host of the other datacenters (none when there is only one datacenter)."""
    delegations = []
    for stack, hosts in members.items():
        others = [Peer(h["name"], h["fqdn"]) for other, peers in members.items() if other != stack for h in peers]
        for host in hosts:
            if others:
                delegations.append(KcdDelegation(f"xdc-{host['name']}", computer=host["name"], peers=others,
                                                 opts=opts))
    return delegations


def readiness(ready: Mapping[str, bool]) -> dict[str, str]:
    """Each datacenter stack's readiness in words."""
    return {stack: "ready" if is_ready else "NOT READY (see its stack's outputs)" for stack, is_ready in ready.items()}
