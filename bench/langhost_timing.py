"""Benchmark the Python language host: its start-up, and preview / up / no-change up of a minimal program.

    .venv/bin/python bench/langhost_timing.py [--runs 5]

Uses the CLI and the `pulumi-language-python` next to it (scripts/install-pulumi) on a throwaway
file backend. The minimal program runs without a virtualenv (PULUMI_PYTHON_CMD = this interpreter);
the same program inline through the Automation API (no language host) is the engine's baseline.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pulumi

from lm_provider.engine import OfflineEngine

PROGRAM = "import pulumi\n\npulumi.export('size', pulumi.Config().get('size') or 'small')\n"


def median_s(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def host_start_s(launcher: Path, home: Path) -> float:
    """Seconds from spawning the host to its port line (then it is stopped as the engine does)."""
    start = time.perf_counter()
    host = subprocess.Popen([str(launcher), "127.0.0.1:1"], stdout=subprocess.PIPE, cwd=home,
                            env={**os.environ, "PULUMI_HOME": str(home)})
    assert host.stdout is not None
    host.stdout.readline()
    elapsed = time.perf_counter() - start
    host.send_signal(signal.SIGINT)
    host.wait(timeout=30)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="lm-langhost-bench-") as tmp:
        base = Path(tmp)
        engine = OfflineEngine(base / "state")
        env = {**os.environ, **engine.env}
        pulumi_cli = str(engine.root / "bin" / "pulumi")
        project = base / "minimal"
        project.mkdir()
        (project / "Pulumi.yaml").write_text("name: minimal\nruntime: python\n")
        (project / "__main__.py").write_text(PROGRAM)

        def cli(*args: str) -> None:
            subprocess.run([pulumi_cli, *args], cwd=project, env=env, check=True, capture_output=True)

        launcher = engine.root / "bin" / "pulumi-language-python"
        start = median_s(lambda: host_start_s(launcher, engine.home_dir), runs * 2)
        cli("stack", "init", "bench")
        preview = median_s(lambda: cli("preview"), runs)
        changed = []
        for size in range(runs):
            cli("config", "set", "size", str(size))
            changed.append(median_s(lambda: cli("up", "--yes"), 1))
        up = statistics.median(changed)
        log = engine.home_dir / "logs" / "lm-langhost.log"
        before = log.read_text().count("serving on port")
        noop = median_s(lambda: cli("up", "--yes"), runs)
        hosts_per_up = (log.read_text().count("serving on port") - before) / runs
        noop_skip = median_s(lambda: cli("up", "--yes", "--skip-preview"), runs)
        inline = engine.inline_stack("inline", "bench", lambda: pulumi.export("size", "small"))
        inline.up()
        inline_noop = median_s(inline.up, runs)
    print(f"language host start-up (spawn to port line), median of {runs * 2}: {start:.2f} s")
    print(f"pulumi preview:                 {preview:.2f} s")
    print(f"pulumi up --yes (a change):     {up:.2f} s")
    print(f"pulumi up --yes (no change):    {noop:.2f} s  ({hosts_per_up:.0f} host processes per up)")
    print(f"pulumi up --yes --skip-preview (no change): {noop_skip:.2f} s")
    print(f"inline Automation API no-change up (no language host, no preview): {inline_noop:.2f} s")
    print(f"(median of {runs} runs; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
