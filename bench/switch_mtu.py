"""Benchmark SwitchJumboMtu against the lab's switches: time and IOS commands of a read, an apply
without reload, a no-op apply and an apply with a reload, on both platforms.

    .venv/bin/python bench/switch_mtu.py [--repeat 10] [--reload-seconds 0.3]

Starts its own lab (no AD) in a temp directory, drives the resource logic directly (no Pulumi
engine) over one SSH session per switch, and prints JSON: medians over ``--repeat`` runs (ms) and
the commands each operation sent (the lab's call counts). The first create includes the SSH login
and ``show version``. A reload's time is the lab's ``reload_seconds`` plus the logins tried until the
switch answers; a real Catalyst takes minutes (see the README).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from lm_provider.models.switch import SwitchJumboMtuArgs
from lm_provider.resources.switch_mtu import SwitchJumboMtuLogic
from lmlab.testing import RunningLab
from switchlab import switch_logic

SITE = {"domain": "holding.com", "hosts": [{"name": "KOM-AD01-VM01", "os": "2012r2"}],
        "switches": [{"name": "KOM-SW01", "platform": "c3560g"}, {"name": "LAB-C9300", "platform": "c9300"}]}
VALUES = {"KOM-SW01": (9000, 8000), "LAB-C9300": (9198, 9000)}


def measure(lab: RunningLab, switch: str, action: Callable[..., Any], *args: Any) -> tuple[Any, dict[str, int], float]:
    """Run ``action(*args)``; its result, the commands it sent (by op) and its duration in ms."""
    lab.control.call("POST", "/calls/reset", {})
    start = time.perf_counter()
    result = action(*args)
    elapsed = (time.perf_counter() - start) * 1000
    counts = lab.control.call("GET", f"/devices/{switch}/calls")
    return result, {op: row["read"] + row["changing"] for op, row in counts.items()}, elapsed


def bench_switch(lab: RunningLab, logic: SwitchJumboMtuLogic, switch: str, repeat: int) -> dict[str, Any]:
    """Every measured operation of one switch."""
    high, low = VALUES[switch]
    args = SwitchJumboMtuArgs(switch, high)
    results: dict[str, Any] = {}
    created, commands, ms = measure(lab, switch, logic.create, args)
    results["first create (login, no reload)"] = {"ms": round(ms, 1), "commands": commands}
    state = created.state
    runs: dict[str, list[float]] = {"read": [], "no-op apply": [], "apply without reload": []}
    shown: dict[str, dict[str, int]] = {}
    for index in range(repeat):
        state, shown["read"], ms = measure(lab, switch, logic.read, created.id, state)
        runs["read"].append(ms)
        current = SwitchJumboMtuArgs(switch, state.mtu)
        state, shown["no-op apply"], ms = measure(lab, switch, logic.update, created.id, state, current)
        runs["no-op apply"].append(ms)
        other = SwitchJumboMtuArgs(switch, low if index % 2 == 0 else high)
        state, shown["apply without reload"], ms = measure(lab, switch, logic.update, created.id, state, other)
        runs["apply without reload"].append(ms)
    for name, times in runs.items():
        results[name] = {"ms": round(statistics.median(times), 1), "commands": shown[name]}
    reloading = SwitchJumboMtuArgs(switch, low if state.mtu == high else high, reload="if-needed")
    state, commands, ms = measure(lab, switch, logic.update, created.id, state, reloading)
    results["apply with reload" if "reload" in commands else "apply with reload allowed (none needed)"] = {
        "ms": round(ms, 1), "commands": commands}
    logic.delete(created.id, state)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--reload-seconds", type=float, default=0.3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site.yaml"
        site.write_text(yaml.safe_dump(SITE))
        lab = RunningLab(Path(tmp) / "lab").up("--site", str(site), "--no-ad")
        try:
            results: dict[str, Any] = {"repeat": options.repeat, "reload_seconds": options.reload_seconds}
            for switch in VALUES:
                lab.cli("drift", switch, f"reload_seconds={options.reload_seconds}")
                results[switch] = bench_switch(lab, switch_logic(lab), switch, options.repeat)
            print(json.dumps(results, indent=1))
        finally:
            lab.down()


if __name__ == "__main__":
    main()
