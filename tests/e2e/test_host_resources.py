"""MigrationNic and LiveMigrationSettings on one lab host through the real Pulumi engine: up, a no-op
up with zero changing invocations, refresh after drift and the repairing up, destroy restoring the
host's model; the WinRM password stays out of the state file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
from harness import EngineHarness

from labconfig import stack_config
from lm_provider import LiveMigrationSettings, MigrationNic
from lmlab.testing import RunningLab

pytestmark = [pytest.mark.e2e, pytest.mark.lab]
HOST = "LAB-2022"
NIC = "pulumi-python:dynamic/lm:MigrationNic"
SETTINGS = "pulumi-python:dynamic/lm:LiveMigrationSettings"


def program() -> None:
    nic = MigrationNic("lm-nic", host=HOST, adapter_name="Ethernet 2", new_name="LM", ip_address="10.160.35.65",
                       prefix_length=24, netbios="Disabled")
    settings = LiveMigrationSettings("lm-settings", host=HOST, networks=[nic.network])
    pulumi.export("network", nic.network)
    pulumi.export("listeners", settings.listener_addresses)
    pulumi.export("os", settings.os_version)


def model(lab: RunningLab) -> dict[str, Any]:
    result: dict[str, Any] = lab.control.call("GET", f"/devices/{HOST}")
    return result


def calls(lab: RunningLab) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = lab.control.call("GET", f"/devices/{HOST}/calls")
    lab.control.call("POST", "/calls/reset", {})
    return result


def test_up_noop_refresh_repair_and_destroy_through_the_engine(clean_lab: RunningLab, tmp_path: Path) -> None:
    harness = EngineHarness(tmp_path / "state", "lm-host", "lab", program)
    harness.stack.set_all_config(stack_config(clean_lab))
    original = model(clean_lab)
    calls(clean_lab)

    up = harness.up()
    assert up.ops(NIC, "lm-nic") == ["create"] and up.ops(SETTINGS, "lm-settings") == ["create"]
    assert up.result.outputs["network"].value == "10.160.35.0/24"
    assert up.result.outputs["listeners"].value == ["10.160.35.65"]
    assert up.result.outputs["os"].value == "10.0.20348"
    assert calls(clean_lab) == {"nic.apply": {"read": 0, "changing": 1},
                                "migration.apply": {"read": 0, "changing": 1}}
    configured = model(clean_lab)
    lm = next(a for a in configured["adapters"] if a["name"] == "LM")
    assert lm["ipv4_addresses"][0]["ip_address"] == "10.160.35.65" and lm["netbios_setting"] == "Disabled"
    assert configured["migration"]["enabled"] and configured["migration"]["authentication_type"] == "Kerberos"

    again = harness.up()
    assert again.result.summary.resource_changes == {"same": 3}
    assert calls(clean_lab) == {}, "a no-op up reaches no host"

    clean_lab.cli("drift", HOST, "adapters.LM.jumbo_packet=1514", "migration.authentication_type=CredSSP")
    refresh = harness.refresh()
    assert refresh.result.summary.resource_changes == {"same": 1, "update": 2}
    assert calls(clean_lab) == {"nic.read": {"read": 1, "changing": 0}, "migration.read": {"read": 1, "changing": 0}}
    repair = harness.up()
    assert repair.ops(NIC, "lm-nic") == ["update"] and repair.ops(SETTINGS, "lm-settings") == ["update"]
    assert calls(clean_lab) == {"nic.apply": {"read": 0, "changing": 1},
                                "migration.apply": {"read": 0, "changing": 1}}
    assert model(clean_lab) == configured

    destroy = harness.destroy()
    assert destroy.result.summary.resource_changes == {"delete": 3}
    assert calls(clean_lab) == {"nic.restore": {"read": 0, "changing": 1},
                                "migration.restore": {"read": 0, "changing": 1}}
    assert model(clean_lab) == original
    assert clean_lab.winrm_password not in harness.state_file.read_text()
    # one shell per host per provider process, closed when the engine ends the process: runs do not
    # pile up shells against the host's per-user quota (30 on Windows Server 2012)
    assert clean_lab.control.call("GET", "/status")["hosts"][HOST]["open_shells"] == 0
