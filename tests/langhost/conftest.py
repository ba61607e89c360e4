"""Helpers for the language host's tests: a launcher for this checkout's host, and a host process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from lm_langhost.proto import language_pb2_grpc

LANGHOST_SRC = Path(__file__).resolve().parents[2] / "langhost"


def write_dev_launcher(directory: Path) -> Path:
    """A ``pulumi-language-python`` that runs this checkout's host with the test interpreter."""
    directory.mkdir(parents=True, exist_ok=True)
    launcher = directory / "pulumi-language-python"
    code = f"import runpy, sys; sys.path.insert(0, {str(LANGHOST_SRC)!r}); runpy.run_module('lm_langhost', run_name='__main__', alter_sys=True)"
    launcher.write_text(f'#!/bin/sh\nexec {sys.executable} -I -c "{code}" "$@"\n')
    launcher.chmod(0o755)
    return launcher


@dataclass
class HostProcess:
    """A running host: its process, port and a client stub."""

    process: subprocess.Popen[bytes]
    port: int
    stub: language_pb2_grpc.LanguageRuntimeStub
    log: Path

    def stop(self) -> tuple[int, bytes, bytes]:
        """SIGINT the host as the engine does; its exit code and what it wrote after the port line."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=15)
        return self.process.returncode, out, err


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
        host = HostProcess(process, port, language_pb2_grpc.LanguageRuntimeStub(channel), home / "logs" / "lm-langhost.log")
        started.append(host)
        return host

    yield start
    for host in started:
        if host.process.poll() is None:
            host.process.kill()
            host.process.wait()
