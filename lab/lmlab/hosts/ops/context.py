"""What an op may see beyond its own host, given by the server: the lab's network (pings, the
path of a migration connection), the directory (the real AD DC's computer accounts) and the other
hosts of the site (a migration's destination). A host on its own has none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from ..model import Host, NetAdapter, TicketCache, VirtualMachine
from ..values import UAC_TRUSTED_TO_AUTH


@dataclass(frozen=True)
class PingReply:
    """What ``ping.exe -n 1`` printed and its exit code."""

    output: str
    exit_code: int


@dataclass(frozen=True)
class Link:
    """A layer-2 path between two addresses: both adapters, and the operational port MTU of the switch
    between them."""

    sender: NetAdapter
    receiver: NetAdapter
    port_mtu: int


class Network(Protocol):
    """The network a host's packets travel (implemented by lmlab.fabric.LabFabric)."""

    def ping(self, source_host: Host, source: str, target: str, size: int, dont_fragment: bool) -> PingReply:
        """``ping.exe [-f] -l SIZE -n 1 -S SOURCE TARGET`` run on ``source_host``."""
        ...

    def link(self, source_host: Host, source: str, target: str) -> Link | None:
        """The path from ``source`` (an address of ``source_host``) to ``target``; None when no frame
        gets there (adapter down, other subnet, not cabled to the same switch, switch reloading)."""
        ...


@dataclass(frozen=True)
class ComputerAccount:
    """What the directory says about one computer account."""

    allowed_to_delegate_to: tuple[str, ...]
    """msDS-AllowedToDelegateTo."""
    user_account_control: int
    service_principal_names: tuple[str, ...]

    @property
    def trusted_to_auth(self) -> bool:
        """Protocol transition allowed (KCD with "Use any authentication protocol")."""
        return bool(self.user_account_control & UAC_TRUSTED_TO_AUTH)

    def ticket_cache(self) -> TicketCache:
        """What a host holding this account's fresh tickets sees (after a purge or a boot)."""
        return TicketCache(list(self.allowed_to_delegate_to), self.trusted_to_auth)


class DirectoryUnreachable(Exception):
    """The directory did not answer (the DC stopped, LDAPS failed); the message says why."""


class Directory(Protocol):
    """The domain's computer accounts as the DC has them now (implemented by lmlab.directory.LabDirectory)."""

    def computers(self, names: list[str]) -> dict[str, ComputerAccount]:
        """The accounts of the computers ``names`` (sAMAccountName ``NAME$``), keyed by upper-case name;
        a computer without an account is absent. Raises DirectoryUnreachable."""
        ...


class Peers(Protocol):
    """The other hosts of the site (implemented by the lab server)."""

    def find(self, name: str) -> Host | None:
        """A copy of the site host whose name or FQDN is ``name`` (any case), or None."""
        ...

    def receive(self, host_name: str, vm: VirtualMachine) -> None:
        """``vm`` arrives on host ``host_name``: its model changed under its own lock, validated and saved."""
        ...


@dataclass(frozen=True)
class OpContext:
    """Handed to ops registered with ``context=True``; each part is None for a host on its own
    (``directory`` also without an AD DC)."""

    network: Network | None = None
    directory: Directory | None = None
    peers: Peers | None = None
    commits: list[Callable[[], None]] = field(default_factory=list)
    """Effects on other hosts, run (in order) only after the op succeeded and its host validated; an
    effect that raises OpError fails the script and the op's host stays as it was. The dispatcher
    gives every run its own list (see :meth:`on_commit`)."""

    def on_commit(self, effect: Callable[[], None]) -> None:
        """Run ``effect`` when the op succeeds (see ``commits``)."""
        self.commits.append(effect)
