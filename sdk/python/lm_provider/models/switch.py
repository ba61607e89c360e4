"""The jumbo MTU of a Cisco Catalyst switch: args, state, check, diff and what an apply must do. No I/O.

Platforms (Cisco documentation):

- ``classic``: Catalyst 3560/3750 on classic IOS. ``system mtu jumbo N`` (1500-9000) is kept in an
  NVRAM variable outside the configuration file and takes effect only after a reload;
  ``show system mtu`` shows the live value (and, on the lab and per the sources we found, the
  next-reload value).
- ``ios-xe``: Catalyst 9000 on IOS-XE. ``system mtu N`` (1500-9198) is a running-config line that
  takes effect at once and survives a reload only once saved (``write memory``).

"Configured" is what the switch is set to run (classic: the NVRAM value; IOS-XE: the
running-config), "operational" what it runs now, "saved" what it comes back with after a reload
(classic: the NVRAM value; IOS-XE: the startup-config). A reload is *pending* when the configured
value is not the operational one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .inputs import Checked, InputReader
from .plan import Plan
from .validators import dns_name

RELOAD_CHOICES = ("never", "if-needed")
"""``never``: leave a needed reload pending (default); ``if-needed``: reload when the value is not live."""


@dataclass(frozen=True)
class PlatformRule:
    """How one platform keeps its jumbo MTU."""

    name: str
    label: str
    command: str
    low: int
    high: int
    in_config: bool
    """True: a running-config line that applies at once and must be saved; False: NVRAM, live after reload."""

    def range_text(self) -> str:
        """``1500-9000 bytes (system mtu jumbo on classic IOS ...)``."""
        return f"{self.low}-{self.high} bytes (`{self.command}` on {self.label})"


PLATFORMS = {
    "classic": PlatformRule("classic", "classic IOS, Catalyst 3560/3750", "system mtu jumbo", 1500, 9000, False),
    "ios-xe": PlatformRule("ios-xe", "IOS-XE, Catalyst 9000", "system mtu", 1500, 9198, True),
}
MTU_RANGE = (min(p.low for p in PLATFORMS.values()), max(p.high for p in PLATFORMS.values()))
DEFAULT_MTU = 1500
"""What a switch runs when no MTU was ever configured (IOS-XE omits the line from the config then)."""

_INTERFACE = re.compile(r"^[A-Za-z][A-Za-z-]{1,30}\d{1,4}(?:/\d{1,3}){0,3}(?:\.\d{1,5})?$")
INTERFACE_RULE = "an interface type and its numbers, no spaces: GigabitEthernet1/0/1, Te1/1/1, Port-channel1"
KEYS = ("switch", "mtu", "platform", "reload", "interfaces")


@dataclass(frozen=True)
class SwitchJumboMtuArgs:
    """Inputs: the switch (its name in ``lm:switches``, or a DNS name), the MTU, the platform (detected
    from ``show version`` when not given), whether a reload may be done, and interfaces to report."""

    switch: str
    mtu: int
    platform: str | None = None
    reload: str = "never"
    interfaces: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SwitchJumboMtuState(SwitchJumboMtuArgs):
    """Outputs: the inputs plus what the switch said at the last read.

    ``found_mtu`` is the configured value before the first change (what delete restores);
    ``warnings`` say what the engine's log should show (a pending reload, unsaved configuration,
    interfaces not running the MTU).
    """

    detected_platform: str = ""
    model: str = ""
    configured_mtu: int = 0
    operational_mtu: int = 0
    saved_mtu: int = 0
    pending_reload: bool = False
    pending_recorded: bool = False
    """The pending value is the one lm-provider set: the switch does not show its next-reload value."""
    interface_mtus: dict[str, int] = field(default_factory=dict)
    found_mtu: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MtuReading:
    """What the switch says now (see the module docstring for configured / operational / saved)."""

    platform: str
    model: str
    configured: int
    operational: int
    saved: int
    interfaces: dict[str, int] = field(default_factory=dict)
    recorded: bool = False
    """True when ``configured`` is the value lm-provider set, not one the switch showed (a classic
    switch that does not print a next-reload line)."""


@dataclass(frozen=True)
class MtuActions:
    """What an apply sends: the configuration command, ``write memory``, a reload."""

    configure: bool
    save: bool
    reload: bool

    @property
    def any(self) -> bool:
        """True when anything is sent that changes the switch."""
        return self.configure or self.save or self.reload


def interface_name(value: str) -> str | None:
    """An interface name safe to put on an IOS command line."""
    return None if _INTERFACE.match(value) else f"{value!r} is not an interface name ({INTERFACE_RULE})"


def switch_name(value: str) -> str | None:
    """A switch: its name in ``lm:switches`` or its DNS name."""
    return None if dns_name(value) is None else f"{value!r} is not a switch name (letters, digits, '-' and '.')"


def range_failure(platform: str, mtu: int) -> str | None:
    """Why ``mtu`` is not allowed on ``platform``, with the platform's range; None when it is."""
    rule = PLATFORMS[platform]
    if rule.low <= mtu <= rule.high:
        return None
    return f"{mtu} is out of range for {platform}; allowed {rule.range_text()}"


def check_switch_mtu(inputs: Mapping[str, Any]) -> Checked[SwitchJumboMtuArgs]:
    """Validate raw inputs: every failure at once, named by property; no I/O."""
    reader = InputReader(inputs, KEYS)
    switch = reader.string("switch", required=True, validator=switch_name)
    platform = reader.choice("platform", tuple(PLATFORMS))
    mtu = reader.integer("mtu", required=True, minimum=MTU_RANGE[0], maximum=MTU_RANGE[1])
    if isinstance(platform, str) and isinstance(mtu, int) and MTU_RANGE[0] <= mtu <= MTU_RANGE[1]:
        reason = range_failure(platform, mtu)
        if reason:
            reader.fail("mtu", reason)
    reload = reader.choice("reload", RELOAD_CHOICES, default="never")
    interfaces = reader.string_list("interfaces", default=[], allow_empty=True, validator=interface_name)
    if isinstance(interfaces, list):
        seen = [name.lower() for name in interfaces if isinstance(name, str)]
        if len(set(seen)) != len(seen):
            reader.fail("interfaces", "lists an interface twice")
    return reader.checked(lambda: SwitchJumboMtuArgs(switch, mtu, platform, reload, interfaces))


def plan_apply(reading: MtuReading, mtu: int, reload: str) -> MtuActions:
    """Configure when the configured value differs, save when the platform keeps it in the config and
    the saved value would differ, reload when allowed and the value would still not be live."""
    rule = PLATFORMS[reading.platform]
    configure = reading.configured != mtu
    save = rule.in_config and (configure or reading.saved != mtu)
    live_after = mtu if configure and rule.in_config else reading.operational
    return MtuActions(configure, save, reload == "if-needed" and live_after != mtu)


def warnings_for(name: str, reading: MtuReading, reload: str) -> list[str]:
    """What the engine's log should say about the switch as read."""
    warnings: list[str] = []
    if reading.configured != reading.operational:
        warnings.append(f"{name}: a reload is pending: the system MTU is set to {reading.configured} bytes but the "
                        f"switch runs {reading.operational} until it reloads (reload: {reload})")
    if reading.recorded and reading.configured != reading.operational:
        warnings.append(f"{name}: show system mtu does not show the next-reload value; {reading.configured} is the "
                        "value lm-provider set (a change made by hand since cannot be seen)")
    if reading.saved != reading.configured:
        warnings.append(f"{name}: the running-config has system mtu {reading.configured} but the startup-config "
                        f"has {reading.saved}: a reload would bring {reading.saved} back")
    for interface, value in reading.interfaces.items():
        if value != reading.operational:
            warnings.append(f"{name}: {interface} runs MTU {value} bytes, not the system's {reading.operational}")
    return warnings


def args_of(state: SwitchJumboMtuState) -> SwitchJumboMtuArgs:
    """The inputs recorded in ``state``."""
    return SwitchJumboMtuArgs(state.switch, state.mtu, state.platform, state.reload, list(state.interfaces))


def state_of(args: SwitchJumboMtuArgs, reading: MtuReading, found_mtu: int) -> SwitchJumboMtuState:
    """The outputs after a read."""
    return SwitchJumboMtuState(
        switch=args.switch, mtu=args.mtu, platform=args.platform, reload=args.reload, interfaces=list(args.interfaces),
        detected_platform=reading.platform, model=reading.model, configured_mtu=reading.configured,
        operational_mtu=reading.operational, saved_mtu=reading.saved,
        pending_reload=reading.configured != reading.operational,
        pending_recorded=reading.recorded and reading.configured != reading.operational,
        interface_mtus=dict(reading.interfaces),
        found_mtu=found_mtu, warnings=warnings_for(args.switch, reading, args.reload))


def diff_switch_mtu(state: SwitchJumboMtuState, args: SwitchJumboMtuArgs) -> Plan:
    """Another switch replaces; the rest updates in place. A reload that is pending is no change
    under ``reload: never`` (a note says so); under ``if-needed`` it is (the update reloads)."""
    if state.switch.lower() != args.switch.lower():
        return Plan(changes=["switch"], replaces=["switch"])
    changes: list[str] = []
    notes: list[str] = []
    if args.mtu != state.mtu or state.configured_mtu != args.mtu or state.saved_mtu != args.mtu:
        changes.append("mtu")
    not_live = state.operational_mtu != args.mtu
    if args.reload != state.reload or (args.reload == "if-needed" and not_live):
        changes.append("reload")
    if not_live and args.reload == "never":
        notes.append(f"{state.switch}: a reload is pending: system MTU {args.mtu} takes effect when the switch "
                     f"reloads (it runs {state.operational_mtu}); reload: never leaves it pending")
    changes += [name for name in ("platform", "interfaces") if getattr(args, name) != getattr(state, name)]
    return Plan(changes=changes, notes=notes)
