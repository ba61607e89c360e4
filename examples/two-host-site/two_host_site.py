"""The field guide's reference site, written out: two HP DL380 G5 hosts on Windows Server 2012 R2,
their second on-board port ("Ethernet 2") for live migration in 10.160.35.0/24, cabled to a Catalyst
3560G, Kerberos with constrained delegation in holding.com, hosts-file name resolution."""

from __future__ import annotations

import pulumi

from lm_provider import FabricHost, FabricSwitch, LiveMigrationFabric

SUBNET = "10.160.35.0/24"
SWITCH = "KOM-SW01"
HOSTS = [
    FabricHost("KOM-AD01-VM01", "KOM-AD01-VM01.holding.com", "10.160.35.60", adapter_name="Ethernet 2",
               switch=SWITCH, port="GigabitEthernet0/1", os="2012r2"),
    FabricHost("KOM-AD01-VM02", "KOM-AD01-VM02.holding.com", "10.160.35.61", adapter_name="Ethernet 2",
               switch=SWITCH, port="GigabitEthernet0/2", os="2012r2"),
]


def two_host_site(config: pulumi.Config | None = None) -> LiveMigrationFabric:
    """The site. ``switchReload`` (stack configuration, default ``never``): ``if-needed`` lets
    `pulumi up` reload the 3560G, which runs a new jumbo MTU only after a reload."""
    reload = (config or pulumi.Config()).get("switchReload") or "never"
    return LiveMigrationFabric("kom-ad01", subnet=SUBNET, hosts=HOSTS,
                               switches=[FabricSwitch(SWITCH, mtu=9000, reload=reload)], authentication="Kerberos")
