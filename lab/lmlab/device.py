"""What every simulated device runtime has: a name, a lock, knobs and a fault plan, a model."""

from __future__ import annotations

import threading
from typing import Any

from .knobs import FaultPlan, Knobs


class DeviceRuntime:
    """Base of HostRuntime and SwitchRuntime; subclasses say which faults they can inject."""

    allowed_faults: tuple[str, ...] = ()

    def __init__(self, name: str, knobs: Knobs) -> None:
        self.name = name
        self.knobs = knobs
        self.faults = FaultPlan(knobs)
        self.lock = threading.RLock()

    def set_knobs(self, changes: dict[str, Any]) -> None:
        """Apply knob changes (validated) and restart the fault counter."""
        self.knobs = self.knobs.updated(changes, self.allowed_faults)
        self.faults = FaultPlan(self.knobs)

    def model(self) -> dict[str, Any]:
        """The device's whole state as JSON-ready data."""
        raise NotImplementedError

    def mutate(self, data: dict[str, Any]) -> None:
        """Replace the state with ``data`` (drift, reset), validated first, and persist it."""
        raise NotImplementedError
