"""Benchmark HostsEntry and HostsEntries against the lab's hosts: remote invocations (from the lab's
call counts) and time per create / read / update / delete, for one entry and for one host's share
of a full mesh (a HostsEntries with N-1 lines), plus a whole N-host mesh.

    .venv/bin/python bench/hostsfile_mesh.py [--hosts 64] [--repeat 10]

Starts its own lab without the AD DC in a temp directory, drives the resource logic directly (no
Pulumi engine) over real WinRM and prints JSON. Times are medians over ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from lm_provider.models.hosts_text import HostsLine
from lm_provider.models.hostsfile import HostsEntriesArgs, HostsEntryArgs
from lm_provider.models.winrm import WinRmConfig
from lm_provider.resources.hosts import PooledConnector
from lm_provider.resources.hostsfile import HostsEntriesLogic, HostsEntryLogic
from lmlab.testing import RunningLab


class Counter:
    """Invocations on the lab's hosts, read from the control API."""

    def __init__(self, lab: RunningLab) -> None:
        self.lab = lab

    def total(self) -> dict[str, int]:
        status = self.lab.control.call("GET", "/status")
        totals = {"read": 0, "changing": 0}
        for device in status["hosts"].values():
            for row in device.get("calls", {}).values():
                totals["read"] += row["read"]
                totals["changing"] += row["changing"]
        return totals

    def measure(self, action: Callable[[], Any]) -> tuple[Any, dict[str, int], float]:
        """Run ``action``: its result, the invocations it made and its duration in ms."""
        before = self.total()
        start = time.perf_counter()
        result = action()
        elapsed = (time.perf_counter() - start) * 1000
        after = self.total()
        return result, {k: after[k] - before[k] for k in after}, elapsed


def lifecycle(counter: Counter, logic: Any, args: Any, changed: Any, repeat: int) -> dict[str, Any]:
    """create / read / update / delete ``repeat`` times: invocations of the first run, median ms."""
    rows: dict[str, dict[str, Any]] = {}

    def record(step: str, action: Callable[[], Any]) -> Any:
        result, calls, ms = counter.measure(action)
        row = rows.setdefault(step, {"invocations": calls, "ms": []})
        row["ms"].append(ms)
        return result

    for _ in range(repeat):
        created = record("create", partial(logic.create, args))
        state = record("read", partial(logic.read, created.id, created.state))
        record("reapply", partial(logic.update, created.id, state, args))
        state = record("update", partial(logic.update, created.id, state, changed))
        record("delete", partial(logic.delete, created.id, state))
    return {step: {"invocations": row["invocations"], "median_ms": round(statistics.median(row["ms"]), 1)}
            for step, row in rows.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=10)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lab = RunningLab(Path(tmp)).up("--hosts", str(options.hosts), "--no-ad")
        try:
            endpoints = {name: host["winrm_http"] for name, host in lab.endpoints["hosts"].items()}
            config = WinRmConfig(lab.endpoints["winrm_username"], lab.winrm_password, "ntlm", None,
                                 tuple(sorted((k.lower(), v) for k, v in endpoints.items())))
            connector = PooledConnector(config)
            counter = Counter(lab)
            hosts = sorted(endpoints)
            lm_ip = {h: f"10.160.{35 + i // 250}.{i % 250 + 1}" for i, h in enumerate(hosts)}

            def share(host: str) -> HostsEntriesArgs:
                return HostsEntriesArgs(host=host, entries=[HostsLine(lm_ip[p], [p, f"{p.lower()}.holding.com"])
                                                            for p in hosts if p != host])

            entry = HostsEntryArgs(host=hosts[0], address="10.160.35.200", name="backup01")
            one = share(hosts[0])
            results: dict[str, Any] = {
                "hosts": len(hosts),
                "HostsEntry": lifecycle(counter, HostsEntryLogic(connector), entry,
                                        replace(entry, aliases=["backup01.holding.com"]), options.repeat),
                f"HostsEntries ({len(one.entries)} lines)": lifecycle(
                    counter, HostsEntriesLogic(connector), one,
                    replace(one, entries=one.entries[:-1]), options.repeat),
            }
            mesh = HostsEntriesLogic(connector)
            created, calls, ms = counter.measure(lambda: [mesh.create(share(h)) for h in hosts])
            results["mesh up (sequential)"] = {"resources": len(hosts), "invocations": calls, "ms": round(ms, 1)}
            def destroy() -> None:
                for c in created:
                    mesh.delete(c.id, c.state)

            _, calls, ms = counter.measure(destroy)
            results["mesh destroy (sequential)"] = {"invocations": calls, "ms": round(ms, 1)}
            print(json.dumps(results, indent=2))
        finally:
            lab.down()


if __name__ == "__main__":
    main()
