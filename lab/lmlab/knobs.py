"""Reliability and performance knobs shared by simulated hosts and switches (all off by default).

- ``latency_ms``: added to every request (host: each HTTP request; switch: each command).
- ``process_start_ms``: hosts only; the cost of starting powershell.exe for each script.
- ``fault``: what goes wrong: ``http500``, ``drop`` (connection closed without an answer) or
  ``timeout`` (WS-Man TimedOut fault) for hosts; ``drop`` or ``refuse-login`` for switches.
- ``fault_rate`` (0..1, seeded so runs repeat) or ``fault_on_call`` (the Nth call, 1-based).
- ``progress_noise``: hosts only; stderr carries the "Preparing modules" CLIXML progress record
  with exit code 0, as a fresh Windows session does.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

HOST_FAULTS = ("http500", "drop", "timeout")
SWITCH_FAULTS = ("drop", "refuse-login")


@dataclass
class Knobs:
    """The knob values of one device."""

    latency_ms: float = 0.0
    process_start_ms: float = 0.0
    fault: str | None = None
    fault_rate: float = 0.0
    fault_on_call: int | None = None
    progress_noise: bool = False
    seed: int = 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy."""
        return asdict(self)

    def updated(self, changes: dict[str, Any], allowed_faults: tuple[str, ...]) -> Knobs:
        """A copy with ``changes`` applied; ValueError names a bad knob or value."""
        known = {f.name: f for f in fields(self)}
        data = self.to_dict()
        for key, value in changes.items():
            if key not in known:
                raise ValueError(f"unknown knob {key!r}; knobs: {', '.join(known)}")
            data[key] = value
        knobs = Knobs(**data)
        if knobs.fault is not None and knobs.fault not in allowed_faults:
            raise ValueError(f"fault must be one of {', '.join(allowed_faults)} (or null)")
        if not 0.0 <= float(knobs.fault_rate) <= 1.0:
            raise ValueError("fault_rate must be between 0 and 1")
        if knobs.latency_ms < 0 or knobs.process_start_ms < 0:
            raise ValueError("latencies must not be negative")
        return knobs


class FaultPlan:
    """Decides, call by call, whether the configured fault fires (thread-safe)."""

    def __init__(self, knobs: Knobs) -> None:
        self.knobs = knobs
        self._calls = 0
        self._rng = random.Random(knobs.seed)
        self._lock = threading.Lock()

    def next_fault(self) -> str | None:
        """Count one call; return the fault to inject for it, or None."""
        with self._lock:
            self._calls += 1
            k = self.knobs
            if k.fault is None:
                return None
            if k.fault_on_call is not None:
                return k.fault if self._calls == k.fault_on_call else None
            return k.fault if self._rng.random() < k.fault_rate else None
