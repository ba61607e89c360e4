"""The fabric described whole (pure): the plan of child resources, and every validation rule
refusing with its path, all problems in one error."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from lm_provider.errors import ConfigurationError, FabricConfigError
from lm_provider.models.fabric import FabricHost, FabricSwitch, plan_fabric
from lm_provider.models.hosts_text import HostsLine
from lm_provider.models.kcd import Peer
from lm_provider.models.pathcheck import PathMember

SUBNET = "10.160.35.0/24"
VM01 = FabricHost("KOM-AD01-VM01", "KOM-AD01-VM01.holding.com", "10.160.35.60", adapter_name="Ethernet 2",
                  switch="KOM-SW01", port="GigabitEthernet0/1")
VM02 = FabricHost("KOM-AD01-VM02", "KOM-AD01-VM02.holding.com", "10.160.35.61", adapter_name="Ethernet 2",
                  switch="KOM-SW01", port="GigabitEthernet0/2")
SW01 = FabricSwitch("KOM-SW01", mtu=9000, reload="if-needed")


def problems(**changes: Any) -> list[str]:
    arguments: dict[str, Any] = {"name": "dc1", "subnet": SUBNET, "hosts": [VM01, VM02], "switches": [SW01]}
    arguments.update(changes)
    with pytest.raises(FabricConfigError) as raised:
        plan_fabric(**arguments)
    return raised.value.problems


def test_the_reference_site_plans_every_child_with_stable_names() -> None:
    plan = plan_fabric("dc1", SUBNET, [VM01, VM02], [SW01])
    assert (plan.subnet, plan.prefix_length, plan.authentication, plan.jumbo_packet) == (SUBNET, 24, "Kerberos", 9014)
    first, second = plan.hosts
    assert (first.nic, first.migration, first.kcd, first.hosts_entries) == (
        "dc1-nic-KOM-AD01-VM01", "dc1-migration-KOM-AD01-VM01", "dc1-kcd-KOM-AD01-VM01", "dc1-hosts-KOM-AD01-VM01")
    assert first.peers == [Peer("KOM-AD01-VM02", "KOM-AD01-VM02.holding.com")]
    assert first.entries == [HostsLine("10.160.35.61", ["KOM-AD01-VM02", "KOM-AD01-VM02.holding.com"])]
    assert second.entries == [HostsLine("10.160.35.60", ["KOM-AD01-VM01", "KOM-AD01-VM01.holding.com"])]
    [switch] = plan.switches
    assert (switch.resource, switch.interfaces) == ("dc1-mtu-KOM-SW01", ["GigabitEthernet0/1", "GigabitEthernet0/2"])
    assert plan.path_check == "dc1-pathcheck"
    assert plan.path_members() == [
        PathMember("KOM-AD01-VM01", "10.160.35.60", "KOM-SW01", "KOM-AD01-VM01.holding.com"),
        PathMember("KOM-AD01-VM02", "10.160.35.61", "KOM-SW01", "KOM-AD01-VM02.holding.com")]


def test_three_hosts_on_two_switches_make_a_full_mesh() -> None:
    vm03 = FabricHost("HV03", "hv03.holding.com", "10.160.35.62", mac_address="00-15-5D-00-00-03",
                      switch="SW02", port="Gi1/0/3")
    plan = plan_fabric("dc2", SUBNET, [VM01, VM02, vm03], [SW01, FabricSwitch("SW02", 9198, platform="ios-xe")])
    for children in plan.hosts:
        others = [h.host for h in plan.hosts if h is not children]
        assert children.peers == [Peer(o.name, o.fqdn) for o in others]
        assert children.entries == [HostsLine(o.address, [o.name, o.fqdn]) for o in others]
    assert [(s.switch.name, s.interfaces) for s in plan.switches] == [
        ("KOM-SW01", ["GigabitEthernet0/1", "GigabitEthernet0/2"]), ("SW02", ["Gi1/0/3"])]


def test_credssp_plans_no_delegation_and_path_check_off_plans_no_check() -> None:
    plan = plan_fabric("dc1", SUBNET, [VM01, VM02], [SW01], authentication="credssp", path_check=False)
    assert plan.authentication == "CredSSP"
    assert all(h.kcd is None and h.peers == [] for h in plan.hosts)
    assert plan.path_check is None


RULES = [
    ({"subnet": "10.160.35.1/24"}, "subnet: '10.160.35.1/24' is not an IPv4 network in CIDR form"),
    ({"hosts": [VM01]}, "hosts: lists 1 host(s); live migration needs at least 2"),
    ({"hosts": [VM01, replace(VM02, address="10.160.36.61")]},
     "hosts[1].address: 10.160.36.61 is not inside the subnet 10.160.35.0/24"),
    ({"hosts": [replace(VM01, address="10.160.35.0"), VM02]},
     "hosts[0].address: 10.160.35.0 is the network address of 10.160.35.0/24"),
    ({"hosts": [VM01, replace(VM02, address="10.160.35.255")]},
     "hosts[1].address: 10.160.35.255 is the broadcast address of 10.160.35.0/24"),
    ({"hosts": [VM01, replace(VM02, address="10.160.35.60")]},
     "hosts[1].address: 10.160.35.60 is also the address of hosts[0]"),
    ({"hosts": [VM01, replace(VM02, address="ten")]}, "hosts[1].address: 'ten' is not an IPv4 address"),
    ({"hosts": [VM01, replace(VM02, name="kom-ad01-vm01")]},
     "hosts[1].name: kom-ad01-vm01 is also the name of hosts[0]"),
    ({"hosts": [VM01, replace(VM02, name="KOM AD01")]}, "hosts[1].name: 'KOM AD01' is not a computer name"),
    ({"hosts": [VM01, replace(VM02, fqdn="KOM-AD01-VM01.HOLDING.COM")]},
     "hosts[1].fqdn: KOM-AD01-VM01.HOLDING.COM is also the FQDN of hosts[0]"),
    ({"hosts": [VM01, replace(VM02, switch="KOM-SW02")]},
     "hosts[1].switch: KOM-SW02 is not a listed switch (KOM-SW01)"),
    ({"hosts": [VM01, replace(VM02, switch=None)]}, "hosts[1].switch: is required"),
    ({"hosts": [VM01, replace(VM02, port="GigabitEthernet0/1")]},
     "hosts[1].port: KOM-SW01 GigabitEthernet0/1 is also the port of hosts[0]"),
    ({"hosts": [VM01, replace(VM02, port="Gi 0/2")]}, "hosts[1].port: 'Gi 0/2' is not an interface name"),
    ({"hosts": [VM01, replace(VM02, adapter_name=None)]},
     "hosts[1]: select the migration adapter with exactly one of adapter_name, mac_address, interface_description"),
    ({"hosts": [VM01, replace(VM02, mac_address="00-15-5D-00-00-02")]},
     "hosts[1]: select the migration adapter with exactly one of adapter_name, mac_address, interface_description "
     "(got adapter_name, mac_address)"),
    ({"hosts": [VM01, replace(VM02, os="2008r2")]}, "hosts[1].os: '2008r2' is not one of 2012, 2012r2, 2016"),
    ({"hosts": [VM01, replace(VM02, os="2012")], "performance_option": "SMB"},
     "hosts[1].os: Windows Server 2012 has no migration performance option"),
    ({"hosts": [VM01, {"name": "HV02"}]}, "hosts[1]: must be a FabricHost, got dict"),
    ({"switches": []}, "switches: must list the switches the migration adapters are cabled to"),
    ({"switches": [SW01, FabricSwitch("kom-sw01")]}, "switches[1].name: kom-sw01 is also the switch of switches[0]"),
    ({"switches": [FabricSwitch("KOM-SW01", mtu=9198, platform="classic")]},
     "switches[0].mtu: 9198 is out of range for classic; allowed 1500-9000 bytes"),
    ({"switches": [FabricSwitch("KOM-SW01", mtu=1500)]},
     "switches[0].mtu: 1500 cannot carry the path check's 9000-byte packets; use at least 9000 or path_check=False"),
    ({"switches": [FabricSwitch("KOM-SW01", reload="always")]},
     "switches[0].reload: 'always' is not one of never, if-needed"),
    ({"authentication": "NTLM"}, "authentication: 'NTLM' is not one of Kerberos, CredSSP"),
    ({"name_resolution": "dns"}, "name_resolution: 'dns' is not one of hosts-file"),
    ({"jumbo_packet": 1514}, "jumbo_packet: 1514 cannot carry the path check's 9014-byte frames"),
    ({"jumbo_packet": "9014"}, "jumbo_packet: must be a whole number, got '9014'"),
    ({"path_check": "yes"}, "path_check: must be true or false, got 'yes'"),
    ({"purge_tickets": "no"}, "purge_tickets: must be true or false, got 'no'"),
    ({"test_migration": 1}, "test_migration: must be true or false, got 1"),
    ({"test_migration": True, "authentication": "CredSSP"},
     "test_migration: needs authentication Kerberos: under CredSSP a move started remotely"),
    ({"test_migration": True, "hosts": [replace(VM01, os="2012"), replace(VM02, os="2016")]},
     "test_migration: the ring would move its VM from a newer host to the Windows Server 2012 host KOM-AD01-VM01"),
]


RULE_IDS = [f"{expected.split(':')[0]}-{index}" for index, (_, expected) in enumerate(RULES)]


@pytest.mark.parametrize(("changes", "expected"), RULES, ids=RULE_IDS)
def test_each_rule_refuses_with_its_path(changes: dict[str, Any], expected: str) -> None:
    found = problems(**changes)
    assert any(p.startswith(expected) for p in found), found


def test_small_frames_are_fine_without_the_path_check() -> None:
    plan = plan_fabric("dc1", SUBNET, [VM01, VM02], [FabricSwitch("KOM-SW01", mtu=1500)], jumbo_packet=1514,
                       path_check=False)
    assert plan.jumbo_packet == 1514


def test_one_error_lists_every_problem_with_its_path() -> None:
    with pytest.raises(ConfigurationError) as raised:
        plan_fabric("dc1", SUBNET, [VM01, replace(VM02, address="10.160.36.61", switch="SW9")], [SW01],
                    authentication="NTLM")
    message = str(raised.value)
    assert message.startswith("LiveMigrationFabric: 3 problems: ")
    for fragment in ("hosts[1].address: 10.160.36.61 is not inside", "hosts[1].switch: SW9 is not a listed switch",
                     "authentication: 'NTLM'"):
        assert fragment in message
    assert "\n" not in message
