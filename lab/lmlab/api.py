"""The control API's routes over the lab's devices (see control.py for the list)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .control import NotFound
from .hosts.runtime import HostRuntime
from .knobs import Knobs
from .labdir import LabDir
from .registry import Registry


class LabApi:
    """Serves the control routes; the lab server owns the devices and hands them in."""

    def __init__(self, devices: Registry, labdir: LabDir, control_token: str,
                 endpoints: Callable[[], dict[str, Any]], reset_ad: Callable[[], str]) -> None:
        self.devices = devices
        self.labdir = labdir
        self.control_token = control_token
        self._endpoints = endpoints
        self._reset_ad = reset_ad

    def control(self, method: str, parts: list[str], body: dict[str, Any]) -> Any:
        """Serve one route; NotFound = 404, ValueError = 400."""
        match method, parts:
            case "GET", ["status"]:
                return self.status()
            case "POST", ["reset"]:
                return self.reset()
            case "POST", ["calls", "reset"]:
                for device in self.devices:
                    device.runtime.calls.reset()
                return {"reset": [d.name for d in self.devices]}
            case "GET", ["devices", name]:
                return self.devices.get(name).runtime.model()
            case "PUT", ["devices", name]:
                runtime = self.devices.get(name).runtime
                if body.get("name") != runtime.name:
                    raise ValueError(f"{runtime.name}: a device's name cannot change (got {body.get('name')!r})")
                runtime.mutate(body)
                return runtime.model()
            case "GET", ["devices", name, "calls"]:
                return self.devices.get(name).runtime.calls.snapshot()
            case "POST", ["devices", name, "knobs"]:
                runtime = self.devices.get(name).runtime
                runtime.set_knobs(body)
                self._persist_knobs()
                return runtime.knobs.to_dict()
            case "POST", ["devices", name, "restart-vmms"]:
                runtime = self.devices.get(name).runtime
                if not isinstance(runtime, HostRuntime):
                    raise NotFound(f"no route POST /devices/{runtime.name}/restart-vmms: only hosts run vmms")
                runtime.restart_vmms()
                return runtime.model()
        raise NotFound(f"no route {method} /{'/'.join(parts)}")

    def status(self) -> dict[str, Any]:
        """Endpoints plus, per device, open sessions, knobs and call counts."""
        status = self._endpoints()
        for device in self.devices:
            status[device.kind][device.name].update(device.live(), knobs=device.runtime.knobs.to_dict(),
                                                    calls=device.runtime.calls.snapshot())
        return status

    def reset(self) -> dict[str, Any]:
        """Every device back to its initial model, default knobs, zero counts and no open WinRM shells
        (as after a restart of the service); AD re-seeded."""
        for device in self.devices:
            device.runtime.mutate(device.initial())
            device.runtime.set_knobs(Knobs().to_dict())
            device.runtime.calls.reset()
            device.runtime.drop_sessions()
        self._persist_knobs()
        return {"reset": [d.name for d in self.devices], "ad": self._reset_ad()}

    def _persist_knobs(self) -> None:
        """knobs.json = every device whose knobs differ from the defaults."""
        self.labdir.write_json(self.labdir.knobs_file, {d.name: d.runtime.knobs.to_dict() for d in self.devices
                                                        if d.runtime.knobs != Knobs()})
