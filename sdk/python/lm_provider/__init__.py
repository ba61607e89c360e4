"""lm-provider: Pulumi resources that separate Hyper-V Shared Nothing Live Migration traffic.

The names below are imported on first use, so that importing a part that needs no Pulumi (the
``lm-provider`` command, the models, the clients) does not load Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dynamic.fabric import LiveMigrationFabric
    from .dynamic.fabric_config import export_fabric_summary, fabric_from_config
    from .dynamic.hostsfile import HostsEntries, HostsEntry
    from .dynamic.kcd import KcdDelegation, get_hyperv_hosts, get_hyperv_hosts_output
    from .dynamic.migration import LiveMigrationSettings
    from .dynamic.nic import MigrationNic
    from .dynamic.pathcheck import JumboPathCheck
    from .dynamic.ring import MigrationRingTest
    from .dynamic.switch_mtu import SwitchJumboMtu
    from .dynamic.tickets import KerberosTicketPurge
    from .models.fabric import FabricHost, FabricSwitch
    from .models.hosts_text import HostsLine
    from .models.kcd import HyperVHost, Peer

_MODULES = {
    ".dynamic.fabric": ["LiveMigrationFabric"],
    ".dynamic.fabric_config": ["export_fabric_summary", "fabric_from_config"],
    ".dynamic.hostsfile": ["HostsEntries", "HostsEntry"],
    ".dynamic.kcd": ["KcdDelegation", "get_hyperv_hosts", "get_hyperv_hosts_output"],
    ".dynamic.migration": ["LiveMigrationSettings"],
    ".dynamic.nic": ["MigrationNic"],
    ".dynamic.pathcheck": ["JumboPathCheck"],
    ".dynamic.ring": ["MigrationRingTest"],
    ".dynamic.switch_mtu": ["SwitchJumboMtu"],
    ".dynamic.tickets": ["KerberosTicketPurge"],
    ".models.fabric": ["FabricHost", "FabricSwitch"],
    ".models.hosts_text": ["HostsLine"],
    ".models.kcd": ["HyperVHost", "Peer"],
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}

__all__: list[str] = ["FabricHost", "FabricSwitch", "HostsEntries", "HostsEntry", "HostsLine", "HyperVHost",
                      "JumboPathCheck", "KcdDelegation", "KerberosTicketPurge", "LiveMigrationFabric",
                      "LiveMigrationSettings", "MigrationNic", "MigrationRingTest", "Peer", "SwitchJumboMtu",
                      "export_fabric_summary", "fabric_from_config", "get_hyperv_hosts", "get_hyperv_hosts_output"]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is used."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
