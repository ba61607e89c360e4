"""One lifecycle harness for every resource's tests (create -> read -> no-op -> drift -> refresh ->
repair -> update -> delete -> delete again), asserting on state *and* on the remote side's own
count of invocations, never on timing.

Resource tests describe a :class:`Case` and call :func:`run_lifecycle`; it returns the invocation
counts per step, which the tests (and the closing notes) report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lm_provider.resources.base import ResourceLogic
from lmlab.testing import RunningLab

Counts = dict[str, int]


@dataclass
class LabProbe:
    """Watches one lab device: its model (what delete must restore) and its invocation counter."""

    lab: RunningLab
    device: str
    ignore: tuple[str, ...] = ()
    """Top-level model fields that may legitimately differ after delete (e.g. ``vmms_restarts``)."""

    def snapshot(self) -> Any:
        """The device's model without the ignored fields."""
        model = self.lab.control.call("GET", f"/devices/{self.device}")
        return {k: v for k, v in model.items() if k not in self.ignore}

    def calls(self) -> Counts:
        """Invocations so far: ``{"read": n, "changing": m}`` summed over ops."""
        snapshot = self.lab.control.call("GET", f"/devices/{self.device}/calls")
        return {kind: sum(row[kind] for row in snapshot.values()) for kind in ("read", "changing")}

    def drift(self, assignments: list[str]) -> None:
        """Change the device behind the resource's back (``lmlab drift``)."""
        self.lab.cli("drift", self.device, *assignments)


@dataclass
class Case:
    """What to exercise: the logic, its inputs, a drift it must find, an in-place update."""

    logic: ResourceLogic[Any, Any]
    inputs: Mapping[str, Any]
    probe: LabProbe
    drift: list[str]
    updated_inputs: Mapping[str, Any] | None = None
    equal_state: Callable[[Any, Any], bool] = field(default=lambda a, b: a == b)
    read_calls: int = 1
    """Invocations one read makes (a host: one script; a switch: one command per value it reads)."""


def _args(case: Case, inputs: Mapping[str, Any]) -> Any:
    checked = case.logic.check(inputs)
    assert checked.failures == [], checked.failures
    return checked.args


def run_lifecycle(case: Case) -> dict[str, Counts]:
    """Run every step, asserting as it goes; the invocation counts per step."""
    probe, logic = case.probe, case.logic
    counts: dict[str, Counts] = {}

    def step(name: str, action: Callable[[], Any]) -> Any:
        before = probe.calls()
        result = action()
        after = probe.calls()
        counts[name] = {k: after[k] - before[k] for k in after}
        return result

    original = probe.snapshot()
    args = _args(case, case.inputs)
    created = step("create", lambda: logic.create(args))
    assert counts["create"]["changing"] >= 1, "create changed nothing on the device"

    read = step("read", lambda: logic.read(created.id, created.state))
    assert counts["read"] == {"read": case.read_calls, "changing": 0}, counts["read"]
    assert case.equal_state(read, created.state), (read, created.state)
    assert not logic.diff(read, args).has_changes, logic.diff(read, args)

    reapplied = step("reapply", lambda: logic.update(created.id, read, args))
    assert counts["reapply"]["changing"] == 0, "re-applying the same inputs changed the device"

    probe.drift(case.drift)
    drifted = step("refresh", lambda: logic.read(created.id, reapplied))
    assert drifted is not None, "read lost the object after a drift"
    assert logic.diff(drifted, args).has_changes, "read did not find the drift"

    repaired = step("repair", lambda: logic.update(created.id, drifted, args))
    assert counts["repair"]["changing"] >= 1
    assert not logic.diff(logic.read(created.id, repaired), args).has_changes

    state = repaired
    if case.updated_inputs is not None:
        new_args = _args(case, case.updated_inputs)
        plan = logic.diff(state, new_args)
        assert plan.has_changes and not plan.replaces, plan
        state = step("update", lambda: logic.update(created.id, state, new_args))
        assert not logic.diff(logic.read(created.id, state), new_args).has_changes

    step("delete", lambda: logic.delete(created.id, state))
    assert probe.snapshot() == original, "delete did not restore the device to what it was"
    step("delete-again", lambda: logic.delete(created.id, state))
    assert counts["delete-again"]["changing"] == 0
    assert probe.snapshot() == original
    return counts
