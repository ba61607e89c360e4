"""The simulated Windows/Hyper-V host: plain state, no I/O, no wire format.

Field names follow the cmdlets that read them (Get-NetAdapter, Get-NetIPAddress,
Get-NetIPInterface, Get-DnsClient, Get-NetAdapterBinding, Get-NetAdapterAdvancedProperty,
Get-VMHost, Get-VMMigrationNetwork, Msvm_VirtualSystemMigrationService), in snake_case.
"""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from .convert import build
from .rules import validate_host
from .values import BINDING_COMPONENTS, POWER_PLANS

__all__ = [
    "BINDING_COMPONENTS", "DEFAULT_BINDINGS", "DEFAULT_HOSTS_FILE", "POWER_PLANS", "Host", "IPv4Address",
    "MigrationNetwork", "MigrationSettings", "NetAdapter", "Route", "TicketCache", "VirtualMachine",
    "build_dataclass",
]

ETHERNET_HEADER = 14
DEFAULT_BINDINGS = {c: c != "ms_implat" for c in BINDING_COMPONENTS}
"""Windows binds everything but the multiplexor protocol on a new adapter."""

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
    prefix_origin: str = "Manual"  # values.PREFIX_ORIGINS


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
    status: str = "Up"  # values.ADAPTER_STATUSES
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
    netbios_setting: str = "Default"  # values.NETBIOS_SETTINGS

    def ip_mtu(self) -> int:
        """The largest IP packet the adapter sends: ``*JumboPacket`` counts the 14-byte Ethernet header."""
        return self.jumbo_packet - ETHERNET_HEADER

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
    authentication_type: str = "CredSSP"  # values.AUTHENTICATION_TYPES
    use_any_network: bool = False
    max_vm_migrations: int = 2
    max_storage_migrations: int = 2
    performance_option: str | None = "Compression"  # absent (None) on Server 2012
    networks: list[MigrationNetwork] = field(default_factory=list)


@dataclass
class VirtualMachine:
    """One Get-VM row: what the migration ops create, move, list and remove."""

    name: str
    id: str  # the VM's GUID, lower case as ConvertTo-Json writes a [Guid]
    notes: str = ""  # Set-VM -Notes: lm-provider's marker on the VMs it owns; "" on user VMs
    state: str = "Running"  # values.VM_STATES
    memory_startup_bytes: int = 33_554_432
    vhd_paths: list[str] = field(default_factory=list)
    generation: int = 1
    version: str = "5.0"  # the configuration version (Get-VM's Version); osprofiles lists who runs which


@dataclass
class TicketCache:
    """The host's view of its own computer account as of its last ``klist -li 0x3e7 purge`` or boot:
    the delegation its Kerberos tickets carry (a delegation added later is not seen until then)."""

    allowed_to_delegate_to: list[str] = field(default_factory=list)
    trusted_to_auth: bool = False  # userAccountControl TRUSTED_TO_AUTH_FOR_DELEGATION (protocol transition)


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
    vms: list[VirtualMachine] = field(default_factory=list)
    ticket_cache: TicketCache = field(default_factory=TicketCache)

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

    def vm(self, name: str) -> VirtualMachine | None:
        """The VM called ``name`` (any case, as Get-VM -Name matches), or None."""
        return next((vm for vm in self.vms if vm.name.lower() == name.lower()), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy of the whole state."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Host:
        """Rebuild a host from JSON-ready data, converting values to the declared types where that is
        lossless (see convert.py); ModelError (a ValueError) names the path of anything else.

        Values are not checked here: call :meth:`validate`.
        """
        return build(cls, data)

    def validate(self) -> None:
        """Raise ModelError naming every impossible value (types, enums, addresses, ranges, OS rules)."""
        validate_host(self)


T = TypeVar("T")


def build_dataclass(cls: type[T], data: Any) -> T:
    """Construct one of the model's dataclasses from JSON-ready data (see :meth:`Host.from_dict`)."""
    return build(cls, data)
