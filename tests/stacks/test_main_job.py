"""The main job, as the README's first command runs it: scripts/main-job (what scripts/demo runs
after the bootstrap) on a fresh lab directory, with the Samba DC, through the real Pulumi CLI and the
repository's own project (Pulumi.yaml, Pulumi.lab.yaml, infra/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from stackcli import REPO, StackCli, ad_accounts, changing_calls, copy_project, differences, models, run, without

from lm_provider.engine import pulumi_root
from lmlab.testing import RunningLab

pytestmark = [pytest.mark.e2e, pytest.mark.ad]
HOSTS = ["KOM-AD01-VM01", "KOM-AD01-VM02"]
SWITCH = "KOM-SW01"
CHILDREN = 13
"""Per host a NIC, migration settings, a delegation, a ticket purge and hosts entries; the switch;
the path check; the test migration."""
NOT_RESTORED = ("reload_seconds", "reload_count", "ticket_cache")
"""The lab switch's reload time, which the job sets (1 s), and its reload counter: up reloads it to
make the jumbo MTU live, destroy reloads it back to 1500; the hosts' ticket caches, purged by up (a
purge is not undone: the tickets a host gets afterwards reflect AD as it is)."""


def test_the_main_job_builds_the_reference_site_changes_nothing_when_run_again_and_destroy_undoes_it(
        tmp_path: Path, own_dc: None) -> None:
    project = copy_project(REPO, tmp_path / "lm-fabric", "Pulumi.yaml", "Pulumi.lab.yaml", "infra")
    lab = RunningLab(tmp_path / "lab")
    env = {**os.environ, "LMLAB_DIR": str(lab.dir.root), "PULUMI_HOME": str(tmp_path / "home"),
           "PATH": f"{pulumi_root() / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    job = [str(REPO / "scripts" / "main-job"), str(project)]
    try:
        first = run(job, REPO, env, check=True, timeout=900)
        passphrase = (lab.dir.root / "pulumi" / "passphrase").read_text().strip()
        cli = StackCli(project, lab.dir.root / "pulumi", passphrase)  # the job's backend and passphrase
        assert f"+ {CHILDREN + 2} created" in first.stdout  # + the stack and the fabric component
        assert f"PULUMI_BACKEND_URL=file://{lab.dir.root}/pulumi/backend" in first.stdout  # how to destroy
        outputs = cli.outputs("lab")
        assert outputs["ready"] is True, outputs
        assert outputs["hosts"] == {
            "KOM-AD01-VM01": "ready: migrates on 10.160.35.60 (vmms listens on 10.160.35.60:6600)",
            "KOM-AD01-VM02": "ready: migrates on 10.160.35.61 (vmms listens on 10.160.35.61:6600)"}
        assert outputs["pathCheck"].startswith("passed: 9000-byte packets")
        assert outputs["pendingReloads"] == []
        assert outputs["ticketPurges"] == {name: 1 for name in HOSTS}
        assert outputs["migrationTest"].startswith("passed: 2 moves in "), outputs["migrationTest"]
        secrets = lab.dir.secrets()
        printed = first.stdout + first.stderr + (project / "Pulumi.lab.yaml").read_text()
        for secret in (secrets["winrm"]["password"], secrets["ad"]["admin_password"], secrets["switch"]["password"],
                       passphrase):
            assert secret not in printed

        lab.control.call("POST", "/calls/reset", {})
        accounts = ad_accounts(lab, HOSTS)
        again = run(job, REPO, env, check=True, timeout=900)
        assert again.stdout.count(f"{CHILDREN + 2} unchanged") == 4  # preview and up, twice
        assert changing_calls(lab) == {}
        assert ad_accounts(lab, HOSTS) == accounts  # uSNChanged too: nothing was written to AD

        cli("destroy", "--yes", "--skip-preview", "--stack", "lab")
        destroyed, destroyed_accounts = models(lab, [*HOSTS, SWITCH]), ad_accounts(lab, HOSTS)
        lab.cli("reset")
        start = models(lab, [*HOSTS, SWITCH])
        assert differences(without(start, *NOT_RESTORED), without(destroyed, *NOT_RESTORED)) == []
        assert without(destroyed_accounts, "uSNChanged") == without(ad_accounts(lab, HOSTS), "uSNChanged")
    finally:
        lab.down()
