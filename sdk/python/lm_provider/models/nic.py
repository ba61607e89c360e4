"""MigrationNic: the dedicated live-migration adapter of one host (args, state, diff; pure; check is in nic_inputs).

The adapter is chosen by exactly one of ``adapter_name``, ``mac_address`` or
``interface_description`` and is identified afterwards by its MAC address (a rename does not lose
it). What the resource sets: optional new name, one static IPv4 address (DHCP off, no other
address, no default route, no DNS servers, DNS registration off), bindings (the field guide's
``migration`` profile or an explicit map), interface metric (a number or ``after-management``:
one more than the management interface's metric), forwarding, the driver's jumbo packet value,
optionally NetBIOS over TCP/IP.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .host_resource import HostArgs, HostState, args_of, update_plan
from .plan import Plan

SELECTORS = ("adapter_name", "mac_address", "interface_description")
MIGRATION_PROFILE = "migration"
MIGRATION_BINDINGS = {"ms_tcpip": True, "ms_msclient": True, "ms_server": True, "ms_pacer": True}
"""The field guide's bindings: IPv4, Client for Microsoft Networks, File and Printer Sharing, QoS Packet
Scheduler on; every other component of the adapter off."""
AFTER_MANAGEMENT = "after-management"
NETBIOS_SETTINGS = ("Default", "Enabled", "Disabled")
METRIC_RANGE = (1, 9999)
JUMBO_RANGE = (1500, 16384)
"""Frame sizes a check accepts (the MTU form 1500 included); the driver's own list decides at apply."""
ETHERNET_HEADER = 14
NAME_MAX = 256
LOCAL_FIELDS = frozenset({"retain_on_delete", "fqdn", "winrm_endpoint", "winrm_username", "winrm_password"})
"""Inputs that change nothing on the host (an update of only these makes no remote call)."""


@dataclass(frozen=True)
class Ipv4:
    """One IPv4 address of an interface."""

    ip_address: str
    prefix_length: int
    prefix_origin: str = "Manual"


@dataclass(frozen=True)
class AdapterSettings:
    """What the host reports of the adapter (the subset of ``host.facts`` this resource reads)."""

    name: str
    interface_description: str
    mac_address: str
    if_index: int
    dhcp: bool
    ipv4_addresses: list[Ipv4]
    default_gateways: list[str]
    dns_servers: list[str]
    register_dns: bool
    bindings: dict[str, bool]
    interface_metric: int
    automatic_metric: bool
    forwarding: bool
    jumbo_packet: int | None
    jumbo_valid_values: list[int]
    netbios: str


@dataclass(frozen=True)
class FoundSettings:
    """What delete puts back: each field as found before this resource first changed it; None for
    fields it never managed (the name without ``new_name``, NetBIOS without ``netbios``); bindings
    only of the components it managed."""

    name: str | None = None
    dhcp: bool | None = None
    ipv4_addresses: list[Ipv4] | None = None
    dns_servers: list[str] | None = None
    register_dns: bool | None = None
    bindings: dict[str, bool] = field(default_factory=dict)
    interface_metric: int | None = None
    automatic_metric: bool | None = None
    forwarding: bool | None = None
    jumbo_packet: int | None = None
    netbios: str | None = None


@dataclass(frozen=True, kw_only=True)
class MigrationNicInputs:
    """The inputs besides the target. ``bindings``: ``"migration"`` or a map ComponentID -> enabled
    (unlisted components untouched); ``interface_metric``: 1..9999 or ``"after-management"``;
    ``jumbo_packet``: bytes."""

    ip_address: str
    prefix_length: int
    adapter_name: str | None = None
    mac_address: str | None = None
    interface_description: str | None = None
    new_name: str | None = None
    bindings: str | dict[str, bool] = MIGRATION_PROFILE
    interface_metric: int | str = AFTER_MANAGEMENT
    forwarding: bool = False
    jumbo_packet: int = 9014
    netbios: str | None = None
    retain_on_delete: bool = False


@dataclass(frozen=True)
class MigrationNicArgs(HostArgs, MigrationNicInputs):
    """Inputs: the target and :class:`MigrationNicInputs`."""


@dataclass(frozen=True, kw_only=True)
class MigrationNicState(HostState, MigrationNicInputs):
    """Outputs: the inputs, the adapter as last read (``adapter``), what delete restores (``found``),
    the management interface's metric at the last read, and derived values."""

    network: str = ""
    """The migration subnet in CIDR form (for LiveMigrationSettings' ``networks``)."""
    adapter: AdapterSettings | None = None
    found: FoundSettings = field(default_factory=FoundSettings)
    management_metric: int | None = None
    effective_metric: int | None = None
    effective_jumbo_packet: int | None = None

    def args(self) -> MigrationNicArgs:
        """The inputs this state was made from."""
        return args_of(self, MigrationNicArgs)


def network_of(ip_address: str, prefix_length: int) -> str:
    """The subnet of an address in CIDR form."""
    return str(ipaddress.IPv4Network(f"{ip_address}/{prefix_length}", strict=False))


def jumbo_value(requested: int, valid: list[int]) -> int | None:
    """The driver value for a frame of ``requested`` bytes: the same number, else its other form
    (a driver listing the MTU, 9000, for a 9014-byte frame, or the reverse); None when neither is valid."""
    for candidate in (requested, requested - ETHERNET_HEADER, requested + ETHERNET_HEADER):
        if candidate in valid:
            return candidate
    return None


def desired_metric(args: MigrationNicArgs, management_metric: int | None) -> int | None:
    """The interface metric the args ask for (None: after-management without a management interface)."""
    if isinstance(args.interface_metric, int):
        return args.interface_metric
    return None if management_metric is None else management_metric + 1


def desired_bindings(args: MigrationNicArgs, present: Mapping[str, bool]) -> dict[str, bool]:
    """ComponentID -> enabled for every component the args manage on an adapter with ``present``."""
    if isinstance(args.bindings, dict):
        return dict(args.bindings)
    return {c: MIGRATION_BINDINGS.get(c, False) for c in present}


def selects(state: MigrationNicState, args: MigrationNicArgs) -> bool:
    """Whether the args' selector names the adapter this state manages (same host)."""
    if state.host.lower() != args.target.host.lower():
        return False
    adapter = state.adapter
    if args.mac_address is not None:
        known = adapter.mac_address if adapter else state.mac_address
        return known is not None and known.upper() == args.mac_address.upper()
    if args.adapter_name is not None:
        names = {n.lower() for n in (state.adapter_name, state.found.name, adapter and adapter.name) if n}
        return args.adapter_name.lower() in names
    known = adapter.interface_description if adapter else state.interface_description
    return known is not None and known.lower() == (args.interface_description or "").lower()


def has_only_address(a: AdapterSettings, ip_address: str, prefix_length: int) -> bool:
    """Whether the adapter's one IPv4 address is exactly ``ip_address``/``prefix_length``, set statically."""
    return not a.dhcp and [Ipv4(i.ip_address, i.prefix_length) for i in a.ipv4_addresses] == [
        Ipv4(ip_address, prefix_length)]


def wrong_bindings(a: AdapterSettings, args: MigrationNicArgs) -> dict[str, bool]:
    """The components the args manage whose binding differs: ComponentID -> the state they should have."""
    return {c: on for c, on in desired_bindings(args, a.bindings).items() if a.bindings.get(c) != on}


def has_metric(a: AdapterSettings, metric: int | None) -> bool:
    """Whether the adapter has the (manual) interface metric ``metric`` (None: none can be wanted)."""
    return metric is not None and not a.automatic_metric and a.interface_metric == metric


def has_jumbo(a: AdapterSettings, requested: int) -> bool:
    """Whether the driver's Jumbo Packet is the value for frames of ``requested`` bytes."""
    return a.jumbo_packet is not None and a.jumbo_packet == jumbo_value(requested, a.jumbo_valid_values)


def drift(state: MigrationNicState, args: MigrationNicArgs) -> list[str]:
    """The inputs whose desired value the adapter (as last read) does not have."""
    a = state.adapter
    if a is None:
        return ["ip_address"]
    found: list[str] = []
    if args.new_name is not None and a.name != args.new_name:
        found.append("new_name")
    if not has_only_address(a, args.ip_address, args.prefix_length) or a.default_gateways or a.dns_servers \
            or a.register_dns:
        found.append("ip_address")
    if wrong_bindings(a, args):
        found.append("bindings")
    if not has_metric(a, desired_metric(args, state.management_metric)):
        found.append("interface_metric")
    if a.forwarding != args.forwarding:
        found.append("forwarding")
    if not has_jumbo(a, args.jumbo_packet):
        found.append("jumbo_packet")
    if args.netbios is not None and a.netbios != args.netbios:
        found.append("netbios")
    return found


def diff_nic(state: MigrationNicState, args: MigrationNicArgs) -> Plan:
    """Another host or adapter replaces (the old adapter is restored first, so the new one may take
    its address); everything else updates in place, drift found by the last read included."""
    if not selects(state, args):
        changed = ["host"] if state.host.lower() != args.target.host.lower() else []
        changed += [s for s in SELECTORS if getattr(state, s) != getattr(args, s)]
        changed = changed or ["adapter_name"]
        return Plan(changes=changed, replaces=changed, delete_before_replace=True)
    return update_plan(state.args(), args, drift(state, args), "the adapter")


def merge_found(found: FoundSettings, before: AdapterSettings, args: MigrationNicArgs) -> FoundSettings:
    """``found`` completed with the values ``before`` had for what ``args`` manage for the first time."""
    def first(old: Any, value: Any) -> Any:
        return value if old is None else old

    bindings = dict(found.bindings)
    for component in desired_bindings(args, before.bindings):
        if component not in bindings and component in before.bindings:
            bindings[component] = before.bindings[component]
    return FoundSettings(
        name=first(found.name, before.name) if args.new_name is not None else found.name,
        dhcp=first(found.dhcp, before.dhcp),
        ipv4_addresses=first(found.ipv4_addresses, list(before.ipv4_addresses)),
        dns_servers=first(found.dns_servers, list(before.dns_servers)),
        register_dns=first(found.register_dns, before.register_dns),
        bindings=bindings,
        interface_metric=first(found.interface_metric, before.interface_metric),
        automatic_metric=first(found.automatic_metric, before.automatic_metric),
        forwarding=first(found.forwarding, before.forwarding),
        jumbo_packet=first(found.jumbo_packet, before.jumbo_packet),
        netbios=first(found.netbios, before.netbios) if args.netbios is not None else found.netbios,
    )
