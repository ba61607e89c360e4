"""The vm.* and kerberos.purge ops over real WinRM on the session lab (no AD DC): marked VMs are created,
listed and removed, user VMs are never touched, a move without a DC fails with Windows' text and
changes neither host, and a purge answers klist's text."""

from __future__ import annotations

import re

import pytest

from lmlab.testing import RunningLab
from vmops import MARKER, PROBE, STORAGE, failed, model, move, new_probe, ok, ready_for_migration, run, vm_names

pytestmark = pytest.mark.lab
S, D = "KOM-AD01-VM01", "KOM-AD01-VM02"


def test_new_list_and_remove_touch_only_marked_vms(clean_lab: RunningLab) -> None:
    user_vms = model(clean_lab, S)["vms"]
    created = new_probe(clean_lab, S)
    assert created["Name"] == PROBE and created["State"] == "Running"
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", created["Id"])
    assert ok(run(clean_lab, S, "vm.list")) == [{"Name": "APP-01", "State": "Running", "Notes": ""},
                                                 {"Name": PROBE, "State": "Running", "Notes": MARKER}]
    probe = model(clean_lab, S)["vms"][1]
    assert probe["vhd_paths"] == [f"{STORAGE}\\{PROBE}.vhdx"] and probe["generation"] == 1
    assert f"A virtual machine named '{PROBE}' already exists on {S}; the probe needs a fresh name." in failed(
        run(clean_lab, S, "vm.new", {"Name": PROBE, "Marker": MARKER, "StoragePath": STORAGE}))
    assert ok(run(clean_lab, S, "vm.remove", {"Marker": "someone-else"})) == {"Removed": []}
    assert "an empty marker would match user VMs" in failed(run(clean_lab, S, "vm.remove", {"Marker": ""}))
    assert ok(run(clean_lab, S, "vm.remove", {"Marker": MARKER, "Name": "APP-01"})) == {"Removed": []}
    assert ok(run(clean_lab, S, "vm.remove", {"Marker": MARKER})) == {"Removed": [PROBE]}
    assert ok(run(clean_lab, S, "vm.remove", {"Marker": MARKER})) == {"Removed": []}
    assert vm_names(clean_lab, S) == ["APP-01"]
    assert model(clean_lab, S)["vms"] == user_vms
    calls = clean_lab.control.call("GET", f"/devices/{S}/calls")
    assert calls["vm.new"] == {"read": 1, "changing": 1}
    assert calls["vm.remove"] == {"read": 4, "changing": 1}
    assert calls["vm.list"] == {"read": 2, "changing": 0}


def test_move_refuses_a_user_vm_and_a_missing_vm_gets_hyper_v_text(clean_lab: RunningLab) -> None:
    text = failed(move(clean_lab, S, D, name="APP-01"))
    assert text.startswith(f"'APP-01' is not a migration probe VM on {S}; only probes are moved.")
    assert vm_names(clean_lab, S) == ["APP-01"]
    text = failed(move(clean_lab, S, D, name="NO-SUCH-VM"))
    assert text.startswith('Get-VM : Hyper-V was unable to find a virtual machine with name "NO-SUCH-VM".')
    assert "InvalidArgument: (NO-SUCH-VM:String) [Get-VM], VirtualizationOperationFailedException" in text
    assert "FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM" in text


def test_a_move_without_a_dc_fails_and_changes_neither_host(clean_lab: RunningLab) -> None:
    for host in (S, D):
        ready_for_migration(clean_lab, host)
    created = new_probe(clean_lab, S)
    before = {h: model(clean_lab, h) for h in (S, D)}
    clean_lab.control.call("POST", "/calls/reset", {})
    text = failed(move(clean_lab, S, D))
    assert text.startswith(f"Move-VM : Virtual machine migration operation for '{PROBE}' failed at migration source "
                           f"'{S}'. (Virtual machine ID {created['Id'].upper()})")
    assert f"with host '{D}': No authority could be contacted for authentication. (0x80090311)" in text
    assert {h: model(clean_lab, h) for h in (S, D)} == before
    assert clean_lab.control.call("GET", f"/devices/{S}/calls") == {"vm.move": {"read": 1, "changing": 0}}
    assert clean_lab.control.call("GET", f"/devices/{D}/calls") == {}
    assert "No such host is known. (0x80072AF9)" in failed(move(clean_lab, S, "KOM-AD01-VM77"))


def test_purge_answers_klist_and_without_a_dc_leaves_no_tickets(clean_lab: RunningLab) -> None:
    clean_lab.cli("drift", S, 'ticket_cache.allowed_to_delegate_to=["cifs/KOM-AD01-VM02"]')
    answer = ok(run(clean_lab, S, "kerberos.purge"))
    assert answer == {"Output": "\r\nCurrent LogonId is 0:0x5097d\r\nTargeted LogonId is 0:0x3e7\r\n"
                                "\tDeleting all tickets:\r\n\tTicket(s) purged!\r\n", "ExitCode": 0}
    assert answer["Output"].splitlines()[4].strip() == "Ticket(s) purged!"
    assert model(clean_lab, S)["ticket_cache"] == {"allowed_to_delegate_to": [], "trusted_to_auth": False}
    assert clean_lab.control.call("GET", f"/devices/{S}/calls")["kerberos.purge"] == {"read": 0, "changing": 1}
