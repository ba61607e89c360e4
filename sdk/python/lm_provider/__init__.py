"""lm-provider: Pulumi resources that separate Hyper-V Shared Nothing Live Migration traffic."""

from .dynamic.kcd import KcdDelegation, get_hyperv_hosts, get_hyperv_hosts_output
from .dynamic.switch_mtu import SwitchJumboMtu
from .models.kcd import HyperVHost, Peer

__all__: list[str] = ["HyperVHost", "KcdDelegation", "Peer", "SwitchJumboMtu", "get_hyperv_hosts",
                      "get_hyperv_hosts_output"]
