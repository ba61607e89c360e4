"""The jumbo path check: ping.exe's answers read into a verdict per pair, the resource's inputs, verdict
and diff, and its logic over scripted hosts."""

from __future__ import annotations

from typing import Any

import pytest

from lm_provider.clients.net import PingParams
from lm_provider.errors import PathCheckFailed, TransportError
from lm_provider.models.inputs import UNKNOWN
from lm_provider.models.pathcheck import JumboPathCheckArgs, check_path, diff_path, evaluate, outcome
from lm_provider.resources.pathcheck import JumboPathCheckLogic

HEAD = "\r\nPinging 10.160.35.61 with 8972 bytes of data:\r\n"


def test_a_reply_passes() -> None:
    reply = HEAD + "Reply from 10.160.35.61: bytes=8972 time<1ms TTL=128"
    assert outcome("HV1", "10.160.35.60", "10.160.35.61", reply).passed


def test_each_failure_says_where_to_look() -> None:
    small = outcome("HV1", "a", "10.160.35.61", HEAD + "Packet needs to be fragmented but DF set.")
    assert not small.passed and "HV1's migration adapter does not carry jumbo frames" in small.reason
    dropped = outcome("HV1", "a", "10.160.35.61", HEAD + "Request timed out.")
    assert "switch MTU" in dropped.reason
    pending = outcome("HV1", "a", "10.160.35.61", HEAD + "Request timed out.", pending_reload=True)
    assert "a switch reload is pending" in pending.reason
    failure = outcome("HV1", "10.1.1.1", "x", "PING: transmit failed. General failure.")
    assert "is not an address of HV1" in failure.reason
    assert str(dropped).startswith("HV1 a -> 10.160.35.61: a hop dropped")


# --- the resource's inputs, verdict and diff (pure), and its logic over scripted hosts -------------

A, B, C = "10.160.35.60", "10.160.35.61", "10.160.35.62"
MEMBERS = [{"host": "HV1", "address": A, "switch": "SW01"}, {"host": "HV2", "address": B, "switch": "SW01"}]


def reply(target: str) -> dict[str, str]:
    return {"Target": target, "Output": f"{HEAD}Reply from {target}: bytes=8972 time<1ms TTL=128"}


def timeout(target: str) -> dict[str, str]:
    return {"Target": target, "Output": f"{HEAD}Request timed out."}


def test_check_refuses_bad_inputs_naming_each_property() -> None:
    checked = check_path({"hosts": [{"host": "HV1", "address": A}, {"host": "hv1", "address": "a.b", "x": 1}],
                          "switches": [{"name": "SW 1"}], "size": 70000})
    assert checked.args is None
    assert [str(f) for f in checked.failures] == [
        "hosts[1].x: unknown property; properties: host, address, switch, fqdn, winrm_endpoint",
        "hosts[1].address: 'a.b' is not an IPv4 address",
        "hosts[1].host: hv1 is listed twice (also hosts[0])",
        "switches[0].name: 'SW 1' is not a switch name (letters, digits, '-' and '.')",
        "size: 70000 is out of range 1..65500"]
    assert [str(f) for f in check_path({"hosts": [{"host": "HV1", "address": A}]}).failures] == [
        "hosts: lists 1 host(s); a path needs at least 2"]


def test_unknown_inputs_during_preview_are_not_judged() -> None:
    checked = check_path({"hosts": MEMBERS, "switches": [{"name": "SW01", "pending_reload": UNKNOWN}]})
    assert checked.args is None and checked.failures == []


def args_with(pending: bool = False, members: list[dict[str, str]] = MEMBERS) -> JumboPathCheckArgs:
    checked = check_path({"hosts": members, "switches": [{"name": "SW01", "pending_reload": pending}]})
    assert checked.args is not None, checked.failures
    return checked.args


def test_every_pair_is_judged_and_a_pending_reload_is_named_where_it_drops_frames() -> None:
    state = evaluate(args_with(pending=True), {"HV1": [timeout(B)], "HV2": [reply(A)]})
    assert not state.passed and state.pending_reloads == ["SW01"]
    assert state.failures == [f"HV1 {A} -> {B}: a reload is pending on SW01: the jumbo MTU is configured but not "
                              "live until it reloads"]


def test_a_pending_reload_fails_the_check_even_when_every_ping_passes() -> None:
    state = evaluate(args_with(pending=True), {"HV1": [reply(B)], "HV2": [reply(A)]})
    assert not state.passed
    assert state.failures == [
        "SW01: a reload is pending: the configured jumbo MTU is not live until the switch reloads"]
    assert evaluate(args_with(), {"HV1": [reply(B)], "HV2": [reply(A)]}).passed


def test_a_host_that_cannot_be_reached_fails_its_pairs_with_the_reason() -> None:
    state = evaluate(args_with(), {"HV1": "connection refused", "HV2": [reply(A)]})
    assert state.failures == [f"HV1 {A} -> {B}: could not run the check on HV1: connection refused"]


def test_diff_reruns_on_changed_inputs_or_after_a_failed_read() -> None:
    args = args_with()
    passed = evaluate(args, {"HV1": [reply(B)], "HV2": [reply(A)]})
    assert not diff_path(passed, args).has_changes
    assert diff_path(passed, args_with(pending=True)).changes == ["switches"]
    broken = evaluate(args, {"HV1": [timeout(B)], "HV2": [reply(A)]})
    plan = diff_path(broken, args)
    assert plan.changes == ["passed"] and plan.notes[0].startswith("the last check failed: HV1")


class ScriptedHost:
    """Answers net.ping from a table of reachable targets; counts invocations."""

    def __init__(self, name: str, reachable: set[str], calls: list[str]) -> None:
        self.name, self.reachable, self.calls = name, reachable, calls

    def run(self, params: PingParams) -> Any:
        self.calls.append(self.name)
        if self.name == "HV3":
            raise TransportError("HV3", "net.ping", "connection refused")
        return [reply(t) if t in self.reachable else timeout(t) for t in params.targets]


def logic(reachable: dict[str, set[str]], calls: list[str]) -> JumboPathCheckLogic:
    return JumboPathCheckLogic(lambda target: ScriptedHost(target.host, reachable.get(target.host, set()),
                                                           calls))  # type: ignore[arg-type]


def test_one_invocation_per_source_host_and_create_fails_listing_every_broken_pair() -> None:
    members = [*MEMBERS, {"host": "HV3", "address": C}]
    calls: list[str] = []
    with pytest.raises(PathCheckFailed) as raised:
        logic({"HV1": {B, C}, "HV2": {C}}, calls).create(args_with(members=members))
    assert sorted(calls) == ["HV1", "HV2", "HV3"]
    assert raised.value.failures == [
        f"HV2 {B} -> {A}: a hop dropped the frame or the peer did not answer (switch MTU, the peer's adapter, cabling)",
        f"HV3 {C} -> {A}: could not run the check on HV3: connection refused",
        f"HV3 {C} -> {B}: could not run the check on HV3: connection refused"]
    assert str(raised.value).startswith("jumbo path check failed (3 problems, 6 pairs checked): HV2 ")


def test_read_records_a_broken_path_and_delete_reaches_no_host() -> None:
    calls: list[str] = []
    healthy = logic({"HV1": {B}, "HV2": {A}}, calls)
    created = healthy.create(args_with())
    assert created.state.passed and len(calls) == 2
    broken = logic({"HV1": {B}}, calls).read(created.id, created.state)
    assert broken is not None and not broken.passed and broken.failures[0].startswith(f"HV2 {B} -> {A}: a hop")
    calls.clear()
    healthy.delete(created.id, created.state)
    assert calls == []
