"""Family ``migration``: Hyper-V live migration settings (LiveMigrationSettings), the same semantics as
the SDK's scripts.

- ``migration.read``: the OS, Get-VMHost's migration settings, the migration networks, the TCP 6600
  listener list and every local IPv4 address;
- ``migration.apply``: refuse what cannot work (a performance option on Server 2012; no local
  address inside a listed network) before any change, set what differs, then check the listener
  list: an expected address missing restarts vmms once when allowed (``Restart-Service vmms``:
  the model's listener list is rebuilt, ``vmms_restarts`` counts it) and fails naming the
  addresses still missing; a failed apply changes nothing;
- ``migration.restore``: put the given settings back; a listener list that does not match them
  restarts vmms once when allowed.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from ..model import Host, MigrationNetwork
from ..osprofiles import os_profile
from ..values import AUTHENTICATION_TYPES, PERFORMANCE_OPTIONS
from .params import choices, value_range
from .registry import op
from .thrown import thrown

UINT32_MAX = 4_294_967_295


@dataclass(frozen=True)
class MigrationReadParams:
    """migration.read takes no parameters."""


@dataclass(frozen=True)
class MigrationApplyParams:
    """migration.apply: the desired settings; ``Networks`` is a list of {Subnet, Priority}."""

    networks: list[dict[str, Any]]
    enabled: bool = True
    authentication_type: str = field(default="Kerberos", metadata=choices(*AUTHENTICATION_TYPES))
    remove_unlisted: bool = True
    max_vm_migrations: int = field(default=2, metadata=value_range(1, 2**31 - 1))
    max_storage_migrations: int = field(default=2, metadata=value_range(1, 2**31 - 1))
    performance_option: str | None = field(default=None, metadata=choices(*PERFORMANCE_OPTIONS))
    restart_vmms: bool = True


@dataclass(frozen=True)
class MigrationRestoreParams:
    """migration.restore: the settings to put back exactly (``PerformanceOption`` null: leave it)."""

    networks: list[dict[str, Any]]
    enabled: bool
    authentication_type: str = field(metadata=choices(*AUTHENTICATION_TYPES))
    use_any_network: bool = False
    max_vm_migrations: int = field(default=2, metadata=value_range(1, 2**31 - 1))
    max_storage_migrations: int = field(default=2, metadata=value_range(1, 2**31 - 1))
    performance_option: str | None = field(default=None, metadata=choices(*PERFORMANCE_OPTIONS))
    restart_vmms: bool = True


def settings(host: Host) -> dict[str, Any]:
    """Get-VMHost's migration properties and Get-VMMigrationNetwork, as the scripts report them."""
    m = host.migration
    return {
        "VirtualMachineMigrationEnabled": m.enabled,
        "VirtualMachineMigrationAuthenticationType": m.authentication_type,
        "UseAnyNetworkForMigration": m.use_any_network,
        "MaximumVirtualMachineMigrations": m.max_vm_migrations,
        "MaximumStorageMigrations": m.max_storage_migrations,
        "VirtualMachineMigrationPerformanceOption": m.performance_option,
        "MigrationNetworks": [{"Subnet": n.subnet, "Priority": n.priority} for n in m.networks],
    }


def local_addresses(host: Host) -> list[str]:
    """Every IPv4 address of the host's adapters."""
    return [ip.ip_address for a in host.adapters for ip in a.ipv4_addresses]


def _inside(addresses: list[str], subnets: list[str]) -> list[str]:
    networks = [ipaddress.IPv4Network(s, strict=False) for s in subnets]
    return [a for a in addresses if any(ipaddress.IPv4Address(a) in n for n in networks)]


def _networks(raw: list[dict[str, Any]]) -> list[MigrationNetwork]:
    result = []
    for item in raw:
        subnet, priority = item.get("Subnet"), item.get("Priority", 0)
        try:
            subnet = str(ipaddress.IPv4Network(str(subnet)))
        except ValueError:
            raise thrown(f"networks: {subnet!r} is not an IPv4 subnet in CIDR form") from None
        if not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= UINT32_MAX:
            raise thrown(f"networks: priority {priority!r} of {subnet} is not a number 0..{UINT32_MAX}")
        result.append(MigrationNetwork(subnet, priority))
    return result


def _report(host: Host, before: dict[str, Any] | None, restarted: bool) -> dict[str, Any]:
    profile = os_profile(host.os)
    report = {"OsCaption": profile.caption, "OsVersion": profile.version, "Settings": settings(host),
              "MigrationServiceListenerIPAddressList": list(host.listener_addresses),
              "LocalAddresses": local_addresses(host), "VmmsRestarted": restarted}
    if before is not None:
        report["Before"] = before
    return report


def _set(host: Host, wanted: list[MigrationNetwork], keep_unlisted: bool, **values: Any) -> None:
    m = host.migration
    for name, value in values.items():
        if value is not None:
            setattr(m, name, value)
    listed = {n.subnet for n in wanted}
    kept = [n for n in m.networks if n.subnet not in listed] if keep_unlisted else []
    m.networks = [*kept, *wanted]


def _listeners_missing(host: Host, expected: list[str]) -> list[str]:
    return [a for a in expected if a not in host.listener_addresses]


@op("migration.read", params=MigrationReadParams, changes=False)
def read(host: Host, params: MigrationReadParams) -> dict[str, Any]:
    """The OS, the settings, the listener list and the local addresses."""
    return _report(host, None, False)


@op("migration.apply", params=MigrationApplyParams, changes=True)
def apply(host: Host, params: MigrationApplyParams) -> dict[str, Any]:
    """Refuse, set, verify the listeners (restarting vmms once when allowed); report before and after."""
    profile = os_profile(host.os)
    if params.performance_option is not None and not profile.has_migration_performance_option:
        raise thrown(f"performance_option: {host.name} runs {profile.caption} ({profile.version}), which has no "
                     "migration performance option (Set-VMHost -VirtualMachineMigrationPerformanceOption); "
                     "remove performance_option")
    wanted = _networks(params.networks)
    expected = _inside(local_addresses(host), [n.subnet for n in wanted]) if params.enabled else []
    if params.enabled and not expected:
        raise thrown(f"networks: no IPv4 address of {host.name} lies inside {', '.join(n.subnet for n in wanted)} "
                     f"(its addresses: {', '.join(local_addresses(host))}); migrations would use another network. "
                     "Configure the migration adapter first")
    before = settings(host)
    _set(host, wanted, not params.remove_unlisted, enabled=params.enabled,
         authentication_type=params.authentication_type, use_any_network=False,
         max_vm_migrations=params.max_vm_migrations, max_storage_migrations=params.max_storage_migrations,
         performance_option=params.performance_option)
    host.settings_changed()
    restarted = False
    if _listeners_missing(host, expected) and params.restart_vmms:
        host.restart_vmms()
        restarted = True
    missing = _listeners_missing(host, expected)
    if missing:
        reason = "after restarting vmms" if restarted else "and restart_vmms is false"
        raise thrown(f"networks: the migration service does not listen on {', '.join(missing)} (TCP 6600) "
                     f"{reason}; nothing was changed")
    return _report(host, before, restarted)


@op("migration.restore", params=MigrationRestoreParams, changes=True)
def restore(host: Host, params: MigrationRestoreParams) -> dict[str, Any]:
    """Put the settings back exactly; restart vmms once when the listener list does not match them."""
    profile = os_profile(host.os)
    option = params.performance_option if profile.has_migration_performance_option else None
    _set(host, _networks(params.networks), False, enabled=params.enabled,
         authentication_type=params.authentication_type, use_any_network=params.use_any_network,
         max_vm_migrations=params.max_vm_migrations, max_storage_migrations=params.max_storage_migrations,
         performance_option=option)
    host.settings_changed()
    restarted = False
    if sorted(host.listener_addresses) != sorted(host.expected_listeners()) and params.restart_vmms:
        host.restart_vmms()
        restarted = True
    return _report(host, None, restarted)
