"""The simulated switch without SSH: drift validation, the 3560G system MTU, command counts."""

from __future__ import annotations

from typing import Any

import pytest

from lmlab.switches.ios import INVALID, IosSession, SessionEnd
from lmlab.switches.model import Switch


def drifted(platform: str, changes: dict[str, Any]) -> dict[str, Any]:
    """A new switch's model with ``changes`` applied (``a__b`` = path a.b)."""
    data: dict[str, Any] = Switch.new("SW", platform).to_dict()
    for path, value in changes.items():
        node = data
        *parents, leaf = path.split("__")
        for key in parents:
            node = node[key]
        node[leaf] = value
    return data


@pytest.mark.parametrize("platform,changes,message", [
    ("c3560g", {"reload_seconds": -5}, "reload_seconds: -5 is out of range; allowed 0-3600 seconds"),
    ("c3560g", {"reload_seconds": "soon"}, "reload_seconds: 'soon' is not a number"),
    ("c3560g", {"jumbo_next_reload": 9198}, "jumbo_next_reload: 9198 is out of range; allowed 1500-9000 bytes"),
    ("c3560g", {"system_mtu_next_reload": 2000}, "system_mtu_next_reload: 2000 is out of range; allowed 1500-1998"),
    ("c3560g", {"running__system_mtu": 1998}, "running.system_mtu: a c3560g keeps the system MTU outside"),
    ("c9300", {"running__system_mtu": 9300}, "running.system_mtu: 9300 is out of range; allowed 1500-9198 bytes"),
    ("c9300", {"jumbo_operational": 9000}, "jumbo_operational: a c9300 has no such setting; allowed: 1500"),
    ("c3560g", {"mtu": 9000}, "mtu: unknown field; allowed: name, platform, running, startup,"),
    ("c3560g", {"running__interfaces__GigabitEthernet0/1__shutdown": "maybe"},
     "running.interfaces.GigabitEthernet0/1.shutdown: 'maybe' is not a boolean; allowed: true, false"),
    ("c3560g", {"running__interfaces__GigabitEthernet0/99": {}},
     "running.interfaces.GigabitEthernet0/99: no such port on a c3560g; its ports are GigabitEthernet0/1 to"),
    ("c3560g", {"running__hostname": "two words"}, "running.hostname: 'two words' is not a hostname"),
    ("c3560g", {"platform": "nexus"}, "platform: 'nexus' is not a platform; allowed: c3560g, c9300"),
])
def test_drift_that_no_switch_could_have_is_refused(platform: str, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Switch.from_dict(drifted(platform, changes))
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_values_are_converted_to_the_fields_types_and_ports_keep_their_order() -> None:
    data = drifted("c3560g", {"reload_seconds": 1, "jumbo_next_reload": 9000.0})
    data["running"]["interfaces"] = dict(sorted(data["running"]["interfaces"].items()))  # as state files store it
    switch = Switch.from_dict(data)
    assert switch.reload_seconds == 1.0 and isinstance(switch.reload_seconds, float)
    assert switch.jumbo_next_reload == 9000 and isinstance(switch.jumbo_next_reload, int)
    assert list(switch.running.interfaces)[:3] == ["GigabitEthernet0/1", "GigabitEthernet0/2", "GigabitEthernet0/3"]
    assert Switch.from_dict(switch.to_dict()) == switch


def session(platform: str = "c3560g", record: Any = None) -> IosSession:
    ios = IosSession(Switch.new("SW", platform), "secret", lambda: None, record)
    ios.feed("enable")
    ios.feed("secret")
    return ios


def test_c3560g_system_mtu_is_an_nvram_value_shown_and_applied_at_reload() -> None:
    ios = session()
    ios.feed("configure terminal")
    assert ios.feed("system mtu 1998") == ("Changes to the system MTU will not take effect until the next reload "
                                           "is done.")
    assert ios.feed("system mtu 1999").splitlines() == [" " * len("SW(config)#system mtu ") + "^", INVALID]
    ios.feed("end")
    shown = ios.feed("show system mtu")
    assert "System MTU size is 1500 bytes" in shown and "On next reload, System MTU size will be 1998 bytes" in shown
    assert "system mtu 1998" not in ios.feed("show running-config")
    ios.switch.start_reload(now=0.0)
    assert not ios.switch.is_reloading(now=ios.switch.reload_seconds)
    shown = ios.feed("show system mtu")
    assert "System MTU size is 1998 bytes" in shown and "On next reload" not in shown


def test_every_command_is_counted_once_by_its_full_keywords() -> None:
    calls: list[tuple[str, bool]] = []
    ios = session(record=lambda op, changing: calls.append((op, changing)))
    for line in ("sh sys mtu", "show bogus", "conf t", "system mtu jumbo 9000", "int gi0/1", "desc LM", "end",
                 "reload", "no", ""):
        try:
            ios.feed(line)
        except SessionEnd:  # the reload ends the session
            assert line == ""
    assert calls == [("enable", False), ("show system mtu", False), ("configure terminal", False),
                     ("system mtu jumbo", True), ("interface", False), ("description", True), ("end", False),
                     ("reload", True)]


def test_port_mtu_lines_and_the_ios_xe_mtu_answer_are_the_captured_texts() -> None:
    classic = session("c3560g")
    assert "  MTU 1500 bytes, BW 1000000 Kbit, DLY 10 usec, \n" in classic.feed("show interfaces gi0/1")  # 12.2
    xe = session("c9300")
    assert "  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,\n" in xe.feed("show interfaces gi1/0/1")
    xe.feed("configure terminal")
    assert xe.feed("system mtu 9198").splitlines() == [
        "Global Ethernet MTU is set to 9198 bytes.", "Note: this is the Ethernet payload size, not the total",
        "Ethernet frame size, which includes the Ethernet", "header/trailer and possibly other tags, such as ISL or",
        "802.1q tags."]
