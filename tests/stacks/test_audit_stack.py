"""``lm-provider audit --stack``: the site a Pulumi stack's configuration describes, its secrets
decrypted by the real CLI (PULUMI_CONFIG_PASSPHRASE), read without a program; a wrong passphrase
is one line naming the stack."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from stackcli import REPO, StackCli, copy_project

from auditlab import ADDRESSES, AuditSite, fabric_config, fresh_site, gaps
from lmlab.testing import RunningLab

pytestmark = [pytest.mark.e2e, pytest.mark.lab]
STACK = "dc1"


def audit(cli: StackCli, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "lm-provider"
    return subprocess.run([str(script), "audit", "--stack", STACK, "--cwd", str(cli.project), "--json", "-"],
                          env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def site(lab: RunningLab, tmp_path: Path) -> Iterator[AuditSite]:
    yield from fresh_site(lab, tmp_path, "CredSSP")


def test_a_stack_configuration_is_audited_with_its_secrets_and_a_wrong_passphrase_is_one_line(
        site: AuditSite, tmp_path: Path) -> None:
    lab = site.lab
    project = copy_project(REPO, tmp_path / "lm-fabric", "Pulumi.yaml")
    cli = StackCli(project, tmp_path / "state")
    cli.new_stack(STACK, lab)
    stack_file = project / f"Pulumi.{STACK}.yaml"
    document = yaml.safe_load(stack_file.read_text())
    document["config"].update(fabric_config("CredSSP"))
    stack_file.write_text(yaml.safe_dump(document, sort_keys=False))
    assert "secure:" in stack_file.read_text()  # the passwords are encrypted in the stack file

    result = audit(cli, cli.env)
    assert result.returncode == 1, result.stderr
    found = gaps(json.loads(result.stdout))
    assert {h for h, r in found if r == "jumbo-packet"} == set(ADDRESSES)
    assert lab.winrm_password not in result.stdout + result.stderr

    wrong = audit(cli, {**cli.env, "PULUMI_CONFIG_PASSPHRASE": "not the passphrase"})
    assert wrong.returncode == 2 and wrong.stdout == ""
    lines = wrong.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"lm-provider audit: stack {STACK}: pulumi config --stack "
                                                   f"{STACK} failed in {project}: "), wrong.stderr
    assert "passphrase" in lines[0]
