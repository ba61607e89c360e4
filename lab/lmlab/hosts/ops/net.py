"""Family ``net``: what the host's network stack does for the path check (don't-fragment pings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Host
from .context import OpContext
from .params import value_range
from .registry import op


@dataclass(frozen=True)
class PingParams:
    """net.ping: ``ping.exe [-f] -l Size -n 1 -S Source <target>`` for each of ``Targets``."""

    source: str
    targets: list[str]
    size: int = field(default=8972, metadata=value_range(0, 65500))
    dont_fragment: bool = True


@op("net.ping", params=PingParams, changes=False, context=True)
def ping(host: Host, params: PingParams, context: OpContext) -> list[dict[str, Any]]:
    """One ping per target from the source address; each with ping.exe's output and exit code.
    A host on its own (no lab network) reaches nothing: every ping times out."""
    results = []
    for target in params.targets:
        if context.network is None:
            output, code = f"\r\nPinging {target} with {params.size} bytes of data:\r\nRequest timed out.\r\n", 1
        else:
            reply = context.network.ping(host, params.source, target, params.size, params.dont_fragment)
            output, code = reply.output, reply.exit_code
        results.append({"Target": target, "Output": output, "ExitCode": code})
    return results
