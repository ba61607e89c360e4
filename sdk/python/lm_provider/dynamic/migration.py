"""``LiveMigrationSettings`` for Pulumi programs. What it does is documented in
:mod:`lm_provider.resources.migration`.

    LiveMigrationSettings("lm-hv01", host="KOM-AD01-VM01", networks=[nic.network])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from ..resources.hosts import HostConnector
from ..resources.migration import LiveMigrationSettingsLogic
from .hosts import HostProvider, host_options, host_props, target_props

OUTPUTS = ("effective", "found", "listener_addresses", "local_addresses", "os_caption", "os_version",
           "vmms_restarted")
NetworkInput = str | Mapping[str, Any]
"""A migration network: ``"10.160.35.0/24"`` (priority: its position) or ``{"subnet": ..., "priority": n}``."""


class LiveMigrationSettingsProvider(HostProvider):
    """The dynamic provider of :class:`LiveMigrationSettings`."""

    def build_host_logic(self, connector: HostConnector) -> LiveMigrationSettingsLogic:
        """The logic over the WinRM connector."""
        return LiveMigrationSettingsLogic(connector)


class LiveMigrationSettings(pulumi.dynamic.Resource, module="lm", name="LiveMigrationSettings"):
    """Hyper-V live migration settings of one host.

    ``enabled`` (default true); ``authentication`` ``Kerberos`` (default) or ``CredSSP``;
    ``networks``: the exact list of migration networks (CIDR strings, priority = position, or
    ``{"subnet", "priority"}`` objects); others are removed unless ``remove_unlisted`` is false;
    "use any available network" is always turned off; ``max_vm_migrations`` /
    ``max_storage_migrations`` (default 2 each); ``performance_option`` ``TCPIP`` /
    ``Compression`` / ``SMB`` (unset: left alone; an error on Windows Server 2012).

    After applying, every local IPv4 address inside a listed network must show in the TCP 6600
    listener list; vmms is restarted once when one is missing (``restart_vmms``, default true),
    otherwise the update fails naming the missing addresses. It also fails when no local address
    lies inside a listed network (migrations would silently use another network). Destroy puts back
    the settings that were found.
    """

    host: pulumi.Output[str]
    networks: pulumi.Output[list[dict[str, Any]]]
    enabled: pulumi.Output[bool]
    authentication: pulumi.Output[str]
    max_vm_migrations: pulumi.Output[int]
    max_storage_migrations: pulumi.Output[int]
    performance_option: pulumi.Output[str | None]
    remove_unlisted: pulumi.Output[bool]
    restart_vmms: pulumi.Output[bool]
    effective: pulumi.Output[dict[str, Any]]
    """The settings as last read (enabled, authentication, use_any_network, limits, option, networks)."""
    found: pulumi.Output[dict[str, Any]]
    """The settings before the first change (what destroy puts back)."""
    listener_addresses: pulumi.Output[list[str]]
    """MigrationServiceListenerIPAddressList: the addresses vmms listens on (TCP 6600)."""
    local_addresses: pulumi.Output[list[str]]
    """The host's IPv4 addresses inside a listed network."""
    os_caption: pulumi.Output[str]
    os_version: pulumi.Output[str]
    vmms_restarted: pulumi.Output[bool]

    def __init__(self, resource_name: str, host: pulumi.Input[str],
                 networks: pulumi.Input[Sequence[pulumi.Input[NetworkInput]]],
                 enabled: pulumi.Input[bool] | None = None, authentication: pulumi.Input[str] | None = None,
                 max_vm_migrations: pulumi.Input[int] | None = None,
                 max_storage_migrations: pulumi.Input[int] | None = None,
                 performance_option: pulumi.Input[str] | None = None,
                 remove_unlisted: pulumi.Input[bool] | None = None, restart_vmms: pulumi.Input[bool] | None = None,
                 fqdn: pulumi.Input[str] | None = None, winrm_endpoint: pulumi.Input[str] | None = None,
                 winrm_username: pulumi.Input[str] | None = None, winrm_password: pulumi.Input[str] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props = host_props(
            OUTPUTS, target_props(host, fqdn, winrm_endpoint, winrm_username, winrm_password),
            networks=networks, enabled=enabled, authentication=authentication, max_vm_migrations=max_vm_migrations,
            max_storage_migrations=max_storage_migrations, performance_option=performance_option,
            remove_unlisted=remove_unlisted, restart_vmms=restart_vmms)
        super().__init__(LiveMigrationSettingsProvider(), resource_name, props, host_options(opts))
