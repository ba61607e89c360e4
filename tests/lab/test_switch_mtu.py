"""SwitchJumboMtu against the lab's switches over real SSH (netmiko, unmodified), on both platforms:
KOM-SW01 (c3560g, classic IOS: the value is live only after a reload) and LAB-C9300 (c9300, IOS-XE:
live at once, saved with write memory). Round trips are asserted with the lab's own call counts."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from lifecycle import Case, LabProbe, run_lifecycle
from lm_provider.errors import InvalidInput, RemoteCommandError, TransientError, TransportError
from lm_provider.models.switch import SwitchJumboMtuArgs, SwitchJumboMtuState
from lm_provider.resources.switch_mtu import SwitchJumboMtuLogic
from lmlab.testing import RunningLab
from switchlab import switch_logic

pytestmark = pytest.mark.lab
FAST_RELOAD = "reload_seconds=0.3"
CONFIGURING = ("configure terminal", "system mtu", "system mtu jumbo", "write memory", "reload")


MakeLogic = Callable[..., SwitchJumboMtuLogic]


@pytest.fixture
def make_logic(clean_lab: RunningLab) -> Iterator[MakeLogic]:
    """Logics over fresh session pools for the lab (``switch_logic``), logged out after the test."""
    made: list[SwitchJumboMtuLogic] = []

    def make(**overrides: dict[str, object]) -> SwitchJumboMtuLogic:
        made.append(switch_logic(clean_lab, **overrides))
        return made[-1]

    yield make
    for logic in made:
        logic.connector.pool.close()  # type: ignore[attr-defined]


def calls(lab: RunningLab, switch: str) -> dict[str, dict[str, int]]:
    """The switch's commands since the last reset, by op."""
    result: dict[str, dict[str, int]] = lab.control.call("GET", f"/devices/{switch}/calls")
    return result


def sent(lab: RunningLab, switch: str) -> dict[str, int]:
    """Commands sent, by op (reads and changing calls together)."""
    return {op: row["read"] + row["changing"] for op, row in calls(lab, switch).items()}


def model(lab: RunningLab, switch: str) -> dict[str, Any]:
    result: dict[str, Any] = lab.control.call("GET", f"/devices/{switch}")
    return result


def state_of(switch: str) -> SwitchJumboMtuState:
    """A recorded state as little as a read needs (the switch and the MTU asked for)."""
    return SwitchJumboMtuState(switch=switch, mtu=9000 if switch == "KOM-SW01" else 9198)


def checked(logic: SwitchJumboMtuLogic, **inputs: Any) -> SwitchJumboMtuArgs:
    result = logic.check(inputs)
    assert result.args is not None, result.failures
    return result.args


LIFECYCLES: dict[str, dict[str, Any]] = {
    "KOM-SW01": {"inputs": {"switch": "KOM-SW01", "mtu": 9000, "interfaces": ["GigabitEthernet0/1"]},
                 "drift": ["jumbo_next_reload=1500"],  # someone set the NVRAM value back
                 "updated_inputs": {"switch": "KOM-SW01", "mtu": 8000, "interfaces": ["GigabitEthernet0/1"]},
                 "read_calls": 2},  # show system mtu, show interfaces
    "LAB-C9300": {"inputs": {"switch": "LAB-C9300", "mtu": 9198, "interfaces": ["GigabitEthernet1/0/1"]},
                  "drift": ["running.system_mtu=9000", "mtu_operational=9000"],  # set by hand, not saved
                  "updated_inputs": {"switch": "LAB-C9300", "mtu": 9000, "interfaces": ["GigabitEthernet1/0/1"]},
                  "read_calls": 4},  # show system mtu, running-config, startup-config, interfaces
}


@pytest.mark.parametrize("switch", sorted(LIFECYCLES))
def test_lifecycle_converges_finds_drift_and_delete_restores_the_switch(clean_lab: RunningLab,
                                                                        make_logic: MakeLogic, switch: str) -> None:
    case = Case(logic=make_logic(), probe=LabProbe(clean_lab, switch), **LIFECYCLES[switch])
    counts = run_lifecycle(case)
    assert counts["reapply"] == {"read": case.read_calls, "changing": 0}


@pytest.mark.parametrize("switch,mtu", [("KOM-SW01", 9000), ("LAB-C9300", 9198)])
def test_a_no_op_sends_no_configuration_command(clean_lab: RunningLab,
                                                make_logic: MakeLogic, switch: str, mtu: int) -> None:
    logic = make_logic()
    args = checked(logic, switch=switch, mtu=mtu)
    created = logic.create(args)
    clean_lab.control.call("POST", "/calls/reset", {})
    state = logic.update(created.id, logic.read(created.id, created.state), args)
    assert not logic.diff(state, args).has_changes
    assert not set(sent(clean_lab, switch)) & set(CONFIGURING), sent(clean_lab, switch)
    assert all(row["changing"] == 0 for row in calls(clean_lab, switch).values())


def test_classic_change_without_reload_is_pending_and_stays_quiet(clean_lab: RunningLab, make_logic: MakeLogic) -> None:
    logic = make_logic()
    args = checked(logic, switch="KOM-SW01", mtu=9000, interfaces=["GigabitEthernet0/1"])
    state = logic.create(args).state
    assert (state.configured_mtu, state.operational_mtu, state.saved_mtu, state.pending_reload) == (9000, 1500, 9000,
                                                                                                     True)
    assert state.interface_mtus == {"GigabitEthernet0/1": 1500} and state.found_mtu == 1500
    assert state.warnings == ["KOM-SW01: a reload is pending: the system MTU is set to 9000 bytes but the switch "
                              "runs 1500 until it reloads (reload: never)"]
    device = model(clean_lab, "KOM-SW01")
    assert (device["jumbo_next_reload"], device["jumbo_operational"], device["reload_count"]) == (9000, 1500, 0)
    assert sent(clean_lab, "KOM-SW01")["system mtu jumbo"] == 1 and "reload" not in sent(clean_lab, "KOM-SW01")
    plan = logic.diff(logic.read("KOM-SW01", state), args)
    assert not plan.has_changes and plan.notes  # the pending reload is no change under reload: never


def test_classic_change_with_reload_drops_the_switch_and_verifies_the_live_value(clean_lab: RunningLab,
                                                                                 make_logic: MakeLogic) -> None:
    clean_lab.cli("drift", "KOM-SW01", FAST_RELOAD)
    logic = make_logic()
    args = checked(logic, switch="KOM-SW01", mtu=9000, reload="if-needed", interfaces=["GigabitEthernet0/1"])
    created = logic.create(args)
    state = created.state
    assert (state.configured_mtu, state.operational_mtu, state.pending_reload, state.warnings) == (9000, 9000, False,
                                                                                                   [])
    assert state.interface_mtus == {"GigabitEthernet0/1": 9000}
    assert model(clean_lab, "KOM-SW01")["reload_count"] == 1
    assert sent(clean_lab, "KOM-SW01")["enable"] == 2  # logged in again after the reload
    logic.delete(created.id, state)
    device = model(clean_lab, "KOM-SW01")
    assert (device["jumbo_next_reload"], device["jumbo_operational"], device["reload_count"]) == (1500, 1500, 2)


def test_ios_xe_applies_at_once_and_saves_without_a_reload(clean_lab: RunningLab, make_logic: MakeLogic) -> None:
    logic = make_logic()
    state = logic.create(checked(logic, switch="LAB-C9300", mtu=9198, reload="if-needed")).state
    assert (state.detected_platform, state.configured_mtu, state.operational_mtu, state.saved_mtu) == (
        "ios-xe", 9198, 9198, 9198)
    assert "reload" not in sent(clean_lab, "LAB-C9300") and sent(clean_lab, "LAB-C9300")["write memory"] == 1
    assert model(clean_lab, "LAB-C9300")["startup"]["system_mtu"] == 9198


def test_reload_saves_unsaved_configuration_so_the_switch_comes_back_as_it_ran(clean_lab: RunningLab,
                                                                               make_logic: MakeLogic) -> None:
    clean_lab.cli("drift", "KOM-SW01", FAST_RELOAD, "running.interfaces.GigabitEthernet0/2.description=LM by hand")
    logic = make_logic()
    logic.create(checked(logic, switch="KOM-SW01", mtu=9000, reload="if-needed"))
    device = model(clean_lab, "KOM-SW01")
    assert device["startup"]["interfaces"]["GigabitEthernet0/2"]["description"] == "LM by hand"
    assert device["running"]["interfaces"]["GigabitEthernet0/2"]["description"] == "LM by hand"


def test_a_rejected_command_is_an_error_naming_the_line(clean_lab: RunningLab, make_logic: MakeLogic) -> None:
    logic = make_logic()
    with pytest.raises(RemoteCommandError) as caught:
        logic.create(checked(logic, switch="KOM-SW01", mtu=9000, interfaces=["GigabitEthernet0/99"]))
    assert str(caught.value) == ("KOM-SW01: show interfaces GigabitEthernet0/99: % Invalid input detected at '^' "
                                 "marker.")
    assert not set(sent(clean_lab, "KOM-SW01")) & set(CONFIGURING)  # refused while reading: nothing changed
    session = logic.connector("LAB-C9300").session  # type: ignore[attr-defined]
    with pytest.raises(RemoteCommandError) as caught:
        session.configure(["system mtu jumbo 9000"])  # classic syntax on IOS-XE
    assert str(caught.value) == "LAB-C9300: configure: system mtu jumbo 9000: % Invalid input detected at '^' marker."
    assert "Global Ethernet MTU is 1500 bytes." in session.show("show system mtu")  # left config mode, still usable


def test_out_of_range_for_the_platform_found_is_refused_before_any_change(clean_lab: RunningLab,
                                                                          make_logic: MakeLogic) -> None:
    logic = make_logic()
    with pytest.raises(InvalidInput, match=r"^mtu: 9198 is out of range for classic; allowed 1500-9000 bytes"):
        logic.create(checked(logic, switch="KOM-SW01", mtu=9198))
    assert set(sent(clean_lab, "KOM-SW01")) == {"terminal width", "terminal length", "enable", "show version"}


def test_check_rejects_bad_input_with_zero_ssh_connections(clean_lab: RunningLab, make_logic: MakeLogic) -> None:
    sessions = clean_lab.control.call("GET", "/status")["switches"]["KOM-SW01"]["sessions"]
    logic = make_logic()
    for inputs in ({"switch": "KOM-SW01", "mtu": 9198, "platform": "classic"},
                   {"switch": "KOM-SW01", "mtu": 9000, "interfaces": ["Gi0/1\nreload"]},
                   {"switch": "KOM-SW01\nreload", "mtu": 9000}, {"switch": "LAB-C9300", "mtu": 1400}):
        assert logic.check(inputs).failures
    assert calls(clean_lab, "KOM-SW01") == {} and calls(clean_lab, "LAB-C9300") == {}
    assert clean_lab.control.call("GET", "/status")["switches"]["KOM-SW01"]["sessions"] == sessions


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_an_unreachable_switch_is_a_clear_error_after_bounded_retries(clean_lab: RunningLab,
                                                                      make_logic: MakeLogic) -> None:
    port = free_port()
    logic = make_logic(**{"KOM-SW01": {"port": port}})
    with pytest.raises(TransientError) as caught:
        logic.read("KOM-SW01", state_of("KOM-SW01"))
    assert str(caught.value) == f"KOM-SW01: connect: 127.0.0.1:{port} refused the connection (3 attempts)"


def other_switch_key(lab: RunningLab, switch: str) -> str:
    port = lab.endpoints["switches"][switch]["port"]
    lines = Path(lab.endpoints["known_hosts"]).read_text().splitlines()
    return next(line for line in lines if f":{port} " not in line).split(" ", 1)[1]


def test_a_host_key_mismatch_is_refused_before_logging_in(clean_lab: RunningLab,
                                                          make_logic: MakeLogic, tmp_path: Path) -> None:
    logic = make_logic(**{"KOM-SW01": {"hostKey": other_switch_key(clean_lab, "KOM-SW01")}})
    with pytest.raises(TransportError) as caught:
        logic.read("KOM-SW01", state_of("KOM-SW01"))
    assert not isinstance(caught.value, TransientError)
    port = clean_lab.endpoints["switches"]["KOM-SW01"]["port"]
    assert str(caught.value).startswith(f"KOM-SW01: verify host key: the host key of 127.0.0.1:{port} does not match "
                                        "its pinned hostKey")
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    logic = make_logic(**{"KOM-SW01": {"knownHosts": str(empty)}})
    with pytest.raises(TransportError, match=f"127.0.0.1:{port} has no entry in known_hosts file {empty}"):
        logic.read("KOM-SW01", state_of("KOM-SW01"))
    assert calls(clean_lab, "KOM-SW01") == {}  # never logged in


def test_a_refused_login_is_reported_without_the_password_and_the_next_try_works(clean_lab: RunningLab,
                                                                                 make_logic: MakeLogic) -> None:
    clean_lab.control.call("POST", "/devices/KOM-SW01/knobs", {"fault": "refuse-login", "fault_on_call": 1})
    logic = make_logic()
    with pytest.raises(TransportError) as caught:
        logic.read("KOM-SW01", state_of("KOM-SW01"))
    port = clean_lab.endpoints["switches"]["KOM-SW01"]["port"]
    assert str(caught.value) == (f"KOM-SW01: login: 127.0.0.1:{port} refused the login of netadmin: wrong user name "
                                 "or password, or the switch's AAA refused it")
    assert clean_lab.dir.secrets()["switch"]["password"] not in str(caught.value)
    assert logic.read("KOM-SW01", state_of("KOM-SW01")).operational_mtu == 1500


def test_a_dropped_session_is_survived_on_a_fresh_one(clean_lab: RunningLab, make_logic: MakeLogic) -> None:
    logic = make_logic()
    args = checked(logic, switch="LAB-C9300", mtu=9198)
    before = logic.read("LAB-C9300", state_of("LAB-C9300"))
    clean_lab.control.call("POST", "/devices/LAB-C9300/knobs", {"fault": "drop", "fault_on_call": 2})
    state = logic.create(args).state  # the drop cuts the session at `configure terminal`
    assert (before.operational_mtu, state.operational_mtu, state.saved_mtu) == (1500, 9198, 9198)
    assert sent(clean_lab, "LAB-C9300")["enable"] == 2


def test_concurrent_operations_on_one_switch_share_one_serialized_session(clean_lab: RunningLab,
                                                                          make_logic: MakeLogic) -> None:
    logic = make_logic()
    results: list[int] = []
    def read() -> None:
        results.append(logic.read("KOM-SW01", state_of("KOM-SW01")).operational_mtu)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [1500] * 4
    assert sent(clean_lab, "KOM-SW01")["enable"] == 1 and sent(clean_lab, "KOM-SW01")["show system mtu"] == 4


def test_a_switch_that_does_not_come_back_in_time_is_a_clear_error(clean_lab: RunningLab,
                                                                   make_logic: MakeLogic) -> None:
    clean_lab.cli("drift", "KOM-SW01", "reload_seconds=30")
    logic = make_logic(**{"KOM-SW01": {"reloadTimeout": 1}})
    try:
        with pytest.raises(TransportError) as caught:
            logic.create(checked(logic, switch="KOM-SW01", mtu=9000, reload="if-needed"))
        assert str(caught.value).startswith("KOM-SW01: reload: the switch did not take logins again within 1 s: ")
        assert model(clean_lab, "KOM-SW01")["reloading_until"] > 0
    finally:
        clean_lab.control.call("POST", "/reset", {})  # back up at once for the tests that follow


def test_a_refused_enable_secret_is_reported_and_verification_off_still_logs_in(clean_lab: RunningLab,
                                                                               make_logic: MakeLogic,
                                                                               tmp_path: Path) -> None:
    logic = make_logic(**{"KOM-SW01": {"enableSecret": "not-the-Secret-9"}})
    with pytest.raises(TransportError) as caught:
        logic.read("KOM-SW01", state_of("KOM-SW01"))
    port = clean_lab.endpoints["switches"]["KOM-SW01"]["port"]
    assert str(caught.value) == f"KOM-SW01: enable: 127.0.0.1:{port} refused the enable secret of netadmin"
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    unverified = make_logic(**{"KOM-SW01": {"knownHosts": str(empty)}})
    unverified.connector.config = replace(unverified.connector.config, verify_host_key=False)  # type: ignore[attr-defined]
    assert unverified.read("KOM-SW01", state_of("KOM-SW01")).operational_mtu == 1500
