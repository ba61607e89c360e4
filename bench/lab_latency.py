"""Benchmark the lab: start time, WinRM round trips per auth mode, switch latency, memory.

    .venv/bin/python bench/lab_latency.py [--hosts 64] [--calls 50]

Starts its own lab (without AD) in a temp directory and prints the numbers the issues ask for.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import winrm
from netmiko import ConnectHandler

from lmlab.testing import RunningLab

FACTS = "# lm-provider-op: host.facts\n$LmParams = @'\n{}\n'@ | ConvertFrom-Json\n"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def median_ms(action, calls: int) -> float:
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=64)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lab = RunningLab(Path(tmp))
        start = time.perf_counter()
        lab.up("--hosts", str(args.hosts), "--no-ad")
        started = time.perf_counter() - start
        endpoints = lab.endpoints
        host = next(iter(endpoints["hosts"]))
        results = {"hosts": args.hosts, "switches": len(endpoints["switches"]), "start_s": round(started, 2),
                   "rss_after_start_mib": round(rss_mib(endpoints["pid"]), 1)}
        ntlm = winrm.Session(lab.host_endpoint(host), auth=("HOLDING\\lmadmin", lab.winrm_password), transport="ntlm")
        basic = winrm.Session(lab.host_endpoint(host, tls=True), auth=("lmadmin", lab.winrm_password), transport="ssl",
                              ca_trust_path=endpoints["ca_file"])
        results["run_ps_median_ms_ntlm_http"] = round(median_ms(lambda: ntlm.run_ps(FACTS), args.calls), 1)
        results["run_ps_median_ms_basic_https"] = round(median_ms(lambda: basic.run_ps(FACTS), args.calls), 1)
        sessions = [winrm.Session(lab.host_endpoint(h), auth=("HOLDING\\lmadmin", lab.winrm_password), transport="ntlm")
                    for h in endpoints["hosts"]]
        start = time.perf_counter()
        for session in sessions:
            session.run_ps(FACTS)
        results["facts_all_hosts_sequential_s"] = round(time.perf_counter() - start, 2)
        switch = next(iter(endpoints["switches"].values()))
        creds = lab.dir.secrets()["switch"]

        def connect():
            return ConnectHandler(device_type="cisco_ios", host=switch["host"], port=switch["port"],
                                  username=creds["username"], password=creds["password"], secret=creds["enable_secret"],
                                  ssh_strict=True, system_host_keys=False, alt_host_keys=True,
                                  alt_key_file=endpoints["known_hosts"])

        connect_samples = []
        for _ in range(5):
            start = time.perf_counter()
            conn = connect()
            connect_samples.append((time.perf_counter() - start) * 1000)
            conn.disconnect()
        results["switch_connect_median_ms"] = round(statistics.median(connect_samples), 1)
        conn = connect()
        command_ms = median_ms(lambda: conn.send_command("show system mtu"), args.calls)
        results["switch_command_median_ms"] = round(command_ms, 1)
        conn.disconnect()
        results["rss_after_load_mib"] = round(rss_mib(endpoints["pid"]), 1)
        lab.down()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
