"""lm-provider: Pulumi resources that separate Hyper-V Shared Nothing Live Migration traffic."""

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

__all__: list[str] = ["FabricHost", "FabricSwitch", "HostsEntries", "HostsEntry", "HostsLine", "HyperVHost",
                      "JumboPathCheck", "KcdDelegation", "KerberosTicketPurge", "LiveMigrationFabric",
                      "LiveMigrationSettings", "MigrationNic", "MigrationRingTest", "Peer", "SwitchJumboMtu",
                      "export_fabric_summary", "fabric_from_config", "get_hyperv_hosts", "get_hyperv_hosts_output"]
