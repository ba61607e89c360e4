"""JumboPathCheckLogic through real WinRM on the lab: the verdict follows the NICs' jumbo settings,
the cabling and the switch's *operational* MTU; a pending reload is named; one read-only
``net.ping`` invocation per source host; read records a path that broke; delete reaches no host."""

from __future__ import annotations

from typing import Any

import pytest

from labconfig import connector
from lm_provider.errors import PathCheckFailed
from lm_provider.models.pathcheck import JumboPathCheckArgs, check_path
from lm_provider.resources.pathcheck import JumboPathCheckLogic
from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
A, B, C = "KOM-AD01-VM01", "KOM-AD01-VM02", "LAB-2012"
ADDRESS = {A: "10.160.35.60", B: "10.160.35.61", C: "10.160.35.62"}
DROPPED = "a hop dropped the frame or the peer did not answer (switch MTU, the peer's adapter, cabling)"
PENDING = "a reload is pending on KOM-SW01: the jumbo MTU is configured but not live until it reloads"


def migration_nics(lab: RunningLab, jumbo: dict[str, int]) -> None:
    for host, value in jumbo.items():
        lab.cli("drift", host, f"adapters.Ethernet 2.jumbo_packet={value}",
                f'adapters.Ethernet 2.ipv4_addresses=[{{"ip_address": "{ADDRESS[host]}", "prefix_length": 24}}]')


def switch(lab: RunningLab, operational: int, next_reload: int) -> None:
    lab.cli("drift", "KOM-SW01", f"jumbo_operational={operational}", f"jumbo_next_reload={next_reload}")


def args(hosts: tuple[str, ...] = (A, B), pending: bool = False) -> JumboPathCheckArgs:
    checked = check_path({"hosts": [{"host": h, "address": ADDRESS[h], "switch": "KOM-SW01"} for h in hosts],
                          "switches": [{"name": "KOM-SW01", "pending_reload": pending}]})
    assert checked.args is not None, checked.failures
    return checked.args


def pings(lab: RunningLab) -> dict[str, Any]:
    """Per host, its net.ping calls since the last look (and nothing else was called)."""
    found = {}
    for host in (A, B, C):
        calls = lab.control.call("GET", f"/devices/{host}/calls")
        assert set(calls) <= {"net.ping"}, calls
        found[host] = calls.get("net.ping")
    lab.control.call("POST", "/calls/reset", {})
    return found


def test_the_path_passes_when_nics_and_the_live_switch_mtu_carry_jumbo(clean_lab: RunningLab) -> None:
    migration_nics(clean_lab, {A: 9014, B: 9014})
    switch(clean_lab, 9000, 9000)
    clean_lab.control.call("POST", "/calls/reset", {})
    logic = JumboPathCheckLogic(connector(clean_lab))

    created = logic.create(args())
    assert created.state.passed and created.state.failures == []
    assert [(r.host, r.target, r.passed) for r in created.state.results] == [(A, ADDRESS[B], True),
                                                                             (B, ADDRESS[A], True)]
    one = {"read": 1, "changing": 0}
    assert pings(clean_lab) == {A: one, B: one, C: None}

    clean_lab.cli("drift", B, "adapters.Ethernet 2.jumbo_packet=4088")  # someone lowers B's Jumbo Packet
    broken = logic.read(created.id, created.state)
    assert broken is not None and not broken.passed
    assert broken.failures == [f"{A} {ADDRESS[A]} -> {ADDRESS[B]}: {DROPPED}",
                               f"{B} {ADDRESS[B]} -> {ADDRESS[A]}: {B}'s migration adapter does not carry jumbo "
                               "frames (set its Jumbo Packet to 9014)"]
    assert pings(clean_lab) == {A: one, B: one, C: None}
    logic.delete(created.id, broken)
    assert pings(clean_lab) == {A: None, B: None, C: None}


def test_a_small_nic_and_an_uncabled_host_fail_naming_each_pair_one_invocation_per_host(
        clean_lab: RunningLab) -> None:
    migration_nics(clean_lab, {A: 1514, B: 9014, C: 9014})
    switch(clean_lab, 9000, 9000)
    clean_lab.control.call("POST", "/calls/reset", {})

    with pytest.raises(PathCheckFailed) as raised:
        JumboPathCheckLogic(connector(clean_lab)).create(args((A, B, C)))
    small = f"{A}'s migration adapter does not carry jumbo frames (set its Jumbo Packet to 9014)"
    assert raised.value.failures == [
        f"{A} {ADDRESS[A]} -> {ADDRESS[B]}: {small}", f"{A} {ADDRESS[A]} -> {ADDRESS[C]}: {small}",
        f"{B} {ADDRESS[B]} -> {ADDRESS[A]}: {DROPPED}", f"{B} {ADDRESS[B]} -> {ADDRESS[C]}: {DROPPED}",
        f"{C} {ADDRESS[C]} -> {ADDRESS[A]}: {DROPPED}", f"{C} {ADDRESS[C]} -> {ADDRESS[B]}: {DROPPED}"]
    assert "(6 problems, 6 pairs checked)" in str(raised.value)
    one = {"read": 1, "changing": 0}
    assert pings(clean_lab) == {A: one, B: one, C: one}


def test_a_pending_reload_fails_the_check_saying_so(clean_lab: RunningLab) -> None:
    migration_nics(clean_lab, {A: 9014, B: 9014})
    switch(clean_lab, 1500, 9000)  # configured, not live until the reload

    with pytest.raises(PathCheckFailed) as raised:
        JumboPathCheckLogic(connector(clean_lab)).create(args(pending=True))
    assert raised.value.failures == [f"{A} {ADDRESS[A]} -> {ADDRESS[B]}: {PENDING}",
                                     f"{B} {ADDRESS[B]} -> {ADDRESS[A]}: {PENDING}"]
    assert "reload is pending" in str(raised.value)

    switch(clean_lab, 9000, 9000)  # after the reload
    assert JumboPathCheckLogic(connector(clean_lab)).create(args()).state.passed
