"""scripts/install-pulumi's decisions that need no build: reuse a CLI on PATH (and an official Python
language host next to it), stop clearly without Go."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install-pulumi"


def fake_pulumi(directory: Path, version: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    cli = directory / "pulumi"
    cli.write_text(f"#!/bin/sh\necho v{version}\n")
    cli.chmod(0o755)
    return cli


def run(tmp_path: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path, "HOME": str(tmp_path), "LM_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


def test_a_new_enough_cli_on_path_is_used_and_gets_the_python_plugin(tmp_path: Path) -> None:
    cli = fake_pulumi(tmp_path / "tools", "9.9.9")
    official = cli.parent / "pulumi-language-python"  # a normal install ships the official language host
    official.write_text("#!/bin/sh\n")
    official.chmod(0o755)
    result = run(tmp_path, f"{cli.parent}:/usr/bin:/bin")
    assert result.returncode == 0, result.stderr
    bin_dir = Path(result.stdout.strip().splitlines()[-1])
    assert (bin_dir / "pulumi").resolve() == cli.resolve()
    plugin = (bin_dir / "pulumi-resource-pulumi-python").read_text()
    assert '-m pulumi.dynamic "$@"' in plugin and os.access(bin_dir / "pulumi-resource-pulumi-python", os.X_OK)
    assert f"using the official Python language host {official}" in result.stderr
    assert not (bin_dir / "pulumi-language-python").exists()
    assert not (tmp_path / "cache" / "langhost").exists()
    again = run(tmp_path, f"{bin_dir}:{cli.parent}:/usr/bin:/bin")  # the cache dir itself on PATH
    assert again.returncode == 0
    assert (bin_dir / "pulumi").resolve() == cli.resolve()  # not linked onto itself


def test_without_go_and_without_a_new_enough_cli_it_points_to_the_installer(tmp_path: Path) -> None:
    old = fake_pulumi(tmp_path / "tools", "3.100.0")
    result = run(tmp_path, f"{old.parent}:/usr/bin:/bin")
    assert result.returncode == 1
    assert "no Go toolchain" in result.stderr
    assert "https://www.pulumi.com/docs/install/" in result.stderr
