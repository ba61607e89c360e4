"""LiveMigrationFabric under lm_provider.testing's mocks, exactly as a user unit-tests a program:
what it registers, with which inputs, parents and dependencies; its outputs; a 3-host mesh; every
validation rule refusing in the constructor with nothing registered."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from test_fabric_model import RULE_IDS, RULES, SUBNET, SW01, VM01, VM02

from lm_provider import FabricHost, FabricSwitch, HostsEntries, LiveMigrationFabric, MigrationNic
from lm_provider.errors import FabricConfigError, PathCheckFailed
from lm_provider.testing import InputsRefused, LmMocks, fabric_problems, set_mocks

HOSTS = ["KOM-AD01-VM01", "KOM-AD01-VM02"]


@pytest.fixture
def mocks() -> LmMocks:
    return set_mocks(LmMocks())


def reference_site(**options: Any) -> LiveMigrationFabric:
    return LiveMigrationFabric("dc1", subnet=SUBNET, hosts=[VM01, VM02], switches=[SW01], **options)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_the_reference_site_registers_each_child_once_under_the_fabric(mocks: LmMocks) -> Any:
    fabric = reference_site()

    def verify(values: list[Any]) -> None:
        hosts, summary = values
        assert mocks.count_by_type() == {"LiveMigrationFabric": 1, "MigrationNic": 2, "LiveMigrationSettings": 2,
                                         "KcdDelegation": 2, "KerberosTicketPurge": 2, "HostsEntries": 2,
                                         "SwitchJumboMtu": 1, "JumboPathCheck": 1}
        assert all(mocks.parents[r.name] == "dc1" for r in mocks.registered if r.name != "dc1")
        assert hosts == {"KOM-AD01-VM01": {"migration_address": "10.160.35.60", "listener_addresses": ["10.160.35.60"]},
                         "KOM-AD01-VM02": {"migration_address": "10.160.35.61", "listener_addresses": ["10.160.35.61"]}}
        assert summary == {"ready": True, "pending_reloads": [], "path_check": {"passed": True, "failures": []},
                           "hosts": {name: {"ready": True, "migration_address": address, "reasons": []}
                                     for name, address in zip(HOSTS, ["10.160.35.60", "10.160.35.61"], strict=True)},
                           "ticket_purges": {name: 1 for name in HOSTS}, "migration_test": None}

    return pulumi.Output.all(fabric.hosts, fabric.summary).apply(verify)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_children_get_the_field_guide_inputs_and_order(mocks: LmMocks) -> Any:
    fabric = reference_site(authentication="Kerberos")

    def of(type_: str, key: str, value: str) -> dict[str, Any]:
        """The inputs of the child of ``type_`` whose ``key`` is ``value`` (mocks register in any order)."""
        return next(r.inputs for r in mocks.of_type(type_) if r.inputs[key] == value)

    def verify(_: Any) -> None:
        nic = of("MigrationNic", "host", "KOM-AD01-VM01")
        assert (nic["host"], nic["ip_address"], nic["prefix_length"], nic["adapter_name"], nic["jumbo_packet"],
                nic["fqdn"]) == ("KOM-AD01-VM01", "10.160.35.60", 24, "Ethernet 2", 9014, "KOM-AD01-VM01.holding.com")
        settings = of("LiveMigrationSettings", "host", "KOM-AD01-VM02")
        assert settings["networks"] == [SUBNET] and settings["authentication"] == "Kerberos"
        kcd = of("KcdDelegation", "computer", "KOM-AD01-VM01")
        assert kcd["computer"] == "KOM-AD01-VM01"
        assert kcd["peers"] == [{"name": "KOM-AD01-VM02", "fqdn": "KOM-AD01-VM02.holding.com"}]
        entries = of("HostsEntries", "host", "KOM-AD01-VM02")
        assert entries["host"] == "KOM-AD01-VM02"
        assert entries["entries"] == [
            {"address": "10.160.35.60", "names": ["KOM-AD01-VM01", "KOM-AD01-VM01.holding.com"]}]
        switch = mocks.of_type("SwitchJumboMtu")[0].inputs
        assert (switch["switch"], switch["mtu"], switch["reload"], switch["interfaces"]) == (
            "KOM-SW01", 9000, "if-needed", ["GigabitEthernet0/1", "GigabitEthernet0/2"])
        check = mocks.of_type("JumboPathCheck")[0].inputs
        assert [(h["host"], h["address"], h["switch"]) for h in check["hosts"]] == [
            ("KOM-AD01-VM01", "10.160.35.60", "KOM-SW01"), ("KOM-AD01-VM02", "10.160.35.61", "KOM-SW01")]
        assert check["switches"] == [{"name": "KOM-SW01", "pending_reload": False}]
        assert mocks.dependencies_of("dc1-migration-KOM-AD01-VM01") == ["dc1-nic-KOM-AD01-VM01"]
        assert mocks.dependencies_of("dc1-pathcheck") == ["dc1-mtu-KOM-SW01", "dc1-nic-KOM-AD01-VM01",
                                                          "dc1-nic-KOM-AD01-VM02"]
        assert mocks.dependencies_of("dc1-purge-KOM-AD01-VM01") == ["dc1-kcd-KOM-AD01-VM01"]
        assert of("KerberosTicketPurge", "host", "KOM-AD01-VM02")["delegation"] == [
            f"{service}/{name}" for service in ("cifs", "Microsoft Virtual System Migration Service")
            for name in ("KOM-AD01-VM01.holding.com", "KOM-AD01-VM01")]
        assert mocks.of_type("MigrationRingTest") == []
        for independent in ("dc1-kcd-KOM-AD01-VM01", "dc1-hosts-KOM-AD01-VM01", "dc1-nic-KOM-AD01-VM01",
                            "dc1-mtu-KOM-SW01"):
            assert mocks.dependencies_of(independent) == []

    return fabric.summary.apply(verify)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_the_test_migration_runs_last_around_every_host_and_reports_each_move(mocks: LmMocks) -> Any:
    fabric = reference_site(test_migration=True)

    def verify(summary: dict[str, Any]) -> None:
        [ring] = mocks.of_type("MigrationRingTest")
        assert ring.name == "dc1-migration-test"
        assert [(h["host"], h["address"], h["fqdn"]) for h in ring.inputs["hosts"]] == [
            ("KOM-AD01-VM01", "10.160.35.60", "KOM-AD01-VM01.holding.com"),
            ("KOM-AD01-VM02", "10.160.35.61", "KOM-AD01-VM02.holding.com")]
        assert ring.inputs["subnet"] == SUBNET and len(ring.inputs["triggers"]) == 12
        assert set(mocks.dependencies_of("dc1-migration-test")) == {
            r.name for r in mocks.registered if r.name not in ("dc1", "dc1-migration-test")}
        test = summary["migration_test"]
        assert test["passed"] and summary["ready"]
        assert [(p["source"], p["destination"], p["network"]) for p in test["pairs"]] == [
            ("KOM-AD01-VM01", "KOM-AD01-VM02", "migration"), ("KOM-AD01-VM02", "KOM-AD01-VM01", "migration")]

    return fabric.summary.apply(verify)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_a_three_host_fabric_is_a_full_mesh_without_delegation_under_credssp(mocks: LmMocks) -> Any:
    vm03 = FabricHost("HV03", "hv03.holding.com", "10.160.35.62", mac_address="00155D000003", switch="SW02",
                      port="Gi1/0/3")
    fabric = LiveMigrationFabric("dc2", subnet=SUBNET, hosts=[VM01, VM02, vm03], authentication="CredSSP",
                                 switches=[SW01, FabricSwitch("SW02", 9198, platform="ios-xe")])

    def verify(summary: dict[str, Any]) -> None:
        counts = mocks.count_by_type()
        assert (counts["MigrationNic"], counts["HostsEntries"], counts["SwitchJumboMtu"]) == (3, 3, 2)
        assert "KcdDelegation" not in counts and "KerberosTicketPurge" not in counts
        names = {"KOM-AD01-VM01", "KOM-AD01-VM02", "HV03"}
        for registered in mocks.of_type("HostsEntries"):
            host = registered.inputs["host"]
            assert {e["names"][0] for e in registered.inputs["entries"]} == names - {host}
        [check] = mocks.of_type("JumboPathCheck")
        assert len(check.inputs["hosts"]) == 3 and len(check.inputs["switches"]) == 2
        assert summary["ready"] and set(summary["hosts"]) == names

    return fabric.summary.apply(verify)


@pytest.mark.parametrize(("changes", "expected"), RULES, ids=RULE_IDS)
def test_every_validation_rule_refuses_in_the_constructor_before_anything_registers(
        mocks: LmMocks, changes: dict[str, Any], expected: str) -> None:
    arguments: dict[str, Any] = {"subnet": SUBNET, "hosts": [VM01, VM02], "switches": [SW01], **changes}
    found = fabric_problems(lambda: LiveMigrationFabric("dc1", **arguments))
    assert any(p.startswith(expected) for p in found), found
    assert mocks.registered == []


def test_a_valid_fabric_has_no_problems_and_the_error_is_a_configuration_error(mocks: LmMocks) -> None:
    with pytest.raises(FabricConfigError, match=r"^LiveMigrationFabric: 1 problem: hosts: lists 1 host"):
        LiveMigrationFabric("dc1", subnet=SUBNET, hosts=[VM01], switches=[SW01])
    assert fabric_problems(lambda: reference_site()) == []


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def site_with_a_pending_reload() -> Any:
    set_mocks(LmMocks(outputs={"dc1-mtu-KOM-SW01": {"pending_reload": True}}))
    return reference_site().summary


def test_a_pending_reload_fails_the_path_check_as_the_provider_would() -> None:
    with pytest.raises(PathCheckFailed, match="KOM-SW01: a reload is pending"):
        site_with_a_pending_reload()


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def nic_on_the_network_address() -> Any:
    set_mocks()
    return MigrationNic("nic", host="HV01", ip_address="10.160.35.0", prefix_length=24, adapter_name="LM").network


def test_inputs_the_provider_would_refuse_are_refused_naming_resource_and_property() -> None:
    with pytest.raises(InputsRefused, match=r"^MigrationNic nic: ip_address: 10.160.35.0 is the network address"):
        nic_on_the_network_address()


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_outputs_of_single_resources_are_realistic(mocks: LmMocks) -> Any:
    entries = HostsEntries("hosts-hv01", host="HV01", entries=[{"address": "10.160.35.61", "names": ["HV02"]}])

    def verify(values: list[Any]) -> None:
        owner, lines = values
        assert len(owner) == 16 and lines == [f"10.160.35.61 HV02 # lm-provider:{owner}"]

    return pulumi.Output.all(entries.owner, entries.lines).apply(verify)
