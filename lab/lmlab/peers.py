"""The other hosts of the site as an op sees them (a hosts.ops Peers): found by name or FQDN, and
changed only through their own runtime (under its lock, validated, saved)."""

from __future__ import annotations

from collections.abc import Callable

from .hosts.model import Host, VirtualMachine
from .hosts.runtime import HostRuntime


class LabPeers:
    """The lab server's hosts, for ops that reach another host (a migration's destination)."""

    def __init__(self, hosts: Callable[[], list[HostRuntime]]) -> None:
        self._hosts = hosts

    def _runtime(self, name: str) -> HostRuntime | None:
        wanted = name.lower()
        return next((r for r in self._hosts() if wanted in (r.host.name.lower(), r.host.fqdn.lower())), None)

    def find(self, name: str) -> Host | None:
        """A copy of the host whose name or FQDN is ``name`` (any case), or None."""
        runtime = self._runtime(name)
        return None if runtime is None else runtime.find_copy()

    def receive(self, host_name: str, vm: VirtualMachine) -> None:
        """``vm`` arrives on ``host_name`` (a ModelError there is a lab bug: the move checked first)."""
        runtime = self._runtime(host_name)
        if runtime is None:
            raise LookupError(f"no host {host_name} in the lab")
        runtime.receive_vm(vm)
