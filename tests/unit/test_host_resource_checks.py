"""MigrationNic and LiveMigrationSettings: check refuses bad input with property-named failures and
never calls the host; diff says update vs replace; the pure mapping rules (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from lm_provider.clients.scripts import script_body
from lm_provider.dynamic.adapter import ProviderFailure
from lm_provider.dynamic.migration import LiveMigrationSettingsProvider
from lm_provider.models.codec import from_props, to_props
from lm_provider.models.host_target import HostTarget
from lm_provider.models.inputs import UNKNOWN
from lm_provider.models.migration import MigrationNetwork
from lm_provider.models.nic import (
    AdapterSettings,
    FoundSettings,
    Ipv4,
    MigrationNicArgs,
    MigrationNicState,
    jumbo_value,
    merge_found,
)
from lm_provider.models.nic_inputs import normal_mac
from lm_provider.resources.migration import LiveMigrationSettingsLogic
from lm_provider.resources.nic import MigrationNicLogic, state_of


class NoHost:
    """A connector that fails the test if anything asks for a host."""

    def __call__(self, target: HostTarget) -> Any:
        raise AssertionError(f"check called the host {target.host}")


NIC = MigrationNicLogic(NoHost())
MIGRATION = LiveMigrationSettingsLogic(NoHost())
GOOD_NIC = {"host": "KOM-AD01-VM01", "adapter_name": "Ethernet 2", "ip_address": "10.160.35.60", "prefix_length": 24}
GOOD_MIGRATION = {"host": "KOM-AD01-VM01", "networks": ["10.160.35.0/24"]}


def nic_failures(**changes: Any) -> dict[str, str]:
    inputs = {k: v for k, v in {**GOOD_NIC, **changes}.items() if v is not None}
    checked = NIC.check(inputs)
    assert checked.args is None
    return {f.property: f.reason for f in checked.failures}


def migration_failures(**changes: Any) -> dict[str, str]:
    inputs = {k: v for k, v in {**GOOD_MIGRATION, **changes}.items() if v is not None}
    checked = MIGRATION.check(inputs)
    assert checked.args is None
    return {f.property: f.reason for f in checked.failures}


def test_good_inputs_pass_with_the_defaults() -> None:
    args = NIC.check({**GOOD_NIC, "prefix_length": 24.0, "interface_metric": 30.0}).args
    assert args is not None
    assert (args.bindings, args.interface_metric, args.jumbo_packet, args.forwarding) == ("migration", 30, 9014, False)
    settings = MIGRATION.check({**GOOD_MIGRATION, "authentication": "credssp"}).args
    assert settings is not None and settings.authentication == "CredSSP"
    assert settings.networks == [MigrationNetwork("10.160.35.0/24", 0)]
    assert (settings.enabled, settings.remove_unlisted, settings.restart_vmms) == (True, True, True)


@pytest.mark.parametrize(("changes", "prop", "reason"), [
    ({"ip_address": "10.160.35.256"}, "ip_address", "is not an IPv4 address"),
    ({"ip_address": "10.160.35.0"}, "ip_address", "is the network address of 10.160.35.0/24"),
    ({"ip_address": "10.160.35.255"}, "ip_address", "is the broadcast address of 10.160.35.0/24"),
    ({"ip_address": "127.0.0.5"}, "ip_address", "not a unicast host address"),
    ({"ip_address": "169.254.3.4"}, "ip_address", "not a unicast host address"),
    ({"prefix_length": 33}, "prefix_length", "33 is out of range 1..32"),
    ({"prefix_length": 0}, "prefix_length", "0 is out of range 1..32"),
    ({"prefix_length": 24.5}, "prefix_length", "must be a whole number"),
    ({"interface_metric": 0}, "interface_metric", "0 is out of range 1..9999"),
    ({"interface_metric": 10000}, "interface_metric", "10000 is out of range 1..9999"),
    ({"interface_metric": "first"}, "interface_metric", "neither a number 1..9999 nor \"after-management\""),
    ({"jumbo_packet": 20000}, "jumbo_packet", "20000 is out of range 1500..16384"),
    ({"jumbo_packet": 1000}, "jumbo_packet", "1000 is out of range 1500..16384"),
    ({"adapter_name": "Ethernet\n2"}, "adapter_name", "control characters"),
    ({"adapter_name": "Ethernet \"2\""}, "adapter_name", "quotes"),
    ({"adapter_name": " Ethernet 2"}, "adapter_name", "must not start or end with a space"),
    ({"new_name": "LM'"}, "new_name", "quotes"),
    ({"new_name": "x" * 257}, "new_name", "longer than 256"),
    ({"adapter_name": None}, "adapter_name", "give exactly one of adapter_name, mac_address, interface_description"),
    ({"mac_address": "00-1A-4B-00-00-02"}, "adapter_name", "(got adapter_name, mac_address)"),
    ({"adapter_name": None, "mac_address": "00-1A-4B-00-00"}, "mac_address", "is not a MAC address"),
    ({"bindings": {}}, "bindings", "must not be empty"),
    ({"bindings": "fast"}, "bindings", "is not a profile"),
    ({"bindings": {"ms tcpip": True}}, "bindings.ms tcpip", "is not a ComponentID"),
    ({"bindings": {"ms_tcpip": "yes"}}, "bindings.ms_tcpip", "must be true or false"),
    ({"netbios": "off"}, "netbios", "is not one of Default, Enabled, Disabled"),
    ({"host": "KOM AD01"}, "host", "is not a NetBIOS name"),
    ({"host": "KOM\"AD01"}, "host", "is not a NetBIOS name"),
    ({"winrm_endpoint": "ftp://x"}, "winrm_endpoint", "is not a WinRM URL"),
    ({"colour": "red"}, "colour", "unknown property"),
])
def test_nic_check_names_the_property_and_the_reason(changes: dict[str, Any], prop: str, reason: str) -> None:
    failures = nic_failures(**changes)
    assert prop in failures, failures
    assert reason in failures[prop]


@pytest.mark.parametrize(("changes", "prop", "reason"), [
    ({"networks": []}, "networks", "must not be empty"),
    ({"networks": ["10.160.35.1/24"]}, "networks[0]", "is not an IPv4 network in CIDR form"),
    ({"networks": ["10.160.35.0/33"]}, "networks[0]", "is not an IPv4 network"),
    ({"networks": ["10.160.35.0/24", {"subnet": "10.160.35.0/24"}]}, "networks[1].subnet", "is listed twice"),
    ({"networks": [{"subnet": "10.160.35.0/24", "priority": -1}]}, "networks[0].priority", "out of range"),
    ({"networks": [{"subnet": "10.160.35.0/24", "extra": 1}]}, "networks[0].extra", "unknown property"),
    ({"networks": [5]}, "networks[0]", "must be a CIDR subnet or a {subnet, priority} object"),
    ({"networks": "10.160.35.0/24"}, "networks", "must be a list"),
    ({"authentication": "NTLM"}, "authentication", "is not one of Kerberos, CredSSP"),
    ({"max_vm_migrations": 0}, "max_vm_migrations", "0 is out of range 1..512"),
    ({"max_storage_migrations": 513}, "max_storage_migrations", "513 is out of range 1..512"),
    ({"performance_option": "Fast"}, "performance_option", "is not one of TCPIP, Compression, SMB"),
    ({"host": "LAB\t2012"}, "host", "is not a NetBIOS name"),
    ({"enabled": "yes"}, "enabled", "must be true or false"),
])
def test_migration_check_names_the_property_and_the_reason(changes: dict[str, Any], prop: str, reason: str) -> None:
    failures = migration_failures(**changes)
    assert prop in failures, failures
    assert reason in failures[prop]


def test_every_failure_is_reported_at_once() -> None:
    failures = nic_failures(ip_address="10.0.0.0", prefix_length=8, interface_metric=0, jumbo_packet=1, netbios="x")
    assert set(failures) == {"ip_address", "interface_metric", "jumbo_packet", "netbios"}


def test_unknown_values_during_preview_are_not_failures() -> None:
    checked = NIC.check({**GOOD_NIC, "ip_address": UNKNOWN, "bindings": {"ms_tcpip": UNKNOWN}})
    assert checked.args is None and checked.failures == []
    checked_migration = MIGRATION.check({**GOOD_MIGRATION, "networks": [UNKNOWN]})
    assert checked_migration.args is None and checked_migration.failures == []


def test_macs_normalize_and_jumbo_sizes_map_to_the_drivers_values() -> None:
    assert normal_mac("00:1a:4b:00:00:02") == normal_mac("001A4B000002") == "00-1A-4B-00-00-02"
    assert jumbo_value(9014, [1514, 4088, 9014]) == 9014
    assert jumbo_value(9000, [1514, 4088, 9014]) == 9014
    assert jumbo_value(9014, [1500, 9000]) == 9000
    assert jumbo_value(9100, [1514, 4088, 9014]) is None


def adapter(**changes: Any) -> AdapterSettings:
    base = AdapterSettings(
        name="Ethernet 2", interface_description="NIC #2", mac_address="00-1A-4B-00-00-02", if_index=13, dhcp=False,
        ipv4_addresses=[Ipv4("10.160.35.60", 24)], default_gateways=[], dns_servers=[], register_dns=False,
        bindings={"ms_tcpip": True, "ms_msclient": True, "ms_server": True, "ms_pacer": True, "ms_tcpip6": False},
        interface_metric=11, automatic_metric=False, forwarding=False, jumbo_packet=9014,
        jumbo_valid_values=[1514, 4088, 9014], netbios="Default")
    return AdapterSettings(**{**base.__dict__, **changes})


def nic_args(**changes: Any) -> MigrationNicArgs:
    args = NIC.check({**GOOD_NIC, **changes}).args
    assert args is not None
    return args


def test_nic_diff_finds_drift_and_replaces_only_for_another_adapter_or_host() -> None:
    state = state_of(nic_args(), adapter(), FoundSettings(), management_metric=10)
    assert not NIC.diff(state, nic_args()).has_changes
    drifted = state_of(nic_args(), adapter(jumbo_packet=1514, dns_servers=["10.0.0.1"]), FoundSettings(), 10)
    assert NIC.diff(drifted, nic_args()).changes == ["ip_address", "jumbo_packet"]
    assert NIC.diff(state_of(nic_args(), adapter(), FoundSettings(), 20), nic_args()).changes == ["interface_metric"]
    assert NIC.diff(state, nic_args(forwarding=True)).changes == ["forwarding"]
    assert NIC.diff(state, nic_args(retain_on_delete=True)).changes == ["retain_on_delete"]
    same = NIC.diff(state, nic_args(adapter_name=None, mac_address="00:1a:4b:00:00:02"))
    assert not same.replaces
    other = NIC.diff(state, nic_args(adapter_name="Ethernet"))
    assert other.replaces == ["adapter_name"] and other.delete_before_replace
    moved = NIC.diff(state, nic_args(host="KOM-AD01-VM02"))
    assert moved.replaces == ["host"]


def test_found_values_are_recorded_once_per_managed_field() -> None:
    before = adapter(name="Ethernet 2", dhcp=True, netbios="Enabled")
    found = merge_found(FoundSettings(), before, nic_args())
    assert found.name is None and found.netbios is None, "unmanaged: never restored"
    assert found.dhcp is True and set(found.bindings) == set(before.bindings)
    later = merge_found(found, adapter(name="LM", dhcp=False, netbios="Disabled"), nic_args(new_name="LM",
                                                                                           netbios="Disabled"))
    assert (later.name, later.netbios, later.dhcp) == ("LM", "Disabled", True)


def test_the_engine_gets_a_one_line_failure_for_a_2012_performance_option_at_diff() -> None:
    provider = LiveMigrationSettingsProvider()
    provider._logic = LiveMigrationSettingsLogic(NoHost())
    olds = {"host": "LAB-2012", "networks": [{"subnet": "10.160.35.0/24", "priority": 0}], "os_version": "6.2.9200"}
    with pytest.raises(ProviderFailure, match=r"^performance_option: LAB-2012 runs Windows Server 2012 \(6\.2\.9200\)"):
        provider.diff("LAB-2012", olds, {"host": "LAB-2012", "networks": ["10.160.35.0/24"],
                                         "performance_option": "SMB"})


def test_state_from_the_engine_keeps_a_numeric_metric_a_number() -> None:
    state = state_of(nic_args(interface_metric=30), adapter(interface_metric=30), FoundSettings(), 10)
    props = {**to_props(state), "interface_metric": 30.0, "prefix_length": 24.0}
    back = from_props(MigrationNicState, props)
    assert back.interface_metric == 30 and isinstance(back.interface_metric, int)
    assert not NIC.diff(back, nic_args(interface_metric=30)).has_changes


def test_scripts_are_sent_with_their_shared_functions_inlined() -> None:
    body = script_body("nic.read")
    assert "function LmAdapterFacts" in body and "lm-provider-include" not in body
    assert "function LmMigrationSettings" in script_body("host.facts")
