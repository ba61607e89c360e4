"""Time of the test migration ring and of the audit (Kerberos) for 2, 6 and 16 hosts on the lab,
against the real Samba DC, with the lab's powershell.exe start cost on every host
(``process_start_ms=500``, a real-world delay) and without.

    flock /tmp/samba-dc.lock .venv/bin/python bench/migration_ring.py [--hosts 2 6 16] [--repeat 3]

For each size: its own lab (`lmlab up --hosts N`, the AD DC), the main job's program built with
`pulumi up` (the fabric, ticket purges included, test migration off), then ``--repeat`` rounds of
the ring run on its own (``run_ring``: create the probe, N moves, remove it) and of
`lm-provider audit --stack` (the console script: every host, the AD accounts, the switch; the
built site has no gap). Prints a table and JSON: median seconds, moves, the lab's invocations per
ring, and the audit's own time (its JSON's ``seconds``) and the whole command's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fabric_up import Bench

from lm_provider.models.ring import check_ring
from lm_provider.resources.ring import run_ring

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from labconfig import connector  # the tests' WinRM connector over a running lab

PROCESS_START_MS = (0, 500)


def ring_round(bench: Bench, hosts: list[dict[str, Any]]) -> dict[str, Any]:
    """One ring on its own: seconds, moves, and the invocations it made."""
    checked = check_ring({"hosts": [{"host": h["name"], "fqdn": h["fqdn"], "address": h["address"]} for h in hosts],
                          "subnet": "10.160.35.0/24"})
    assert checked.args is not None, checked.failures
    bench.lab.control.call("POST", "/calls/reset", {})
    start = time.perf_counter()
    state = run_ring(connector(bench.lab), checked.args)
    seconds = time.perf_counter() - start
    if not state.passed:
        raise SystemExit("the ring failed: " + "; ".join(state.failures))
    calls = bench.lab.control.call("GET", "/status")["hosts"]
    scripts = sum(row["read"] + row["changing"] for device in calls.values() for row in device["calls"].values())
    return {"seconds": seconds, "moves": len(state.pairs), "scripts": scripts}


def audit_round(bench: Bench) -> tuple[float, float]:
    """One `lm-provider audit --stack bench`: the command's wall time and the audit's own."""
    script = Path(sys.executable).parent / "lm-provider"
    start = time.perf_counter()
    result = subprocess.run([str(script), "audit", "--stack", "bench", "--cwd", str(bench.project), "--json", "-"],
                            env=bench.env, capture_output=True, text=True, timeout=600, check=False)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"the audit found gaps or failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return wall, float(json.loads(result.stdout)["seconds"])


def measure(size: int, repeat: int) -> list[dict[str, Any]]:
    """Ring rounds on a lab of ``size`` hosts, built once with `pulumi up`."""
    with tempfile.TemporaryDirectory(prefix="lm-ring-bench-") as tmp:
        bench = Bench(Path(tmp), ["--hosts", str(size)])
        try:
            bench.run("pulumi", "up", "--yes", "--stack", "bench")
            hosts = bench.config["config"]["lm-fabric:hosts"]
            rows = []
            for delay in PROCESS_START_MS:
                for name in bench.hosts:
                    bench.lab.cli("knob", name, f"process_start_ms={delay}")
                rounds = [ring_round(bench, hosts) for _ in range(repeat)]
                audits = [audit_round(bench) for _ in range(repeat)]
                rows.append({"hosts": size, "process_start_ms": delay, "moves": rounds[0]["moves"],
                             "scripts": rounds[0]["scripts"],
                             "ring_seconds": statistics.median(r["seconds"] for r in rounds),
                             "audit_seconds": statistics.median(a[1] for a in audits),
                             "audit_command_seconds": statistics.median(a[0] for a in audits)})
            return rows
        finally:
            bench.lab.down()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, nargs="+", default=[2, 6, 16])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [row for size in args.hosts for row in measure(size, args.repeat)]
    print(f"{'hosts':>5} {'ps start':>9} {'moves':>5} {'scripts':>7} {'ring s':>8} {'audit s':>8} {'command s':>10}")
    for row in rows:
        print(f"{row['hosts']:>5} {row['process_start_ms']:>7}ms {row['moves']:>5} {row['scripts']:>7} "
              f"{row['ring_seconds']:>8.2f} {row['audit_seconds']:>8.2f} {row['audit_command_seconds']:>10.2f}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
