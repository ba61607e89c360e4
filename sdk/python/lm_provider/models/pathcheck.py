"""The jumbo path check, read from ping.exe's own words (pure).

A don't-fragment ping of 8972 bytes (9000-byte IP packet) from each host's migration address to
every other host's. ping.exe's answers mean:

- ``Reply from <target>: bytes=8972`` -> the whole path carries jumbo frames;
- ``Packet needs to be fragmented but DF set.`` -> the *sender's* adapter is too small (its
  Jumbo Packet setting);
- ``Request timed out.`` -> a hop dropped the frame or nothing answered: the switch's operational
  MTU (a pending reload counts: the configured value is not live yet), the receiver's adapter,
  cabling, or the peer is down/not in the subnet;
- ``General failure.`` / ``transmit failed`` -> the source address is not on the host.
"""

from __future__ import annotations

from dataclasses import dataclass

JUMBO_PAYLOAD = 8972
"""ICMP payload that makes a 9000-byte IP packet (9014-byte Ethernet frame)."""


@dataclass(frozen=True)
class PingOutcome:
    """One pair's result: passed, and in words why not."""

    host: str
    source: str
    target: str
    passed: bool
    reason: str

    def __str__(self) -> str:
        verdict = "ok" if self.passed else self.reason
        return f"{self.host} {self.source} -> {self.target}: {verdict}"


def outcome(host: str, source: str, target: str, output: str, pending_reload: bool = False) -> PingOutcome:
    """Interpret ping.exe's ``output`` for one pair; ``pending_reload`` adds the likely cause."""
    if f"Reply from {target}: bytes=" in output:
        return PingOutcome(host, source, target, True, "")
    if "Packet needs to be fragmented but DF set." in output:
        reason = f"{host}'s migration adapter does not carry jumbo frames (set its Jumbo Packet to 9014)"
    elif "Request timed out." in output:
        reason = "a hop dropped the frame or the peer did not answer (switch MTU, the peer's adapter, cabling)"
        if pending_reload:
            reason = "a switch reload is pending: the jumbo MTU is configured but not live until the switch reloads"
    elif "General failure" in output or "transmit failed" in output:
        reason = f"{source} is not an address of {host}"
    else:
        reason = "ping.exe answered: " + " ".join(output.split())[:200]
    return PingOutcome(host, source, target, False, reason)
