"""``lm-provider audit`` on the lab (CredSSP: this lab has no AD DC): a freshly reset site shows every
gap and the devices count no changing invocation; converged with the resources' logic it shows none;
one drift shows exactly its gap. The Kerberos side (delegations, SPNs, protocol transition) is in
tests/ad/test_audit_ad.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from auditlab import ADDRESSES, SWITCH, AuditSite, changing_calls, fresh_site, gaps
from lm_provider.resources.audit import audit_site
from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
HOST_GAPS = ("address", "dns-registration", "bindings", "jumbo-packet", "interface-metric", "migration-enabled",
             "migration-network", "listener")
"""What a fresh lab host lacks under CredSSP (its authentication already is CredSSP; no gateway, no forwarding)."""
PAIR_GAPS = ("hosts-name", "hosts-fqdn", "jumbo-ping")


@pytest.fixture(scope="module")
def site(lab: RunningLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuditSite]:
    yield from fresh_site(lab, tmp_path_factory.mktemp("audit"), "CredSSP")


def test_a_fresh_site_shows_every_gap_and_the_audit_changes_nothing(site: AuditSite) -> None:
    site.lab.control.call("POST", "/calls/reset", {})
    code, report, _ = site.audit()
    assert code == 1
    expected = {(h, r): s for h in ADDRESSES for r, s in zip(HOST_GAPS, ["missing", "wrong", "wrong", "wrong", "wrong",
                                                                        "wrong", "missing", "missing"], strict=True)}
    expected |= {(f"{a} -> {b}", r): "missing" for a in ADDRESSES for b in ADDRESSES if a != b for r in PAIR_GAPS}
    expected |= {(SWITCH, "configured-mtu"): "wrong", (SWITCH, "operational-mtu"): "wrong"}
    assert gaps(report) == expected
    assert report["gaps"] == len(expected) and report["unreachable"] == []
    vm01 = {f["requirement"]: f for f in report["hosts"][0]["findings"]}
    assert vm01["jumbo-packet"] == {"requirement": "jumbo-packet", "status": "wrong", "found": "1514",
                                    "expected": "9014"}
    assert vm01["address"]["found"] == "169.254.1.60/16 (DHCP)"
    assert changing_calls(site.lab) == {}
    status = site.lab.control.call("GET", "/status")
    assert {op for name in ADDRESSES for op, row in status["hosts"][name]["calls"].items() if row["read"]} == \
        {"host.facts", "nic.read", "migration.read"}  # no address yet: no ping sent


def test_after_converging_there_is_no_gap_and_one_drift_is_exactly_its_gap(site: AuditSite) -> None:
    site.converge()
    site.lab.control.call("POST", "/calls/reset", {})
    code, report, stderr = site.audit()
    assert (code, gaps(report)) == (0, {}), stderr
    assert changing_calls(site.lab) == {}
    assert {row["read"] for name in ADDRESSES
            for op, row in site.lab.control.call("GET", f"/devices/{name}/calls").items() if op == "net.ping"} == {1}

    site.lab.cli("drift", "KOM-AD01-VM02", "adapters.Ethernet 2.register_this_connections_address=true")
    code, report, _ = site.audit()
    assert (code, gaps(report)) == (1, {("KOM-AD01-VM02", "dns-registration"): "wrong"})
    site.lab.cli("drift", "KOM-AD01-VM02", "adapters.Ethernet 2.register_this_connections_address=false")

    site.lab.cli("drift", "KOM-AD01-VM01", "adapters.Ethernet 2.jumbo_packet=1514")
    code, report, _ = site.audit()
    pings = {(f"KOM-AD01-VM01 -> {peer}", "jumbo-ping"): "wrong" for peer in ("KOM-AD01-VM02", "LAB-2016")}
    pings |= {(f"{peer} -> KOM-AD01-VM01", "jumbo-ping"): "wrong" for peer in ("KOM-AD01-VM02", "LAB-2016")}
    assert (code, gaps(report)) == (1, {("KOM-AD01-VM01", "jumbo-packet"): "wrong", **pings})
    assert changing_calls(site.lab) == {}


def test_the_api_names_the_causes_of_a_pair_and_an_unreachable_host(site: AuditSite) -> None:
    site.converge()
    site.lab.cli("drift", SWITCH, "jumbo_next_reload=1500")
    site.lab.cli("knob", "LAB-2016", "fault=http500", "fault_rate=1")
    try:
        connections = site.connections()
        try:
            report = audit_site(site.plan(), connections)
        finally:
            connections.close()
    finally:
        site.lab.cli("knob", "LAB-2016", "fault=null")
    assert [u.device for u in report.unreachable] == ["LAB-2016"]
    assert "HTTP 500" in report.unreachable[0].error
    assert report.host("LAB-2016") == []
    causes = [(f.subject, f.requirement, f.status) for f in report.pair_gaps("KOM-AD01-VM01", "KOM-AD01-VM02")]
    assert causes == [(SWITCH, "configured-mtu", "wrong"), (SWITCH, "reload-pending", "wrong")]

    site.lab.cli("knob", "LAB-2016", "fault=http500", "fault_rate=1")
    try:
        code, report_json, stderr = site.audit()
    finally:
        site.lab.cli("knob", "LAB-2016", "fault=null")
    assert code == 2
    assert report_json["unreachable"][0]["device"] == "LAB-2016"
    assert "lm-provider audit: not read: LAB-2016: " in stderr
