"""``MigrationNic`` for Pulumi programs. What it does is documented in :mod:`lm_provider.resources.nic`.

    nic = MigrationNic("lm-nic-hv01", host="KOM-AD01-VM01", adapter_name="Ethernet 2", new_name="LM",
                       ip_address="10.160.35.60", prefix_length=24)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi.dynamic

from ..resources.hosts import HostConnector
from ..resources.nic import MigrationNicLogic
from .hosts import HostProvider, host_options, host_props, target_props

OUTPUTS = ("network", "adapter", "found", "management_metric", "effective_metric", "effective_jumbo_packet")


class MigrationNicProvider(HostProvider):
    """The dynamic provider of :class:`MigrationNic`."""

    def build_host_logic(self, connector: HostConnector) -> MigrationNicLogic:
        """The logic over the WinRM connector."""
        return MigrationNicLogic(connector)


class MigrationNic(pulumi.dynamic.Resource, module="lm", name="MigrationNic"):
    """The dedicated live-migration adapter of one Hyper-V host.

    Select the adapter with exactly one of ``adapter_name``, ``mac_address`` or
    ``interface_description`` (changing which adapter replaces the resource); optionally rename
    it (``new_name``). It gets one static IPv4 address (``ip_address``/``prefix_length``), DHCP
    off, no default gateway, no DNS servers, DNS registration off; ``bindings`` ``"migration"``
    (IPv4, Client for Microsoft Networks, File and Printer Sharing, QoS Packet Scheduler on, the
    rest off; the default) or a map ComponentID -> enabled; ``interface_metric`` a number or
    ``"after-management"`` (the default: one more than the management interface's);
    ``forwarding`` (default off); ``jumbo_packet`` in bytes (default 9014, mapped to the driver's
    values); ``netbios`` ``Default``/``Enabled``/``Disabled`` (unset: left alone).

    Refused: the adapter carrying the WinRM connection, an adapter with a default route, an address
    already on another adapter. Destroy puts back what was found unless ``retain_on_delete``.
    WinRM settings come from the stack's ``lm:winrm*`` configuration, overridable per resource
    (``winrm_password`` is stored as a secret).
    """

    host: pulumi.Output[str]
    ip_address: pulumi.Output[str]
    prefix_length: pulumi.Output[int]
    adapter_name: pulumi.Output[str | None]
    mac_address: pulumi.Output[str | None]
    interface_description: pulumi.Output[str | None]
    new_name: pulumi.Output[str | None]
    bindings: pulumi.Output[Any]
    interface_metric: pulumi.Output[Any]
    forwarding: pulumi.Output[bool]
    jumbo_packet: pulumi.Output[int]
    netbios: pulumi.Output[str | None]
    retain_on_delete: pulumi.Output[bool]
    network: pulumi.Output[str]
    """The migration subnet in CIDR form (pass it to LiveMigrationSettings' ``networks``)."""
    adapter: pulumi.Output[dict[str, Any]]
    """The adapter as last read: name, MAC, ifIndex, addresses, bindings, metric, jumbo value, ..."""
    found: pulumi.Output[dict[str, Any]]
    """What destroy puts back (each managed value as found before the first change)."""
    management_metric: pulumi.Output[int | None]
    effective_metric: pulumi.Output[int | None]
    """The interface metric asked for (``after-management`` resolved)."""
    effective_jumbo_packet: pulumi.Output[int | None]
    """The driver value ``jumbo_packet`` maps to (None: the driver has no such value)."""

    def __init__(self, resource_name: str, host: pulumi.Input[str], ip_address: pulumi.Input[str],
                 prefix_length: pulumi.Input[int], adapter_name: pulumi.Input[str] | None = None,
                 mac_address: pulumi.Input[str] | None = None,
                 interface_description: pulumi.Input[str] | None = None,
                 new_name: pulumi.Input[str] | None = None,
                 bindings: pulumi.Input[str | Mapping[str, bool]] | None = None,
                 interface_metric: pulumi.Input[int | str] | None = None,
                 forwarding: pulumi.Input[bool] | None = None, jumbo_packet: pulumi.Input[int] | None = None,
                 netbios: pulumi.Input[str] | None = None, retain_on_delete: pulumi.Input[bool] | None = None,
                 fqdn: pulumi.Input[str] | None = None, winrm_endpoint: pulumi.Input[str] | None = None,
                 winrm_username: pulumi.Input[str] | None = None, winrm_password: pulumi.Input[str] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props = host_props(
            OUTPUTS, target_props(host, fqdn, winrm_endpoint, winrm_username, winrm_password),
            ip_address=ip_address, prefix_length=prefix_length, adapter_name=adapter_name, mac_address=mac_address,
            interface_description=interface_description, new_name=new_name, bindings=bindings,
            interface_metric=interface_metric, forwarding=forwarding, jumbo_packet=jumbo_packet, netbios=netbios,
            retain_on_delete=retain_on_delete)
        super().__init__(MigrationNicProvider(), resource_name, props, host_options(opts))
