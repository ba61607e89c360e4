"""HostsEntry and HostsEntries against the lab's hosts over real WinRM: the shared lifecycle on every
OS, the file byte for byte, names that contain others, foreign lines and comments, a conflicting
line refused by name, drift of our own line, and the invocations each operation costs."""

from __future__ import annotations

from typing import Any

import pytest

from labconfig import connector
from labsite import SITE
from lifecycle import Case, LabProbe, run_lifecycle
from lm_provider.errors import RemoteCommandError
from lm_provider.resources.hostsfile import HostsEntriesLogic, HostsEntryLogic
from lmlab.hosts.model import DEFAULT_HOSTS_FILE
from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
HOSTS = [h["name"] for h in SITE["hosts"]]
ONE_OF_EACH = {"create": {"read": 0, "changing": 1}, "read": {"read": 1, "changing": 0},
               "reapply": {"read": 1, "changing": 0}, "refresh": {"read": 1, "changing": 0},
               "repair": {"read": 0, "changing": 1}, "update": {"read": 0, "changing": 1},
               "delete": {"read": 0, "changing": 1}, "delete-again": {"read": 1, "changing": 0}}
"""One invocation per operation; a re-apply and a second delete change nothing."""
FOREIGN = ("# maintained by the admins\n"
           "10.9.9.10 hv10 hv10.holding.com   # hv1 is not hv10\n"
           "10.9.9.11\thv1.holding.com.old\txhv1\n"
           "  # 10.9.9.12 hv1 (commented out)\n"
           "fe80::1 hv1\n"
           "10.160.35.1 HV1 # the admins' own line for the same address\n"
           "last line without a newline")


def hosts_file(lab: RunningLab, host: str) -> str:
    text: str = lab.control.call("GET", f"/devices/{host}")["hosts_file"]
    return text


def set_hosts_file(lab: RunningLab, host: str, text: str) -> None:
    lab.cli("drift", host, f"hosts_file={text}")


def changing_calls(lab: RunningLab, host: str) -> int:
    return sum(row["changing"] for row in lab.control.call("GET", f"/devices/{host}/calls").values())


@pytest.mark.parametrize("host", HOSTS)
def test_hosts_entry_lifecycle_on_every_os(clean_lab: RunningLab, host: str) -> None:
    counts = run_lifecycle(Case(
        logic=HostsEntryLogic(connector(clean_lab)),
        inputs={"host": host, "address": "10.160.35.2", "name": "KOM-AD01-VM02"},
        probe=LabProbe(clean_lab, host),
        drift=[f"hosts_file={DEFAULT_HOSTS_FILE}"],  # someone put back the original file
        updated_inputs={"host": host, "address": "10.160.35.12", "name": "KOM-AD01-VM02",
                        "aliases": ["kom-ad01-vm02.holding.com"]},
    ))
    print(f"\nHostsEntry on {host}: {counts}")
    assert counts == ONE_OF_EACH


@pytest.mark.parametrize("host", HOSTS)
def test_hosts_entries_lifecycle_on_every_os(clean_lab: RunningLab, host: str) -> None:
    peers = [p for p in HOSTS if p != host]
    entries = [{"address": f"10.160.35.{i + 10}", "names": [p, f"{p.lower()}.holding.com"]}
               for i, p in enumerate(peers)]
    counts = run_lifecycle(Case(
        logic=HostsEntriesLogic(connector(clean_lab)),
        inputs={"host": host, "entries": entries},
        probe=LabProbe(clean_lab, host),
        drift=[f"hosts_file={DEFAULT_HOSTS_FILE}"],
        updated_inputs={"host": host, "entries": [{**entries[0], "address": "10.160.35.99"}, *entries[2:]]},
    ))
    print(f"\nHostsEntries ({len(entries)} lines) on {host}: {counts}")
    assert counts == ONE_OF_EACH


def test_foreign_lines_comments_and_longer_names_are_kept_byte_for_byte(clean_lab: RunningLab) -> None:
    host = "LAB-2022"
    set_hosts_file(clean_lab, host, FOREIGN)
    logic = HostsEntryLogic(connector(clean_lab))
    args = logic.check({"host": host, "address": "10.160.35.1", "name": "hv1", "aliases": ["hv1.holding.com"]}).args
    assert args is not None
    created = logic.create(args)
    ours = f"10.160.35.1 hv1 hv1.holding.com # lm-provider:{created.id}"
    assert hosts_file(clean_lab, host) == f"{FOREIGN}\n{ours}"  # the file's LF, still no final newline
    assert created.state.lines == [ours] and created.state.conflicts == []
    read = logic.read(created.id, created.state)
    assert read == created.state and not logic.diff(read, args).has_changes
    logic.delete(created.id, read)
    assert hosts_file(clean_lab, host) == FOREIGN


def test_a_conflicting_line_is_refused_by_name_and_nothing_changes(clean_lab: RunningLab) -> None:
    host = "KOM-AD01-VM01"
    text = DEFAULT_HOSTS_FILE + "10.0.0.99   kom-ad01-vm02   # old management address\r\n"
    set_hosts_file(clean_lab, host, text)
    logic = HostsEntriesLogic(connector(clean_lab))
    args = logic.check({"host": host, "entries": [
        {"address": "10.160.35.3", "names": ["LAB-2012"]},
        {"address": "10.160.35.2", "names": ["KOM-AD01-VM02", "kom-ad01-vm02.holding.com"]}]}).args
    assert args is not None
    before = changing_calls(clean_lab, host)
    with pytest.raises(RemoteCommandError) as refused:
        logic.create(args)
    message = str(refused.value)
    assert message.startswith(f"{host}: hostsfile.apply: the hosts file maps a name of this resource")
    assert "line 22 ('10.0.0.99   kom-ad01-vm02   # old management address') maps kom-ad01-vm02 to 10.0.0.99, " \
           "not 10.160.35.2" in message
    assert hosts_file(clean_lab, host) == text and changing_calls(clean_lab, host) == before


def test_drift_of_our_own_line_and_a_new_conflict_are_found_by_read(clean_lab: RunningLab) -> None:
    host = "LAB-2016"
    logic = HostsEntryLogic(connector(clean_lab))
    args = logic.check({"host": host, "address": "10.160.35.2", "name": "KOM-AD01-VM02"}).args
    assert args is not None
    created = logic.create(args)
    ours = f"10.160.35.2 KOM-AD01-VM02 # lm-provider:{created.id}"
    edited = hosts_file(clean_lab, host).replace(ours, ours.replace("10.160.35.2", "10.0.0.2"))
    set_hosts_file(clean_lab, host, edited)
    drifted = logic.read(created.id, created.state)
    assert drifted.lines == [ours.replace("10.160.35.2", "10.0.0.2")]
    assert logic.diff(drifted, args).changes == ["address"]
    repaired = logic.update(created.id, drifted, args)
    assert repaired.lines == [ours] and hosts_file(clean_lab, host) == DEFAULT_HOSTS_FILE + ours + "\r\n"

    set_hosts_file(clean_lab, host, "10.0.0.2 kom-ad01-vm02\r\n" + hosts_file(clean_lab, host))
    conflicted = logic.read(created.id, repaired)
    assert conflicted.conflicts == ["line 1 ('10.0.0.2 kom-ad01-vm02') maps kom-ad01-vm02 to 10.0.0.2, not 10.160.35.2"]
    assert logic.diff(conflicted, args).has_changes
    with pytest.raises(RemoteCommandError, match="line 1 "):
        logic.update(created.id, conflicted, args)
    logic.delete(created.id, conflicted)  # removing our own line needs no name: it never conflicts
    assert hosts_file(clean_lab, host) == "10.0.0.2 kom-ad01-vm02\r\n" + DEFAULT_HOSTS_FILE


def test_two_resources_on_one_host_own_their_lines_apart(clean_lab: RunningLab) -> None:
    host = "LAB-2019"
    logic = HostsEntryLogic(connector(clean_lab))
    made: list[Any] = []
    for name, address in (("hv1", "10.160.35.1"), ("hv10", "10.160.35.10")):
        args = logic.check({"host": host, "address": address, "name": name}).args
        assert args is not None
        made.append(logic.create(args))
    assert made[0].id != made[1].id
    logic.delete(made[0].id, made[0].state)
    assert hosts_file(clean_lab, host) == DEFAULT_HOSTS_FILE + made[1].state.lines[0] + "\r\n"
    assert logic.read(made[1].id, made[1].state) == made[1].state
