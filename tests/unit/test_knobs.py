"""Knobs: typed, converted and validated; fault plans, including faults aimed at one op (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from lmlab.knobs import HOST_FAULTS, SWITCH_FAULTS, FaultPlan, Knobs

OPS = ("diag.echo", "host.facts", "nic.apply")


def host_knobs(**changes: Any) -> Knobs:
    return Knobs().updated(changes, HOST_FAULTS, OPS)


def test_values_from_the_cli_are_converted_to_the_knobs_types() -> None:
    knobs = host_knobs(latency_ms="20", process_start_ms=5, progress_noise="yes", fault="drop", fault_on_call="2",
                       seed="7")
    assert (knobs.latency_ms, knobs.process_start_ms, knobs.progress_noise) == (20.0, 5.0, True)
    assert (knobs.fault_on_call, knobs.seed) == (2, 7)
    assert host_knobs(progress_noise="off").progress_noise is False
    assert Knobs(**knobs.to_dict()) == knobs  # knobs.json round trip


@pytest.mark.parametrize("changes,message", [
    ({"latency_ms": "abc"}, "latency_ms: 'abc' is not a number"),
    ({"latency_ms": True}, "latency_ms: true is not a number"),
    ({"latency_ms": -1}, "must not be negative"),
    ({"progress_noise": "maybe"}, "progress_noise: 'maybe' is not a boolean; use true or false"),
    ({"fault": "drop", "fault_on_call": 0}, "fault_on_call: 0 is out of range; it must be an integer >= 1"),
    ({"fault": "drop", "fault_on_call": "second"}, "fault_on_call: 'second' is not an integer"),
    ({"fault_rate": 0.5}, "fault_rate needs fault"),
    ({"fault_on_call": 2}, "fault_on_call needs fault"),
    ({"fault": "drop", "fault_rate": 2}, "fault_rate must be between 0 and 1"),
    ({"fault": "drop"}, "fault=drop never fires on its own: set fault_rate (0..1) or fault_on_call"),
    ({"fault": "drop", "fault_rate": 0.5, "fault_on_call": 1}, "fault_rate and fault_on_call exclude each other"),
    ({"fault": "bogus", "fault_on_call": 1}, "fault must be one of http500, drop, timeout"),
    ({"fault": "drop", "fault_on_call": 1, "fault_op": "nic.nope"}, "fault_op: 'nic.nope' is not an op of this device"),
    ({"speed": 1}, "unknown knob 'speed'"),
])
def test_bad_knobs_are_refused_naming_the_knob(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as refused:
        host_knobs(**changes)
    assert message in str(refused.value)


def test_switches_have_no_ops_to_target() -> None:
    with pytest.raises(ValueError, match="this device has no ops to target"):
        Knobs().updated({"fault": "drop", "fault_on_call": 1, "fault_op": "host.facts"}, SWITCH_FAULTS)
    assert Knobs().updated({"fault": "refuse-login", "fault_on_call": 1}, SWITCH_FAULTS).fault == "refuse-login"


def test_clearing_the_fault_clears_its_triggers() -> None:
    armed = host_knobs(fault="drop", fault_rate=0.5, fault_op="NIC.Apply")
    assert armed.fault_op == "nic.apply"  # the op's registered spelling
    cleared = armed.updated({"fault": None}, HOST_FAULTS, OPS)
    assert cleared == Knobs()


def test_a_fault_aimed_at_an_op_counts_only_that_ops_calls() -> None:
    plan = FaultPlan(host_knobs(fault="http500", fault_on_call=2, fault_op="nic.apply"))
    assert plan.targeted
    calls = ["host.facts", "nic.apply", None, "host.facts", "nic.apply", "nic.apply"]
    assert [plan.next_fault(c) for c in calls] == [None, None, None, None, "http500", None]


def test_untargeted_faults_count_every_call() -> None:
    plan = FaultPlan(host_knobs(fault="drop", fault_on_call=2))
    assert not plan.targeted
    assert [plan.next_fault(), plan.next_fault("host.facts"), plan.next_fault()] == [None, "drop", None]
