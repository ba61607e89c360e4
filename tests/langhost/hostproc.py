"""A launcher for this checkout's language host, and a running host process to call over gRPC."""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from lm_langhost.proto import language_pb2_grpc

LANGHOST_SRC = Path(__file__).resolve().parents[2] / "langhost"


def write_dev_launcher(directory: Path) -> Path:
    """A ``pulumi-language-python`` that runs this checkout's host with the test interpreter."""
    directory.mkdir(parents=True, exist_ok=True)
    launcher = directory / "pulumi-language-python"
    code = (f"import runpy, sys; sys.path.insert(0, {str(LANGHOST_SRC)!r}); "
            "runpy.run_module('lm_langhost', run_name='__main__', alter_sys=True)")
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
