"""SwitchJumboMtu through the real Pulumi engine against both lab switches.

KOM-SW01 (classic IOS) first under ``reload: never``: ``up`` leaves the value pending and the
engine's log says so; a no-op ``preview`` and ``up`` change nothing, send no configuration command
and still say that a reload is pending. Allowing the reload makes the next ``up`` reload the
switch. LAB-C9300 (IOS-XE) applies at once. ``destroy`` puts both switches back as they were.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
from harness import EngineHarness
from pulumi import automation as auto

from lm_provider import SwitchJumboMtu
from lmlab.testing import RunningLab
from switchlab import switch_config

pytestmark = [pytest.mark.e2e, pytest.mark.lab]
MTU = "pulumi-python:dynamic/lm:SwitchJumboMtu"
CONFIGURING = ("configure terminal", "system mtu", "system mtu jumbo", "write memory", "reload")
PENDING = "KOM-SW01: a reload is pending: the system MTU is set to 9000 bytes but the switch runs 1500 until it reloads"


def configuring(lab: RunningLab, switch: str) -> dict[str, int]:
    counts = lab.control.call("GET", f"/devices/{switch}/calls")
    return {op: row["read"] + row["changing"] for op, row in counts.items() if op in CONFIGURING}


def models(lab: RunningLab) -> dict[str, Any]:
    return {name: {k: v for k, v in lab.control.call("GET", f"/devices/{name}").items() if k != "reload_count"}
            for name in ("KOM-SW01", "LAB-C9300")}


def test_up_no_op_up_reload_and_destroy_on_both_platforms(clean_lab: RunningLab, tmp_path: Path) -> None:
    clean_lab.cli("drift", "KOM-SW01", "reload_seconds=0.3")
    settings = {"reload": "never"}

    def program() -> None:
        classic = SwitchJumboMtu("sw01-jumbo", switch="KOM-SW01", mtu=9000, reload=settings["reload"],
                                 interfaces=["GigabitEthernet0/1", "GigabitEthernet0/2"])
        xe = SwitchJumboMtu("c9300-jumbo", switch="LAB-C9300", mtu=9198, platform="ios-xe",
                            interfaces=["GigabitEthernet1/0/1"])
        pulumi.export("sw01", pulumi.Output.all(classic.pending_reload, classic.operational_mtu))
        pulumi.export("c9300", pulumi.Output.all(xe.pending_reload, xe.operational_mtu, xe.saved_mtu))

    harness = EngineHarness(tmp_path / "state", "switch-mtu", "lab", program)
    harness.stack.set_all_config({key: auto.ConfigValue(value, secret=secret)
                                  for key, (value, secret) in switch_config(clean_lab).items()})
    before = models(clean_lab)

    up = harness.up()
    assert up.ops(MTU, "sw01-jumbo") == ["create"] and up.ops(MTU, "c9300-jumbo") == ["create"]
    assert up.result.outputs["sw01"].value == [True, 1500]
    assert up.result.outputs["c9300"].value == [False, 9198, 9198]
    assert any(w.startswith(PENDING) for w in up.warnings), up.warnings
    assert clean_lab.dir.secrets()["switch"]["password"] not in harness.state_file.read_text()
    assert clean_lab.dir.secrets()["switch"]["enable_secret"] not in harness.state_file.read_text()

    clean_lab.control.call("POST", "/calls/reset", {})
    preview = harness.preview()
    assert preview.ops(MTU, "sw01-jumbo") == ["same"]
    assert any(w.startswith(PENDING) for w in preview.warnings), preview.warnings
    again = harness.up()
    assert again.result.summary.resource_changes == {"same": 3}
    assert any(w.startswith(PENDING) for w in again.warnings), again.warnings
    assert configuring(clean_lab, "KOM-SW01") == {} and configuring(clean_lab, "LAB-C9300") == {}

    settings["reload"] = "if-needed"
    reloaded = harness.up()
    assert reloaded.ops(MTU, "sw01-jumbo") == ["update"] and reloaded.ops(MTU, "c9300-jumbo") == ["same"]
    assert reloaded.result.outputs["sw01"].value == [False, 9000]
    assert not reloaded.warnings
    assert configuring(clean_lab, "KOM-SW01") == {"reload": 1}  # the value was configured already
    assert harness.up().result.summary.resource_changes == {"same": 3}

    destroy = harness.destroy()
    assert destroy.result.summary.resource_changes == {"delete": 3}
    assert models(clean_lab) == before
