"""scripts/install-pulumi installs our host (its own virtualenv in the cache, a launcher next to the CLI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2

from lm_langhost import __version__
from lm_langhost.proto import language_pb2_grpc

pytestmark = pytest.mark.e2e  # pip-installs grpcio and pulumi from the package index
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install-pulumi"


def install(tmp_path: Path, tools: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{tools}:{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path),
           "LM_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600, check=False)


def test_without_an_official_host_ours_is_installed_next_to_the_cli_once(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "pulumi").write_text("#!/bin/sh\necho v9.9.9\n")
    (tools / "pulumi").chmod(0o755)
    first = install(tmp_path, tools)
    assert first.returncode == 0, first.stderr
    bin_dir = Path(first.stdout.strip().splitlines()[-1])
    launcher = bin_dir / "pulumi-language-python"
    venv = tmp_path / "cache" / "langhost" / "venv"
    assert launcher.read_text().endswith(f'exec "{venv}/bin/python" -I -m lm_langhost "$@"\n')

    host = subprocess.Popen([str(launcher), "127.0.0.1:1"], cwd=tmp_path, env={"PATH": "/usr/bin:/bin",
                            "PULUMI_HOME": str(tmp_path / "home")}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert host.stdout is not None
        port = int(host.stdout.readline())
        stub = language_pb2_grpc.LanguageRuntimeStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
        assert stub.GetPluginInfo(empty_pb2.Empty(), timeout=30).version == __version__
    finally:
        host.terminate()
        assert host.wait(timeout=15) == 0
    assert "installing the Python language host" in first.stderr
    again = install(tmp_path, tools)
    assert again.returncode == 0 and "installing the Python language host" not in again.stderr
