"""HostsEntry and HostsEntries through the real Pulumi engine against the lab's hosts.

50 HostsEntry resources of one program on one host are created concurrently (the engine's default
parallelism): every entry lands once and every original line stays. A six-host mesh is six
HostsEntries (one per host, one invocation each). No-op ``up`` and ``refresh`` change nothing;
destroy gives back every file byte for byte. The lab's call counts show the round trips.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
from harness import EngineHarness

from labconfig import stack_config
from lm_provider import HostsEntries, HostsEntry, HostsLine
from lmlab.testing import RunningLab

pytestmark = [pytest.mark.e2e, pytest.mark.lab]
ENTRY = "pulumi-python:dynamic/lm:HostsEntry"
ENTRIES = "pulumi-python:dynamic/lm:HostsEntries"
ORIGINAL = ("# Copyright (c) 1993-2009 Microsoft Corp.\r\n"
            "10.9.9.1 build01 build01.holding.com # the build server\r\n"
            "10.9.9.10 hv10   # a name that contains another\r\n"
            "\r\n"
            "#\t127.0.0.1       localhost\r\n")


def calls(lab: RunningLab, host: str) -> dict[str, dict[str, int]]:
    snapshot: dict[str, dict[str, int]] = lab.control.call("GET", f"/devices/{host}/calls")
    return snapshot


def hosts_file(lab: RunningLab, host: str) -> str:
    text: str = lab.control.call("GET", f"/devices/{host}")["hosts_file"]
    return text


def harness(lab: RunningLab, tmp_path: Path, project: str, program: Any) -> EngineHarness:
    engine = EngineHarness(tmp_path / "state", project, "lab", program)
    engine.stack.set_all_config(stack_config(lab))
    return engine


def test_fifty_concurrent_entries_on_one_host_all_land_and_every_original_line_stays(
        clean_lab: RunningLab, tmp_path: Path) -> None:
    host = "KOM-AD01-VM01"
    clean_lab.cli("drift", host, f"hosts_file={ORIGINAL}")
    names = [f"vm{i:02d}" for i in range(50)]

    def program() -> None:
        for i, name in enumerate(names):
            HostsEntry(f"entry-{name}", host=host, address=f"10.160.36.{i + 1}", name=name,
                       aliases=[f"{name}.holding.com"])

    engine = harness(clean_lab, tmp_path, "hosts-fifty", program)
    clean_lab.control.call("POST", "/calls/reset", {})
    up = engine.up()
    assert all(up.ops(ENTRY, f"entry-{n}") == ["create"] for n in names)
    text = hosts_file(clean_lab, host)
    assert text.startswith(ORIGINAL)
    added = text[len(ORIGINAL):].split("\r\n")
    assert added[-1] == "" and len(added) == 51
    by_name = {line.split()[1]: line for line in added[:-1]}
    assert sorted(by_name) == names
    assert all(by_name[n].startswith(f"10.160.36.{i + 1} {n} {n}.holding.com # lm-provider:")
               for i, n in enumerate(names))
    assert len({line.rsplit(":", 1)[1] for line in added[:-1]}) == 50  # fifty owners
    assert calls(clean_lab, host) == {"hostsfile.apply": {"read": 0, "changing": 50}}
    assert clean_lab.winrm_password not in engine.state_file.read_text()

    clean_lab.control.call("POST", "/calls/reset", {})
    again = engine.up()
    assert again.result.summary.resource_changes == {"same": 51}
    refresh = engine.refresh()
    assert "update" not in (refresh.result.summary.resource_changes or {})
    assert calls(clean_lab, host) == {"hostsfile.read": {"read": 50, "changing": 0}}

    clean_lab.control.call("POST", "/calls/reset", {})
    destroy = engine.destroy()
    assert destroy.result.summary.resource_changes == {"delete": 51}
    assert calls(clean_lab, host) == {"hostsfile.apply": {"read": 0, "changing": 50}}
    assert hosts_file(clean_lab, host) == ORIGINAL


def test_a_six_host_mesh_is_six_sets_one_invocation_each(clean_lab: RunningLab, tmp_path: Path) -> None:
    hosts = sorted(clean_lab.endpoints["hosts"])
    lm_ip = {h: f"10.160.35.{i + 1}" for i, h in enumerate(hosts)}
    before = {h: hosts_file(clean_lab, h) for h in hosts}

    def program() -> None:
        for host in hosts:
            mesh = HostsEntries(f"hosts-{host}", host=host, entries=[
                HostsLine(lm_ip[p], [p, f"{p.lower()}.holding.com"]) for p in hosts if p != host])
            pulumi.export(host, mesh.lines)

    engine = harness(clean_lab, tmp_path, "hosts-mesh", program)
    clean_lab.control.call("POST", "/calls/reset", {})
    up = engine.up()
    assert all(up.ops(ENTRIES, f"hosts-{h}") == ["create"] for h in hosts)
    for host in hosts:
        lines = up.result.outputs[host].value
        assert [line.split(" # ")[0] for line in lines] == [
            f"{lm_ip[p]} {p} {p.lower()}.holding.com" for p in hosts if p != host]
        assert hosts_file(clean_lab, host) == before[host] + "".join(f"{line}\r\n" for line in lines)
        assert calls(clean_lab, host) == {"hostsfile.apply": {"read": 0, "changing": 1}}

    clean_lab.control.call("POST", "/calls/reset", {})
    assert engine.up().result.summary.resource_changes == {"same": len(hosts) + 1}
    engine.refresh()
    assert all(calls(clean_lab, h) == {"hostsfile.read": {"read": 1, "changing": 0}} for h in hosts)

    engine.destroy()
    assert {h: hosts_file(clean_lab, h) for h in hosts} == before
