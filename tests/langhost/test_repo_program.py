"""The repository's own Pulumi.yaml (`pulumi up` at the root) runs in the repository's virtualenv.

No lab here (tests/stacks/test_main_job.py builds the site): a preview of the `lab` stack plans
the reference site, and a stack without the site's keys fails with one line naming them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from cli import offline_cli

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def test_the_root_project_plans_the_stack_site_in_the_repository_virtualenv(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (REPO / ".venv" / "bin" / "python").exists(), "run scripts/bootstrap first: it creates .venv"
    project = tmp_path / "lm-fabric"  # a copy, so that the stacks' config files stay out of the repository
    project.mkdir()
    shutil.copy2(REPO / "Pulumi.yaml", project)
    site = yaml.safe_load((REPO / "Pulumi.lab.yaml").read_text())["config"]  # without what a demo run added
    (project / "Pulumi.lab.yaml").write_text(yaml.safe_dump({"config": {
        k: v for k, v in site.items() if k.startswith("lm-fabric:")}}))
    shutil.copytree(REPO / "infra", project / "infra", ignore=shutil.ignore_patterns("__pycache__"))
    (project / ".venv").symlink_to(REPO / ".venv")
    cli = offline_cli(tmp_path, monkeypatch)
    cli("stack", "init", "lab", cwd=project)
    cli("config", "set", "authentication", "CredSSP", cwd=project)  # Kerberos would need the DC's lm:ldap* keys
    cli("config", "set", "testMigration", "false", cwd=project)  # the test migration needs Kerberos
    preview = cli("preview", cwd=project).stdout
    assert "+ 10 to create" in preview  # stack, fabric; per host NIC, settings, hosts entries; switch; path check
    assert "lab-nic-KOM-AD01-VM01" in preview

    cli("stack", "init", "dc1", cwd=project)
    empty = cli("preview", cwd=project, check=False)
    assert empty.returncode != 0
    assert ("error: LiveMigrationFabric: 3 problems: lm-fabric:subnet: is required (set it in Pulumi.<stack>.yaml); "
            "lm-fabric:hosts: is required") in empty.stdout
    assert "Traceback" not in empty.stdout + empty.stderr
