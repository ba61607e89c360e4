"""Network ops: the jumbo path check's don't-fragment pings, run on a host."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ops import host_op


@host_op("net.ping")
@dataclass(frozen=True)
class PingParams:
    """``net.ping``: one ``ping.exe [-f] -l size -n 1 -S source <target>`` per target."""

    source: str
    targets: list[str] = field(default_factory=list)
    size: int = 8972
    dont_fragment: bool = True
