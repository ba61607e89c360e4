"""Family ``host``: what the resources read about a host, in one round trip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import POWER_PLANS, Host, NetAdapter
from ..osprofiles import os_profile
from .registry import op

DEFAULT_ROUTE = "0.0.0.0/0"


@dataclass(frozen=True)
class FactsParams:
    """host.facts takes no parameters."""


@op("host.facts", params=FactsParams, changes=False)
def facts(host: Host, params: FactsParams) -> dict[str, Any]:
    """Everything the resources read, named as the cmdlets name it."""
    profile = os_profile(host.os)
    vmhost: dict[str, Any] = {
        "VirtualMachineMigrationEnabled": host.migration.enabled,
        "VirtualMachineMigrationAuthenticationType": host.migration.authentication_type,
        "UseAnyNetworkForMigration": host.migration.use_any_network,
        "MaximumVirtualMachineMigrations": host.migration.max_vm_migrations,
        "MaximumStorageMigrations": host.migration.max_storage_migrations,
    }
    if profile.has_migration_performance_option:
        vmhost["VirtualMachineMigrationPerformanceOption"] = host.migration.performance_option
    return {
        "ComputerName": host.name,
        "Domain": host.domain,
        "PartOfDomain": True,
        "OsCaption": profile.caption,
        "OsVersion": profile.version,
        "PowerShellVersion": profile.powershell_version,
        "Adapters": [adapter_facts(a) for a in host.adapters],
        "VMHost": vmhost,
        "MigrationNetworks": [{"Subnet": n.subnet, "Priority": n.priority} for n in host.migration.networks],
        "MigrationServiceListenerIPAddressList": list(host.listener_addresses),
        "PowerPlan": {"ElementName": host.power_plan, "InstanceID": POWER_PLANS[host.power_plan]},
        "HostsFile": host.hosts_file,
    }


def _enabled(flag: bool) -> str:
    return "Enabled" if flag else "Disabled"


def adapter_facts(a: NetAdapter) -> dict[str, Any]:
    """One adapter as ``host.facts`` reports it (the nic ops report adapters the same way)."""
    return {
        "Name": a.name,
        "InterfaceDescription": a.interface_description,
        "MacAddress": a.mac_address,
        "ifIndex": a.if_index,
        "LinkSpeed": a.link_speed,
        "Status": a.status,
        "JumboPacket": {"RegistryValue": [str(a.jumbo_packet)],
                        "ValidRegistryValues": [str(v) for v in a.jumbo_valid_values]},
        "Bindings": [{"ComponentID": c, "Enabled": on} for c, on in a.bindings.items()],
        "Dhcp": _enabled(a.dhcp),
        "IPv4Addresses": [{"IPAddress": ip.ip_address, "PrefixLength": ip.prefix_length,
                           "PrefixOrigin": ip.prefix_origin} for ip in a.ipv4_addresses],
        "Routes": [{"DestinationPrefix": r.destination_prefix, "NextHop": r.next_hop,
                    "RouteMetric": r.route_metric} for r in a.routes if r.destination_prefix == DEFAULT_ROUTE],
        "DnsServers": list(a.dns_servers),
        "RegisterThisConnectionsAddress": a.register_this_connections_address,
        "InterfaceMetric": a.interface_metric,
        "AutomaticMetric": _enabled(a.automatic_metric),
        "Forwarding": _enabled(a.forwarding),
        "TcpipNetbiosOptions": {"Default": 0, "Enabled": 1, "Disabled": 2}[a.netbios_setting],
    }
