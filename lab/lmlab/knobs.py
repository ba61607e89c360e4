"""Reliability and performance knobs shared by simulated hosts and switches (all off by default).

- ``latency_ms``: added to every request (host: each HTTP request; switch: each command).
- ``process_start_ms``: hosts only; the cost of starting powershell.exe for each script.
- ``fault``: what goes wrong: ``http500``, ``drop`` (connection closed without an answer) or
  ``timeout`` (WS-Man TimedOut fault) for hosts; ``drop`` or ``refuse-login`` for switches.
  It needs a trigger: ``fault_rate`` (0..1, seeded by ``seed`` so runs repeat) or
  ``fault_on_call`` (the Nth call, 1-based), not both. Setting ``fault`` to null clears the
  trigger knobs too.
- ``fault_op``: hosts only; an op name: the fault fires only on calls of that op, and
  ``fault_on_call`` counts only them (fail the second step of a multi-step apply).
- ``progress_noise``: hosts only; stderr carries the "Preparing modules" CLIXML progress record
  with exit code 0, as a fresh Windows session does.

Values are converted to each knob's type (``"20"`` -> 20.0, ``"yes"`` -> true); anything else is a
ValueError naming the knob, the value and what is allowed.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import re
import threading
import typing
from dataclasses import asdict, dataclass, fields
from typing import Any

HOST_FAULTS = ("http500", "drop", "timeout")
SWITCH_FAULTS = ("drop", "refuse-login")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")
_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
_TRIGGERS = ("fault_rate", "fault_on_call", "fault_op")


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else json.dumps(value, default=str)


def _number(name: str, value: Any) -> float:
    number = math.nan
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name}: {_show(value)} is not a number")
    return number


def _integer(name: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value):
        return int(value)
    raise ValueError(f"{name}: {_show(value)} is not an integer")


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(f"{name}: {_show(value)} is not a boolean; use true or false")


def _text(name: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    raise ValueError(f"{name}: {_show(value)} is not a string")


_CONVERTERS: dict[Any, typing.Callable[[str, Any], Any]] = {
    float: _number, int: _integer, bool: _boolean, str: _text,
    float | None: _number, int | None: _integer, str | None: _text,
}


@dataclass
class Knobs:
    """The knob values of one device; values are converted and checked when it is built."""

    latency_ms: float = 0.0
    process_start_ms: float = 0.0
    fault: str | None = None
    fault_rate: float = 0.0
    fault_on_call: int | None = None
    fault_op: str | None = None
    progress_noise: bool = False
    seed: int = 1

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(Knobs)
        for f in fields(self):
            value = getattr(self, f.name)
            optional = type(None) in typing.get_args(hints[f.name])
            if not (value is None and optional):
                setattr(self, f.name, _CONVERTERS[hints[f.name]](f.name, value))
        self._check()

    def _check(self) -> None:
        if self.latency_ms < 0 or self.process_start_ms < 0:
            raise ValueError("latency_ms and process_start_ms must not be negative")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError(f"fault_rate: {self.fault_rate:g} is out of range; fault_rate must be between 0 and 1")
        if self.fault_on_call is not None and self.fault_on_call < 1:
            raise ValueError(f"fault_on_call: {self.fault_on_call} is out of range; it must be an integer >= 1 "
                             "(the Nth call fails)")
        triggered = self.fault_rate > 0 or self.fault_on_call is not None
        if self.fault is None and (triggered or self.fault_op is not None):
            used = [k for k in _TRIGGERS if getattr(self, k) not in (None, 0.0)]
            raise ValueError(f"{', '.join(used)} needs fault (set fault=... in the same call)")
        if self.fault is not None and not triggered:
            raise ValueError(f"fault={self.fault} never fires on its own: set fault_rate (0..1) or fault_on_call "
                             "(N >= 1) with it")
        if self.fault_rate > 0 and self.fault_on_call is not None:
            raise ValueError("fault_rate and fault_on_call exclude each other; set one (the other to 0 / null)")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy."""
        return asdict(self)

    def updated(self, changes: dict[str, Any], allowed_faults: tuple[str, ...],
                allowed_ops: tuple[str, ...] = ()) -> Knobs:
        """A copy with ``changes`` applied; ValueError names a bad knob or value.

        ``allowed_faults`` are the device's fault kinds, ``allowed_ops`` the op names ``fault_op``
        may target (none: the device has no ops). Clearing ``fault`` clears its trigger knobs.
        """
        known = [f.name for f in fields(self)]
        for key in changes:
            if key not in known:
                raise ValueError(f"unknown knob {key!r}; knobs: {', '.join(known)}")
        data = self.to_dict()
        if "fault" in changes and changes["fault"] in (None, ""):
            data.update({k: v for k, v in Knobs().to_dict().items() if k in _TRIGGERS})
        data.update(changes)
        fault = _text("fault", data["fault"])
        if fault is not None and fault not in allowed_faults:
            raise ValueError(f"fault must be one of {', '.join(allowed_faults)} (or null); got {_show(fault)}")
        data["fault_op"] = _op_name(_text("fault_op", data["fault_op"]), allowed_ops)
        return Knobs(**data)


def _op_name(name: str | None, allowed_ops: tuple[str, ...]) -> str | None:
    """The op's registered spelling, or ValueError when the device has no such op."""
    if name is None:
        return None
    if not allowed_ops:
        raise ValueError("fault_op: this device has no ops to target (hosts only)")
    for candidate in allowed_ops:
        if candidate.lower() == name.lower():
            return candidate
    raise ValueError(f"fault_op: {_show(name)} is not an op of this device; ops: {', '.join(allowed_ops)}")


class FaultPlan:
    """Decides, call by call, whether the configured fault fires (thread-safe)."""

    def __init__(self, knobs: Knobs) -> None:
        self.knobs = knobs
        self._calls = 0
        self._rng = random.Random(knobs.seed)
        self._lock = threading.Lock()

    @property
    def targeted(self) -> bool:
        """True when the fault fires only on calls of one op (``fault_op``)."""
        return self.knobs.fault is not None and self.knobs.fault_op is not None

    def next_fault(self, op: str | None = None) -> str | None:
        """Count one call (of ``op``, when known); return the fault to inject for it, or None.

        With ``fault_op`` set, only calls of that op count and can fail; others (and calls whose op
        is not known) return None without counting.
        """
        k = self.knobs
        if k.fault is None:
            return None
        if k.fault_op is not None and (op is None or op.lower() != k.fault_op.lower()):
            return None
        with self._lock:
            self._calls += 1
            if k.fault_on_call is not None:
                return k.fault if self._calls == k.fault_on_call else None
            return k.fault if self._rng.random() < k.fault_rate else None
