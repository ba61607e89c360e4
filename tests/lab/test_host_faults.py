"""Host knobs through the CLI and the running lab: typed values, refusals, faults aimed at one op."""

from __future__ import annotations

import json
from typing import Any

import pytest
import winrm
from winrm.exceptions import WinRMTransportError

from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
HOST = "KOM-AD01-VM01"


def run(lab: RunningLab, op: str, params: dict[str, Any] | None = None) -> Any:
    session = winrm.Session(lab.host_endpoint(HOST, tls=True), auth=("lmadmin", lab.winrm_password),
                            transport="ssl", ca_trust_path=lab.endpoints["ca_file"])
    script = f"# lm-provider-op: {op}\n$LmParams = @'\n{json.dumps(params or {})}\n'@ | ConvertFrom-Json\n"
    return session.run_ps(script)


@pytest.mark.parametrize("assignments,message", [
    (["latency_ms=abc"], "latency_ms: 'abc' is not a number"),
    (["progress_noise=maybe"], "progress_noise: 'maybe' is not a boolean"),
    (["fault=drop", "fault_on_call=0"], "fault_on_call: 0 is out of range; it must be an integer >= 1"),
    (["fault_rate=0.5"], "fault_rate needs fault"),
    (["fault=drop", "fault_on_call=1", "fault_op=nic.nope"], "fault_op: 'nic.nope' is not an op of this device; ops:"),
])
def test_bad_knobs_are_refused_with_one_line(clean_lab: RunningLab, assignments: list[str], message: str) -> None:
    refused = clean_lab.cli("knob", HOST, *assignments, check=False)
    assert refused.returncode == 1
    assert message in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_knob_values_from_the_cli_are_typed(clean_lab: RunningLab) -> None:
    knobs = json.loads(clean_lab.cli("knob", HOST, "progress_noise=yes", "fault=drop", 'fault_on_call="2"').stdout)
    assert knobs["progress_noise"] is True and knobs["fault_on_call"] == 2


def test_a_fault_aimed_at_an_op_fails_only_that_ops_nth_call(clean_lab: RunningLab) -> None:
    clean_lab.cli("knob", HOST, "fault=http500", "fault_op=diag.echo", "fault_on_call=2")
    assert run(clean_lab, "diag.echo", {"text": "1"}).status_code == 0
    assert run(clean_lab, "host.facts").status_code == 0  # not counted, not failed
    with pytest.raises(WinRMTransportError):
        run(clean_lab, "diag.echo", {"text": "2"})
    assert run(clean_lab, "diag.echo", {"text": "3"}).status_code == 0
