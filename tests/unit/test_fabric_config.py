"""A fabric from stack configuration (fabric_from_config) and its readable summary, as the main job
uses them: the pure reader on the repository's Pulumi.lab.yaml, every refusal naming its key, and the
program under lm_provider.testing's mocks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from lm_provider import FabricHost, FabricSwitch, export_fabric_summary, fabric_from_config
from lm_provider.errors import FabricConfigError
from lm_provider.models.fabric_config import config_path, read_fabric_config
from lm_provider.models.fabric_report import PASSED, readable_outputs
from lm_provider.testing import LmMocks, fabric_problems, set_mocks

LAB_STACK = Path(__file__).resolve().parents[2] / "Pulumi.lab.yaml"


def raw_config(path: Path = LAB_STACK, namespace: str = "lm-fabric") -> dict[str, str]:
    """The namespace's values as Pulumi hands them to a program: text, lists and maps as JSON."""
    config = yaml.safe_load(path.read_text())["config"]
    return {key.split(":", 1)[1]: value if isinstance(value, str) else json.dumps(value)
            for key, value in config.items() if key.startswith(f"{namespace}:")}


def test_the_lab_stack_describes_the_reference_site() -> None:
    described = read_fabric_config(raw_config(), "lm-fabric")
    assert described.subnet == "10.160.35.0/24"
    assert described.hosts == [
        FabricHost("KOM-AD01-VM01", "KOM-AD01-VM01.holding.com", "10.160.35.60", adapter_name="Ethernet 2",
                   switch="KOM-SW01", port="GigabitEthernet0/1", os="2012r2"),
        FabricHost("KOM-AD01-VM02", "KOM-AD01-VM02.holding.com", "10.160.35.61", adapter_name="Ethernet 2",
                   switch="KOM-SW01", port="GigabitEthernet0/2", os="2012r2")]
    assert described.switches == [FabricSwitch("KOM-SW01", mtu=9000, reload="if-needed")]
    assert described.options == {"authentication": "Kerberos", "test_migration": True}


def test_every_missing_or_malformed_key_is_named() -> None:
    raw = {"hosts": json.dumps([{"name": "HV1", "adapter": "Ethernet 2"}, "HV2"]), "switches": "KOM-SW01",
           "jumboPacket": "nine thousand", "pathCheck": "yes", "testMigration": "sometimes"}
    with pytest.raises(FabricConfigError) as refused:
        read_fabric_config(raw, "dc1")
    assert refused.value.problems == [
        "dc1:subnet: is required (set it in Pulumi.<stack>.yaml)",
        "dc1:hosts[0].adapter: unknown key; allowed: name, fqdn, address, adapterName, macAddress, "
        "interfaceDescription, switch, port, os, winrmEndpoint",
        "dc1:hosts[1]: must be a map of name, fqdn, address, adapterName, macAddress, interfaceDescription, switch, "
        "port, os, winrmEndpoint, got 'HV2'",
        "dc1:switches: must be a list of maps (YAML), got 'KOM-SW01'",
        "dc1:jumboPacket: 'nine thousand' is not a whole number of bytes (e.g. 9014)",
        "dc1:pathCheck: 'yes' is not true or false",
        "dc1:testMigration: 'sometimes' is not true or false"]


def test_options_are_converted_from_text() -> None:
    raw = {**raw_config(), "jumboPacket": "9014", "pathCheck": "False", "nameResolution": "hosts-file",
           "purgeTickets": "false", "testMigration": "TRUE"}
    assert read_fabric_config(raw, "lm-fabric").options == {
        "authentication": "Kerberos", "name_resolution": "hosts-file", "jumbo_packet": 9014, "path_check": False,
        "purge_tickets": False, "test_migration": True}


@pytest.mark.parametrize(("problem", "named"), [
    ("hosts[1].adapter_name: too long", "lm-fabric:hosts[1].adapterName: too long"),
    ("switches[0].mtu: 9198 is out of range", "lm-fabric:switches[0].mtu: 9198 is out of range"),
    ("jumbo_packet: 1514 cannot carry the path check's 9014-byte frames; use path_check=False",
     "lm-fabric:jumboPacket: 1514 cannot carry the path check's 9014-byte frames; use path_check=False"),
    ("hosts[0]: select the migration adapter with exactly one of adapter_name, mac_address",
     "lm-fabric:hosts[0]: select the migration adapter with exactly one of adapter_name, mac_address"),
])
def test_a_fabric_problem_is_named_by_its_configuration_key(problem: str, named: str) -> None:
    assert config_path(problem, "lm-fabric") == named


def test_the_summary_reads_as_one_line_per_host() -> None:
    summary = {"ready": False, "pending_reloads": ["KOM-SW01"],
               "path_check": {"passed": False, "failures": ["KOM-SW01: a reload is pending"]},
               "hosts": {"HV1": {"ready": True, "migration_address": "10.0.0.1", "reasons": []},
                         "HV2": {"ready": False, "migration_address": "10.0.0.2",
                                 "reasons": ["vmms does not listen on 10.0.0.2 (TCP 6600)", "KOM-SW01: reload"]}}}
    hosts = {"HV1": {"migration_address": "10.0.0.1", "listener_addresses": ["10.0.0.1"]},
             "HV2": {"migration_address": "10.0.0.2", "listener_addresses": []}}
    assert readable_outputs(summary, hosts) == {
        "ready": False,
        "hosts": {"HV1": "ready: migrates on 10.0.0.1 (vmms listens on 10.0.0.1:6600)",
                  "HV2": "NOT READY: vmms does not listen on 10.0.0.2 (TCP 6600); KOM-SW01: reload"},
        "pathCheck": "FAILED: KOM-SW01: a reload is pending", "pendingReloads": ["KOM-SW01"],
        "ticketPurges": {}, "migrationTest": "off"}
    assert readable_outputs({**summary, "path_check": None}, hosts)["pathCheck"] == "off"
    assert readable_outputs({**summary, "path_check": {"passed": True, "failures": []}}, hosts)["pathCheck"] == PASSED


def test_the_ticket_purges_and_the_test_migration_read_as_words() -> None:
    pair = {"source": "HV1", "destination": "HV2", "destination_address": "10.0.0.2", "seconds": 0.5}
    summary = {"ticket_purges": {"HV1": 1, "HV2": 2},
               "migration_test": {"passed": True, "seconds": 1.0, "failures": [],
                                  "pairs": [pair, {**pair, "source": "HV2", "destination": "HV1",
                                                   "destination_address": "10.0.0.1"}]}}
    outputs = readable_outputs(summary, {})
    assert outputs["ticketPurges"] == {"HV1": 1, "HV2": 2}
    assert outputs["migrationTest"] == ("passed: 2 moves in 1.00 s: HV1 -> HV2: ok over 10.0.0.2 (0.50 s); "
                                        "HV2 -> HV1: ok over 10.0.0.1 (0.50 s)")
    failed = {"passed": False, "failures": ["HV1 -> HV2: boom (0x8009030E)"], "pairs": []}
    assert readable_outputs({"migration_test": failed}, {})["migrationTest"] == "FAILED: HV1 -> HV2: boom (0x8009030E)"


@pytest.fixture
def mocks(monkeypatch: pytest.MonkeyPatch) -> LmMocks:
    found = set_mocks(LmMocks())
    pulumi.runtime.set_all_config({f"project:{k}": v for k, v in raw_config().items()})
    monkeypatch.setattr(pulumi, "export", lambda name, value: EXPORTED.__setitem__(name, value))
    EXPORTED.clear()
    return found


EXPORTED: dict[str, Any] = {}


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_the_main_job_program_builds_the_configured_site_and_exports_its_readiness(mocks: LmMocks) -> Any:
    export_fabric_summary(fabric_from_config())

    def verify(values: list[Any]) -> None:
        ready, hosts, path, pending = values
        assert mocks.count_by_type() == {"LiveMigrationFabric": 1, "MigrationNic": 2, "LiveMigrationSettings": 2,
                                         "KcdDelegation": 2, "KerberosTicketPurge": 2, "HostsEntries": 2,
                                         "SwitchJumboMtu": 1, "JumboPathCheck": 1, "MigrationRingTest": 1}
        assert sorted(r.name for r in mocks.of_type("MigrationNic")) == ["stack-nic-KOM-AD01-VM01",
                                                                      "stack-nic-KOM-AD01-VM02"]
        assert ready is True and path == PASSED and pending == []
        assert hosts == {"KOM-AD01-VM01": "ready: migrates on 10.160.35.60 (vmms listens on 10.160.35.60:6600)",
                         "KOM-AD01-VM02": "ready: migrates on 10.160.35.61 (vmms listens on 10.160.35.61:6600)"}

    return pulumi.Output.all(*(EXPORTED[k] for k in ("ready", "hosts", "pathCheck", "pendingReloads"))).apply(verify)


@pytest.mark.parametrize(("key", "value", "problem"), [
    ("address", "10.160.36.61", "project:hosts[1].address: 10.160.36.61 is not inside the subnet 10.160.35.0/24"),
    ("fqdn", None, "project:hosts[1].fqdn: is required"),
    ("adapterName", None, "project:hosts[1]: select the migration adapter with exactly one of adapter_name, "
                          "mac_address, interface_description"),
])
def test_a_bad_site_is_refused_by_key_before_anything_is_registered(
        mocks: LmMocks, key: str, value: str | None, problem: str) -> None:
    hosts = json.loads(raw_config()["hosts"])
    if value is None:
        del hosts[1][key]
    else:
        hosts[1][key] = value
    pulumi.runtime.set_all_config({**{f"project:{k}": v for k, v in raw_config().items()},
                                   "project:hosts": json.dumps(hosts)})
    assert fabric_problems(fabric_from_config) == [problem]
    assert mocks.registered == []
    with pytest.raises(pulumi.RunError, match=r"^LiveMigrationFabric: 1 problem: project:hosts\[1\]"):
        fabric_from_config()
