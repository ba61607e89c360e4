"""Proof that a VM moves: the test migration ring on the session's AD lab, against the real Samba DC.

A 3-host site on KOM-SW01 (the reference site's two 2012 R2 hosts and LAB-2016) built by the main
job's program through the real CLI. The module's stack is first built with ``purgeTickets: false``:
the delegations are in AD, but the hosts' tickets predate them (the field guide's trap), so every
move fails until the second `up` (``purgeTickets`` and ``testMigration`` on) purges the hosts'
ticket caches and runs the ring. Then each real-world fault is injected one at a time, the ring is
run on its own (``run_ring``, no stack) and exactly the expected pair fails with Windows' message;
the fault is undone and the ring passes again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from ldap3 import MODIFY_ADD, MODIFY_DELETE, MODIFY_REPLACE
from stackcli import REPO, StackCli, ad_accounts, changing_calls, copy_project, modify_account

from labconfig import connector
from lm_provider.models.ring import MigrationRingArgs, MigrationRingState, check_ring
from lm_provider.resources.ring import run_ring
from lmlab.testing import RunningLab

pytestmark = [pytest.mark.e2e, pytest.mark.ad]
STACK = "ring"
VM01, VM02, V2016 = "KOM-AD01-VM01", "KOM-AD01-VM02", "LAB-2016"
HOSTS = [VM01, VM02, V2016]
ADDRESSES = {VM01: "10.160.35.60", VM02: "10.160.35.61", V2016: "10.160.35.62"}
PORTS = {VM01: "GigabitEthernet0/1", VM02: "GigabitEthernet0/2", V2016: "GigabitEthernet0/3"}
SUBNET = "10.160.35.0/24"
SWITCH = "KOM-SW01"
MVSMS = "Microsoft Virtual System Migration Service"
TRUSTED_TO_AUTH_FOR_DELEGATION = 0x1000000


def fqdn(name: str) -> str:
    return f"{name}.holding.com"


def ring_args() -> MigrationRingArgs:
    """The ring in the site's order, as the fabric builds it."""
    checked = check_ring({"hosts": [{"host": h, "fqdn": fqdn(h), "address": ADDRESSES[h], "switch": SWITCH}
                                    for h in HOSTS], "subnet": SUBNET})
    assert checked.args is not None, checked.failures
    return checked.args


@dataclass
class RingSite:
    """The stack, its lab, and what the ring did before the tickets were purged."""

    lab: RunningLab
    cli: StackCli
    stale: MigrationRingState
    stale_up: str

    def ring(self) -> MigrationRingState:
        return run_ring(connector(self.lab), ring_args())

    def vms(self) -> dict[str, list[dict[str, Any]]]:
        return {h: self.lab.control.call("GET", f"/devices/{h}")["vms"] for h in HOSTS}


def configure(project: Path, **options: Any) -> None:
    """Write the site's keys into the stack's file (keeping the lab's ``lm:`` keys), as a user edits it."""
    stack_file = project / f"Pulumi.{STACK}.yaml"
    document = yaml.safe_load(stack_file.read_text()) if stack_file.exists() else {"config": {}}
    document["config"].update({
        "lm-fabric:subnet": SUBNET,
        "lm-fabric:hosts": [{"name": h, "fqdn": fqdn(h), "address": ADDRESSES[h], "adapterName": "Ethernet 2",
                             "switch": SWITCH, "port": PORTS[h]} for h in HOSTS],
        "lm-fabric:switches": [{"name": SWITCH, "mtu": 9000, "reload": "if-needed"}],
        **{f"lm-fabric:{key}": value for key, value in options.items()}})
    stack_file.write_text(yaml.safe_dump(document, sort_keys=False))


@pytest.fixture(scope="module")
def site(ad_lab: RunningLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RingSite]:
    ad_lab.control.call("POST", "/reset", {})
    ad_lab.cli("drift", SWITCH, "reload_seconds=0.3")
    base = tmp_path_factory.mktemp("ring")
    project = copy_project(REPO, base / "lm-fabric", "Pulumi.yaml", "infra")
    configure(project, purgeTickets=False)
    cli = StackCli(project, base / "state")
    cli.new_stack(STACK, ad_lab)
    cli("up", "--yes", "--skip-preview", "--stack", STACK)
    stale = run_ring(connector(ad_lab), ring_args())
    configure(project, purgeTickets=True, testMigration=True)
    result = cli("up", "--yes", "--skip-preview", "--stack", STACK)
    yield RingSite(ad_lab, cli, stale, result.stdout + result.stderr)
    cli("destroy", "--yes", "--skip-preview", "--stack", STACK, check=False)
    ad_lab.control.call("POST", "/reset", {})


def test_tickets_older_than_the_delegation_fail_every_move_until_the_fabric_purges_them(site: RingSite) -> None:
    assert not site.stale.passed
    assert [(p.source, p.destination, p.code) for p in site.stale.pairs] == [
        (VM01, VM02, "0x8009030E"), (VM02, V2016, "0x8009030E"), (V2016, VM01, "0x8009030E")]
    assert "No credentials are available in the security package" in site.stale.pairs[0].error
    assert "klist -li 0x3e7 purge" in site.stale.pairs[0].explanation
    for name in HOSTS:
        assert f"ring-purge-{name}" in site.stale_up
    outputs = site.cli.outputs(STACK)
    assert outputs["ticketPurges"] == {name: 1 for name in HOSTS}
    assert outputs["migrationTest"].startswith("passed: 3 moves in "), outputs["migrationTest"]
    assert outputs["ready"] is True


def test_the_ring_moves_the_probe_over_the_migration_network_and_never_touches_user_vms(site: RingSite) -> None:
    before = site.vms()
    state = site.ring()
    assert state.passed, state.failures
    assert [(p.source, p.destination, p.network, p.destination_address) for p in state.pairs] == [
        (VM01, VM02, "migration", ADDRESSES[VM02]), (VM02, V2016, "migration", ADDRESSES[V2016]),
        (V2016, VM01, "migration", ADDRESSES[VM01])]
    assert site.vms() == before  # the user VMs are where they were, and no probe is left behind
    assert all(not vm["name"].startswith("lm-probe-") for vms in before.values() for vm in vms)


def test_after_up_the_audit_finds_no_gap_and_changes_nothing(site: RingSite) -> None:
    site.lab.control.call("POST", "/calls/reset", {})
    script = Path(sys.executable).parent / "lm-provider"
    result = subprocess.run([str(script), "audit", "--stack", STACK, "--cwd", str(site.cli.project), "--json", "-"],
                            env=site.cli.env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["gaps"] == 0
    assert changing_calls(site.lab) == {}


def account_change(computer: str, attribute: str, values: list[Any]) -> tuple[Callable[[RunningLab], None], ...]:
    """Remove ``values`` from an account's attribute, and put them back."""
    return (lambda lab: modify_account(lab, computer, {attribute: [(MODIFY_DELETE, values)]}),
            lambda lab: modify_account(lab, computer, {attribute: [(MODIFY_ADD, values)]}))


def protocol_transition(computer: str) -> tuple[Callable[[RunningLab], None], ...]:
    """Clear "use any authentication protocol" on an account, and set it again."""
    def set_flag(lab: RunningLab, on: bool) -> None:
        uac = int(ad_accounts(lab, [computer])[computer]["userAccountControl"][0])
        uac = uac | TRUSTED_TO_AUTH_FOR_DELEGATION if on else uac & ~TRUSTED_TO_AUTH_FOR_DELEGATION
        modify_account(lab, computer, {"userAccountControl": [(MODIFY_REPLACE, [str(uac)])]})
    return (lambda lab: set_flag(lab, False), lambda lab: set_flag(lab, True))


def drift(device: str, fault: str, repair: str) -> tuple[Callable[[RunningLab], None], ...]:
    """``lmlab drift`` a device, and drift it back."""
    return (lambda lab: lab.cli("drift", device, fault) and None, lambda lab: lab.cli("drift", device, repair) and None)


NETWORKS = json.dumps([{"subnet": SUBNET, "priority": 0}])
INJECTIONS = {
    "delegation removed in AD": (account_change(VM02, "msDS-AllowedToDelegateTo", [f"{MVSMS}/{fqdn(V2016)}"]),
                                 {(VM02, V2016): ("0x8009030E", f"{VM02} -> {V2016} kcd-migration-fqdn: missing")}),
    "only the NetBIOS forms, the move uses the FQDN": (
        account_change(VM01, "msDS-AllowedToDelegateTo", [f"cifs/{fqdn(VM02)}", f"{MVSMS}/{fqdn(VM02)}"]),
        {(VM01, VM02): ("0x8009030E", f"{VM01} -> {VM02} kcd-cifs-fqdn: missing")}),
    "protocol transition cleared on the 2016 host": (
        protocol_transition(V2016), {(V2016, VM01): ("0x8009030E", f"{V2016} protocol-transition: ")}),
    "stale listener (vmms not restarted)": (
        drift(V2016, "listener_addresses=[]", f"listener_addresses=[\"{ADDRESSES[V2016]}\"]"),
        {(VM02, V2016): ("0x8007274D", f"{V2016} listener: ")}),
    "migration network removed": (
        drift(VM02, "migration.networks=[]", f"migration.networks={NETWORKS}"),
        # nothing listens on VM02, and VM02 has no address to migrate from
        {(VM01, VM02): ("0x8007274D", f"{VM02} migration-network: "),
         (VM02, V2016): ("0x8007274C", f"{VM02} migration-network: ")}),
    "switch with a pending reload": (
        drift(SWITCH, "jumbo_operational=1500", "jumbo_operational=9000"),
        {pair: ("0x80072746", f"{SWITCH} reload-pending: ") for pair in [(VM01, VM02), (VM02, V2016), (V2016, VM01)]}),
}


def run_test_migration(site: RingSite) -> tuple[int, dict[str, Any]]:
    """`lm-provider test-migration --stack ring --json -`: its exit code and report."""
    script = Path(sys.executable).parent / "lm-provider"
    result = subprocess.run([str(script), "test-migration", "--stack", STACK, "--cwd", str(site.cli.project),
                             "--json", "-"], env=site.cli.env, capture_output=True, text=True, timeout=600,
                            check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("fault", list(INJECTIONS))
def test_each_fault_fails_exactly_its_pair_with_the_windows_message_and_its_cause(site: RingSite, fault: str) -> None:
    (inject, undo), expected = INJECTIONS[fault]
    inject(site.lab)
    try:
        code, report = run_test_migration(site)
    finally:
        undo(site.lab)
    failed = {(p["source"], p["destination"]): p for p in report["pairs"] if not p["passed"]}
    assert (code, sorted(failed)) == (1, sorted(expected)), report["failures"]
    for pair, (hresult, cause) in expected.items():
        assert failed[pair]["code"] == hresult, failed[pair]["error"]
        assert "Virtual machine migration operation for 'lm-probe-" in failed[pair]["error"]
        assert failed[pair]["explanation"]
        assert any(c.startswith(cause) for c in failed[pair]["causes"]), failed[pair]["causes"]
    assert all(not vm["name"].startswith("lm-probe-") for vms in site.vms().values() for vm in vms)


def test_tickets_older_than_a_complete_delegation_are_named_and_replacing_the_purge_fixes_them(
        site: RingSite) -> None:
    for name in HOSTS:  # as if each host had been up since before the delegation was written
        site.lab.cli("drift", name, "ticket_cache.allowed_to_delegate_to=[]")
    code, report = run_test_migration(site)
    assert code == 1 and [p["code"] for p in report["pairs"]] == ["0x8009030E"] * 3
    for pair in report["pairs"]:
        assert len(pair["causes"]) == 1, pair["causes"]
        assert pair["causes"][0].startswith(f"{pair['source']}: the delegation in AD is complete, so "
                                            f"{pair['source']}'s Kerberos tickets predate it: purge them")
    resources = json.loads(site.cli("stack", "export", "--stack", STACK).stdout)["deployment"]["resources"]
    purges = [r["urn"] for r in resources if r["urn"].endswith(tuple(f"::{STACK}-purge-{h}" for h in HOSTS))]
    assert len(purges) == 3
    site.cli("up", "--yes", "--skip-preview", "--stack", STACK, *[arg for urn in purges for arg in ("--replace", urn)])
    assert run_test_migration(site)[0] == 0


SIX = [("HV-A", "2012r2"), ("HV-B", "2012r2"), ("HV-C", "2016"), ("HV-D", "2019"), ("HV-E", "2022"), ("HV-F", "2016")]
"""Every version that can share a ring: Hyper-V never migrates to an older version, so a 2012 host could
only take VMs from other 2012 hosts (the fabric refuses such a mixed ring)."""


def test_a_six_host_site_of_2012_r2_to_2022_passes_its_ring_after_up(tmp_path: Path, own_dc: None) -> None:
    site_file = tmp_path / "six.yaml"
    site_file.write_text(yaml.safe_dump({
        "domain": "holding.com", "hosts": [{"name": name, "os": os} for name, os in SIX],
        "switches": [{"name": SWITCH, "platform": "c3560g"}],
        "cabling": [{"host": name, "adapter": "Ethernet 2", "switch": SWITCH, "port": f"GigabitEthernet0/{i + 1}"}
                    for i, (name, _) in enumerate(SIX)]}))
    lab = RunningLab(tmp_path / "lab").up("--site", str(site_file))
    try:
        lab.cli("drift", SWITCH, "reload_seconds=0.3")
        project = copy_project(REPO, tmp_path / "lm-fabric", "Pulumi.yaml", "infra")
        (project / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump({"config": {
            "lm-fabric:subnet": SUBNET, "lm-fabric:testMigration": True,
            "lm-fabric:hosts": [{"name": name, "fqdn": fqdn(name), "address": f"10.160.35.{70 + i}", "os": os,
                                 "adapterName": "Ethernet 2", "switch": SWITCH, "port": f"GigabitEthernet0/{i + 1}"}
                                for i, (name, os) in enumerate(SIX)],
            "lm-fabric:switches": [{"name": SWITCH, "mtu": 9000, "reload": "if-needed"}]}}, sort_keys=False))
        cli = StackCli(project, tmp_path / "state")
        cli.new_stack(STACK, lab)
        cli("up", "--yes", "--skip-preview", "--stack", STACK, timeout=900)
        outputs = cli.outputs(STACK)
        assert outputs["ready"] is True, outputs
        assert outputs["migrationTest"].startswith("passed: 6 moves in "), outputs["migrationTest"]
        moves = outputs["migrationTest"].split(": ", 2)[2].split("; ")
        ring = [name for name, _ in SIX]
        pairs = zip(ring, ring[1:] + ring[:1], strict=True)
        assert [m.split(": ")[0] for m in moves] == [f"{a} -> {b}" for a, b in pairs]
    finally:
        lab.down()
