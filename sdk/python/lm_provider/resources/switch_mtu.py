"""SwitchJumboMtu: the jumbo (system) MTU of one Cisco Catalyst switch, with the reload modelled.

- **ID**: the switch's name (the MTU is global: one resource per switch).
- **Replaces**: ``switch``. **Updates in place**: ``mtu``, ``reload``, ``platform``, ``interfaces``.
- **Platform**: given, or detected from ``show version`` (a given one is checked against it).
  Out-of-range values are refused in ``check`` when the platform is given, else at the first read,
  before anything is sent to the switch; the message has the platform's range.
- **Read** (one session, reused): ``show system mtu``; on IOS-XE also the running and startup
  config; ``show interfaces X`` for each listed interface. The state says what is configured,
  what is live, what a reload would bring, and whether a reload is pending.
- **Apply**: nothing is sent when the switch already has the value (a no-op sends no
  configuration command). Otherwise the configuration line (``% ...`` answers raise an error
  naming it), ``write memory`` on IOS-XE, and a reload only under ``reload: if-needed`` when the
  value is not live (classic IOS); the value is then read back and verified. Under
  ``reload: never`` the apply succeeds with ``pending_reload`` true and a warning.
- **Delete** restores ``found_mtu`` (the configured value before the first change), under the
  same reload rule.
- Only the global MTU is ever configured, never an interface, so the interface the session runs
  through is never touched (an MTU change cannot go below 1500, so it cannot cut the session).

Commands per operation (``show version`` once per session): read 1 (classic) / 3 (IOS-XE) + 1 per
interface; an apply with a change adds the configuration (enter, line, end), ``write memory``
(IOS-XE), a reload, and one read to verify.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..clients.switch import SwitchClient
from ..errors import InvalidInput, RemoteCommandError
from ..models.inputs import Checked
from ..models.plan import Plan
from ..models.switch import (
    PLATFORMS,
    MtuReading,
    SwitchJumboMtuArgs,
    SwitchJumboMtuState,
    args_of,
    check_switch_mtu,
    diff_switch_mtu,
    plan_apply,
    range_failure,
    state_of,
)
from .base import Created
from .switches import SwitchConnector

Pending = tuple[int, int] | None
"""A pending value from the state: (configured, live at the time); see ``SwitchJumboMtuLogic._read``."""


class SwitchJumboMtuLogic:
    """check / diff / create / read / update / delete of one switch's jumbo MTU."""

    args_type = SwitchJumboMtuArgs
    state_type = SwitchJumboMtuState

    def __init__(self, connector: SwitchConnector) -> None:
        self.connector = connector

    def check(self, inputs: Mapping[str, Any]) -> Checked[SwitchJumboMtuArgs]:
        """Validate inputs; no SSH."""
        return check_switch_mtu(inputs)

    def diff(self, state: SwitchJumboMtuState, args: SwitchJumboMtuArgs) -> Plan:
        """Pure comparison of state with args."""
        return diff_switch_mtu(state, args)

    def _platform(self, client: SwitchClient, args: SwitchJumboMtuArgs) -> tuple[str, str]:
        """The platform in effect and the model; InvalidInput when it contradicts the args."""
        facts = client.facts()
        if args.platform is not None and facts.platform not in (None, args.platform):
            raise InvalidInput(f"platform: {args.platform} given, but {client.name} is a {facts.model} running "
                               f"{PLATFORMS[str(facts.platform)].label}; allowed: {facts.platform} or unset")
        platform = args.platform or facts.platform
        if platform is None:
            raise InvalidInput(f"platform: {client.name} ({facts.model}) is not a platform lm-provider recognises "
                               f"from show version; set platform to one of {', '.join(PLATFORMS)}")
        reason = range_failure(platform, args.mtu)
        if reason:
            raise InvalidInput(f"mtu: {reason} ({client.name} is a {facts.model})")
        return platform, facts.model

    def _read(self, client: SwitchClient, args: SwitchJumboMtuArgs, pending: Pending) -> MtuReading:
        """The switch's values now. ``pending``: a value lm-provider set on a classic switch and the value
        live then, used when the switch does not show a next-reload line (and still runs that value)."""
        platform, model = self._platform(client, args)
        system = client.system_mtu(platform)
        recorded = False
        if PLATFORMS[platform].in_config:
            configured, saved = client.config_mtu("running"), client.config_mtu("startup")
        elif system.next_reload is not None:
            configured = saved = system.next_reload
        elif pending is not None and pending[1] == system.operational:
            configured = saved = pending[0]
            recorded = True
        else:
            configured = saved = system.operational
        interfaces = {name: client.interface_mtu(name) for name in args.interfaces}
        return MtuReading(platform, model, configured, system.operational, saved, interfaces, recorded)

    def _apply(self, args: SwitchJumboMtuArgs, pending: Pending) -> tuple[MtuReading, MtuReading]:
        """Read, change what differs, verify: the readings before and after."""
        client = self.connector(args.switch)
        with client.exclusive():
            before = self._read(client, args, pending)
            actions = plan_apply(before, args.mtu, args.reload)
            if not actions.any:
                return before, before
            if actions.configure:
                client.set_mtu(before.platform, args.mtu)
            if actions.save:
                client.save()
            if actions.reload:
                client.reload()
            after = self._read(client, args, None if actions.reload else (args.mtu, before.operational))
        command = f"{PLATFORMS[before.platform].command} {args.mtu}"
        if after.configured != args.mtu or after.saved != args.mtu:
            raise RemoteCommandError(client.name, command, f"the switch took the command but reports "
                                     f"{after.configured} configured, {after.saved} after a reload")
        if actions.reload and after.operational != args.mtu:
            raise RemoteCommandError(client.name, "reload", f"the switch came back running MTU {after.operational}, "
                                     f"not {args.mtu}")
        return before, after

    def create(self, args: SwitchJumboMtuArgs) -> Created:
        """Set the MTU (reload if allowed and needed); ``found_mtu`` remembers what was configured."""
        before, after = self._apply(args, None)
        return Created(args.switch, state_of(args, after, before.configured))

    def read(self, id_: str, state: SwitchJumboMtuState) -> SwitchJumboMtuState:
        """The switch's values now (a switch that does not answer is an error, not "gone")."""
        client = self.connector(state.switch)
        with client.exclusive():
            reading = self._read(client, state, _pending(state))
        return state_of(state, reading, state.found_mtu)

    def update(self, id_: str, state: SwitchJumboMtuState, args: SwitchJumboMtuArgs) -> SwitchJumboMtuState:
        """Change what differs from ``args`` (reload if allowed and needed)."""
        _, after = self._apply(args, _pending(state))
        return state_of(args, after, state.found_mtu)

    def delete(self, id_: str, state: SwitchJumboMtuState) -> None:
        """Put back the value found before the first change, under the same reload rule."""
        self._apply(replace(args_of(state), mtu=state.found_mtu, interfaces=[]), _pending(state))


def _pending(state: SwitchJumboMtuState) -> Pending:
    return (state.configured_mtu, state.operational_mtu) if state.pending_recorded else None
