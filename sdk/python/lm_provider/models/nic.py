"""MigrationNic: the dedicated live-migration adapter of one host (args, state, check, diff; pure).

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
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .host_target import TARGET_KEYS, HostTarget, read_target
from .inputs import UNKNOWN, Checked, InputReader
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

_MAC = re.compile(r"^[0-9A-Fa-f]{2}([-:]?[0-9A-Fa-f]{2}){5}$")
_COMPONENT = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_QUOTES = "'\"`\u2018\u2019\u201c\u201d"


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


@dataclass(frozen=True)
class MigrationNicArgs:
    """Inputs. ``bindings``: ``"migration"`` or a map ComponentID -> enabled (unlisted components
    untouched); ``interface_metric``: 1..9999 or ``"after-management"``; ``jumbo_packet``: bytes."""

    target: HostTarget
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
class MigrationNicState:
    """Outputs: the inputs, the adapter as last read (``adapter``), what delete restores (``found``),
    the management interface's metric at the last read, and derived values."""

    host: str
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
    fqdn: str | None = None
    winrm_endpoint: str | None = None
    winrm_username: str | None = None
    winrm_password: str | None = None
    network: str = ""
    """The migration subnet in CIDR form (for LiveMigrationSettings' ``networks``)."""
    adapter: AdapterSettings | None = None
    found: FoundSettings = field(default_factory=FoundSettings)
    management_metric: int | None = None
    effective_metric: int | None = None
    effective_jumbo_packet: int | None = None

    @property
    def target(self) -> HostTarget:
        """The host and how it is reached."""
        return HostTarget(self.host, self.fqdn, self.winrm_endpoint, self.winrm_username, self.winrm_password)

    def args(self) -> MigrationNicArgs:
        """The inputs this state was made from."""
        return MigrationNicArgs(self.target, **{f.name: getattr(self, f.name) for f in fields(MigrationNicArgs)
                                                if f.name != "target"})


def mac_address(value: str) -> str | None:
    """A MAC address: six hex pairs, separated by ``-`` or ``:`` or not at all."""
    return None if _MAC.match(value) else f"{value!r} is not a MAC address (like 00-1A-4B-00-00-02)"


def normal_mac(value: str) -> str:
    """The MAC as Get-NetAdapter shows it: upper case, dash-separated."""
    digits = re.sub(r"[-:]", "", value).upper()
    return "-".join(digits[i:i + 2] for i in range(0, 12, 2))


def adapter_text(value: str) -> str | None:
    """An adapter name or description: no control characters or quotes, no outer spaces, at most 256."""
    if not value.strip():
        return "must not be empty"
    if re.search(r"[\x00-\x1f\x7f]", value):
        return "must not contain control characters"
    if any(q in value for q in _QUOTES):
        return "must not contain quotes"
    if value != value.strip():
        return "must not start or end with a space"
    if len(value) > NAME_MAX:
        return f"is longer than {NAME_MAX} characters"
    return None


def usable_address(address: str, prefix: int) -> str | None:
    """Why ``address``/``prefix`` cannot be a host's unicast address (None when it can)."""
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return f"{address!r} is not an IPv4 address"
    if ip.is_loopback or ip.is_multicast or ip.is_unspecified or ip.is_link_local or ip.is_reserved:
        return f"{address} is not a unicast host address (loopback, link-local, multicast or reserved)"
    network = ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)
    if prefix <= 30 and ip == network.network_address:
        return f"{address} is the network address of {network}"
    if prefix <= 30 and ip == network.broadcast_address:
        return f"{address} is the broadcast address of {network}"
    return None


def _bindings(reader: InputReader) -> Any:
    value = reader.inputs.get("bindings")
    if value is UNKNOWN:
        reader.complete = False
        return UNKNOWN
    if value is None:
        return MIGRATION_PROFILE
    if isinstance(value, str):
        if value.lower() != MIGRATION_PROFILE:
            reader.fail("bindings", f"{value!r} is not a profile; use \"migration\" or a map ComponentID -> true/false")
        return MIGRATION_PROFILE
    if not isinstance(value, Mapping):
        reader.fail("bindings", "must be \"migration\" or a map ComponentID -> true/false")
        return MIGRATION_PROFILE
    if not value:
        reader.fail("bindings", "must not be empty")
    result: dict[str, bool] = {}
    for component, enabled in value.items():
        if not _COMPONENT.match(str(component)):
            reader.fail(f"bindings.{component}", "is not a ComponentID (letters, digits, underscore: ms_tcpip6)")
        elif enabled is UNKNOWN:
            reader.complete = False
        elif not isinstance(enabled, bool):
            reader.fail(f"bindings.{component}", f"must be true or false, got {enabled!r}")
        else:
            result[str(component).lower()] = enabled
    return result


def _metric(reader: InputReader) -> Any:
    value = reader.inputs.get("interface_metric")
    if isinstance(value, str):
        if value.lower() != AFTER_MANAGEMENT:
            reader.fail("interface_metric", f"{value!r} is neither a number {METRIC_RANGE[0]}..{METRIC_RANGE[1]} "
                                            f"nor \"{AFTER_MANAGEMENT}\"")
        return AFTER_MANAGEMENT
    if value is None:
        return AFTER_MANAGEMENT
    return reader.integer("interface_metric", minimum=METRIC_RANGE[0], maximum=METRIC_RANGE[1])


def _selector(reader: InputReader) -> tuple[Any, Any, Any]:
    name = reader.string("adapter_name", validator=adapter_text)
    mac = reader.string("mac_address", validator=mac_address)
    description = reader.string("interface_description", validator=adapter_text)
    given = [s for s, v in zip(SELECTORS, (name, mac, description), strict=True) if v is not None]
    if len(given) != 1 and UNKNOWN not in (name, mac, description):
        reader.fail("adapter_name", f"give exactly one of {', '.join(SELECTORS)} (got "
                                    f"{', '.join(given) if given else 'none'})")
    if isinstance(mac, str) and mac_address(mac) is None:
        mac = normal_mac(mac)
    return name, mac, description


def check_nic(inputs: Mapping[str, Any]) -> Checked[MigrationNicArgs]:
    """Validate raw inputs: every failure at once, named by property; no I/O."""
    keys = [*TARGET_KEYS, *SELECTORS, "new_name", "ip_address", "prefix_length", "bindings", "interface_metric",
            "forwarding", "jumbo_packet", "netbios", "retain_on_delete"]
    reader = InputReader(inputs, keys)
    target = read_target(reader)
    name, mac, description = _selector(reader)
    new_name = reader.string("new_name", validator=adapter_text)
    prefix = reader.integer("prefix_length", required=True, minimum=1, maximum=32)
    address = reader.string("ip_address", required=True)
    if isinstance(address, str):
        reason = usable_address(address, prefix if isinstance(prefix, int) and 1 <= prefix <= 32 else 32)
        if reason:
            reader.fail("ip_address", reason)
    bindings = _bindings(reader)
    metric = _metric(reader)
    forwarding = reader.boolean("forwarding", default=False)
    jumbo = reader.integer("jumbo_packet", default=9014, minimum=JUMBO_RANGE[0], maximum=JUMBO_RANGE[1])
    netbios = reader.choice("netbios", NETBIOS_SETTINGS)
    retain = reader.boolean("retain_on_delete", default=False)
    return reader.checked(lambda: MigrationNicArgs(
        target, address, prefix, name, mac, description, new_name, bindings, metric, forwarding, jumbo, netbios,
        retain))


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


def drift(state: MigrationNicState, args: MigrationNicArgs) -> list[str]:
    """The inputs whose desired value the adapter (as last read) does not have."""
    a = state.adapter
    if a is None:
        return ["ip_address"]
    found: list[str] = []
    if args.new_name is not None and a.name != args.new_name:
        found.append("new_name")
    own = [Ipv4(args.ip_address, args.prefix_length)]
    if a.dhcp or [Ipv4(i.ip_address, i.prefix_length) for i in a.ipv4_addresses] != own or a.default_gateways \
            or a.dns_servers or a.register_dns:
        found.append("ip_address")
    wanted = desired_bindings(args, a.bindings)
    if any(a.bindings.get(c) != on for c, on in wanted.items()):
        found.append("bindings")
    metric = desired_metric(args, state.management_metric)
    if metric is None or a.automatic_metric or a.interface_metric != metric:
        found.append("interface_metric")
    if a.forwarding != args.forwarding:
        found.append("forwarding")
    if a.jumbo_packet is None or a.jumbo_packet != jumbo_value(args.jumbo_packet, a.jumbo_valid_values):
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
    old = state.args()
    changes = [f.name for f in fields(MigrationNicArgs)
               if f.name != "target" and getattr(old, f.name) != getattr(args, f.name)]
    changes += [k for k in ("fqdn", "winrm_endpoint", "winrm_username", "winrm_password")
                if getattr(old.target, k) != getattr(args.target, k)]
    notes = []
    for name in drift(state, args):
        if name not in changes:
            changes.append(name)
            notes.append(f"{name}: the adapter differs from the inputs (drift)")
    return Plan(changes=changes, notes=notes)


def only_local(plan: Plan) -> bool:
    """True when nothing in ``plan`` needs the host."""
    return set(plan.changes) <= LOCAL_FIELDS


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
