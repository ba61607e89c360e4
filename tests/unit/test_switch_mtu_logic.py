"""SwitchJumboMtuLogic over a scripted client: what it asks, what it sends, what it refuses (no SSH).

The lab always prints the classic next-reload line; a real 3560/3750 may not (docs/lab.md lists the
line as unverified). These tests pin the fallback: a value we set stays "pending" in the state
until the switch runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from lm_provider.clients.switch import SwitchFacts, SystemMtu
from lm_provider.errors import InvalidInput
from lm_provider.models.switch import SwitchJumboMtuArgs
from lm_provider.resources.switch_mtu import SwitchJumboMtuLogic


class ScriptedSwitch:
    """A classic switch that keeps an NVRAM value and may hide it from ``show system mtu``."""

    def __init__(self, model: str = "WS-C3560G-24TS-S", platform: str | None = "classic",
                 shows_next_reload: bool = True) -> None:
        self.name = "SW"
        self.facts_ = SwitchFacts(platform, model)
        self.shows_next_reload = shows_next_reload
        self.operational = self.nvram = 1500
        self.sent: list[str] = []

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        yield

    def facts(self) -> SwitchFacts:  # asked once per session, like SwitchClient
        if "show version" not in self.sent:
            self.sent.append("show version")
        return self.facts_

    def system_mtu(self, platform: str) -> SystemMtu:
        self.sent.append("show system mtu")
        shown = self.nvram if self.shows_next_reload and self.nvram != self.operational else None
        return SystemMtu(self.operational, shown)

    def set_mtu(self, platform: str, mtu: int) -> str:
        self.sent.append(f"system mtu jumbo {mtu}")
        self.nvram = mtu
        return ""

    def reload(self) -> None:
        self.sent.append("reload")
        self.operational = self.nvram


def logic_for(switch: ScriptedSwitch) -> SwitchJumboMtuLogic:
    return SwitchJumboMtuLogic(lambda name: switch)  # type: ignore[arg-type,return-value]


def args(**values: object) -> SwitchJumboMtuArgs:
    checked = logic_for(ScriptedSwitch()).check({"switch": "SW", "mtu": 9000, **values})
    assert checked.args is not None, checked.failures
    return checked.args


def test_a_value_the_switch_does_not_show_stays_pending_until_it_runs() -> None:
    switch = ScriptedSwitch(shows_next_reload=False)
    logic = logic_for(switch)
    created = logic.create(args())
    assert (created.state.configured_mtu, created.state.operational_mtu, created.state.pending_reload) == (
        9000, 1500, True)
    assert created.state.warnings[1] == ("SW: show system mtu does not show the next-reload value; 9000 is the value "
                                         "lm-provider set (a change made by hand since cannot be seen)")
    again = logic.read(created.id, created.state)
    assert again == created.state and not logic.diff(again, args()).has_changes
    switch.sent = ["show version"]
    logic.update(created.id, again, args())
    assert switch.sent == ["show version", "show system mtu"]  # a no-op: nothing configured again
    switch.reload()  # by hand, in a maintenance window
    live = logic.read(created.id, again)
    assert (live.configured_mtu, live.operational_mtu, live.pending_reload) == (9000, 9000, False)


def test_delete_restores_the_found_value_under_the_same_reload_rule() -> None:
    switch = ScriptedSwitch()
    logic = logic_for(switch)
    created = logic.create(args(reload="if-needed"))
    assert switch.operational == 9000 and created.state.found_mtu == 1500
    switch.sent = ["show version"]
    logic.delete(created.id, created.state)
    assert switch.sent == ["show version", "show system mtu", "system mtu jumbo 1500", "reload", "show system mtu"]
    assert (switch.nvram, switch.operational) == (1500, 1500)


@pytest.mark.parametrize("switch,given,message", [
    (ScriptedSwitch(), {"mtu": 9198},
     "mtu: 9198 is out of range for classic; allowed 1500-9000 bytes (`system mtu jumbo` on classic IOS, Catalyst "
     "3560/3750) (SW is a WS-C3560G-24TS-S)"),
    (ScriptedSwitch(), {"platform": "ios-xe"},
     "platform: ios-xe given, but SW is a WS-C3560G-24TS-S running classic IOS, Catalyst 3560/3750; allowed: "
     "classic or unset"),
    (ScriptedSwitch("N9K-C93180YC-EX", None), {},
     "platform: SW (N9K-C93180YC-EX) is not a platform lm-provider recognises from show version; set platform to "
     "one of classic, ios-xe"),
])
def test_what_only_the_switch_can_judge_is_refused_before_any_change(switch: ScriptedSwitch, given: dict[str, object],
                                                                     message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        logic_for(switch).create(args(**given))
    assert str(caught.value) == message
    assert switch.sent == ["show version"]
