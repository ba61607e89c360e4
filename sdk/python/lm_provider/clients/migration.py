"""The ``migration`` ops (LiveMigrationSettings): read, apply (with the listener check and the vmms
restart), restore. Each method is one script run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import RemoteCommandError
from ..models.migration import MigrationNetwork, MigrationSettings
from .host import HostClient
from .ops import host_op


@host_op("migration.read")
@dataclass(frozen=True)
class MigrationReadParams:
    """``migration.read`` takes no parameters."""


@host_op("migration.apply")
@dataclass(frozen=True)
class MigrationApplyParams:
    """``migration.apply``: ``networks`` as [{"Subnet": ..., "Priority": ...}]; ``performance_option``
    None leaves it alone; ``restart_vmms``: allowed to restart vmms once when a listener is missing."""

    networks: list[dict[str, Any]]
    enabled: bool
    authentication_type: str
    remove_unlisted: bool
    max_vm_migrations: int
    max_storage_migrations: int
    performance_option: str | None
    restart_vmms: bool


@host_op("migration.restore")
@dataclass(frozen=True)
class MigrationRestoreParams:
    """``migration.restore``: the settings to put back exactly."""

    networks: list[dict[str, Any]]
    enabled: bool
    authentication_type: str
    use_any_network: bool
    max_vm_migrations: int
    max_storage_migrations: int
    performance_option: str | None
    restart_vmms: bool


@dataclass(frozen=True)
class MigrationReport:
    """What the migration ops report: the OS, the settings (and before them, for apply), the TCP 6600
    listener list, the host's IPv4 addresses and whether vmms was restarted."""

    os_caption: str
    os_version: str
    settings: MigrationSettings
    listeners: list[str]
    local_addresses: list[str]
    vmms_restarted: bool
    before: MigrationSettings | None = None


def wire_networks(networks: list[MigrationNetwork]) -> list[dict[str, Any]]:
    """Networks as the scripts take them."""
    return [{"Subnet": n.subnet, "Priority": n.priority} for n in networks]


def migration_settings(raw: Mapping[str, Any]) -> MigrationSettings:
    """Get-VMHost's migration properties and the migration networks, typed."""
    return MigrationSettings(
        enabled=bool(raw["VirtualMachineMigrationEnabled"]),
        authentication=str(raw["VirtualMachineMigrationAuthenticationType"]),
        use_any_network=bool(raw["UseAnyNetworkForMigration"]),
        max_vm_migrations=int(raw["MaximumVirtualMachineMigrations"]),
        max_storage_migrations=int(raw["MaximumStorageMigrations"]),
        performance_option=raw.get("VirtualMachineMigrationPerformanceOption"),
        networks=sorted((MigrationNetwork(str(n["Subnet"]), int(n["Priority"]))
                         for n in raw.get("MigrationNetworks") or []), key=lambda n: n.subnet))


def _report(host: str, op: str, raw: Any) -> MigrationReport:
    if not isinstance(raw, Mapping) or "Settings" not in raw:
        raise RemoteCommandError(host, op, f"unexpected answer {str(raw)[:200]!r}")
    before = raw.get("Before")
    return MigrationReport(
        str(raw.get("OsCaption") or ""), str(raw.get("OsVersion") or ""), migration_settings(raw["Settings"]),
        [str(a) for a in raw.get("MigrationServiceListenerIPAddressList") or []],
        [str(a) for a in raw.get("LocalAddresses") or []], bool(raw.get("VmmsRestarted")),
        migration_settings(before) if before else None)


class MigrationClient:
    """The migration ops on one host."""

    def __init__(self, host: HostClient) -> None:
        self.host = host

    def read(self) -> MigrationReport:
        """``migration.read``."""
        return _report(self.host.name, "migration.read", self.host.run(MigrationReadParams()))

    def apply(self, params: MigrationApplyParams) -> MigrationReport:
        """``migration.apply``."""
        return _report(self.host.name, "migration.apply", self.host.run(params))

    def restore(self, params: MigrationRestoreParams) -> MigrationReport:
        """``migration.restore``."""
        return _report(self.host.name, "migration.restore", self.host.run(params))
