"""The lab's network: a don't-fragment ping passes only when every hop carries the frame."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lmlab.fabric import LabFabric
from lmlab.hosts.model import Host, IPv4Address
from lmlab.site import Cable, reference_site

SITE = reference_site()


def lm_host(index: int, address: str, jumbo: int = 9014, status: str = "Up") -> Host:
    host = SITE.initial_host(index)
    lm = host.adapters[1]
    lm.ipv4_addresses = [IPv4Address(address, 24)]
    lm.jumbo_packet = jumbo
    lm.status = status
    return host


def fabric(hosts: list[Host], switch_mtu: int | None = 9000, cabling: list[Cable] | None = None) -> LabFabric:
    return LabFabric(lambda: hosts, lambda name: switch_mtu if name == "KOM-SW01" else None,
                     SITE.cabling if cabling is None else cabling)


def ping(net: LabFabric, src: Host, target: str = "10.160.35.61", size: int = 8972) -> tuple[str, int]:
    reply = net.ping(src, "10.160.35.60", target, size, True)
    return reply.output, reply.exit_code


def test_a_jumbo_path_end_to_end_replies() -> None:
    a, b = lm_host(0, "10.160.35.60"), lm_host(1, "10.160.35.61")
    output, code = ping(fabric([a, b]), a)
    assert "Reply from 10.160.35.61: bytes=8972 time<1ms TTL=128" in output and code == 0
    assert "Packets: Sent = 1, Received = 1, Lost = 0 (0% loss)," in output


@pytest.mark.parametrize(("sender_jumbo", "receiver_jumbo", "switch_mtu", "expected"), [
    (1514, 9014, 9000, "Packet needs to be fragmented but DF set."),
    (4088, 9014, 9000, "Packet needs to be fragmented but DF set."),
    (9014, 1514, 9000, "Request timed out."),
    (9014, 9014, 1500, "Request timed out."),
    (9014, 9014, None, "Request timed out."),  # the switch is reloading
])
def test_any_hop_too_small_fails_as_ping_exe_does(sender_jumbo: int, receiver_jumbo: int, switch_mtu: int | None,
                                                 expected: str) -> None:
    a, b = lm_host(0, "10.160.35.60", sender_jumbo), lm_host(1, "10.160.35.61", receiver_jumbo)
    output, code = ping(fabric([a, b], switch_mtu), a)
    assert expected in output and code == 1
    assert "Received = 0, Lost = 1 (100% loss)," in output


def test_small_pings_pass_where_jumbo_ones_do_not() -> None:
    a, b = lm_host(0, "10.160.35.60", 1514), lm_host(1, "10.160.35.61", 1514)
    assert ping(fabric([a, b], 1500), a, size=1472)[1] == 0


@pytest.mark.parametrize("case", ["down", "other-subnet", "not-cabled", "other-switch", "nobody"])
def test_no_path_times_out(case: str) -> None:
    a = lm_host(0, "10.160.35.60")
    b = lm_host(1, "10.160.36.61" if case == "other-subnet" else "10.160.35.61",
                status="Disconnected" if case == "down" else "Up")
    cabling = SITE.cabling
    if case == "not-cabled":
        cabling = [c for c in cabling if c.host != b.name]
    if case == "other-switch":
        cabling = [replace(c, switch="KOM-SW02") if c.host == b.name else c for c in cabling]
    target = "10.160.35.99" if case == "nobody" else b.adapters[1].ipv4_addresses[0].ip_address
    assert "Request timed out." in ping(fabric([a, b], cabling=cabling), a, target)[0]


def test_a_source_address_the_host_does_not_have_is_a_general_failure() -> None:
    a, b = lm_host(0, "10.160.35.60"), lm_host(1, "10.160.35.61")
    reply = fabric([a, b]).ping(a, "10.160.35.77", "10.160.35.61", 8972, True)
    assert "General failure" in reply.output and reply.exit_code == 1
