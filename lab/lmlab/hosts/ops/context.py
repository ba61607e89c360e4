"""What an op may see beyond its own host: the lab's network (for ping), given by the server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..model import Host


@dataclass(frozen=True)
class PingReply:
    """What ``ping.exe -n 1`` printed and its exit code."""

    output: str
    exit_code: int


class Network(Protocol):
    """The network a host's packets travel (implemented by lmlab.fabric.LabFabric)."""

    def ping(self, source_host: Host, source: str, target: str, size: int, dont_fragment: bool) -> PingReply:
        """``ping.exe [-f] -l SIZE -n 1 -S SOURCE TARGET`` run on ``source_host``."""
        ...


@dataclass(frozen=True)
class OpContext:
    """Handed to ops registered with ``context=True``; ``network`` is None for a host on its own."""

    network: Network | None = None
