"""Typed questions to and changes of a Cisco switch over its IOS session (texts parsed here).

Commands (each once per call; ``show version`` once per session):
``show version`` -> platform and model; ``show system mtu`` -> live value (and the next-reload
value where the switch shows one); ``show running-config`` / ``show startup-config`` -> the
``system mtu N`` line; ``show interfaces X`` -> the port's MTU; ``system mtu [jumbo] N`` in
configuration mode; ``write memory``; ``reload``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import RemoteCommandError
from ..models.switch import DEFAULT_MTU, PLATFORMS
from ..transports.ios import IosSession

_MODEL = re.compile(r"^\s*Model [Nn]umber\s*:\s*(\S+)", re.M)
_IOS_XE = re.compile(r"IOS[ -]?XE|IOSXE")
_CLASSIC_MODEL = re.compile(r"^WS-C3(?:560|750)")
_JUMBO = re.compile(r"^\s*System Jumbo MTU size is (\d+) bytes", re.M)
_NEXT_JUMBO = re.compile(r"^\s*On next reload,.*Jumbo MTU\D*(\d+) bytes", re.M)
_GLOBAL = re.compile(r"^\s*Global Ethernet MTU is (\d+) bytes", re.M)
_CONFIG_LINE = re.compile(r"^system mtu (\d+)\s*$", re.M)
_PORT_MTU = re.compile(r"^\s*MTU (\d+) bytes", re.M)


@dataclass(frozen=True)
class SwitchFacts:
    """From ``show version``: the platform (None when not recognised) and the model number."""

    platform: str | None
    model: str


@dataclass(frozen=True)
class SystemMtu:
    """From ``show system mtu``: the live value, and the next-reload value when the switch shows one."""

    operational: int
    next_reload: int | None = None


def parse_version(text: str) -> SwitchFacts:
    """IOS-XE anywhere in the text -> ``ios-xe``; a WS-C3560/WS-C3750 model -> ``classic``; else None."""
    match = _MODEL.search(text)
    model = match.group(1) if match else "unknown model"
    if _IOS_XE.search(text):
        return SwitchFacts("ios-xe", model)
    if _CLASSIC_MODEL.match(model):
        return SwitchFacts("classic", model)
    return SwitchFacts(None, model)


def parse_system_mtu(platform: str, text: str) -> SystemMtu | None:
    """The values of ``show system mtu`` on ``platform``; None when the text has no such line."""
    if platform == "ios-xe":
        match = _GLOBAL.search(text)
        return SystemMtu(int(match.group(1))) if match else None
    match = _JUMBO.search(text)
    if not match:
        return None
    pending = _NEXT_JUMBO.search(text)
    return SystemMtu(int(match.group(1)), int(pending.group(1)) if pending else None)


def parse_config_mtu(text: str) -> int:
    """The ``system mtu N`` line of a configuration (IOS-XE); the default when there is none."""
    match = _CONFIG_LINE.search(text)
    return int(match.group(1)) if match else DEFAULT_MTU


def parse_interface_mtu(text: str) -> int | None:
    """The ``MTU N bytes`` of ``show interfaces X``."""
    match = _PORT_MTU.search(text)
    return int(match.group(1)) if match else None


class SwitchClient:
    """The MTU questions and changes of one switch."""

    def __init__(self, session: IosSession) -> None:
        self.session = session
        self._facts: SwitchFacts | None = None

    @property
    def name(self) -> str:
        """The switch's name."""
        return self.session.name

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the switch for a read-modify-write (other operations on it wait)."""
        with self.session.exclusive():
            yield

    def _unexpected(self, command: str, text: str) -> RemoteCommandError:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "no output")
        return RemoteCommandError(self.name, command, f"unexpected output: {first[:200]!r}")

    def facts(self) -> SwitchFacts:
        """Platform and model (``show version``, once per client)."""
        if self._facts is None:
            self._facts = parse_version(self.session.show("show version"))
        return self._facts

    def system_mtu(self, platform: str) -> SystemMtu:
        """``show system mtu``."""
        text = self.session.show("show system mtu")
        values = parse_system_mtu(platform, text)
        if values is None:
            raise self._unexpected("show system mtu", text)
        return values

    def config_mtu(self, which: str) -> int:
        """The ``system mtu`` of the ``running`` or ``startup`` configuration."""
        return parse_config_mtu(self.session.show(f"show {which}-config"))

    def interface_mtu(self, interface: str) -> int:
        """``show interfaces X``: the port's MTU."""
        command = f"show interfaces {interface}"
        text = self.session.show(command)
        value = parse_interface_mtu(text)
        if value is None:
            raise self._unexpected(command, text)
        return value

    def set_mtu(self, platform: str, mtu: int) -> str:
        """``system mtu jumbo N`` (classic) or ``system mtu N`` (IOS-XE) in configuration mode."""
        return self.session.configure([f"{PLATFORMS[platform].command} {int(mtu)}"])

    def save(self) -> None:
        """``write memory``."""
        self.session.save()

    def reload(self) -> None:
        """Reload and wait until the switch takes logins again."""
        self.session.reload()
