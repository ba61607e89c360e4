"""The lab's devices in one place: lookup by name (case-insensitive), iteration, per-kind views.

Each entry knows its runtime, the model the site starts it from (for reset) and what clients need
to reach it (for status), so reset, status, knobs and lookup are one loop over every device.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .control import NotFound
from .device import DeviceRuntime


@dataclass(frozen=True)
class Device:
    """One device of the lab."""

    kind: str  # the status section and state directory: "hosts" or "switches"
    runtime: DeviceRuntime
    initial: Callable[[], dict[str, Any]]  # the model the site starts it from
    endpoint: Callable[[], dict[str, Any]]  # what clients need to reach it (endpoints.json)
    live: Callable[[], dict[str, Any]]  # what changes while it runs: open shells or sessions

    @property
    def name(self) -> str:
        """The device's name as the site spells it."""
        return self.runtime.name


class Registry:
    """Every device of the lab, in site order."""

    def __init__(self) -> None:
        self._devices: dict[str, Device] = {}

    def add(self, device: Device) -> None:
        """Register ``device``; names are unique regardless of case."""
        key = device.name.lower()
        if key in self._devices:
            raise ValueError(f"two devices are named {device.name}")
        self._devices[key] = device

    def get(self, name: str) -> Device:
        """The device called ``name`` (any case); NotFound names it otherwise."""
        try:
            return self._devices[name.lower()]
        except KeyError:
            raise NotFound(f"device {name}") from None

    def __iter__(self) -> Iterator[Device]:
        return iter(self._devices.values())

    def of_kind(self, kind: str) -> list[Device]:
        """The devices of one kind, in site order."""
        return [d for d in self._devices.values() if d.kind == kind]
