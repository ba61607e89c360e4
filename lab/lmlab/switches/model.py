"""The simulated Catalyst switch: running vs startup config vs operational values, no I/O.

Platforms (Cisco documentation; texts we could not confirm are listed in docs/lab.md):
- ``c3560g``: Catalyst 3560G, classic IOS 12.2(55)SE. ``system mtu jumbo 1500-9000`` is kept in
  an NVRAM variable outside the configuration file and takes effect only after a reload; the
  running-config never shows it. Gigabit ports run at the jumbo MTU.
- ``c9300``: Catalyst 9300, IOS-XE. ``system mtu 1500-9198`` is a running-config line that takes
  effect at once and survives a reload only after ``write memory``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

PLATFORMS = {
    "c3560g": {"model": "WS-C3560G-24TS-S", "ports": 24, "jumbo_range": (1500, 9000),
               "software": "C3560 Software (C3560-IPBASEK9-M), Version 12.2(55)SE12, RELEASE SOFTWARE (fc2)"},
    "c9300": {"model": "C9300-48T", "ports": 48, "jumbo_range": (1500, 9198),
              "software": "Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)"},
}


def port_names(platform: str) -> list[str]:
    """The front-panel ports (3560G: Gi0/1-24; 9300: Gi1/0/1-48)."""
    count = PLATFORMS[platform]["ports"]
    prefix = "GigabitEthernet0/" if platform == "c3560g" else "GigabitEthernet1/0/"
    return [f"{prefix}{i}" for i in range(1, count + 1)]


@dataclass
class Interface:
    """Per-port configuration."""

    description: str = ""
    shutdown: bool = False


@dataclass
class Config:
    """What a configuration file holds (running or startup)."""

    hostname: str
    interfaces: dict[str, Interface]
    system_mtu: int | None = None  # c9300 only: the `system mtu N` line
    other_lines: list[str] = field(default_factory=lambda: [
        "service timestamps debug datetime msec", "service timestamps log datetime msec",
        "ip domain-name holding.com", "spanning-tree mode pvst", "vlan 35", " name LIVE-MIGRATION"])


@dataclass
class Switch:
    """One switch's whole state."""

    name: str
    platform: str
    running: Config
    startup: Config
    jumbo_operational: int = 1500  # c3560g: the MTU the ports run at
    jumbo_next_reload: int = 1500  # c3560g: the NVRAM value applied at reload
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
        self.mtu_operational = self.running.system_mtu or 1500

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Switch:
        """Rebuild from :meth:`to_dict` output."""
        def config(d: dict[str, Any]) -> Config:
            return Config(**{**d, "interfaces": {k: Interface(**v) for k, v in d["interfaces"].items()}})

        return cls(**{**data, "running": config(data["running"]), "startup": config(data["startup"])})


def _copy_config(config: Config) -> Config:
    return Config(hostname=config.hostname, system_mtu=config.system_mtu, other_lines=list(config.other_lines),
                  interfaces={k: Interface(v.description, v.shutdown) for k, v in config.interfaces.items()})
