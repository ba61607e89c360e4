"""How to reach a Cisco switch over SSH: settings from the ``lm:`` stack configuration (pure).

Defaults for every switch (namespace ``lm:``):

=========================  ===================================================================
key                        meaning
=========================  ===================================================================
``switchUsername``         the SSH user (privilege 1 is enough: the resource runs ``enable``)
``switchPassword``         its password (``pulumi config set --secret lm:switchPassword ...``)
``switchEnableSecret``     the enable secret (a secret too; unset: the user must land in ``#``)
``switchPort``             SSH port (default 22)
``switchKnownHosts``       an OpenSSH known_hosts file with the switches' host keys
``switchHostKeyVerify``    ``false`` turns host-key verification off (default true; never in production)
``switchConnectTimeout``   seconds for TCP connect, SSH handshake and login (default 10)
``switchCommandTimeout``   seconds a command may take to answer (default 30)
``switchReloadTimeout``    seconds to wait for a reloading switch to answer again (default 900)
``switches``               JSON object: switch name -> overrides of the keys above for that switch:
                           ``host``, ``port``, ``username``, ``password``, ``enableSecret``,
                           ``knownHosts``, ``hostKey`` (a pinned key: ``ssh-ed25519 AAAA...``),
                           ``connectTimeout``, ``commandTimeout``, ``reloadTimeout``
=========================  ===================================================================

A switch not listed in ``switches`` is reached at its own name (DNS) with the defaults. Host keys
are verified unless switched off: a switch needs an entry in the known_hosts file or a pinned key.
If ``switches`` carries passwords, set the whole key as a secret.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigurationError
from .validators import dns_name, ipv4_address, no_control_characters

ConfigGet = Callable[[str], "str | None"]
KEY_TYPES = ("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa")
OVERRIDES = ("host", "port", "username", "password", "enableSecret", "knownHosts", "hostKey", "connectTimeout",
             "commandTimeout", "reloadTimeout")
PER_SWITCH_ONLY = ("host", "hostKey")
_TIMEOUTS = {"connectTimeout": (10.0, 600.0), "commandTimeout": (30.0, 3600.0), "reloadTimeout": (900.0, 7200.0)}


@dataclass(frozen=True)
class SwitchSettings:
    """Everything needed to log in to one switch. Passwords never appear in ``repr``."""

    name: str
    host: str
    username: str
    password: str = field(repr=False)
    enable_secret: str | None = field(default=None, repr=False)
    port: int = 22
    known_hosts: str | None = None
    host_key: str | None = None
    verify_host_key: bool = True
    connect_timeout: float = 10.0
    command_timeout: float = 30.0
    reload_timeout: float = 900.0

    @property
    def address(self) -> str:
        """``host:port`` as messages show it."""
        return f"{self.host}:{self.port}"


def _default_key(setting: str) -> str:
    """``port`` -> ``switchPort``: the stack-wide key of a per-switch setting."""
    return f"switch{setting[0].upper()}{setting[1:]}"


def _fail(key: str, reason: str) -> ConfigurationError:
    return ConfigurationError(f"{key}: {reason}")


def _text(key: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or no_control_characters(value):
        raise _fail(key, "must be one line of text without control characters")
    return value


def _port(key: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise _fail(key, f"{value!r} is not a TCP port (1-65535)")
    return int(text)


def _seconds(key: str, value: Any, maximum: float) -> float | None:
    if value is None or value == "":
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not math.isfinite(seconds) or not 0 < seconds <= maximum:
        raise _fail(key, f"{value!r} is not a number of seconds in 0..{maximum:g}")
    return seconds


def host_key(key: str, value: str) -> str:
    """A pinned host key ``<type> <base64>`` (as in known_hosts, without the host name)."""
    parts = value.split()
    allowed = f"'<type> <base64 key>' with a type among {', '.join(KEY_TYPES)}"
    if len(parts) != 2 or parts[0] not in KEY_TYPES:
        raise _fail(key, f"is not a host key; expected {allowed}")
    try:
        base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise _fail(key, f"the key is not base64; expected {allowed}") from None
    return f"{parts[0]} {parts[1]}"


def switch_host(key: str, value: str) -> str:
    """A DNS name or IPv4 address."""
    if dns_name(value) and ipv4_address(value):
        raise _fail(key, f"{value!r} is not a host name or IPv4 address")
    return value


def _switch_entries(raw: str | None) -> dict[str, dict[str, Any]]:
    """``lm:switches`` parsed: switch name -> its overrides (keys checked)."""
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _fail("lm:switches", f"not JSON ({exc.msg})") from None
    if not isinstance(parsed, dict) or not all(isinstance(v, dict) for v in parsed.values()):
        raise _fail("lm:switches", "expected a JSON object of switch name -> {host, port, username, ...}")
    for name, entry in parsed.items():
        unknown = sorted(set(entry) - set(OVERRIDES))
        if unknown:
            raise _fail(f"lm:switches.{name}.{unknown[0]}", f"unknown setting; allowed: {', '.join(OVERRIDES)}")
    return parsed


@dataclass(frozen=True)
class SwitchConfig:
    """The stack's switch settings; :meth:`for_switch` resolves one switch (overrides win)."""

    defaults: Mapping[str, Any]
    switches: Mapping[str, Mapping[str, Any]]
    verify_host_key: bool = True

    def __repr__(self) -> str:
        return f"SwitchConfig(switches={sorted(self.switches)}, verify_host_key={self.verify_host_key})"

    @classmethod
    def from_config(cls, get: ConfigGet) -> SwitchConfig:
        """Read the ``lm:switch*`` keys; ConfigurationError names a bad key (never a password)."""
        defaults = {name: get(_default_key(name)) for name in OVERRIDES if name not in PER_SWITCH_ONLY}
        verify = (get("switchHostKeyVerify") or "true").strip().lower()
        if verify not in ("true", "false"):
            raise _fail("lm:switchHostKeyVerify", f"{verify!r} is not true or false")
        entries = _switch_entries(get("switches"))
        config = cls(defaults, {name.lower(): entry for name, entry in entries.items()}, verify == "true")
        for name in entries:
            config.for_switch(name, require_credentials=False)
        return config

    def for_switch(self, name: str, require_credentials: bool = True) -> SwitchSettings:
        """Settings of switch ``name``; ConfigurationError names the missing or bad key."""
        entry = self.switches.get(name.lower(), {})

        def value(setting: str) -> tuple[str, Any]:
            if entry.get(setting) not in (None, ""):
                return f"lm:switches.{name}.{setting}", entry[setting]
            return f"lm:{_default_key(setting)}", self.defaults.get(setting)

        texts = {s: _text(*value(s)) for s in ("host", "username", "password", "enableSecret", "knownHosts")}
        host = switch_host(value("host")[0], texts["host"] or name)
        pinned = _text(*value("hostKey"))
        if pinned is not None:
            pinned = host_key(value("hostKey")[0], pinned)
        timeouts = {s: _seconds(*value(s), _TIMEOUTS[s][1]) or _TIMEOUTS[s][0] for s in _TIMEOUTS}
        if require_credentials and (texts["username"] is None or texts["password"] is None):
            raise ConfigurationError(
                f"no SSH credentials for switch {name}: set lm:switchUsername and lm:switchPassword "
                "(pulumi config set --secret lm:switchPassword ...) or its entry in lm:switches")
        if require_credentials and self.verify_host_key and pinned is None and texts["knownHosts"] is None:
            raise ConfigurationError(
                f"no host key for switch {name}: set lm:switchKnownHosts (a known_hosts file) or hostKey in its "
                "lm:switches entry (lm:switchHostKeyVerify=false turns verification off; never in production)")
        return SwitchSettings(
            name=name, host=host, username=texts["username"] or "", password=texts["password"] or "",
            enable_secret=texts["enableSecret"], port=_port(*value("port")) or 22, known_hosts=texts["knownHosts"],
            host_key=pinned, verify_host_key=self.verify_host_key, connect_timeout=timeouts["connectTimeout"],
            command_timeout=timeouts["commandTimeout"], reload_timeout=timeouts["reloadTimeout"])
