"""The network between the lab's devices: the site's cabling, and what a ping meets on its way.

A host's don't-fragment ping from one of its addresses to another address succeeds only when
both adapters are up, the target address lies in the source address's subnet, both adapters are
patched (site ``cabling``) to the same switch, that switch is not reloading, and the frame fits
every hop: the sender's NIC (``jumbo_packet`` minus the 14-byte Ethernet header), the switch's
*operational* port MTU and the receiver's NIC. The answers are ping.exe's: ``Packet needs to be
fragmented but DF set.`` when the sender's own NIC is too small, ``Request timed out.`` when a hop
drops the frame or nothing answers (exit code 1 unless a reply arrived).

Paths through several switches (trunks between them) are not modelled: such a target times out.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from .hosts.model import Host, NetAdapter
from .hosts.ops.context import Link, PingReply
from .site import Cable

IP_ICMP_HEADERS = 28


def _adapter_with(host: Host, address: str) -> NetAdapter | None:
    for adapter in host.adapters:
        if any(a.ip_address == address for a in adapter.ipv4_addresses):
            return adapter
    return None


class LabFabric:
    """Pings and migration paths across the lab, from the current models of its hosts and switches (a
    hosts.ops Network)."""

    def __init__(self, hosts: Callable[[], list[Host]], port_mtu: Callable[[str], int | None],
                 cabling: list[Cable]) -> None:
        """``hosts`` gives the hosts' current models; ``port_mtu(switch)`` the switch's operational
        port MTU, or None while it reloads (or is unknown)."""
        self._hosts = hosts
        self._port_mtu = port_mtu
        self._cables = {(c.host.lower(), c.adapter.lower()): c for c in cabling}

    def _cable(self, host: Host, adapter: NetAdapter) -> Cable | None:
        return self._cables.get((host.name.lower(), adapter.name.lower()))

    def ping(self, source_host: Host, source: str, target: str, size: int, dont_fragment: bool) -> PingReply:
        """``ping.exe [-f] -l SIZE -n 1 -S SOURCE TARGET`` run on ``source_host``."""
        head = f"\r\nPinging {target} with {size} bytes of data:\r\n"
        sender = _adapter_with(source_host, source)
        if sender is None:
            return PingReply(f"{head}PING: transmit failed. General failure. \r\n", 1)
        frame = size + IP_ICMP_HEADERS
        if dont_fragment and frame > sender.ip_mtu():
            return PingReply(f"{head}Packet needs to be fragmented but DF set.\r\n{_stats(target, 0)}", 1)
        if self._delivered(source_host, source, target, frame, dont_fragment):
            reply = f"Reply from {target}: bytes={size} time<1ms TTL=128\r\n"
            return PingReply(f"{head}{reply}{_stats(target, 1)}", 0)
        return PingReply(f"{head}Request timed out.\r\n{_stats(target, 0)}", 1)

    def link(self, source_host: Host, source: str, target: str) -> Link | None:
        """The path from ``source`` (an address of ``source_host``) to ``target``: both adapters up, the
        target in the source's subnet, both patched to the same switch, which is not reloading."""
        sender = _adapter_with(source_host, source)
        peer = next(((h, a) for h in self._hosts() for a in [_adapter_with(h, target)] if a is not None), None)
        if sender is None or peer is None or sender.status != "Up" or peer[1].status != "Up":
            return None
        network = next(ipaddress.IPv4Interface(f"{a.ip_address}/{a.prefix_length}").network
                       for a in sender.ipv4_addresses if a.ip_address == source)
        if ipaddress.IPv4Address(target) not in network:
            return None
        near, far = self._cable(source_host, sender), self._cable(peer[0], peer[1])
        if near is None or far is None or near.switch.lower() != far.switch.lower():
            return None
        port_mtu = self._port_mtu(near.switch)
        return None if port_mtu is None else Link(sender, peer[1], port_mtu)

    def _delivered(self, source_host: Host, source: str, target: str, frame: int, dont_fragment: bool) -> bool:
        path = self.link(source_host, source, target)
        if path is None:
            return False
        return not dont_fragment or (frame <= path.port_mtu and frame <= path.receiver.ip_mtu())


def _stats(target: str, received: int) -> str:
    lost = 1 - received
    text = (f"\r\nPing statistics for {target}:\r\n"
            f"    Packets: Sent = 1, Received = {received}, Lost = {lost} ({lost * 100}% loss),\r\n")
    if received:
        text += "Approximate round trip times in milli-seconds:\r\n    Minimum = 0ms, Maximum = 0ms, Average = 0ms\r\n"
    return text
