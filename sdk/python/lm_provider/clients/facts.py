"""``host.facts``: everything lm-provider reads about a host, in one round trip (for diagnostics,
discovery and benchmarks; each resource reads with its own narrower op)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .host import HostClient
from .ops import host_op


@host_op("host.facts")
@dataclass(frozen=True)
class FactsParams:
    """``host.facts`` takes no parameters."""


def host_facts(client: HostClient) -> dict[str, Any]:
    """The host's facts as the script reports them (adapters, Hyper-V settings, listeners, hosts file)."""
    facts: dict[str, Any] = client.run(FactsParams())
    return facts
