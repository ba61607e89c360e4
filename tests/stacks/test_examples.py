"""examples/ on the session's AD lab through the real CLI, as their READMEs tell users to run them:
the field guide's two-host site; the multi-datacenter layout (two datacenter stacks with hosts from
AD, a cross-datacenter stack reading them with StackReference). Each is destroyed at the end, and
the lab must be as it started."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from stackcli import REPO, StackCli, ad_accounts, copy_project, differences, models, without

from lmlab.testing import RunningLab

pytestmark = [pytest.mark.e2e, pytest.mark.ad]
EXAMPLES = REPO / "examples"
COUNTERS = ("vmms_restarts", "reload_count", "reload_seconds", "reloading_until", "ticket_cache")
"""Fields that move without being configuration (vmms restarts, the switches' reloads) and the hosts'
Kerberos ticket caches (purged after each delegation change; a purge is not undone)."""


@pytest.fixture
def fresh(ad_lab: RunningLab) -> Iterator[RunningLab]:
    """The session's AD lab reset, its 3560G reloading in 0.3 s; reset again afterwards."""
    ad_lab.control.call("POST", "/reset", {})
    ad_lab.cli("drift", "KOM-SW01", "reload_seconds=0.3")
    yield ad_lab
    ad_lab.control.call("POST", "/reset", {})


def snapshot(lab: RunningLab) -> tuple[dict[str, object], dict[str, dict[str, list[str]]]]:
    """Every device's model and every host's account (without the moving counters)."""
    devices = [*lab.endpoints["hosts"], *lab.endpoints["switches"]]
    return (without(models(lab, devices), *COUNTERS),
            without(ad_accounts(lab, lab.endpoints["hosts"]), "uSNChanged"))


def test_the_two_host_site_builds_ready_and_destroy_undoes_it(fresh: RunningLab, tmp_path: Path) -> None:
    start = snapshot(fresh)
    project = copy_project(EXAMPLES / "two-host-site", tmp_path / "two-host-site", "Pulumi.yaml", "__main__.py",
                           "two_host_site.py")
    cli = StackCli(project, tmp_path / "state")
    cli.new_stack("site", fresh)
    cli("config", "set", "switchReload", "if-needed", "--stack", "site")
    cli("up", "--yes", "--skip-preview", "--stack", "site")
    outputs = cli.outputs("site")
    assert outputs["ready"] is True and sorted(outputs["hosts"]) == ["KOM-AD01-VM01", "KOM-AD01-VM02"], outputs
    cli("destroy", "--yes", "--skip-preview", "--stack", "site")
    end = snapshot(fresh)
    assert differences(start[0], end[0]) == [] and end[1] == start[1]


def test_two_datacenters_from_ad_and_the_cross_datacenter_delegations(fresh: RunningLab, tmp_path: Path) -> None:
    start = snapshot(fresh)
    source = EXAMPLES / "multi-dc"
    datacenter = StackCli(copy_project(source / "datacenter", tmp_path / "datacenter", "Pulumi.yaml", "__main__.py",
                                       "datacenter.py", "Pulumi.dc1.yaml", "Pulumi.dc2.yaml"), tmp_path / "state")
    cross = StackCli(copy_project(source / "cross-dc", tmp_path / "cross-dc", "Pulumi.yaml", "__main__.py",
                                  "crossdc.py", "Pulumi.all.yaml"), tmp_path / "state")
    for stack in ("dc1", "dc2"):
        datacenter.new_stack(stack, fresh)
        up = datacenter("up", "--yes", "--skip-preview", "--stack", stack).stdout
        assert datacenter.outputs(stack)["ready"] is True
    assert "in AD but not in lm-datacenter:hosts, left alone: LAB-2012, LAB-2016" in up
    assert datacenter.outputs("dc2")["unplanned"] == ["LAB-2012", "LAB-2016"]
    fabric_only = ad_accounts(fresh, ["KOM-AD01-VM01", "LAB-2019"])

    cross.new_stack("all", fresh)
    cross("up", "--yes", "--skip-preview", "--stack", "all")
    outputs = cross.outputs("all")
    assert outputs["ready"] is True and outputs["delegations"] == 4, outputs
    assert outputs["datacenters"] == {"organization/lm-datacenter/dc1": "ready",
                                      "organization/lm-datacenter/dc2": "ready"}
    both = ad_accounts(fresh, ["KOM-AD01-VM01", "LAB-2019"])
    for name, peers in (("KOM-AD01-VM01", ["LAB-2019", "LAB-2022"]), ("LAB-2019", ["KOM-AD01-VM01", "KOM-AD01-VM02"])):
        added = [f"{service}/{target}" for peer in peers
                 for service in ("Microsoft Virtual System Migration Service", "cifs")
                 for target in (peer, f"{peer.lower()}.holding.com")]
        assert both[name]["msDS-AllowedToDelegateTo"] == sorted(fabric_only[name]["msDS-AllowedToDelegateTo"] + added)

    cross("destroy", "--yes", "--skip-preview", "--stack", "all")
    assert ad_accounts(fresh, ["KOM-AD01-VM01", "LAB-2019"]) != both
    assert without(ad_accounts(fresh, ["KOM-AD01-VM01", "LAB-2019"]), "uSNChanged") == without(
        fabric_only, "uSNChanged")  # the datacenters' own delegations untouched
    for stack in ("dc2", "dc1"):
        datacenter("destroy", "--yes", "--skip-preview", "--stack", stack)
    end = snapshot(fresh)
    assert differences(start[0], end[0]) == [] and end[1] == start[1]
