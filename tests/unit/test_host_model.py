"""The host model: conversion of JSON-ready data to the declared types, and validation (pure)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lmlab.hosts.model import Host, MigrationNetwork, Route
from lmlab.hosts.osprofiles import OS_PROFILES
from lmlab.site import generated_site, reference_site

Change = Callable[[dict[str, Any]], None]


def host_data() -> dict[str, Any]:
    return reference_site().initial_host(0).to_dict()


def changed(change: Change) -> dict[str, Any]:
    data = host_data()
    change(data)
    return data


def test_every_generated_host_validates_on_every_os() -> None:
    for os_key in OS_PROFILES:
        site = generated_site(3, os=os_key)
        for index in range(3):
            host = site.initial_host(index)
            host.validate()
            assert Host.from_dict(host.to_dict()) == host


def test_lossless_values_are_converted_to_the_declared_type() -> None:
    def change(d: dict[str, Any]) -> None:
        d["adapters"][1]["jumbo_packet"] = "9014"
        d["adapters"][1]["interface_metric"] = 25.0
        d["migration"]["enabled"] = "true"
        d["migration"]["use_any_network"] = "False"
        d["name"] = "KOM-AD01-VM01"
        d["adapters"][0]["ipv4_addresses"][0]["prefix_length"] = " 24 "

    host = Host.from_dict(changed(change))
    assert host.adapters[1].jumbo_packet == 9014
    assert host.adapters[1].interface_metric == 25
    assert host.migration.enabled is True and host.migration.use_any_network is False
    assert host.adapters[0].ipv4_addresses[0].prefix_length == 24
    host.validate()


@pytest.mark.parametrize("change,message", [
    (lambda d: d["migration"].update(enabled="maybe"), "migration.enabled: 'maybe' is not a boolean"),
    (lambda d: d["migration"].update(enabled=1), "migration.enabled: 1 is not a boolean"),
    (lambda d: d.update(migration=5), "migration: expected an object, got 5"),
    (lambda d: d.update(adapters=5), "adapters: expected a list, got 5"),
    (lambda d: d["migration"].update(max_vm_migrations="abc"), "migration.max_vm_migrations: 'abc' is not an integer"),
    (lambda d: d["adapters"][1].update(jumbo_packet=True), "adapters[Ethernet 2].jumbo_packet: true is not an integer"),
    (lambda d: d["adapters"][1].update(jumbo_packet=9014.5),
     "adapters[Ethernet 2].jumbo_packet: 9014.5 is not an integer"),
    (lambda d: d.update(power_plan=None), "power_plan: null is not a string"),
    (lambda d: d["adapters"][1]["ipv4_addresses"].append(7),
     "adapters[Ethernet 2].ipv4_addresses[1]: expected an object"),
    (lambda d: d["adapters"][1].update(speed=1), "adapters[Ethernet 2]: unknown field(s) speed; fields: name,"),
    (lambda d: d["adapters"][1].pop("mac_address"), "adapters[Ethernet 2]: missing field(s) mac_address"),
    (lambda d: d["adapters"][2]["bindings"].update(ms_tcpip="yes"),
     "adapters[Ethernet 3].bindings.ms_tcpip: 'yes' is not"),
])
def test_values_that_do_not_convert_are_refused_naming_the_path(change: Change, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        Host.from_dict(changed(change))
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize("change,message", [
    (lambda d: d["adapters"][1].update(jumbo_packet=1234),
     "adapters[Ethernet 2].jumbo_packet: 1234 is not a valid value; valid: 1514, 4088, 9014"),
    (lambda d: d.update(power_plan="Turbo"),
     "power_plan: 'Turbo' is not a valid value; valid: Balanced, High performance, Power saver"),
    (lambda d: d["adapters"][0].update(status="Sideways"),
     "adapters[Ethernet].status: 'Sideways' is not a valid value"),
    (lambda d: d["adapters"][0]["ipv4_addresses"][0].update(prefix_origin="Static"),
     "adapters[Ethernet].ipv4_addresses[0].prefix_origin: 'Static' is not a valid value"),
    (lambda d: d["adapters"][0].update(netbios_setting="Off"), "adapters[Ethernet].netbios_setting: 'Off' is not"),
    (lambda d: d["migration"].update(authentication_type="NTLM"), "migration.authentication_type: 'NTLM' is not"),
    (lambda d: d["migration"].update(performance_option="Fast"), "migration.performance_option: 'Fast' is not"),
    (lambda d: d["migration"].update(performance_option=None), "migration.performance_option: null is not a valid"),
    (lambda d: d.update(listener_refresh="sometimes"), "listener_refresh: 'sometimes' is not a valid value"),
    (lambda d: d["adapters"][0]["ipv4_addresses"][0].update(ip_address="10.160.34.300"),
     "adapters[Ethernet].ipv4_addresses[0].ip_address: '10.160.34.300' is not an IPv4 address"),
    (lambda d: d["adapters"][0]["ipv4_addresses"][0].update(prefix_length=33),
     "adapters[Ethernet].ipv4_addresses[0].prefix_length: 33 is out of range; valid: 1..32"),
    (lambda d: d["adapters"][2]["routes"][0].update(destination_prefix="10.0.0.1/8"),
     "adapters[Ethernet 3].routes[0].destination_prefix: '10.0.0.1/8' is not an IPv4 prefix"),
    (lambda d: d["adapters"][2]["routes"][0].update(route_metric=10000),
     "adapters[Ethernet 3].routes[0].route_metric: 10000 is out of range; valid: 0..9999"),
    (lambda d: d["adapters"][2].update(interface_metric=0), "adapters[Ethernet 3].interface_metric: 0 is out of range"),
    (lambda d: d["adapters"][2].update(dns_servers=["dns1"]), "adapters[Ethernet 3].dns_servers[0]: 'dns1' is not an"),
    (lambda d: d["adapters"][2].update(mac_address="001A4B000003"), "adapters[Ethernet 3].mac_address: '001A4B000003'"),
    (lambda d: d["adapters"][2]["bindings"].update(ms_bogus=True), "adapters[Ethernet 3].bindings: 'ms_bogus' is not"),
    (lambda d: d["adapters"][2].update(name="ETHERNET"), "adapters[2].name: 'ETHERNET' is already used by adapters[0]"),
    (lambda d: d["adapters"][2]["ipv4_addresses"][0].update(ip_address="10.160.34.60"),
     "adapters[Ethernet 3].ipv4_addresses[0].ip_address: '10.160.34.60' is already used by adapters[Ethernet]"),
    (lambda d: d["migration"].update(networks=[{"subnet": "10.160.35.0", "priority": 0}]),
     "migration.networks[0].subnet: '10.160.35.0' needs a prefix length"),
    (lambda d: d["migration"].update(max_vm_migrations=0),
     "migration.max_vm_migrations: 0 is out of range; valid: 1 or"),
    (lambda d: d.update(listener_addresses=["10.160.35.60/24"]), "listener_addresses[0]: '10.160.35.60/24' is not an"),
])
def test_impossible_values_fail_validation_naming_the_path(change: Change, message: str) -> None:
    host = Host.from_dict(changed(change))
    with pytest.raises(ValueError) as refused:
        host.validate()
    assert message in str(refused.value)


def test_os_rules_for_the_migration_performance_option() -> None:
    data = generated_site(1, os="2012").initial_host(0).to_dict()
    Host.from_dict(data).validate()
    data["migration"]["performance_option"] = "SMB"
    with pytest.raises(ValueError, match="Windows Server 2012 has no migration performance option"):
        Host.from_dict(data).validate()


def test_a_model_changed_in_code_is_type_checked_strictly() -> None:
    host = reference_site().initial_host(0)
    host.adapters[1].jumbo_packet = "9014"  # type: ignore[assignment]  # what a buggy op might do
    with pytest.raises(ValueError, match=r"adapters\[Ethernet 2\].jumbo_packet: '9014' is not an integer"):
        host.validate()
    host.adapters[1].jumbo_packet = 9014
    host.migration.networks = [MigrationNetwork("10.160.35.0/24", True)]  # a bool is not an int
    with pytest.raises(ValueError, match=r"migration.networks\[0\].priority: true is not an integer"):
        host.validate()


def test_every_problem_is_reported_at_once() -> None:
    host = reference_site().initial_host(0)
    host.power_plan = "Turbo"
    host.adapters[2].routes = [Route("0.0.0.0/0", "gateway")]
    with pytest.raises(ValueError) as refused:
        host.validate()
    assert "power_plan: 'Turbo'" in str(refused.value)
    assert "adapters[Ethernet 3].routes[0].next_hop: 'gateway' is not an IPv4 address" in str(refused.value)
