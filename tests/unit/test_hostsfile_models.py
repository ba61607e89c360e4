"""HostsEntry / HostsEntries: check refuses bad input by property with zero remote calls; diff says
what changes, finds drift and conflicts, and replaces only for another host."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from lm_provider.clients.host import HostClient
from lm_provider.models.host_target import HostTarget
from lm_provider.models.hosts_text import HostsLine, render_all
from lm_provider.models.hostsfile import (
    HostsEntriesState,
    HostsEntryState,
    diff_hosts_entries,
    diff_hosts_entry,
)
from lm_provider.models.inputs import UNKNOWN
from lm_provider.resources.hostsfile import HostsEntriesLogic, HostsEntryLogic

OWNER = "0123456789abcdef"
connected: list[HostTarget] = []


def no_remote(target: HostTarget) -> HostClient:
    connected.append(target)
    raise AssertionError("check must not reach the host")


ENTRY = HostsEntryLogic(no_remote)
ENTRIES = HostsEntriesLogic(no_remote)


def failures(logic: Any, inputs: dict[str, Any]) -> dict[str, str]:
    checked = logic.check(inputs)
    assert checked.args is None
    return {f.property: f.reason for f in checked.failures}


@pytest.fixture(autouse=True)
def no_connection_made() -> Any:
    connected.clear()
    yield
    assert connected == []


@pytest.mark.parametrize(("inputs", "prop", "reason"), [
    ({"address": "10.0.0.1", "name": "hv1"}, "host", "is required"),
    ({"host": "HV 1", "address": "10.0.0.1", "name": "hv1"}, "host", "is not a NetBIOS name"),
    ({"host": "HV1", "address": "10.0.0.256", "name": "hv1"}, "address", "is not an IPv4 address"),
    ({"host": "HV1", "address": "10.0.0.1/24", "name": "hv1"}, "address", "is not an IPv4 address"),
    ({"host": "HV1", "address": "fe80::1", "name": "hv1"}, "address", "is not an IPv4 address"),
    ({"host": "HV1", "name": "hv1"}, "address", "is required"),
    ({"host": "HV1", "address": "10.0.0.1"}, "name", "is required"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv 1"}, "name", "is not a host name"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv1\n10.6.6.6 evil"}, "name", "no spaces, quotes, '#'"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv1\t"}, "name", "is not a host name"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "'hv1'"}, "name", "is not a host name"),
    ({"host": "HV1", "address": "10.0.0.1", "name": 'hv"1'}, "name", "is not a host name"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv1#x"}, "name", "is not a host name"),
    ({"host": "HV1", "address": "10.0.0.1", "name": ""}, "name", "is not a host name"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv1", "aliases": ["HV1"]}, "aliases[0]", "listed twice"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv1", "aliases": ["a b"]}, "aliases[0]", "is not a host name"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv1", "aliases": [f"a{i}" for i in range(9)]}, "aliases",
     "at most 8 aliases"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv1", "aliases": "hv1b"}, "aliases", "must be a list"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv1", "names": ["x"]}, "names", "unknown property"),
    ({"host": "HV1", "address": "10.0.0.1", "name": "hv1", "winrm_endpoint": "hv1:5985"}, "winrm_endpoint",
     "is not a WinRM URL"),
])
def test_hosts_entry_check_names_the_property(inputs: dict[str, Any], prop: str, reason: str) -> None:
    found = failures(ENTRY, inputs)
    assert prop in found and reason in found[prop], found


@pytest.mark.parametrize(("entries", "prop", "reason"), [
    ([], "entries", "must not be empty"),
    (None, "entries", "is required"),
    ("10.0.0.1 hv1", "entries", "must be a list of objects"),
    ([{"address": "10.0.0.1", "names": []}], "entries[0].names", "must not be empty"),
    ([{"address": "10.0.0.1"}], "entries[0].names", "is required"),
    ([{"names": ["hv1"]}], "entries[0].address", "is required"),
    ([{"address": "10.0.0.01", "names": ["hv1"]}], "entries[0].address", "is not an IPv4 address"),
    ([{"address": "10.0.0.1", "names": ["hv1"], "name": "x"}], "entries[0].name", "unknown property"),
    ([{"address": "10.0.0.1", "names": [f"n{i}" for i in range(10)]}], "entries[0].names", "at most 9"),
    ([{"address": "10.0.0.1", "names": ["hv1"]}, {"address": "10.0.0.2", "names": ["hv2", "HV1"]}],
     "entries[1].names[1]", "HV1 is listed twice (also entries[0].names[0])"),
    ([{"address": "10.0.0.1", "names": ["hv1", "x y"]}], "entries[0].names[1]", "is not a host name"),
    ([{"address": "10.0.0.1", "names": ["hv1", 5]}], "entries[0].names[1]", "must be a string"),
])
def test_hosts_entries_check_names_the_property(entries: Any, prop: str, reason: str) -> None:
    found = failures(ENTRIES, {"host": "HV1", "entries": entries})
    assert prop in found and reason in found[prop], found


def test_every_failure_is_reported_at_once() -> None:
    found = failures(ENTRIES, {"host": "bad host", "entries": [{"address": "x", "names": ["a b", "ok"]},
                                                                {"address": "10.0.0.2", "names": ["OK"]}]})
    assert set(found) == {"host", "entries[0].address", "entries[0].names[0]", "entries[1].names[0]"}


def test_valid_inputs_become_typed_args_and_unknowns_wait() -> None:
    entry = ENTRY.check({"host": "HV1", "address": "10.0.0.1", "name": "hv1.corp.com", "aliases": ["HV1", "hv1-lm"],
                         "winrm_password": "p"}).args
    assert entry is not None and entry.as_lines() == [HostsLine("10.0.0.1", ["hv1.corp.com", "HV1", "hv1-lm"])]
    assert "'p'" not in repr(entry)
    entries = ENTRIES.check({"host": "HV1", "entries": [{"address": "10.0.0.2", "names": [f"n{i}" for i in range(9)]}]})
    assert entries.args is not None and len(entries.args.entries[0].names) == 9
    pending = ENTRIES.check({"host": "HV1", "entries": [{"address": UNKNOWN, "names": ["hv2"]}, UNKNOWN]})
    assert pending.args is None and pending.failures == []


def entries_state(**changes: Any) -> HostsEntriesState:
    entries = [HostsLine("10.0.0.2", ["hv2"]), HostsLine("10.0.0.3", ["hv3"])]
    state = HostsEntriesState(host="HV1", entries=entries, owner=OWNER, lines=render_all(entries, OWNER))
    return replace(state, **changes)


def test_entries_diff_in_sync_changed_drifted_conflicting_and_replaced() -> None:
    state = entries_state()
    args = ENTRIES.check({"host": "hv1", "entries": [{"address": "10.0.0.2", "names": ["hv2"]},
                                                     {"address": "10.0.0.3", "names": ["hv3"]}]}).args
    assert args is not None
    assert not diff_hosts_entries(state, args).has_changes
    assert diff_hosts_entries(state, replace(args, entries=args.entries[:1])).changes == ["entries"]
    assert diff_hosts_entries(state, replace(args, fqdn="hv1.corp.com")).changes == ["fqdn"]
    drifted = diff_hosts_entries(entries_state(lines=state.lines[:1]), args)
    assert drifted.changes == ["entries"] and not drifted.replaces and "not the desired ones" in drifted.notes[0]
    conflicted = diff_hosts_entries(entries_state(conflicts=["line 3 ('10.9.9.9 hv2') maps hv2 to 10.9.9.9"]), args)
    assert conflicted.changes == ["entries"] and "line 3" in conflicted.notes[0]
    moved = diff_hosts_entries(state, replace(args, host="HV9"))
    assert moved.replaces == ["host"] and not moved.delete_before_replace


def test_entry_diff_names_the_changed_field() -> None:
    state = HostsEntryState(host="HV1", address="10.0.0.2", name="hv2", owner=OWNER,
                            lines=[f"10.0.0.2 hv2 # lm-provider:{OWNER}"])
    args = ENTRY.check({"host": "HV1", "address": "10.0.0.2", "name": "hv2"}).args
    assert args is not None
    assert not diff_hosts_entry(state, args).has_changes
    assert diff_hosts_entry(state, replace(args, address="10.0.0.9")).changes == ["address"]
    assert diff_hosts_entry(state, replace(args, aliases=["hv2.corp.com"])).changes == ["aliases"]
    assert diff_hosts_entry(replace(state, lines=[]), args).changes == ["address"]
