"""lm-provider: Pulumi resources that separate Hyper-V Shared Nothing Live Migration traffic."""

from .dynamic.hostsfile import HostsEntries, HostsEntry
from .dynamic.kcd import KcdDelegation, get_hyperv_hosts, get_hyperv_hosts_output
from .dynamic.migration import LiveMigrationSettings
from .dynamic.nic import MigrationNic
from .dynamic.switch_mtu import SwitchJumboMtu
from .models.hosts_text import HostsLine
from .models.kcd import HyperVHost, Peer

__all__: list[str] = ["HostsEntries", "HostsEntry", "HostsLine", "HyperVHost", "KcdDelegation", "LiveMigrationSettings",
                      "MigrationNic", "Peer", "SwitchJumboMtu", "get_hyperv_hosts", "get_hyperv_hosts_output"]
