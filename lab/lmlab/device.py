"""What every simulated device runtime has: a name, a lock, knobs and a fault plan, a model,
and a count of the calls made to it."""

from __future__ import annotations

import threading
from typing import Any

from .knobs import FaultPlan, Knobs


class CallCounter:
    """Counts calls per op name, split into reads and calls that changed the device (thread-safe).

    Tests and benchmarks assert on these counts (round trips), never on timing.
    """

    def __init__(self) -> None:
        self._counts: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()

    def record(self, op: str, changing: bool) -> None:
        """Count one call of ``op``; ``changing`` when it changed the device's state."""
        with self._lock:
            row = self._counts.setdefault(op, {"read": 0, "changing": 0})
            row["changing" if changing else "read"] += 1

    def snapshot(self) -> dict[str, dict[str, int]]:
        """``{op: {"read": n, "changing": m}}``, a copy."""
        with self._lock:
            return {op: dict(row) for op, row in self._counts.items()}

    def reset(self) -> None:
        """Forget every count."""
        with self._lock:
            self._counts.clear()


class DeviceRuntime:
    """Base of HostRuntime and SwitchRuntime; subclasses say which faults they can inject and which
    ops a fault can target. ``calls`` counts the device's calls (per op: read / changing)."""

    allowed_faults: tuple[str, ...] = ()

    def __init__(self, name: str, knobs: Knobs) -> None:
        self.name = name
        self.knobs = knobs
        self.faults = FaultPlan(knobs)
        self.lock = threading.RLock()
        self.calls = CallCounter()

    def fault_ops(self) -> tuple[str, ...]:
        """The op names a fault can target (``fault_op``); none by default."""
        return ()

    def drop_sessions(self) -> None:
        """End every client session, as a restarted service would (hosts: WinRM shells); none by default."""

    def set_knobs(self, changes: dict[str, Any]) -> None:
        """Apply knob changes (converted and validated; ValueError names a bad one) and restart the
        fault counter."""
        self.knobs = self.knobs.updated(changes, self.allowed_faults, self.fault_ops())
        self.faults = FaultPlan(self.knobs)

    def model(self) -> dict[str, Any]:
        """The device's whole state as JSON-ready data."""
        raise NotImplementedError

    def mutate(self, data: dict[str, Any]) -> None:
        """Replace the state with ``data`` (drift, reset), validated first, and persist it."""
        raise NotImplementedError
