"""The uv toolchain through the real CLI: `pulumi install` with uv, then an update with a dynamic resource
(whose provider host finds uv's `.venv` from PULUMI_RUNTIME_TOOLCHAIN)."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli import offline_cli

pytestmark = pytest.mark.e2e  # installs uv, then pulumi with it, from the package index
PROJECT = Path(__file__).parent / "e2e_project"


def test_a_uv_project_installs_and_updates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--target",
                    str(tmp_path / "uv"), "uv"], check=True)
    monkeypatch.setenv("PATH", f"{tmp_path / 'uv' / 'bin'}:{Path(sys.executable).parent}:/usr/bin:/bin")
    cli = offline_cli(tmp_path, monkeypatch)
    project = tmp_path / "uv-project"
    shutil.copytree(PROJECT / "src", project)
    (project / "Pulumi.yaml").write_text("name: uv-project\nruntime:\n  name: python\n  options:\n    toolchain: uv\n"
                                         "main: prog.py\n")
    (project / "requirements.txt").write_text(f"pulumi=={importlib.metadata.version('pulumi')}\n")
    cli("install", cwd=project)
    assert (project / ".venv" / "bin" / "python").exists()
    cli("stack", "init", "dev", cwd=project)
    cli("config", "set", "path", str(tmp_path / "note.txt"), cwd=project)
    cli("config", "set", "content", "made with uv", cwd=project)
    cli("config", "set", "--secret", "token", "tok", cwd=project)
    assert "+ 2 created" in cli("up", "--yes", cwd=project).stdout
    assert (tmp_path / "note.txt").read_text() == "made with uv"
    about = cli("about", cwd=project).stdout
    assert f"executable='{project / '.venv' / 'bin' / 'python'}'" in about and "toolchain='uv'" in about
