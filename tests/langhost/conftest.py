"""Fixtures for the language host's tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
from hostproc import HostProcess, write_dev_launcher

from lm_langhost.proto import language_pb2_grpc


@pytest.fixture
def start_host(tmp_path: Path) -> Iterator[Callable[..., HostProcess]]:
    """Start a host (``start_host(engine_address="", **env)``); stopped at the end of the test."""
    started: list[HostProcess] = []

    def start(engine_address: str = "127.0.0.1:1", **env: str) -> HostProcess:
        launcher = write_dev_launcher(tmp_path / "bin")
        home = tmp_path / "pulumi-home"
        environ = {**os.environ, "PULUMI_HOME": str(home), "PULUMI_PYTHON_CMD": sys.executable, **env}
        process = subprocess.Popen([str(launcher), "-v=9", engine_address], cwd=tmp_path, env=environ,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None
        port = int(process.stdout.readline())
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        stub = language_pb2_grpc.LanguageRuntimeStub(channel)
        host = HostProcess(process, port, stub, home / "logs" / "lm-langhost.log")
        started.append(host)
        return host

    yield start
    for host in started:
        if host.process.poll() is None:
            host.process.kill()
            host.process.wait()
