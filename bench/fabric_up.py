"""Wall time and remote invocations of `pulumi up` of the main job's program (infra/) on the lab: from
empty and a no-op `up`, for the reference site (`lmlab up`) and a 16-host site (`lmlab up --hosts
16`), with the lab's powershell.exe start cost on every host (`process_start_ms=500`) and without.

    flock /tmp/samba-dc.lock .venv/bin/python bench/fabric_up.py [--no-ad] [--hosts 16] [--repeat 3]

Starts its own labs in a temp directory (with the AD DC unless --no-ad, then CredSSP: no
delegations), runs the real CLI (`pulumi up --yes`, preview included, as users run it) on a copy of
the repository's project with a stack describing every host cabled by its second port, and prints
a table and JSON. Times are medians of ``--repeat`` rounds (each round: both settings, alternating,
on a lab reset to its start); invocations are the lab's call counts (the same in every round):
scripts per host (reads and changes) and commands per switch. The 3560G reloads in 1 s
(`reload_seconds=1`), as in the demo.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from lm_provider.engine import OfflineEngine
from lmlab.site import Site
from lmlab.testing import RunningLab

REPO = Path(__file__).resolve().parents[1]
STACK = "bench"
PROCESS_START_MS = (0, 500)


def site_config(site: Site, kerberos: bool) -> dict[str, Any]:
    """The stack configuration of a fabric over every host the site cables by its "Ethernet 2"."""
    cables = [c for c in site.cabling if c.adapter == "Ethernet 2"]
    hosts = [{"name": c.host, "fqdn": f"{c.host}.{site.domain}", "address": f"10.160.35.{60 + i}",
              "adapterName": c.adapter, "switch": c.switch, "port": c.port} for i, c in enumerate(cables)]
    switches = sorted({c.switch for c in cables})
    return {"config": {"lm-fabric:subnet": "10.160.35.0/24", "lm-fabric:hosts": hosts,
                       "lm-fabric:authentication": "Kerberos" if kerberos else "CredSSP",
                       "lm-fabric:switches": [{"name": s, "mtu": 9000, "reload": "if-needed"} for s in switches]}}


class Bench:
    """One lab, one copy of the project, one stack."""

    def __init__(self, root: Path, lab_args: list[str]) -> None:
        self.lab = RunningLab(root / "lab").up(*lab_args)
        self.kerberos = "unavailable" not in self.lab.endpoints.get("ad", {"unavailable": "--no-ad"})
        self.project = root / "lm-fabric"
        self.project.mkdir()
        shutil.copy2(REPO / "Pulumi.yaml", self.project)
        shutil.copytree(REPO / "infra", self.project / "infra", ignore=shutil.ignore_patterns("__pycache__"))
        (self.project / ".venv").symlink_to(REPO / ".venv")
        config = self.config = site_config(self.lab.dir.site(), self.kerberos)
        self.hosts = [h["name"] for h in config["config"]["lm-fabric:hosts"]]
        self.switches = [s["name"] for s in config["config"]["lm-fabric:switches"]]
        (self.project / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump(config))
        self.env = {**os.environ, **OfflineEngine(root / "state", passphrase="bench-passphrase").env}
        self.run("pulumi", "stack", "init", STACK)
        self.run(*self.lab.cli_argv(), "pulumi-config", "--stack", STACK)

    def run(self, *argv: str) -> None:
        """Run a command in the project; on failure, exit with its output."""
        result = subprocess.run(argv, cwd=self.project, env=self.env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.exit(f"{' '.join(argv[:3])} failed:\n{result.stdout}\n{result.stderr}")

    def timed(self, *args: str) -> dict[str, Any]:
        """Wall time of `pulumi ARGS` and the invocations it made (per host on average, per switch)."""
        self.lab.control.call("POST", "/calls/reset", {})
        start = time.perf_counter()
        self.run("pulumi", *args, "--yes", "--stack", STACK)
        seconds = time.perf_counter() - start
        status = self.lab.control.call("GET", "/status")
        calls = {name: status["hosts"].get(name, status["switches"].get(name))["calls"]
                 for name in (*self.hosts, *self.switches)}

        def total(names: list[str], kind: str) -> int:
            return sum(row[kind] for name in names for row in calls[name].values())

        return {"seconds": round(seconds, 1),
                "per_host": {k: round(total(self.hosts, k) / len(self.hosts), 2) for k in ("read", "changing")},
                "switch_commands": {k: total(self.switches, k) for k in ("read", "changing")}}

    def measure(self, process_start_ms: int) -> dict[str, Any]:
        """up from empty, a no-op up and destroy, on a lab reset to its start."""
        self.lab.control.call("POST", "/reset", {})
        for switch in self.switches:
            self.lab.cli("drift", switch, "reload_seconds=1")
        for host in self.lab.endpoints["hosts"]:
            self.lab.cli("knob", host, f"process_start_ms={process_start_ms}")
        return {"up": self.timed("up"), "noop_up": self.timed("up"), "destroy": self.timed("destroy")}


def median_of(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Per step, the median wall time over the rounds and the invocations (identical in every round)."""
    result = {}
    for step in rounds[0]:
        counts = [{k: v for k, v in r[step].items() if k != "seconds"} for r in rounds]
        if any(c != counts[0] for c in counts):
            sys.exit(f"{step}: the invocations differ between rounds: {counts}")
        result[step] = {"seconds": round(statistics.median(r[step]["seconds"] for r in rounds), 1),
                        "rounds": [r[step]["seconds"] for r in rounds], **counts[0]}
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=16, help="hosts of the larger site (default 16)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per site (default 3)")
    parser.add_argument("--no-ad", action="store_true", help="no AD DC: CredSSP, no delegations")
    options = parser.parse_args()
    extra = ["--no-ad"] if options.no_ad else []
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, lab_args in (("reference site (2 hosts)", []), (f"{options.hosts}-host site",
                                                                    ["--hosts", str(options.hosts)])):
            bench = Bench(Path(tmp) / label.split()[0], [*lab_args, *extra])
            try:
                rounds: dict[int, list[dict[str, Any]]] = {ms: [] for ms in PROCESS_START_MS}
                for index in range(options.repeat):
                    for ms in PROCESS_START_MS if index % 2 == 0 else reversed(PROCESS_START_MS):
                        rounds[ms].append(bench.measure(ms))
                results[label] = {"kerberos": bench.kerberos, "hosts": len(bench.hosts),
                                  **{f"process_start_ms={ms}": median_of(rounds[ms]) for ms in PROCESS_START_MS}}
            finally:
                bench.lab.down()
    print(f"{'site':26} {'powershell start':>16} {'up s':>6} {'inv/host':>9} {'no-op s':>8} {'inv/host':>9} "
          f"{'destroy s':>9}")
    for label, result in results.items():
        for ms in PROCESS_START_MS:
            row = result[f"process_start_ms={ms}"]
            print(f"{label:26} {f'{ms} ms':>16} {row['up']['seconds']:>6} "
                  f"{sum(row['up']['per_host'].values()):>9} {row['noop_up']['seconds']:>8} "
                  f"{sum(row['noop_up']['per_host'].values()):>9} {row['destroy']['seconds']:>9}")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
