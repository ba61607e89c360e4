"""The simulated Windows/Hyper-V host: plain state, no I/O, no wire format.

Field names follow the cmdlets that read them (Get-NetAdapter, Get-NetIPAddress,
Get-NetIPInterface, Get-DnsClient, Get-NetAdapterBinding, Get-NetAdapterAdvancedProperty,
Get-VMHost, Get-VMMigrationNetwork, Msvm_VirtualSystemMigrationService), in snake_case.
"""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .osprofiles import os_profile

BINDING_COMPONENTS = (
    "ms_msclient", "ms_pacer", "ms_server", "ms_tcpip", "ms_tcpip6",
    "ms_lltdio", "ms_rspndr", "ms_lldp", "ms_implat",
)
"""ComponentIDs of Get-NetAdapterBinding that the lab models."""

DEFAULT_BINDINGS = {c: c != "ms_implat" for c in BINDING_COMPONENTS}
"""Windows binds everything but the multiplexor protocol on a new adapter."""

POWER_PLANS = {
    "Balanced": "381b4222-f694-41f0-9685-ff5bb260df2e",
    "High performance": "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c",
    "Power saver": "a1841308-3541-4fab-bc81-f71556f20b4a",
}

DEFAULT_HOSTS_FILE = (
    "# Copyright (c) 1993-2009 Microsoft Corp.\r\n"
    "#\r\n"
    "# This is a sample HOSTS file used by Microsoft TCP/IP for Windows.\r\n"
    "#\r\n"
    "# This file contains the mappings of IP addresses to host names. Each\r\n"
    "# entry should be kept on an individual line. The IP address should\r\n"
    "# be placed in the first column followed by the corresponding host name.\r\n"
    "# The IP address and the host name should be separated by at least one\r\n"
    "# space.\r\n"
    "#\r\n"
    "# Additionally, comments (such as these) may be inserted on individual\r\n"
    "# lines or following the machine name denoted by a '#' symbol.\r\n"
    "#\r\n"
    "# For example:\r\n"
    "#\r\n"
    "#      102.54.94.97     rhino.acme.com          # source server\r\n"
    "#       38.25.63.10     x.acme.com              # x client host\r\n"
    "\r\n"
    "# localhost name resolution is handled within DNS itself.\r\n"
    "#\t127.0.0.1       localhost\r\n"
    "#\t::1             localhost\r\n"
)


@dataclass
class IPv4Address:
    """One Get-NetIPAddress row (IPv4)."""

    ip_address: str
    prefix_length: int
    prefix_origin: str = "Manual"  # Manual | Dhcp | WellKnown


@dataclass
class Route:
    """One Get-NetRoute row on the adapter's interface."""

    destination_prefix: str
    next_hop: str
    route_metric: int = 256


@dataclass
class NetAdapter:
    """A physical port with its IPv4 interface, DNS client and binding settings."""

    name: str
    interface_description: str
    mac_address: str
    if_index: int
    link_speed: str = "1 Gbps"
    status: str = "Up"
    jumbo_packet: int = 1514
    jumbo_valid_values: list[int] = field(default_factory=lambda: [1514, 4088, 9014])
    bindings: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_BINDINGS))
    dhcp: bool = True
    ipv4_addresses: list[IPv4Address] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    dns_servers: list[str] = field(default_factory=list)
    register_this_connections_address: bool = True
    interface_metric: int = 20
    automatic_metric: bool = True
    forwarding: bool = False
    netbios_setting: str = "Default"  # Default | Enabled | Disabled

    def networks(self) -> list[ipaddress.IPv4Interface]:
        """The adapter's addresses as interfaces (address + prefix)."""
        return [ipaddress.IPv4Interface(f"{a.ip_address}/{a.prefix_length}") for a in self.ipv4_addresses]


@dataclass
class MigrationNetwork:
    """One Get-VMMigrationNetwork row."""

    subnet: str
    priority: int


@dataclass
class MigrationSettings:
    """Get-VMHost's live migration properties."""

    enabled: bool = False
    authentication_type: str = "CredSSP"  # CredSSP | Kerberos
    use_any_network: bool = False
    max_vm_migrations: int = 2
    max_storage_migrations: int = 2
    performance_option: str | None = "Compression"  # absent (None) on Server 2012
    networks: list[MigrationNetwork] = field(default_factory=list)


@dataclass
class Host:
    """One simulated Hyper-V host."""

    name: str
    domain: str
    os: str
    adapters: list[NetAdapter]
    migration: MigrationSettings = field(default_factory=MigrationSettings)
    listener_addresses: list[str] = field(default_factory=list)
    listener_refresh: str = "immediate"  # immediate | on-vmms-restart (the field guide's failure)
    vmms_restarts: int = 0
    power_plan: str = "Balanced"
    hosts_file: str = DEFAULT_HOSTS_FILE

    @property
    def fqdn(self) -> str:
        """The host's DNS name in its domain."""
        return f"{self.name}.{self.domain}"

    def expected_listeners(self) -> list[str]:
        """Addresses vmms listens on (TCP 6600): every local IPv4 address inside a migration network.

        With "use any network" vmms listens on every address. Nothing when migration is disabled.
        """
        if not self.migration.enabled:
            return []
        subnets = [ipaddress.IPv4Network(n.subnet, strict=False) for n in self.migration.networks]
        found = []
        for adapter in self.adapters:
            for iface in adapter.networks():
                if self.migration.use_any_network or any(iface.ip in s for s in subnets):
                    found.append(str(iface.ip))
        return found

    def settings_changed(self) -> None:
        """Call after any change that can move the listeners; obeys the listener_refresh knob."""
        if self.listener_refresh == "immediate":
            self.listener_addresses = self.expected_listeners()

    def restart_vmms(self) -> None:
        """Restart-Service vmms: the listener list is rebuilt from the current settings."""
        self.vmms_restarts += 1
        self.listener_addresses = self.expected_listeners()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy of the whole state."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Host:
        """Rebuild a host from :meth:`to_dict` output (unknown keys are an error)."""
        return build_dataclass(cls, data)


def build_dataclass(cls: type, data: dict[str, Any]) -> Any:
    """Construct dataclass ``cls`` from a dict, recursing into the nested dataclasses above."""
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown field(s) {', '.join(sorted(unknown))}")
    nested = {
        "adapters": NetAdapter, "ipv4_addresses": IPv4Address, "routes": Route, "networks": MigrationNetwork,
    }
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in nested and isinstance(value, list):
            kwargs[key] = [build_dataclass(nested[key], v) if isinstance(v, dict) else v for v in value]
        elif key == "migration" and isinstance(value, dict):
            kwargs[key] = build_dataclass(MigrationSettings, value)
        else:
            kwargs[key] = value
    return cls(**kwargs)


def validate_os(host: Host) -> None:
    """Raise ValueError when the state contradicts the host's OS (e.g. a performance option on 2012)."""
    profile = os_profile(host.os)
    if not profile.has_migration_performance_option and host.migration.performance_option is not None:
        raise ValueError(f"{host.name}: Windows Server {profile.key} has no migration performance option")
