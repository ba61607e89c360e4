"""The main job's program through the real CLI on the session's AD lab, a 3-host site on KOM-SW01
(the reference site's two hosts and LAB-2016): an `up` interrupted by a fault finishes on the next
`up`; drift on a host, in AD and on the switch shows in `pulumi preview --refresh` and `up --refresh`
repairs it; removing a host from the configuration removes exactly what was there for it; destroy
puts every device and account back as it started.

One stack for the module; each test first brings it to the configuration it starts from (a no-op
`up` when it is there already), so the tests also pass alone and in any order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from ldap3 import MODIFY_DELETE
from stackcli import (
    REPO,
    StackCli,
    ad_accounts,
    changing_calls,
    copy_project,
    differences,
    models,
    modify_account,
    without,
)

from lmlab.testing import RunningLab

pytestmark = [pytest.mark.e2e, pytest.mark.ad]
STACK = "e2e"
VM01, VM02, THIRD = "KOM-AD01-VM01", "KOM-AD01-VM02", "LAB-2016"
ADDRESSES = {VM01: "10.160.35.60", VM02: "10.160.35.61", THIRD: "10.160.35.62"}
PORTS = {VM01: "GigabitEthernet0/1", VM02: "GigabitEthernet0/2", THIRD: "GigabitEthernet0/3"}
SWITCH = "KOM-SW01"
COUNTERS = ("vmms_restarts", "reload_count", "reload_seconds", "reloading_until", "ticket_cache")
"""Fields that move without being configuration: vmms restarts (LAB-2016 refreshes its listeners
only then), the switch's reloads and the reload time the fixture sets, and the hosts' Kerberos ticket
caches (purged after each delegation change; a purge is not undone)."""


def host(name: str) -> dict[str, str]:
    """A host entry of the site's configuration."""
    return {"name": name, "fqdn": f"{name}.holding.com", "address": ADDRESSES[name], "adapterName": "Ethernet 2",
            "switch": SWITCH, "port": PORTS[name]}


@dataclass
class Site:
    """The stack, its lab, and the lab as it was before the stack's first `up`."""

    lab: RunningLab
    cli: StackCli
    devices: list[str]
    start: dict[str, Any]
    start_accounts: dict[str, dict[str, list[str]]]

    @property
    def stack_file(self) -> Path:
        return self.cli.project / f"Pulumi.{STACK}.yaml"

    def hosts(self) -> list[str]:
        """The host names in the stack's configuration."""
        return [h["name"] for h in yaml.safe_load(self.stack_file.read_text())["config"]["lm-fabric:hosts"]]

    def configure(self, names: list[str]) -> None:
        """Set the site's hosts in the stack's file, as a user edits it."""
        document = yaml.safe_load(self.stack_file.read_text())
        document["config"]["lm-fabric:hosts"] = [host(n) for n in names]
        self.stack_file.write_text(yaml.safe_dump(document, sort_keys=False))

    def up(self, *args: str, check: bool = True) -> str:
        """`pulumi up --yes` of the stack; its output."""
        result = self.cli("up", "--yes", "--skip-preview", "--stack", STACK, *args, check=check)
        return result.stdout + result.stderr

    def converge(self, names: list[str]) -> None:
        """The site with ``names`` built and ready (an `up` that changes nothing when it is)."""
        if self.hosts() != names:
            self.configure(names)
        self.up()
        outputs = self.cli.outputs(STACK)
        assert outputs["ready"] is True and sorted(outputs["hosts"]) == sorted(names), outputs

    def accounts(self) -> dict[str, dict[str, list[str]]]:
        return ad_accounts(self.lab, self.lab.endpoints["hosts"])


@pytest.fixture(scope="module")
def site(ad_lab: RunningLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    ad_lab.control.call("POST", "/reset", {})
    ad_lab.cli("drift", SWITCH, "reload_seconds=0.3")
    base = tmp_path_factory.mktemp("site")
    project = copy_project(REPO, base / "lm-fabric", "Pulumi.yaml", "infra")
    (project / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump({"config": {
        "lm-fabric:subnet": "10.160.35.0/24", "lm-fabric:hosts": [host(VM01), host(VM02)],
        "lm-fabric:switches": [{"name": SWITCH, "mtu": 9000, "reload": "if-needed"}]}}, sort_keys=False))
    cli = StackCli(project, base / "state")
    cli.new_stack(STACK, ad_lab)
    devices = [*ad_lab.endpoints["hosts"], *ad_lab.endpoints["switches"]]
    found = Site(ad_lab, cli, devices, models(ad_lab, devices), ad_accounts(ad_lab, ad_lab.endpoints["hosts"]))
    yield found
    ad_lab.control.call("POST", "/reset", {})


def test_an_up_interrupted_by_a_fault_finishes_on_the_next_up(site: Site) -> None:
    site.converge([VM01, VM02])
    site.configure([VM01, VM02, THIRD])
    site.lab.cli("knob", THIRD, "fault=http500", "fault_rate=1", "fault_op=migration.apply")
    failed = site.cli("up", "--yes", "--skip-preview", "--stack", STACK, check=False)
    assert failed.returncode != 0
    assert f"e2e-migration-{THIRD}" in failed.stdout and "HTTP 500" in failed.stdout + failed.stderr
    assert site.lab.control.call("GET", f"/devices/{THIRD}")["migration"]["enabled"] is False

    site.lab.cli("knob", THIRD, "fault=null")
    finished = site.up()
    assert "+ 1 created" in finished  # only what the fault stopped
    assert "- " not in finished.split("Resources:")[-1]
    outputs = site.cli.outputs(STACK)
    assert outputs["ready"] is True and len(outputs["hosts"]) == 3, outputs


def remove_delegation(lab: RunningLab, computer: str, value: str) -> None:
    """Remove one msDS-AllowedToDelegateTo value behind lm-provider's back."""
    modify_account(lab, computer, {"msDS-AllowedToDelegateTo": [(MODIFY_DELETE, [value])]})


def test_drift_on_a_host_in_ad_and_on_the_switch_shows_in_preview_and_up_repairs_it(site: Site) -> None:
    site.converge([VM01, VM02, THIRD])
    built, built_accounts = models(site.lab, site.devices), site.accounts()
    site.lab.cli("drift", VM01, "adapters.Ethernet 2.jumbo_packet=1514")
    remove_delegation(site.lab, VM02, f"Microsoft Virtual System Migration Service/{THIRD.lower()}.holding.com")
    site.lab.cli("drift", SWITCH, "jumbo_operational=1500", "jumbo_next_reload=1500")

    preview = site.cli("preview", "--refresh", "--expect-no-changes", "--stack", STACK, check=False)
    assert preview.returncode != 0
    drifted = {line.split()[-2] for line in preview.stdout.splitlines() if line.lstrip().startswith("~ ")}
    assert {f"e2e-nic-{VM01}", f"e2e-kcd-{VM02}", f"e2e-mtu-{SWITCH}"} <= drifted, preview.stdout

    site.up("--refresh")
    assert site.cli.outputs(STACK)["ready"] is True
    assert differences(without(built, *COUNTERS), without(models(site.lab, site.devices), *COUNTERS)) == []
    assert without(site.accounts(), "uSNChanged") == without(built_accounts, "uSNChanged")
    site.cli("preview", "--refresh", "--expect-no-changes", "--stack", STACK)


def test_removing_a_host_removes_exactly_what_the_site_had_for_it(site: Site) -> None:
    site.converge([VM01, VM02, THIRD])
    built, built_accounts = models(site.lab, site.devices), site.accounts()
    site.lab.control.call("POST", "/calls/reset", {})
    site.cli("config", "rm", "--path", "hosts[2]", "--stack", STACK)  # LAB-2016
    assert site.hosts() == [VM01, VM02]
    site.up()

    after, after_accounts = models(site.lab, site.devices), site.accounts()
    assert differences(without(site.start, *COUNTERS)[THIRD], without(after, *COUNTERS)[THIRD]) == []
    others = [d for d in site.devices if d != THIRD]
    assert differences(without({d: built[d] for d in others}, *COUNTERS),
                       without({d: after[d] for d in others}, *COUNTERS)) == [
        f"{name}.hosts_file: {built[name]['hosts_file']!r} -> {after[name]['hosts_file']!r}" for name in (VM01, VM02)]
    for name, peer in ((VM01, VM02), (VM02, VM01)):
        assert after[name]["hosts_file"].splitlines() == [
            line for line in built[name]["hosts_file"].splitlines() if THIRD not in line]
        assert f"{ADDRESSES[peer]} {peer}" in after[name]["hosts_file"]
        kept = [v for v in built_accounts[name]["msDS-AllowedToDelegateTo"] if THIRD.lower() not in v.lower()]
        assert after_accounts[name]["msDS-AllowedToDelegateTo"] == kept and kept
    assert without(after_accounts, "uSNChanged")[THIRD] == without(site.start_accounts, "uSNChanged")[THIRD]
    assert changing_calls(site.lab) == {VM01: {"hostsfile.apply": 1, "kerberos.purge": 1},
                                        VM02: {"hostsfile.apply": 1, "kerberos.purge": 1},
                                        THIRD: {"hostsfile.apply": 1, "migration.restore": 1, "nic.restore": 1}}


def test_destroy_puts_every_device_and_account_back_as_it_started(site: Site) -> None:
    site.converge([VM01, VM02, THIRD])
    site.cli("destroy", "--yes", "--skip-preview", "--stack", STACK)
    assert differences(without(site.start, *COUNTERS), without(models(site.lab, site.devices), *COUNTERS)) == []
    assert without(site.accounts(), "uSNChanged") == without(site.start_accounts, "uSNChanged")
    assert json.loads(site.cli("stack", "export", "--stack", STACK).stdout)["deployment"].get("resources") in (None, [])
