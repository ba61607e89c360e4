"""A live-migration fabric described whole: hosts, migration subnet, switches; its validation and
the plan of the child resources that build it (pure: no Pulumi, no I/O).

:func:`plan_fabric` checks the whole description and raises one
:class:`~lm_provider.errors.FabricConfigError` listing every problem with its path
(``hosts[1].address: ...``), or returns a :class:`FabricPlan`: per host a MigrationNic, a
LiveMigrationSettings, a KcdDelegation to every other host (Kerberos only) and one HostsEntries
set with every other host; per switch a SwitchJumboMtu over the ports of its hosts; one
JumboPathCheck (unless turned off). Child names derive from the fabric's name and the host's or
switch's name (``dc1-nic-KOM-AD01-VM01``), so they stay stable when hosts are added or removed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import FabricConfigError
from .host_target import winrm_url
from .hosts_text import HostsLine
from .kcd import Peer, computer_name, fqdn
from .migration import AUTHENTICATION_TYPES, PERFORMANCE_OPTIONS
from .nic import ETHERNET_HEADER, JUMBO_RANGE, SELECTORS
from .nic_inputs import adapter_text, mac_address
from .pathcheck import JUMBO_PACKET, PathMember
from .switch import MTU_RANGE, PLATFORMS, RELOAD_CHOICES, interface_name, range_failure, switch_name
from .validators import ipv4_network

NAME_RESOLUTIONS = ("hosts-file",)
"""How hosts find each other's migration address (a DNS variant may come later)."""
OS_KEYS = ("2012", "2012r2", "2016", "2019", "2022")
PATH_PACKET = JUMBO_PACKET
"""The IP packet the path check sends (9000 bytes): the switch MTU must carry it."""
PATH_FRAME = PATH_PACKET + ETHERNET_HEADER
"""The Ethernet frame of that packet (9014 bytes): the adapters' Jumbo Packet must carry it."""


@dataclass(frozen=True)
class FabricHost:
    """One Hyper-V host of the fabric.

    ``name``: the computer name (NetBIOS, as in AD); ``fqdn``: its DNS name (WinRM endpoint by
    default, KCD and hosts-file alias); ``address``: its migration address inside the fabric's
    subnet; the migration adapter by exactly one of ``adapter_name``, ``mac_address``,
    ``interface_description``; ``switch`` and ``port``: where that adapter is cabled; ``os``
    (optional: ``2012``, ``2012r2``, ``2016``, ``2019``, ``2022``) lets the fabric refuse what that
    OS cannot do before anything runs; ``winrm_endpoint`` overrides the stack's ``lm:winrm*``
    endpoint for this host.
    """

    name: str
    fqdn: str
    address: str
    adapter_name: str | None = None
    mac_address: str | None = None
    interface_description: str | None = None
    switch: str | None = None
    port: str | None = None
    os: str | None = None
    winrm_endpoint: str | None = None


@dataclass(frozen=True)
class FabricSwitch:
    """One Cisco switch the migration adapters are cabled to: its name (in ``lm:switches``, or DNS),
    the jumbo MTU, whether it may be reloaded to make the MTU live (``never`` or ``if-needed``) and
    its platform (``classic`` or ``ios-xe``; detected when not given)."""

    name: str
    mtu: int = 9000
    reload: str = "never"
    platform: str | None = None


@dataclass(frozen=True)
class HostChildren:
    """A host's child resources: their names and what they get."""

    host: FabricHost
    nic: str
    migration: str
    hosts_entries: str
    entries: list[HostsLine]
    """Every other host's name and FQDN -> its migration address."""
    kcd: str | None
    """None under CredSSP (no delegation)."""
    peers: list[Peer]
    purge: str | None = None
    """The KerberosTicketPurge after the delegation changes; None under CredSSP or with purge_tickets off."""


@dataclass(frozen=True)
class SwitchChildren:
    """A switch's SwitchJumboMtu: its name and the ports of the fabric's hosts on that switch."""

    switch: FabricSwitch
    resource: str
    interfaces: list[str]


@dataclass(frozen=True)
class FabricPlan:
    """The validated fabric and its child resources."""

    name: str
    subnet: str
    prefix_length: int
    authentication: str
    jumbo_packet: int
    performance_option: str | None
    hosts: list[HostChildren]
    switches: list[SwitchChildren]
    path_check: str | None
    """The JumboPathCheck's name; None when the check is off."""
    migration_test: str | None = None
    """The MigrationRingTest's name; None unless test_migration is on."""

    def path_members(self) -> list[PathMember]:
        """The path check's hosts (address, switch, how to reach it)."""
        return [PathMember(h.host.name, h.host.address, h.host.switch, h.host.fqdn, h.host.winrm_endpoint)
                for h in self.hosts]


class _Problems:
    """Collects ``path: reason`` lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, path: str, reason: str) -> None:
        self.lines.append(f"{path}: {reason}")

    def text(self, path: str, value: Any, validator: Callable[[str], str | None] | None = None,
             required: bool = True) -> str | None:
        """``value`` when it is a valid string, else None (with the problem recorded)."""
        if value is None:
            if required:
                self.add(path, "is required")
            return None
        if not isinstance(value, str):
            self.add(path, f"must be a string, got {type(value).__name__}")
            return None
        reason = validator(value) if validator else None
        if reason:
            self.add(path, reason)
            return None
        return value

    def choice(self, path: str, value: Any, choices: Sequence[str], required: bool = True) -> str | None:
        """The listed spelling of ``value`` (compared case-insensitively), else None."""
        text = self.text(path, value, required=required)
        if text is None:
            return None
        match = next((c for c in choices if c.lower() == text.lower()), None)
        if match is None:
            self.add(path, f"{text!r} is not one of {', '.join(choices)}")
        return match

    def integer(self, path: str, value: Any, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, f"must be a whole number, got {value!r}")
            return None
        if not low <= value <= high:
            self.add(path, f"{value} is out of range {low}..{high}")
            return None
        return value


def _unique(problems: _Problems, path: str, value: str | None, seen: dict[str, str], what: str) -> None:
    if value is None:
        return
    key = value.lower()
    if key in seen:
        problems.add(path, f"{value} is also the {what} of {seen[key]}")
    else:
        seen[key] = path.rsplit(".", 1)[0]


class _Checker:
    """Checks the whole description; one instance per :func:`plan_fabric` call."""

    def __init__(self, path_check: bool, performance_option: Any) -> None:
        self.problems = _Problems()
        self.path_check = path_check
        self.performance_option = self.problems.choice("performance_option", performance_option, PERFORMANCE_OPTIONS,
                                                       required=False)

    def subnet(self, value: Any) -> ipaddress.IPv4Network | None:
        text = self.problems.text("subnet", value, ipv4_network)
        return None if text is None else ipaddress.IPv4Network(text)

    def switches(self, values: Any) -> dict[str, FabricSwitch]:
        """The valid switches by lower-case name."""
        p = self.problems
        if not isinstance(values, (list, tuple)) or not values:
            p.add("switches", "must list the switches the migration adapters are cabled to (FabricSwitch)")
            return {}
        found: dict[str, FabricSwitch] = {}
        seen: dict[str, str] = {}
        for index, switch in enumerate(values):
            path = f"switches[{index}]"
            if not isinstance(switch, FabricSwitch):
                p.add(path, f"must be a FabricSwitch, got {type(switch).__name__}")
                continue
            name = p.text(f"{path}.name", switch.name, switch_name)
            _unique(p, f"{path}.name", name, seen, "switch")
            platform = p.choice(f"{path}.platform", switch.platform, tuple(PLATFORMS), required=False)
            mtu = p.integer(f"{path}.mtu", switch.mtu, *MTU_RANGE)
            reason = range_failure(platform, mtu) if platform and mtu else None
            if reason:
                p.add(f"{path}.mtu", reason)
            elif mtu is not None and self.path_check and mtu < PATH_PACKET:
                p.add(f"{path}.mtu", f"{mtu} cannot carry the path check's {PATH_PACKET}-byte packets; "
                                     f"use at least {PATH_PACKET} or path_check=False")
            p.choice(f"{path}.reload", switch.reload, RELOAD_CHOICES)
            if name is not None:
                found.setdefault(name.lower(), switch)
        return found

    def hosts(self, values: Any, subnet: ipaddress.IPv4Network | None,
              switches: dict[str, FabricSwitch]) -> list[FabricHost]:
        """The hosts, each checked; duplicates across hosts named at the later one."""
        p = self.problems
        if not isinstance(values, (list, tuple)):
            p.add("hosts", "must be a list of FabricHost")
            return []
        if len(values) < 2:
            p.add("hosts", f"lists {len(values)} host(s); live migration needs at least 2")
        seen: dict[str, dict[str, str]] = {"name": {}, "fqdn": {}, "address": {}, "port": {}}
        hosts = []
        for index, host in enumerate(values):
            path = f"hosts[{index}]"
            if not isinstance(host, FabricHost):
                p.add(path, f"must be a FabricHost, got {type(host).__name__}")
                continue
            hosts.append(host)
            _unique(p, f"{path}.name", p.text(f"{path}.name", host.name, computer_name), seen["name"], "name")
            _unique(p, f"{path}.fqdn", p.text(f"{path}.fqdn", host.fqdn, fqdn), seen["fqdn"], "FQDN")
            self._address(path, host.address, subnet, seen["address"])
            self._adapter(path, host)
            self._cabling(path, host, switches, seen["port"])
            os = p.choice(f"{path}.os", host.os, OS_KEYS, required=False)
            if os == "2012" and self.performance_option is not None:
                p.add(f"{path}.os", f"Windows Server 2012 has no migration performance option; remove "
                                    f"performance_option={self.performance_option!r} (it came with 2012 R2)")
            p.text(f"{path}.winrm_endpoint", host.winrm_endpoint, winrm_url, required=False)
        return hosts

    def _address(self, path: str, value: Any, subnet: ipaddress.IPv4Network | None, seen: dict[str, str]) -> None:
        p = self.problems
        text = p.text(f"{path}.address", value)
        if text is None:
            return
        try:
            address = ipaddress.IPv4Address(text)
        except ValueError:
            p.add(f"{path}.address", f"{text!r} is not an IPv4 address")
            return
        if subnet is not None:
            if address not in subnet:
                p.add(f"{path}.address", f"{text} is not inside the subnet {subnet}")
                return
            if subnet.prefixlen <= 30 and address in (subnet.network_address, subnet.broadcast_address):
                kind = "network" if address == subnet.network_address else "broadcast"
                p.add(f"{path}.address", f"{text} is the {kind} address of {subnet}")
                return
        _unique(p, f"{path}.address", str(address), seen, "address")

    def _adapter(self, path: str, host: FabricHost) -> None:
        p = self.problems
        given = [s for s in SELECTORS if getattr(host, s) is not None]
        if len(given) != 1:
            p.add(path, f"select the migration adapter with exactly one of {', '.join(SELECTORS)}"
                        + (f" (got {', '.join(given)})" if given else ""))
        validators = {"adapter_name": adapter_text, "mac_address": mac_address,
                      "interface_description": adapter_text}
        for selector in given:
            p.text(f"{path}.{selector}", getattr(host, selector), validators[selector])

    def _cabling(self, path: str, host: FabricHost, switches: dict[str, FabricSwitch], seen: dict[str, str]) -> None:
        p = self.problems
        switch = p.text(f"{path}.switch", host.switch, switch_name)
        if switch is not None and switches and switch.lower() not in switches:
            names = ", ".join(s.name for s in switches.values())
            p.add(f"{path}.switch", f"{switch} is not a listed switch ({names})")
            switch = None
        port = p.text(f"{path}.port", host.port, interface_name)
        if switch is not None and port is not None:
            _unique(p, f"{path}.port", f"{switch} {port}", seen, "port")

    def settings(self, authentication: Any, name_resolution: Any, jumbo_packet: Any) -> tuple[str | None, int | None]:
        """The canonical authentication and the jumbo value (None when invalid)."""
        p = self.problems
        auth = p.choice("authentication", authentication, AUTHENTICATION_TYPES)
        p.choice("name_resolution", name_resolution, NAME_RESOLUTIONS)
        jumbo = p.integer("jumbo_packet", jumbo_packet, *JUMBO_RANGE)
        if jumbo is not None and self.path_check and jumbo < PATH_FRAME:
            p.add("jumbo_packet", f"{jumbo} cannot carry the path check's {PATH_FRAME}-byte frames; use at least "
                                  f"{PATH_FRAME} or path_check=False")
        return auth, jumbo


def _children(name: str, host: FabricHost, hosts: list[FabricHost], kerberos: bool, purge: bool) -> HostChildren:
    others = [h for h in hosts if h is not host]
    return HostChildren(
        host=host, nic=f"{name}-nic-{host.name}", migration=f"{name}-migration-{host.name}",
        hosts_entries=f"{name}-hosts-{host.name}",
        entries=[HostsLine(o.address, [o.name, o.fqdn]) for o in others],
        kcd=f"{name}-kcd-{host.name}" if kerberos else None,
        peers=[Peer(o.name, o.fqdn) for o in others] if kerberos else [],
        purge=f"{name}-purge-{host.name}" if kerberos and purge else None)


def _flag(problems: _Problems, name: str, value: Any) -> bool:
    """A true/false option (a problem recorded when it is anything else)."""
    if not isinstance(value, bool):
        problems.add(name, f"must be true or false, got {value!r}")
    return value is True


def plan_fabric(name: str, subnet: Any, hosts: Any, switches: Any, authentication: Any = "Kerberos",
                name_resolution: Any = "hosts-file", jumbo_packet: Any = PATH_FRAME, path_check: Any = True,
                performance_option: Any = None, purge_tickets: Any = True, test_migration: Any = False) -> FabricPlan:
    """Check the whole fabric and plan its children; FabricConfigError lists every problem."""
    checker = _Checker(path_check is not False, performance_option)
    _flag(checker.problems, "path_check", path_check)
    purge = _flag(checker.problems, "purge_tickets", purge_tickets)
    ring = _flag(checker.problems, "test_migration", test_migration)
    network = checker.subnet(subnet)
    listed = checker.switches(switches)
    valid_hosts = checker.hosts(hosts, network, listed)
    auth, jumbo = checker.settings(authentication, name_resolution, jumbo_packet)
    if ring and auth == "CredSSP":
        checker.problems.add("test_migration", "needs authentication Kerberos: under CredSSP a move started remotely "
                                               "(as the test does, over WinRM) always fails")
    oldest = [h.name for h in valid_hosts if h.os == "2012"]
    if ring and oldest and any(h.os not in (None, "2012") for h in valid_hosts):
        checker.problems.add("test_migration", f"the ring would move its VM from a newer host to the Windows Server "
                                               f"2012 host {oldest[0]}: Hyper-V never migrates a VM to an older "
                                               "version; test the 2012 hosts in a site of their own")
    if checker.problems.lines or network is None or auth is None or jumbo is None:
        raise FabricConfigError(checker.problems.lines)
    kerberos = auth == "Kerberos"
    return FabricPlan(
        name=name, subnet=str(network), prefix_length=network.prefixlen, authentication=auth, jumbo_packet=jumbo,
        performance_option=checker.performance_option,
        hosts=[_children(name, h, valid_hosts, kerberos, purge) for h in valid_hosts],
        switches=[SwitchChildren(s, f"{name}-mtu-{s.name}",
                                 [str(h.port) for h in valid_hosts if str(h.switch).lower() == s.name.lower()])
                  for s in listed.values()],
        path_check=f"{name}-pathcheck" if path_check else None,
        migration_test=f"{name}-migration-test" if ring else None)
