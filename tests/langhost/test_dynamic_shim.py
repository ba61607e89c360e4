"""langhost/bin/pulumi-resource-pulumi-python: which interpreter runs the dynamic provider host."""

from __future__ import annotations

import subprocess
from pathlib import Path

SHIM = Path(__file__).resolve().parents[2] / "langhost" / "bin" / "pulumi-resource-pulumi-python"
REPORT = '#!/bin/sh\necho "$0 $* VIRTUAL_ENV=${VIRTUAL_ENV:-}"\n'


def python_at(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(REPORT)
    path.chmod(0o755)
    return path


def run(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SHIM), "127.0.0.1:1234"], check=False, cwd=cwd, env={"PATH": "/usr/bin:/bin", **env},
                          capture_output=True, text=True, timeout=30)


def test_a_relative_virtualenv_is_found_from_the_program_directory_below_the_project_root(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    python = python_at(tmp_path / "venv" / "bin" / "python")
    (tmp_path / "src").mkdir()
    result = run(tmp_path / "src", PULUMI_RUNTIME_VIRTUALENV="venv/", PULUMI_PYTHON_CMD="/no/such/python")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{python} -u -m pulumi.dynamic 127.0.0.1:1234 VIRTUAL_ENV={tmp_path / 'venv'}"


def test_an_absolute_virtualenv_and_uvs_default(tmp_path: Path) -> None:
    python = python_at(tmp_path / "env" / "bin" / "python")
    assert run(tmp_path, PULUMI_RUNTIME_VIRTUALENV=str(tmp_path / "env")).stdout.startswith(f"{python} -u -m")
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    uv_python = python_at(tmp_path / ".venv" / "bin" / "python")
    assert run(tmp_path, PULUMI_RUNTIME_TOOLCHAIN="uv").stdout.startswith(f"{uv_python} -u -m")


def test_a_missing_virtualenv_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    result = run(tmp_path, PULUMI_RUNTIME_VIRTUALENV="venv")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"The 'virtualenv' option in Pulumi.yaml is set to 'venv', but {tmp_path / 'venv'} is "
                             "not a virtual environment; run `pulumi install` to create it.\n")


def test_without_a_virtualenv_pulumi_python_cmd_then_python3(tmp_path: Path) -> None:
    mine = python_at(tmp_path / "tools" / "mypython")
    assert run(tmp_path, PULUMI_PYTHON_CMD=str(mine)).stdout.startswith(f"{mine} -u -m pulumi.dynamic")
    python3 = python_at(tmp_path / "tools" / "python3")
    found = run(tmp_path, PATH=str(python3.parent) + ":/usr/bin:/bin").stdout
    assert found.startswith(f"{python3} -u -m pulumi.dynamic")
