"""Driving the lab's vm.* and kerberos.purge ops over real WinRM without SDK code (a raw script with the
op marker), and preparing two hosts for a live migration; importable by name from any test directory."""

from __future__ import annotations

import json
from typing import Any

import winrm

from lmlab.testing import RunningLab

MVSMS = "Microsoft Virtual System Migration Service"
MARKER = "lm-provider:probe"
PROBE = "LM-PROBE-01"
STORAGE = "C:\\ClusterStorage\\lm-probe"
ADDRESS = {"KOM-AD01-VM01": "10.160.35.60", "KOM-AD01-VM02": "10.160.35.61", "LAB-2016": "10.160.35.62"}


def run(lab: RunningLab, host: str, op: str, params: dict[str, Any] | None = None) -> winrm.Response:
    """One op script on ``host`` over WinRM (NTLM, message encryption), as the SDK would send it."""
    session = winrm.Session(lab.host_endpoint(host), auth=("HOLDING\\lmadmin", lab.winrm_password), transport="ntlm")
    script = f"# lm-provider-op: {op}\n$LmParams = @'\n{json.dumps(params or {})}\n'@ | ConvertFrom-Json\n"
    return session.run_ps(script)


def ok(response: winrm.Response) -> Any:
    """The op's JSON answer; fails the test with the error text otherwise."""
    assert response.status_code == 0, response.std_err.decode()
    return json.loads(response.std_out)


def failed(response: winrm.Response) -> str:
    """The error text of a failed op (exit code 1)."""
    assert response.status_code == 1, response.std_out.decode()
    return str(response.std_err.decode())


def model(lab: RunningLab, host: str) -> dict[str, Any]:
    """The host's whole model (control API)."""
    found: dict[str, Any] = lab.control.call("GET", f"/devices/{host}")
    return found


def ready_for_migration(lab: RunningLab, host: str, authentication: str = "Kerberos") -> None:
    """The host's migration adapter on 10.160.35.0/24 (static), live migration on over that network,
    vmms restarted so that its listener is up."""
    data = model(lab, host)
    lm = next(a for a in data["adapters"] if a["name"] == "Ethernet 2")
    lm.update(dhcp=False, ipv4_addresses=[{"ip_address": ADDRESS[host], "prefix_length": 24}])
    data["migration"].update(enabled=True, authentication_type=authentication,
                             networks=[{"subnet": "10.160.35.0/24", "priority": 0}])
    lab.control.call("PUT", f"/devices/{host}", data)
    lab.control.call("POST", f"/devices/{host}/restart-vmms", {})


def new_probe(lab: RunningLab, host: str) -> dict[str, Any]:
    """vm.new of the probe VM on ``host``."""
    answer: dict[str, Any] = ok(run(lab, host, "vm.new", {"Name": PROBE, "Marker": MARKER, "StoragePath": STORAGE}))
    return answer


def move(lab: RunningLab, source: str, destination: str, name: str = PROBE) -> winrm.Response:
    """vm.move of ``name`` from ``source`` to ``destination`` (as given)."""
    return run(lab, source, "vm.move", {"Name": name, "Marker": MARKER, "DestinationHost": destination,
                                        "StoragePath": STORAGE})


def vm_names(lab: RunningLab, host: str) -> list[str]:
    """vm.list's names."""
    return [vm["Name"] for vm in ok(run(lab, host, "vm.list"))]
