"""Family ``nic``: the migration adapter (MigrationNic), the same semantics as the SDK's scripts.

- ``nic.read``: one adapter by MAC address, and the management interface's metric;
- ``nic.apply``: select the adapter (name, MAC or description: exactly one match), refuse what is
  unsafe, then set what differs and report the adapter before and after;
- ``nic.restore``: put back the values given (delete), skipping the ones that are null.

The WinRM connection: a real host sees which adapter carries the client's TCP connection; the
lab's listeners are on 127.0.0.1, so the lab says the connection arrives on the *management
adapter*: the one whose default route has the lowest metric (route metric + interface metric,
then the lowest ifIndex). A refused apply changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Host, IPv4Address, NetAdapter
from .facts import DEFAULT_ROUTE, adapter_facts
from .params import choices, value_range
from .registry import op
from .thrown import thrown

NETBIOS_CODES = {"Default": 0, "Enabled": 1, "Disabled": 2}
METRIC_MAX = 9999
ETHERNET_HEADER = 14


@dataclass(frozen=True)
class NicReadParams:
    """nic.read: the adapter with this MAC address."""

    mac_address: str


@dataclass(frozen=True)
class NicApplyParams:
    """nic.apply: the selector (exactly one), the desired settings, and ``Takeover`` (the first apply:
    refuse an adapter that has a default route). ``InterfaceMetric`` null: after the management one."""

    ip_address: str
    prefix_length: int = field(metadata=value_range(1, 32))
    bindings: dict[str, Any] = field(default_factory=dict)
    disable_unlisted_bindings: bool = False
    forwarding: bool = False
    jumbo_packet: int = 9014
    takeover: bool = False
    adapter_name: str | None = None
    mac_address: str | None = None
    interface_description: str | None = None
    new_name: str | None = None
    interface_metric: int | None = field(default=None, metadata=value_range(1, METRIC_MAX))
    netbios: str | None = field(default=None, metadata=choices(*NETBIOS_CODES))


@dataclass(frozen=True)
class NicRestoreParams:
    """nic.restore: the values to put back on the adapter with ``MacAddress`` (null: leave alone)."""

    mac_address: str
    name: str | None = None
    dhcp: bool | None = None
    ipv4_addresses: list[dict[str, Any]] | None = None
    dns_servers: list[str] | None = None
    register_dns: bool | None = None
    bindings: dict[str, Any] = field(default_factory=dict)
    interface_metric: int | None = field(default=None, metadata=value_range(1, METRIC_MAX))
    automatic_metric: bool | None = None
    forwarding: bool | None = None
    jumbo_packet: int | None = None
    netbios: str | None = field(default=None, metadata=choices(*NETBIOS_CODES))


def _mac(value: str) -> str:
    return value.replace(":", "-").upper()


def _default_metric(adapter: NetAdapter) -> int | None:
    metrics = [r.route_metric + adapter.interface_metric for r in adapter.routes
               if r.destination_prefix == DEFAULT_ROUTE]
    return min(metrics) if metrics else None


def management_adapter(host: Host, excluding: NetAdapter | None = None) -> NetAdapter | None:
    """The adapter whose default route has the lowest metric (the lab's WinRM connection arrives here)."""
    ranked = [(m, a.if_index, a) for a in host.adapters
              if a is not excluding and (m := _default_metric(a)) is not None]
    return min(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else None


def _describe(a: NetAdapter) -> str:
    return f"{a.name} ({a.interface_description}, {a.mac_address})"


def _select(host: Host, params: NicApplyParams) -> NetAdapter:
    given = [(k, v) for k, v in (("adapter_name", params.adapter_name), ("mac_address", params.mac_address),
                                 ("interface_description", params.interface_description)) if v is not None]
    if len(given) != 1:
        raise thrown("adapter_name: give exactly one of adapter_name, mac_address, interface_description")
    key, value = given[0]
    attribute = {"adapter_name": "name", "mac_address": "mac_address",
                 "interface_description": "interface_description"}[key]
    wanted = _mac(value) if key == "mac_address" else value.lower()
    matches = [a for a in host.adapters
               if (getattr(a, attribute).upper() if key == "mac_address" else getattr(a, attribute).lower()) == wanted]
    if len(matches) != 1:
        found = "no adapter matches" if not matches else f"{len(matches)} adapters match"
        listed = matches or host.adapters
        raise thrown(f"{key}: {found} {value!r}; {'matches' if matches else 'adapters'}: "
                     f"{'; '.join(_describe(a) for a in listed)}")
    return matches[0]


def _refusals(host: Host, adapter: NetAdapter, params: NicApplyParams) -> None:
    management = management_adapter(host)
    if management is adapter:
        raise thrown(f"refused: {adapter.name} carries the WinRM connection of this session; the migration "
                     "adapter must be another one")
    if params.takeover and _default_metric(adapter) is not None:
        raise thrown(f"refused: {adapter.name} has a default route (a gateway); the migration adapter must not "
                     "be the management adapter")
    for other in host.adapters:
        if other is adapter:
            continue
        if any(ip.ip_address == params.ip_address for ip in other.ipv4_addresses):
            raise thrown(f"ip_address: {params.ip_address} is already an address of {other.name}")
        if params.new_name is not None and other.name.lower() == params.new_name.lower():
            raise thrown(f"new_name: another adapter is already called {other.name}")
    unknown = sorted(set(params.bindings) - set(adapter.bindings))
    if unknown:
        raise thrown(f"bindings: {adapter.name} has no component {', '.join(unknown)}; components: "
                     f"{', '.join(adapter.bindings)}")


def jumbo_value(adapter: NetAdapter, requested: int) -> int:
    """The driver's value for a frame of ``requested`` bytes (same number, else the MTU or frame form)."""
    for candidate in (requested, requested - ETHERNET_HEADER, requested + ETHERNET_HEADER):
        if candidate in adapter.jumbo_valid_values:
            return candidate
    raise thrown(f"jumbo_packet: {adapter.name} cannot take {requested} bytes; the driver's valid values: "
                 f"{', '.join(map(str, adapter.jumbo_valid_values))}")


def _metric(host: Host, adapter: NetAdapter, params: NicApplyParams) -> int:
    if params.interface_metric is not None:
        return params.interface_metric
    management = management_adapter(host, excluding=adapter)
    if management is None:
        raise thrown("interface_metric: after-management needs a management adapter (one with a default route); "
                     "none found: give a number")
    if management.interface_metric >= METRIC_MAX:
        raise thrown(f"interface_metric: {management.name}'s metric is {management.interface_metric}; no metric "
                     "after it exists: give a number")
    return management.interface_metric + 1


def _set_adapter(adapter: NetAdapter, want: dict[str, Any]) -> None:
    """Set the fields present in ``want`` (the lab's model of the setter in lib/adapter.ps1)."""
    if want.get("name") is not None:
        adapter.name = want["name"]
    if want.get("ipv4_addresses") is not None:
        adapter.dhcp = bool(want.get("dhcp"))
        adapter.ipv4_addresses = [IPv4Address(a["IPAddress"], int(a["PrefixLength"]),
                                              a.get("PrefixOrigin") or "Manual") for a in want["ipv4_addresses"]]
    if want.get("remove_default_routes"):
        adapter.routes = [r for r in adapter.routes if r.destination_prefix != DEFAULT_ROUTE]
    if want.get("dns_servers") is not None:
        adapter.dns_servers = list(want["dns_servers"])
    if want.get("register_dns") is not None:
        adapter.register_this_connections_address = want["register_dns"]
    for component, enabled in want.get("bindings", {}).items():
        if component in adapter.bindings:
            adapter.bindings[component] = bool(enabled)
    if want.get("automatic_metric") is not None:
        adapter.automatic_metric = want["automatic_metric"]
    if want.get("interface_metric") is not None:
        adapter.interface_metric = want["interface_metric"]
    if want.get("forwarding") is not None:
        adapter.forwarding = want["forwarding"]
    if want.get("jumbo_packet") is not None:
        adapter.jumbo_packet = want["jumbo_packet"]
    if want.get("netbios") is not None:
        adapter.netbios_setting = want["netbios"]


@op("nic.read", params=NicReadParams, changes=False)
def read(host: Host, params: NicReadParams) -> dict[str, Any]:
    """The adapter (null when no adapter has the MAC) and the management interface's metric."""
    adapter = next((a for a in host.adapters if a.mac_address == _mac(params.mac_address)), None)
    management = management_adapter(host, excluding=adapter)
    return {"Adapter": adapter_facts(adapter) if adapter else None,
            "ManagementMetric": management.interface_metric if management else None}


@op("nic.apply", params=NicApplyParams, changes=True)
def apply(host: Host, params: NicApplyParams) -> dict[str, Any]:
    """Select, refuse what is unsafe (before any change), set what differs, report before and after."""
    adapter = _select(host, params)
    _refusals(host, adapter, params)
    jumbo = jumbo_value(adapter, params.jumbo_packet)
    metric = _metric(host, adapter, params)
    management = management_adapter(host, excluding=adapter)
    before = adapter_facts(adapter)
    bindings = dict(params.bindings)
    if params.disable_unlisted_bindings:
        bindings = {c: bindings.get(c, False) for c in adapter.bindings}
    _set_adapter(adapter, {
        "name": params.new_name, "dhcp": False, "remove_default_routes": True, "dns_servers": [],
        "ipv4_addresses": [{"IPAddress": params.ip_address, "PrefixLength": params.prefix_length}],
        "register_dns": False, "bindings": bindings, "automatic_metric": False, "interface_metric": metric,
        "forwarding": params.forwarding, "jumbo_packet": jumbo, "netbios": params.netbios})
    return {"Before": before, "After": adapter_facts(adapter),
            "ManagementMetric": management.interface_metric if management else None}


@op("nic.restore", params=NicRestoreParams, changes=True)
def restore(host: Host, params: NicRestoreParams) -> dict[str, Any]:
    """Put back the given values. DHCP re-enabled gets its old addresses back (the lab's stand-in for
    a lease or APIPA address); an automatic metric gets the value given (the lab has no metric table)."""
    adapter = next((a for a in host.adapters if a.mac_address == _mac(params.mac_address)), None)
    if adapter is None:
        return {"Adapter": None}
    if params.name is not None and any(a is not adapter and a.name.lower() == params.name.lower()
                                       for a in host.adapters):
        raise thrown(f"cannot rename {adapter.name} back to {params.name}: another adapter has that name")
    _set_adapter(adapter, {
        "name": params.name, "dhcp": params.dhcp, "ipv4_addresses": params.ipv4_addresses,
        "dns_servers": params.dns_servers, "register_dns": params.register_dns, "bindings": params.bindings,
        "automatic_metric": params.automatic_metric, "interface_metric": params.interface_metric,
        "forwarding": params.forwarding, "jumbo_packet": params.jumbo_packet, "netbios": params.netbios})
    return {"Adapter": adapter_facts(adapter)}
