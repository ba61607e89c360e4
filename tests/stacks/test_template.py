"""`pulumi new templates/datacenter` through the real CLI, as a user scaffolds a datacenter project:
the project and its virtualenv (lm-provider installed from a wheel of this checkout), a stack that
Pulumi refuses until its site is filled in, the scaffolded mocks test passing once it is, and a
preview of the filled-in stack."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from stackcli import REPO, StackCli, run

pytestmark = pytest.mark.e2e
SITE = {
    "subnet": "10.160.35.0/24",
    "authentication": "CredSSP",  # no domain controller here: no delegations
    "hosts": [{"name": f"KOM-AD01-VM0{i}", "fqdn": f"KOM-AD01-VM0{i}.holding.com", "address": f"10.160.35.6{i - 1}",
               "adapterName": "Ethernet 2", "switch": "KOM-SW01", "port": f"GigabitEthernet0/{i}"} for i in (1, 2)],
    "switches": [{"name": "KOM-SW01", "mtu": 9000, "reload": "if-needed"}],
}


def wheel_of_this_checkout(directory: Path) -> Path:
    """A wheel of lm-provider built from a copy of this checkout's sources (keeping build/ out of it)."""
    source = directory / "source"
    for part in ("sdk", "lab"):
        shutil.copytree(REPO / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(directory / "wheels"),
                    str(source)], check=True, capture_output=True, timeout=300)
    return directory / "wheels"


def test_pulumi_new_scaffolds_a_datacenter_project_that_checks_its_stack(tmp_path: Path) -> None:
    wheels = wheel_of_this_checkout(tmp_path / "build")
    project = tmp_path / "dc-kom"
    project.mkdir()
    cli = StackCli(project, tmp_path / "state")
    env = {**cli.env, "PIP_FIND_LINKS": str(wheels)}
    run(["pulumi", "new", str(REPO / "templates" / "datacenter"), "--yes", "--name", "dc-kom", "--stack", "dc1",
         "--description", "KOM datacenter", "--color", "never"], project, env, check=True, timeout=900)
    settings = yaml.safe_load((project / "Pulumi.yaml").read_text())
    assert settings["name"] == "dc-kom" and settings["description"] == "KOM datacenter"
    assert settings["runtime"]["options"]["virtualenv"] == "venv"
    assert {"authentication", "hosts", "subnet", "switches"} <= set(settings["config"])
    python = project / "venv" / "bin" / "python"
    run([str(python), "-c", "import lm_provider"], project, env, check=True, timeout=60)

    unfilled = cli("preview", "--stack", "dc1", check=False)
    assert unfilled.returncode != 0
    assert ("Stack 'dc1' is missing configuration values 'hosts', 'subnet' and 'switches'"
            in unfilled.stdout + unfilled.stderr)

    stack_file = project / "Pulumi.dc1.yaml"
    document = yaml.safe_load(stack_file.read_text()) or {}
    document.setdefault("config", {}).update({f"dc-kom:{key}": value for key, value in SITE.items()})
    stack_file.write_text(yaml.safe_dump(document, sort_keys=False))
    tests = run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, env, check=True, timeout=300)
    assert "2 passed" in tests.stdout
    assert "+ 10 to create" in cli("preview", "--stack", "dc1").stdout
