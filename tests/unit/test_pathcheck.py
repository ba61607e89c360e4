"""Reading ping.exe's answers into a verdict per pair."""

from __future__ import annotations

from lm_provider.models.pathcheck import outcome

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
