"""The repository's own Pulumi.yaml (`pulumi up` at the root) runs in the repository's virtualenv."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
from pathlib import Path

import pytest
from cli import offline_cli

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def test_the_root_project_previews_and_updates_in_the_repository_virtualenv(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (REPO / ".venv" / "bin" / "python").exists(), "run scripts/bootstrap first: it creates .venv"
    project = tmp_path / "lm-fabric"  # a copy, so that the stack's config file stays out of the repository
    project.mkdir()
    shutil.copy2(REPO / "Pulumi.yaml", project)
    shutil.copytree(REPO / "infra", project / "infra", ignore=shutil.ignore_patterns("__pycache__"))
    (project / ".venv").symlink_to(REPO / ".venv")
    cli = offline_cli(tmp_path, monkeypatch)
    cli("stack", "init", "dc1", cwd=project)
    assert "+ 1 to create" in cli("preview", cwd=project).stdout
    cli("up", "--yes", cwd=project)
    outputs = json.loads(cli("stack", "output", "--json", cwd=project).stdout)
    assert outputs["lmProviderVersion"] == importlib.metadata.version("lm-provider")
