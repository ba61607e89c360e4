"""`lmlab pulumi-config`: the running lab's lm: keys set on a real Pulumi stack, secrets encrypted."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from lm_provider.engine import OfflineEngine
from lmlab.testing import RunningLab

pytestmark = [pytest.mark.lab, pytest.mark.e2e]


def test_the_lab_configures_a_stack_with_its_passwords_encrypted(lab: RunningLab, tmp_path: Path) -> None:
    engine = OfflineEngine(tmp_path / "state")
    env = {**os.environ, **engine.env}
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: site\nruntime: python\n")
    subprocess.run(["pulumi", "stack", "init", "dc1"], cwd=project, env=env, check=True, capture_output=True)
    result = subprocess.run([*lab.cli_argv(), "pulumi-config", "--stack", "dc1", "--project-dir", str(project)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "as secrets" in result.stdout
    stack_file = (project / "Pulumi.dc1.yaml").read_text()
    secrets = lab.dir.secrets()
    for secret in (secrets["winrm"]["password"], secrets["switch"]["password"], secrets["switch"]["enable_secret"]):
        assert secret not in stack_file and secret not in result.stdout + result.stderr
    shown = subprocess.run(["pulumi", "config", "--stack", "dc1", "--json", "--show-secrets"], cwd=project, env=env,
                           check=True, capture_output=True, text=True).stdout
    config = {k: v["value"] for k, v in json.loads(shown).items()}
    assert config["lm:winrmPassword"] == secrets["winrm"]["password"]
    assert json.loads(config["lm:winrmEndpoints"]) == {h: e["winrm_http"] for h, e in lab.endpoints["hosts"].items()}
    assert config["lm:switchKnownHosts"] == lab.endpoints["known_hosts"]
    assert "lm:ldapServers" not in config  # the session lab runs without AD


def test_it_refuses_when_the_lab_is_not_running(tmp_path: Path) -> None:
    stopped = RunningLab(tmp_path / "never-started")
    result = stopped.cli("pulumi-config", "--stack", "dc1", check=False)
    assert result.returncode == 1 and "is not running" in result.stderr
