"""The lmlab CLI and control plane: commands, refusals, and secrets kept out of what it prints."""

from __future__ import annotations

import json
import stat

import pytest

from lmlab.control import ControlClient, ControlError
from lmlab.testing import RunningLab

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


def test_up_is_idempotent_but_refuses_a_new_site_while_running(lab: RunningLab) -> None:
    again = lab.cli("up")
    assert f"host {HOST}" in again.stdout
    refused = lab.cli("up", "--hosts", "3", check=False)
    assert refused.returncode == 1 and "`lmlab down` before changing its site" in refused.stderr
