"""LiveMigrationFabric through the real Pulumi engine on the session lab: KOM-AD01-VM01/02 and
KOM-SW01, CredSSP (the session lab runs no AD DC), the switch reloaded when needed.

``preview`` reaches no host; ``up`` creates every child in the field guide's order and the path
check passes; a no-op ``up`` makes no changing invocation anywhere; ``destroy`` returns both hosts
and the switch to their starting models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from harness import EngineHarness
from pulumi import automation as auto
from test_kcd_mesh import snapshot, without_usn

from labconfig import stack_config
from lm_provider import FabricHost, FabricSwitch, LiveMigrationFabric
from lmlab.testing import RunningLab
from switchlab import switch_config

pytestmark = [pytest.mark.e2e, pytest.mark.lab]
HOSTS = {"KOM-AD01-VM01": "10.160.35.60", "KOM-AD01-VM02": "10.160.35.61"}
DYNAMIC = "pulumi-python:dynamic/lm:"
CONFIGURING = ("configure terminal", "system mtu jumbo", "write memory", "reload")


def fabric(reload: str, authentication: str = "CredSSP") -> LiveMigrationFabric:
    return LiveMigrationFabric(
        "dc1", subnet="10.160.35.0/24", authentication=authentication,
        hosts=[FabricHost(name, f"{name}.holding.com", address, adapter_name="Ethernet 2", switch="KOM-SW01",
                          port=f"GigabitEthernet0/{index}")
               for index, (name, address) in enumerate(HOSTS.items(), start=1)],
        switches=[FabricSwitch("KOM-SW01", mtu=9000, reload=reload)])


def program() -> None:
    built = fabric("if-needed")
    pulumi.export("hosts", built.hosts)
    pulumi.export("summary", built.summary)


def harness_for(lab: RunningLab, tmp_path: Path, run: Callable[[], None]) -> EngineHarness:
    harness = EngineHarness(tmp_path / "state", "lm-fabric", "lab", run)
    harness.stack.set_all_config({**stack_config(lab), **{
        key: auto.ConfigValue(value, secret=secret) for key, (value, secret) in switch_config(lab).items()}})
    return harness


def models(lab: RunningLab) -> dict[str, Any]:
    """The devices' models, without counters and the hosts' ticket caches (a purge is not undone)."""
    found = {name: lab.control.call("GET", f"/devices/{name}") for name in [*HOSTS, "KOM-SW01"]}
    for model in found.values():
        for moving in ("vmms_restarts", "reload_count", "ticket_cache"):
            model.pop(moving, None)
    return found


def names(urns: list[str]) -> list[str]:
    return sorted(urn.rsplit("::", 1)[-1] for urn in urns)


def calls(lab: RunningLab) -> dict[str, dict[str, dict[str, int]]]:
    found = {name: lab.control.call("GET", f"/devices/{name}/calls") for name in [*HOSTS, "KOM-SW01"]}
    lab.control.call("POST", "/calls/reset", {})
    return found


def test_up_no_op_up_and_destroy_of_the_reference_fabric(clean_lab: RunningLab, tmp_path: Path) -> None:
    clean_lab.cli("drift", "KOM-SW01", "reload_seconds=0.3")
    harness = harness_for(clean_lab, tmp_path, program)
    before = models(clean_lab)
    calls(clean_lab)

    preview = harness.preview()
    assert preview.ops(f"{DYNAMIC}JumboPathCheck", "dc1-pathcheck") == ["create"]
    assert calls(clean_lab) == {name: {} for name in [*HOSTS, "KOM-SW01"]}, "preview changes nothing"

    up = harness.up()
    created = {(kind.removeprefix(DYNAMIC), name) for kind, name in up.steps
               if up.ops(kind, name) == ["create"] and not kind.startswith("pulumi:providers:")}
    assert created == {("lm:index:LiveMigrationFabric", "dc1"), ("MigrationNic", "dc1-nic-KOM-AD01-VM01"),
                       ("MigrationNic", "dc1-nic-KOM-AD01-VM02"),
                       ("LiveMigrationSettings", "dc1-migration-KOM-AD01-VM01"),
                       ("LiveMigrationSettings", "dc1-migration-KOM-AD01-VM02"),
                       ("HostsEntries", "dc1-hosts-KOM-AD01-VM01"), ("HostsEntries", "dc1-hosts-KOM-AD01-VM02"),
                       ("SwitchJumboMtu", "dc1-mtu-KOM-SW01"), ("JumboPathCheck", "dc1-pathcheck")}
    summary = up.result.outputs["summary"].value
    assert summary["ready"] and summary["path_check"] == {"passed": True, "failures": []}
    assert summary["pending_reloads"] == []
    assert up.result.outputs["hosts"].value == {
        name: {"migration_address": address, "listener_addresses": [address]} for name, address in HOSTS.items()}
    switch = clean_lab.control.call("GET", "/devices/KOM-SW01")
    assert (switch["jumbo_operational"], switch["reload_count"]) == (9000, 1)
    for name, address in HOSTS.items():
        host = clean_lab.control.call("GET", f"/devices/{name}")
        assert host["migration"]["authentication_type"] == "CredSSP"
        lm = next(a for a in host["adapters"] if a["name"] == "Ethernet 2")
        assert (lm["ipv4_addresses"][0]["ip_address"], lm["jumbo_packet"]) == (address, 9014)
    first = calls(clean_lab)
    assert all(first[name]["net.ping"] == {"read": 1, "changing": 0} for name in HOSTS), first

    resources = {r["urn"].rsplit("::", 1)[-1]: r for r in harness.state()["checkpoint"]["latest"]["resources"]}
    assert names(resources["dc1-pathcheck"]["dependencies"]) == [
        "dc1-mtu-KOM-SW01", "dc1-nic-KOM-AD01-VM01", "dc1-nic-KOM-AD01-VM02"]
    assert names(resources["dc1-migration-KOM-AD01-VM01"]["dependencies"]) == ["dc1-nic-KOM-AD01-VM01"]
    assert all(r.get("parent", "").endswith("::dc1") for n, r in resources.items() if n.startswith("dc1-"))

    again = harness.up()
    assert again.result.summary.resource_changes == {"same": 10}
    quiet = calls(clean_lab)
    changing = {(device, op): row for device, ops in quiet.items() for op, row in ops.items()
                if row["changing"] or op in CONFIGURING}
    assert changing == {}, quiet

    destroy = harness.destroy()
    assert destroy.result.summary.resource_changes == {"delete": 10}
    assert models(clean_lab) == before


def test_a_reload_left_pending_stops_up_at_the_path_check_saying_so(clean_lab: RunningLab, tmp_path: Path) -> None:
    def never_reload() -> None:
        fabric("never")

    harness = harness_for(clean_lab, tmp_path, never_reload)
    before = models(clean_lab)

    with pytest.raises(auto.CommandError) as raised:
        harness.up()
    pending = "a reload is pending on KOM-SW01: the jumbo MTU is configured but not live until it reloads"
    assert f"KOM-AD01-VM01 10.160.35.60 -> 10.160.35.61: {pending}" in str(raised.value)
    assert f"KOM-AD01-VM02 10.160.35.61 -> 10.160.35.60: {pending}" in str(raised.value)
    recorded = {r["urn"].rsplit("::", 1)[-1] for r in harness.state()["checkpoint"]["latest"]["resources"]}
    assert "dc1-mtu-KOM-SW01" in recorded and "dc1-pathcheck" not in recorded

    harness.destroy()
    assert models(clean_lab) == before


@pytest.mark.ad
def test_kerberos_adds_the_delegation_mesh_and_destroy_removes_it(ad_lab: RunningLab, tmp_path: Path) -> None:
    ad_lab.control.call("POST", "/reset", {})
    ad_lab.cli("drift", "KOM-SW01", "reload_seconds=0.3")
    ad = {**ad_lab.endpoints["ad"], **ad_lab.dir.secrets()["ad"]}
    assert "unavailable" not in ad, ad.get("unavailable")

    def kerberos() -> None:
        pulumi.export("summary", fabric("if-needed", "Kerberos").summary)

    harness = harness_for(ad_lab, tmp_path, kerberos)
    harness.stack.set_all_config({
        "lm:ldapServers": auto.ConfigValue("127.0.0.1"), "lm:ldapUser": auto.ConfigValue(ad["admin_user"]),
        "lm:ldapPassword": auto.ConfigValue(ad["admin_password"], secret=True),
        "lm:ldapCaFile": auto.ConfigValue(ad["ca_file"]), "lm:ldapTlsName": auto.ConfigValue(ad["tls_name"])})
    before, accounts = models(ad_lab), snapshot(ad, list(HOSTS))

    up = harness.up()
    assert up.result.outputs["summary"].value["ready"], up.result.outputs["summary"].value
    resources = {r["urn"].rsplit("::", 1)[-1]: r for r in harness.state()["checkpoint"]["latest"]["resources"]}
    service = "Microsoft Virtual System Migration Service"
    assert sorted(resources["dc1-kcd-KOM-AD01-VM01"]["outputs"]["present"]) == sorted(
        f"{s}/{t}" for s in ("cifs", service) for t in ("KOM-AD01-VM02", "KOM-AD01-VM02.holding.com"))
    for name in HOSTS:
        assert ad_lab.control.call("GET", f"/devices/{name}")["migration"]["authentication_type"] == "Kerberos"
    assert harness.up().result.summary.resource_changes == {"same": 14}  # with a ticket purge per host

    destroy = harness.destroy()
    assert destroy.result.summary.resource_changes == {"delete": 14}
    assert models(ad_lab) == before
    assert without_usn(snapshot(ad, list(HOSTS))) == without_usn(accounts)
