"""The lmlab CLI and control plane: commands, refusals, and secrets kept out of what it prints."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from netmiko import ConnectHandler

from lmlab.control import ControlClient, ControlError
from lmlab.testing import RunningLab
from lmlab.tls import dns_names

pytestmark = pytest.mark.lab
HOST = "KOM-AD01-VM01"


def every_secret(lab: RunningLab) -> list[str]:
    secrets = lab.dir.secrets()
    values = [secrets["control_token"], *secrets["ad"].values()]
    values += [secrets["winrm"]["password"], secrets["switch"]["password"], secrets["switch"]["enable_secret"]]
    return values


def test_status_show_and_endpoints_name_everything_but_no_secret(lab: RunningLab) -> None:
    status = lab.cli("status").stdout
    assert f"host {HOST}" in status and "switch KOM-SW01" in status and lab.host_endpoint(HOST) in status
    as_json = lab.cli("status", "--json").stdout
    shown = lab.cli("show", HOST).stdout
    assert json.loads(shown)["name"] == HOST
    published = [status, as_json, shown, lab.dir.endpoints_file.read_text(), lab.dir.log_file.read_text()]
    for secret in every_secret(lab):
        assert all(secret not in text for text in published)


def test_secret_files_are_private(lab: RunningLab) -> None:
    for path in (lab.dir.secrets_file, lab.dir.ntlm_users, lab.dir.tls_dir / "ca.key"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(lab.dir.root.stat().st_mode) == 0o700


def test_control_api_needs_the_token(lab: RunningLab) -> None:
    with pytest.raises(ControlError, match="bad or missing control token"):
        ControlClient(lab.endpoints["control_port"], "wrong-token").call("GET", "/status")


def test_knob_cli_validates_and_persists(clean_lab: RunningLab) -> None:
    bad = clean_lab.cli("knob", HOST, "fault=bogus", check=False)
    assert bad.returncode == 1 and "fault must be one of http500, drop, timeout" in bad.stderr
    unknown = clean_lab.cli("knob", HOST, "speed=1", check=False)
    assert unknown.returncode == 1 and "unknown knob 'speed'" in unknown.stderr
    switch_fault = clean_lab.cli("knob", "KOM-SW01", "fault=http500", check=False)
    assert switch_fault.returncode == 1 and "drop, refuse-login" in switch_fault.stderr
    assert json.loads(clean_lab.cli("knob", HOST.lower(), "latency_ms=5").stdout)["latency_ms"] == 5
    assert json.loads(clean_lab.dir.knobs_file.read_text())[HOST]["latency_ms"] == 5  # canonical name
    clean_lab.cli("reset")
    assert json.loads(clean_lab.dir.knobs_file.read_text()) == {}


def test_unknown_devices_and_renames_are_refused(lab: RunningLab) -> None:
    missing = lab.cli("show", "NO-SUCH-HOST", check=False)
    assert missing.returncode == 1 and "not found: device NO-SUCH-HOST" in missing.stderr
    rename = lab.cli("drift", HOST, "name=OTHER", check=False)
    assert rename.returncode == 1 and "a device's name cannot change" in rename.stderr


def test_up_twice_says_it_runs_and_refuses_what_it_cannot_change_live(lab: RunningLab) -> None:
    again = lab.cli("up", "--no-ad")
    assert f"host {HOST}" in again.stdout
    assert again.stderr == f"lmlab: already running (pid {lab.endpoints['pid']}); nothing to start\n"
    refused = lab.cli("up", "--hosts", "3", "--no-ad", check=False)
    assert refused.returncode == 1 and "`lmlab down` before changing its site" in refused.stderr
    with_ad = lab.cli("up", check=False)  # the session lab runs without AD
    assert with_ad.returncode == 1
    assert with_ad.stderr == ("lmlab: the lab is running without the AD DC (started with --no-ad); `lmlab down`, "
                              "then `lmlab up` to start it with AD\n")


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a refused command (asserting there is exactly one and no traceback)."""
    assert result.returncode == 1, result
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr.strip()


def test_drift_of_the_wrong_shape_or_value_is_refused_in_one_line(lab: RunningLab) -> None:
    assert one_line_error(lab.cli("drift", HOST, "migration=5", check=False)).startswith(
        f"lmlab: drift {HOST}: migration is an object (fields: enabled, ")
    assert one_line_error(lab.cli("drift", HOST, "adapters=5", check=False)).startswith(
        f"lmlab: drift {HOST}: adapters is a list (items Ethernet, Ethernet 2, Ethernet 3, Ethernet 4)")
    assert one_line_error(lab.cli("drift", "KOM-SW01", "reload_seconds=-5", check=False)) == (
        "lmlab: reload_seconds: -5 is out of range; allowed 0-3600 seconds")
    assert one_line_error(lab.cli("drift", "KOM-SW01", "jumbo_next_reload=abc", check=False)) == (
        "lmlab: jumbo_next_reload: 'abc' is not a whole number")
    assert lab.control.call("GET", "/devices/KOM-SW01")["reload_seconds"] == 5.0  # nothing was stored
    model = lab.control.call("GET", "/devices/KOM-SW01")
    with pytest.raises(ControlError, match=r"^speed: unknown field; allowed: name, platform, running, startup"):
        lab.control.call("PUT", "/devices/KOM-SW01", {**model, "speed": 1})


def test_status_shows_knobs_that_are_set_and_the_dc_certificate_name_field(clean_lab: RunningLab) -> None:
    clean_lab.cli("knob", "KOM-SW01", "latency_ms=20", "fault=drop", "fault_on_call=3")
    lines = clean_lab.cli("status").stdout.splitlines()
    switch = next(line for line in lines if "switch KOM-SW01" in line)
    assert switch.endswith('knobs: latency_ms=20 fault=drop fault_on_call=3')
    assert not any("knobs:" in line for line in lines if "KOM-SW01" not in line)
    assert "AD  unavailable: not started (lmlab up --no-ad)" in lines[2]


def test_call_counts_per_device_in_status_and_the_api_and_reset(clean_lab: RunningLab) -> None:
    assert clean_lab.control.call("GET", f"/devices/{HOST}/calls") == {}
    run_switch_command(clean_lab, "show version")
    once = {"read": 1, "changing": 0}  # netmiko's session preparation, then the command
    assert clean_lab.control.call("GET", "/devices/kom-sw01/calls") == {
        "terminal length": once, "terminal width": once, "enable": once, "show version": once}
    status = json.loads(clean_lab.cli("status", "--json").stdout)
    assert status["switches"]["KOM-SW01"]["calls"]["show version"] == {"read": 1, "changing": 0}
    assert status["hosts"][HOST]["calls"] == {}
    clean_lab.control.call("POST", "/calls/reset", {})
    assert clean_lab.control.call("GET", "/devices/KOM-SW01/calls") == {}
    run_switch_command(clean_lab, "show version")
    clean_lab.cli("reset")
    assert clean_lab.control.call("GET", "/devices/KOM-SW01/calls") == {}


def run_switch_command(lab: RunningLab, command: str) -> None:
    info, creds = lab.endpoints["switches"]["KOM-SW01"], lab.dir.secrets()["switch"]
    conn = ConnectHandler(device_type="cisco_ios", host=info["host"], port=info["port"], username=creds["username"],
                          password=creds["password"], secret=creds["enable_secret"], ssh_strict=True,
                          system_host_keys=False, alt_host_keys=True, alt_key_file=lab.endpoints["known_hosts"])
    conn.enable()
    conn.send_command(command)
    conn.disconnect()


def test_a_closed_pipe_ends_show_quietly(lab: RunningLab) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "lmlab", "--lab-dir", str(lab.dir.root), "show", HOST],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| head` that has read enough: the reader is gone before lmlab writes
    assert proc.wait(timeout=60) == 141
    assert proc.stderr.read() == b""


def test_unknown_routes_and_vmms_on_a_switch_are_not_found(lab: RunningLab) -> None:
    with pytest.raises(ControlError, match=r"^not found: no route POST /devices/KOM-SW01/restart-vmms: only hosts"):
        lab.control.call("POST", "/devices/KOM-SW01/restart-vmms", {})
    with pytest.raises(ControlError, match=r"^not found: no route GET /nothing$"):
        lab.control.call("GET", "/nothing")


@pytest.mark.parametrize("site,message", [
    ("hosts:\n  - {name: A, os: 2012r2\n", "lmlab: site file {path}, line 3, column 1: not valid YAML: "),
    ("hosts: [{name: A, nic: 2}]\n",
     "lmlab: site file {path}: hosts.0.nic: unknown field; allowed: name, os, listener_refresh, adapters"),
])
def test_bad_site_files_are_refused_in_one_line(site: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(site)
    error = one_line_error(RunningLab(tmp_path / "lab").cli("up", "--no-ad", "--site", str(path), check=False))
    assert error.startswith(message.format(path=path))
    assert not (tmp_path / "lab").exists()


def test_a_new_site_reissues_the_winrm_certificate_and_a_new_domain_is_refused(tmp_path: Path) -> None:
    lab = RunningLab(tmp_path / "lab").up("--no-ad")
    lab.down()
    lab.up("--no-ad", "--hosts", "3")
    try:
        cert = x509.load_pem_x509_certificate((lab.dir.tls_dir / "winrm.pem").read_bytes())
        assert {"KOM-AD01-VM03", "KOM-AD01-VM03.holding.com"} <= set(dns_names(cert))
    finally:
        lab.down()
    site = tmp_path / "corp.yaml"
    site.write_text("domain: corp.example\nhosts: [{name: A}]\n")
    error = one_line_error(lab.cli("up", "--no-ad", "--site", str(site), check=False))
    assert error.startswith(f"lmlab: site file {site}: domain corp.example (CORP) differs from holding.com "
                            "(HOLDING), for which the lab in")
