"""The simulated Catalyst switch: running vs startup config vs operational values, no I/O.

Platforms (Cisco documentation; texts we could not confirm are listed in docs/lab.md):
- ``c3560g``: Catalyst 3560G, classic IOS 12.2(55)SE. ``system mtu jumbo 1500-9000`` is kept in
  an NVRAM variable outside the configuration file and takes effect only after a reload; the
  running-config never shows it. Gigabit ports run at the jumbo MTU.
- ``c9300``: Catalyst 9300, IOS-XE. ``system mtu 1500-9198`` is a running-config line that takes
  effect at once and survives a reload only after ``write memory``.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from ..typed import InvalidValue, build, check_range


@dataclass(frozen=True)
class Platform:
    """What differs between the simulated switch models."""

    model: str
    ports: int
    port_prefix: str
    jumbo_range: tuple[int, int]  # c3560g: `system mtu jumbo`; c9300: `system mtu`
    software: str


PLATFORMS = {
    "c3560g": Platform("WS-C3560G-24TS-S", 24, "GigabitEthernet0/", (1500, 9000),
                       "C3560 Software (C3560-IPBASEK9-M), Version 12.2(55)SE12, RELEASE SOFTWARE (fc2)"),
    "c9300": Platform("C9300-48T", 48, "GigabitEthernet1/0/", (1500, 9198),
                      "Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)"),
}
CLASSIC_SYSTEM_MTU = (1500, 1998)
"""c3560g: the `system mtu` range (10/100 ports), an NVRAM value like the jumbo one."""
RELOAD_SECONDS = (0.0, 3600.0)
_HOSTNAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,62}$")


def port_names(platform: str) -> list[str]:
    """The front-panel ports (3560G: Gi0/1-24; 9300: Gi1/0/1-48)."""
    spec = PLATFORMS[platform]
    return [f"{spec.port_prefix}{i}" for i in range(1, spec.ports + 1)]


@dataclass
class Interface:
    """Per-port configuration."""

    description: str = ""
    shutdown: bool = False

    def validate(self, path: str) -> None:
        """InvalidValue for a description IOS would not take."""
        if len(self.description) > 240 or "\n" in self.description:
            raise InvalidValue(f"{path}.description: too long or several lines; allowed: one line of 0-240 characters")


@dataclass
class Config:
    """What a configuration file holds (running or startup)."""

    hostname: str
    interfaces: dict[str, Interface]
    system_mtu: int | None = None  # c9300 only: the `system mtu N` line
    other_lines: list[str] = field(default_factory=lambda: [
        "service timestamps debug datetime msec", "service timestamps log datetime msec",
        "ip domain-name holding.com", "spanning-tree mode pvst", "vlan 35", " name LIVE-MIGRATION"])

    def validate(self, path: str, platform: str) -> None:
        """InvalidValue for a hostname, port set or `system mtu` line the platform would not have."""
        if not _HOSTNAME.match(self.hostname):
            raise InvalidValue(f"{path}.hostname: {self.hostname!r} is not a hostname; allowed: a letter, "
                               "then letters, digits or '-' (1-63 characters)")
        ports = port_names(platform)
        odd = sorted(set(self.interfaces) ^ set(ports))
        if odd:
            raise InvalidValue(f"{path}.interfaces.{odd[0]}: {'missing' if odd[0] in ports else 'no such port'} "
                               f"on a {platform}; its ports are {ports[0]} to {ports[-1]}")
        for name, interface in self.interfaces.items():
            interface.validate(f"{path}.interfaces.{name}")
        if self.system_mtu is not None:
            if platform == "c3560g":
                raise InvalidValue(f"{path}.system_mtu: a c3560g keeps the system MTU outside the configuration "
                                   "(system_mtu_next_reload); allowed: null")
            check_range(f"{path}.system_mtu", self.system_mtu, *PLATFORMS[platform].jumbo_range, "bytes")


@dataclass
class Switch:
    """One switch's whole state."""

    name: str
    platform: str
    running: Config
    startup: Config
    jumbo_operational: int = 1500  # c3560g: the MTU the Gigabit ports run at
    jumbo_next_reload: int = 1500  # c3560g: the NVRAM value applied at reload
    system_mtu_operational: int = 1500  # c3560g: the 10/100 system MTU in effect
    system_mtu_next_reload: int = 1500  # c3560g: its NVRAM value, applied at reload
    mtu_operational: int = 1500  # c9300: Global Ethernet MTU in effect
    reload_seconds: float = 5.0
    reloading_until: float = 0.0  # wall-clock time; logins are refused until then
    reload_count: int = 0

    @classmethod
    def new(cls, name: str, platform: str) -> Switch:
        """A switch as delivered: defaults everywhere, startup = running."""
        config = Config(hostname=name, interfaces={p: Interface() for p in port_names(platform)})
        return cls(name=name, platform=platform, running=config, startup=_copy_config(config))

    def save(self) -> None:
        """write memory: the running config becomes the startup config."""
        self.startup = _copy_config(self.running)

    @property
    def modified(self) -> bool:
        """True when the running config differs from the startup config."""
        return self.running != self.startup

    @property
    def port_mtu(self) -> int:
        """The MTU the Gigabit ports forward with right now."""
        return self.jumbo_operational if self.platform == "c3560g" else self.mtu_operational

    def is_reloading(self, now: float | None = None) -> bool:
        """True while a reload is under way; finishing it when its time has come."""
        now = time.time() if now is None else now
        if self.reloading_until and now >= self.reloading_until:
            self._finish_reload()
        return bool(self.reloading_until)

    def start_reload(self, now: float | None = None) -> None:
        """`reload` confirmed: the box goes down for reload_seconds."""
        self.reloading_until = (time.time() if now is None else now) + self.reload_seconds

    def _finish_reload(self) -> None:
        self.reloading_until = 0.0
        self.reload_count += 1
        self.running = _copy_config(self.startup)
        self.jumbo_operational = self.jumbo_next_reload
        self.system_mtu_operational = self.system_mtu_next_reload
        self.mtu_operational = self.running.system_mtu or 1500

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Switch:
        """Rebuild from :meth:`to_dict`-shaped data: types converted, then :meth:`validate`d.

        InvalidValue names the path and what is allowed (``reload_seconds: -5 is out of range; ...``).
        """
        switch = build(cls, data)
        switch.validate()
        for config in (switch.running, switch.startup):  # front-panel order (state files sort their keys)
            config.interfaces = {port: config.interfaces[port] for port in port_names(switch.platform)}
        return switch

    def validate(self) -> None:
        """InvalidValue when a value is impossible for this platform."""
        if self.platform not in PLATFORMS:
            raise InvalidValue(f"platform: {self.platform!r} is not a platform; allowed: {', '.join(PLATFORMS)}")
        low, high = PLATFORMS[self.platform].jumbo_range
        classic = self.platform == "c3560g"
        mtu_fields = {"jumbo_operational": (low, high), "jumbo_next_reload": (low, high),
                      "system_mtu_operational": CLASSIC_SYSTEM_MTU, "system_mtu_next_reload": CLASSIC_SYSTEM_MTU,
                      "mtu_operational": (low, high)}
        for name, (low_mtu, high_mtu) in mtu_fields.items():
            value = getattr(self, name)
            if classic == name.startswith(("jumbo", "system_mtu")):
                check_range(name, value, low_mtu, high_mtu, "bytes")
            elif value != 1500:
                raise InvalidValue(f"{name}: a {self.platform} has no such setting; allowed: 1500")
        check_range("reload_seconds", self.reload_seconds, *RELOAD_SECONDS, "seconds")
        check_range("reloading_until", self.reloading_until, 0, float("inf"))
        check_range("reload_count", self.reload_count, 0, float("inf"))
        for which, config in (("running", self.running), ("startup", self.startup)):
            config.validate(which, self.platform)


def _copy_config(config: Config) -> Config:
    return Config(hostname=config.hostname, system_mtu=config.system_mtu, other_lines=list(config.other_lines),
                  interfaces={k: Interface(v.description, v.shutdown) for k, v in config.interfaces.items()})
