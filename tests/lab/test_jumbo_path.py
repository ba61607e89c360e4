"""The jumbo path check on the lab, through real WinRM: pings follow the site's cabling, the NICs'
jumbo settings and the switch's *operational* MTU (a pending reload fails the check)."""

from __future__ import annotations

import pytest

from lm_provider.clients.host import HostClient
from lm_provider.clients.net import PingParams
from lm_provider.models.pathcheck import outcome
from lm_provider.models.winrm import WinRmConfig
from lm_provider.transports.winrm import WinRmSession
from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
A, B = "KOM-AD01-VM01", "KOM-AD01-VM02"
ADDRESS = {A: "10.160.35.60", B: "10.160.35.61"}


def client(lab: RunningLab, host: str) -> HostClient:
    endpoints = tuple(sorted((h.lower(), lab.host_endpoint(h)) for h in lab.endpoints["hosts"]))
    config = WinRmConfig("HOLDING\\lmadmin", lab.winrm_password, "ntlm", endpoints=endpoints)
    return HostClient(WinRmSession(host, config.for_host(host)))


def migration_nics(lab: RunningLab, jumbo: dict[str, int]) -> None:
    for host, address in ADDRESS.items():
        lab.cli("drift", host, f"adapters.Ethernet 2.jumbo_packet={jumbo[host]}",
                f'adapters.Ethernet 2.ipv4_addresses=[{{"ip_address": "{address}", "prefix_length": 24}}]')


def check(lab: RunningLab, host: str, pending_reload: bool = False) -> tuple[bool, str]:
    source, target = ADDRESS[host], ADDRESS[B if host == A else A]
    [result] = client(lab, host).run(PingParams(source, [target]))
    verdict = outcome(host, source, target, result["Output"], pending_reload)
    return verdict.passed, verdict.reason


def test_the_path_passes_only_when_nics_and_the_live_switch_mtu_carry_jumbo_frames(clean_lab: RunningLab) -> None:
    migration_nics(clean_lab, {A: 9014, B: 9014})
    assert check(clean_lab, A) == (False, "a hop dropped the frame or the peer did not answer "
                                          "(switch MTU, the peer's adapter, cabling)")
    clean_lab.cli("drift", "KOM-SW01", "jumbo_next_reload=9000")  # configured, reload pending
    assert "a switch reload is pending" in check(clean_lab, A, pending_reload=True)[1]
    clean_lab.cli("drift", "KOM-SW01", "jumbo_operational=9000")  # after the reload
    assert check(clean_lab, A) == (True, "")
    assert check(clean_lab, B) == (True, "")


def test_a_sender_nic_without_jumbo_frames_is_named(clean_lab: RunningLab) -> None:
    migration_nics(clean_lab, {A: 1514, B: 9014})
    clean_lab.cli("drift", "KOM-SW01", "jumbo_operational=9000", "jumbo_next_reload=9000")
    passed, reason = check(clean_lab, A)
    assert not passed and reason.startswith(f"{A}'s migration adapter does not carry jumbo frames")
    assert not check(clean_lab, B)[0]  # B's big frame is dropped by A's adapter


def test_the_ping_op_is_one_read_invocation_per_source_host(clean_lab: RunningLab) -> None:
    migration_nics(clean_lab, {A: 9014, B: 9014})
    clean_lab.control.call("POST", "/calls/reset", {})
    client(clean_lab, A).run(PingParams(ADDRESS[A], [ADDRESS[B], "10.160.35.99"]))
    assert clean_lab.control.call("GET", f"/devices/{A}/calls")["net.ping"] == {"read": 1, "changing": 0}
