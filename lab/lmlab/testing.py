"""Start and stop a lab from tests and benchmarks (through the real `lmlab` CLI)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .control import ControlClient
from .labdir import LabDir


class RunningLab:
    """A lab started with ``lmlab up`` in ``root``; stop it with :meth:`down`."""

    def __init__(self, root: Path) -> None:
        self.dir = LabDir(root)
        self.no_ad = False

    def cli_argv(self) -> list[str]:
        """``lmlab --lab-dir ROOT`` as an argv prefix."""
        return [sys.executable, "-m", "lmlab", "--lab-dir", str(self.dir.root)]

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``lmlab --lab-dir ROOT ARGS...``."""
        return subprocess.run([*self.cli_argv(), *args], capture_output=True, text=True, check=check, timeout=120)

    def up(self, *args: str) -> RunningLab:
        """Start the lab (extra args go to `lmlab up`, e.g. ``--hosts``). Once started with ``--no-ad``,
        later starts keep it: a test that restarts a lab without AD never starts a DC by accident."""
        self.no_ad = self.no_ad or "--no-ad" in args
        if self.no_ad and "--no-ad" not in args:
            args = (*args, "--no-ad")
        result = self.cli("up", *args, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"lmlab up failed: {result.stderr}{result.stdout}")
        return self

    def down(self) -> None:
        """Stop the lab and wait for its process to exit."""
        self.cli("down")

    @property
    def endpoints(self) -> dict[str, Any]:
        """endpoints.json of the running lab."""
        endpoints: dict[str, Any] = json.loads(self.dir.endpoints_file.read_text())
        return endpoints

    @property
    def winrm_password(self) -> str:
        """The lab's WinRM password."""
        return str(self.dir.secrets()["winrm"]["password"])

    @property
    def control(self) -> ControlClient:
        """A control-API client."""
        return ControlClient(self.endpoints["control_port"], self.dir.secrets()["control_token"])

    def host_endpoint(self, name: str, tls: bool = False) -> str:
        """A host's WinRM URL."""
        return str(self.endpoints["hosts"][name]["winrm_https" if tls else "winrm_http"])
