"""The real Pulumi CLI, offline, with this checkout's language host next to it.

The CLI looks for ``pulumi-language-python`` next to its own (resolved) binary, so a test toolchain
directory holds a hard link of the built CLI, this checkout's dynamic provider shim and a launcher
for this checkout's host: the tests exercise the lookup a user's machine does, without touching the
shared cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostproc import LANGHOST_SRC, write_dev_launcher

from lm_provider.engine import OfflineEngine, pulumi_root


def toolchain_root(directory: Path) -> Path:
    """A Pulumi root (``bin/``) with the built CLI, our shim and this checkout's host."""
    bin_dir = directory / "bin"
    bin_dir.mkdir(parents=True)
    cli = pulumi_root() / "bin" / "pulumi"
    try:
        os.link(cli.resolve(), bin_dir / "pulumi")
    except OSError:  # another file system
        shutil.copy2(cli.resolve(), bin_dir / "pulumi")
    shutil.copy2(LANGHOST_SRC / "bin" / "pulumi-resource-pulumi-python", bin_dir)
    write_dev_launcher(bin_dir)
    return directory


@dataclass
class Cli:
    """Runs ``pulumi`` with an offline engine's settings."""

    engine: OfflineEngine

    @property
    def env(self) -> dict[str, str]:
        """The full environment of a CLI run."""
        return {**os.environ, **self.engine.env}

    @property
    def pulumi(self) -> str:
        """The CLI binary."""
        return str(self.engine.root / "bin" / "pulumi")

    def __call__(self, *args: str, cwd: Path, check: bool = True,
                 timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run ``pulumi ARGS`` in ``cwd``; with ``check``, fail the test (showing the output) unless it succeeds."""
        result = subprocess.run([self.pulumi, *args, "--color", "never"], cwd=cwd, env=self.env, capture_output=True,
                                text=True, timeout=timeout, check=False)
        if check and result.returncode != 0:
            pytest.fail(f"pulumi {' '.join(args)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result


def offline_cli(base: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI on a fresh file backend (throwaway passphrase, isolated PULUMI_HOME) using this checkout's host."""
    monkeypatch.setenv("LM_PULUMI_ROOT", str(toolchain_root(base / "pulumi")))
    return Cli(OfflineEngine(base / "state", passphrase="throwaway-e2e-passphrase"))
