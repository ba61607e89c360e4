"""The ``nic`` ops (MigrationNic): read one adapter, apply the desired settings, restore found ones.

Each method is one script run; the scripts report adapters the way ``host.facts`` does, and
:func:`adapter_settings` turns that into :class:`~lm_provider.models.nic.AdapterSettings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import RemoteCommandError
from ..models.nic import AdapterSettings, FoundSettings, Ipv4
from .host import HostClient
from .ops import host_op

NETBIOS_NAMES = {0: "Default", 1: "Enabled", 2: "Disabled"}


@host_op("nic.read")
@dataclass(frozen=True)
class NicReadParams:
    """``nic.read``: the adapter with this MAC address and the management interface's metric."""

    mac_address: str


@host_op("nic.apply")
@dataclass(frozen=True)
class NicApplyParams:
    """``nic.apply``: select the adapter (exactly one selector), refuse what is unsafe, set what
    differs. ``interface_metric`` None: one after the management interface; ``takeover``: the
    adapter is not ours yet (refused when it has a default route)."""

    ip_address: str
    prefix_length: int
    bindings: dict[str, bool]
    disable_unlisted_bindings: bool
    forwarding: bool
    jumbo_packet: int
    takeover: bool
    adapter_name: str | None = None
    mac_address: str | None = None
    interface_description: str | None = None
    new_name: str | None = None
    interface_metric: int | None = None
    netbios: str | None = None


@host_op("nic.restore")
@dataclass(frozen=True)
class NicRestoreParams:
    """``nic.restore``: put back the values given on the adapter with ``mac_address`` (None: leave)."""

    mac_address: str
    name: str | None = None
    dhcp: bool | None = None
    ipv4_addresses: list[dict[str, Any]] | None = None
    dns_servers: list[str] | None = None
    register_dns: bool | None = None
    bindings: dict[str, bool] = field(default_factory=dict)
    interface_metric: int | None = None
    automatic_metric: bool | None = None
    forwarding: bool | None = None
    jumbo_packet: int | None = None
    netbios: str | None = None


@dataclass(frozen=True)
class NicReading:
    """An adapter as read (None when no adapter has the MAC) and the management interface's metric."""

    adapter: AdapterSettings | None
    management_metric: int | None


@dataclass(frozen=True)
class NicApplied:
    """The adapter before and after an apply, and the management interface's metric."""

    before: AdapterSettings
    after: AdapterSettings
    management_metric: int | None


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def adapter_settings(raw: Mapping[str, Any]) -> AdapterSettings:
    """One adapter of the scripts' answer (``host.facts`` layout) as typed settings."""
    jumbo = raw.get("JumboPacket") or {}
    current = jumbo.get("RegistryValue") or []
    return AdapterSettings(
        name=str(raw["Name"]), interface_description=str(raw["InterfaceDescription"]),
        mac_address=str(raw["MacAddress"]), if_index=int(raw["ifIndex"]), dhcp=raw.get("Dhcp") == "Enabled",
        ipv4_addresses=[Ipv4(str(a["IPAddress"]), int(a["PrefixLength"]), str(a.get("PrefixOrigin") or "Manual"))
                        for a in raw.get("IPv4Addresses") or []],
        default_gateways=[str(r["NextHop"]) for r in raw.get("Routes") or []
                          if r.get("DestinationPrefix") == "0.0.0.0/0"],
        dns_servers=[str(s) for s in raw.get("DnsServers") or []],
        register_dns=bool(raw.get("RegisterThisConnectionsAddress")),
        bindings={str(b["ComponentID"]).lower(): bool(b["Enabled"]) for b in raw.get("Bindings") or []},
        interface_metric=int(raw.get("InterfaceMetric") or 0), automatic_metric=raw.get("AutomaticMetric") == "Enabled",
        forwarding=raw.get("Forwarding") == "Enabled",
        jumbo_packet=int(current[0]) if current else None,
        jumbo_valid_values=[int(v) for v in jumbo.get("ValidRegistryValues") or []],
        netbios=NETBIOS_NAMES.get(_int_or_none(raw.get("TcpipNetbiosOptions")) or 0, "Default"),
    )


def restore_params(mac: str, found: FoundSettings) -> NicRestoreParams:
    """The restore op's parameters for what was found."""
    addresses = None if found.ipv4_addresses is None else [
        {"IPAddress": a.ip_address, "PrefixLength": a.prefix_length, "PrefixOrigin": a.prefix_origin}
        for a in found.ipv4_addresses]
    return NicRestoreParams(mac, found.name, found.dhcp, addresses, found.dns_servers, found.register_dns,
                            dict(found.bindings), found.interface_metric, found.automatic_metric, found.forwarding,
                            found.jumbo_packet, found.netbios)


class NicClient:
    """The nic ops on one host."""

    def __init__(self, host: HostClient) -> None:
        self.host = host

    def _answer(self, op: str, raw: Any) -> Mapping[str, Any]:
        if not isinstance(raw, Mapping):
            raise RemoteCommandError(self.host.name, op, f"unexpected answer {str(raw)[:200]!r}")
        return raw

    def read(self, mac: str) -> NicReading:
        """``nic.read``."""
        raw = self._answer("nic.read", self.host.run(NicReadParams(mac)))
        adapter = raw.get("Adapter")
        return NicReading(adapter_settings(adapter) if adapter else None,
                          _int_or_none(raw.get("ManagementMetric")))

    def apply(self, params: NicApplyParams) -> NicApplied:
        """``nic.apply``."""
        raw = self._answer("nic.apply", self.host.run(params))
        return NicApplied(adapter_settings(raw["Before"]), adapter_settings(raw["After"]),
                          _int_or_none(raw.get("ManagementMetric")))

    def restore(self, params: NicRestoreParams) -> AdapterSettings | None:
        """``nic.restore``: the adapter afterwards (None when no adapter has the MAC)."""
        raw = self._answer("nic.restore", self.host.run(params))
        adapter = raw.get("Adapter")
        return adapter_settings(adapter) if adapter else None
