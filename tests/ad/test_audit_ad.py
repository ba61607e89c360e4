"""``lm-provider audit`` with Kerberos against the lab's real Samba DC: a fresh site misses every
delegation (both forms, both services, every ordered pair) and LAB-2016's protocol-transition flag,
reading AD without writing to it; converged, nothing is missing; a delegation value removed in AD or
the flag cleared is exactly its gap, and the API names it as the cause of that pair only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from kcd_world import MVSMS, admin_connection
from ldap3 import BASE, MODIFY_DELETE, MODIFY_REPLACE

from auditlab import ADDRESSES, AuditSite, changing_calls, fresh_site, gaps
from lm_provider.resources.audit import audit_site
from lmlab.testing import RunningLab

pytestmark = [pytest.mark.lab, pytest.mark.ad]
KCD = ("kcd-migration-fqdn", "kcd-migration-netbios", "kcd-cifs-fqdn", "kcd-cifs-netbios")


@pytest.fixture(scope="module")
def site(ad_lab: RunningLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuditSite]:
    yield from fresh_site(ad_lab, tmp_path_factory.mktemp("audit-ad"), "Kerberos")


def ad(lab: RunningLab) -> dict[str, Any]:
    return {**lab.endpoints["ad"], **lab.dir.secrets()["ad"]}


def usn_changed(lab: RunningLab) -> dict[str, str]:
    """uSNChanged of each host's account: any write to an account moves it."""
    conn = admin_connection(ad(lab))
    try:
        found = {}
        for name in ADDRESSES:
            conn.search(f"CN={name},{ad(lab)['hosts_ou']}", "(objectClass=*)", BASE, attributes=["uSNChanged"])
            found[name] = str(conn.entries[0]["uSNChanged"].value)
        return found
    finally:
        conn.unbind()


def modify(lab: RunningLab, name: str, changes: dict[str, Any]) -> None:
    conn = admin_connection(ad(lab))
    try:
        conn.modify(f"CN={name},{ad(lab)['hosts_ou']}", changes)
    finally:
        conn.unbind()


def test_a_fresh_kerberos_site_misses_every_delegation_and_the_2016_flag_without_writing(site: AuditSite) -> None:
    site.lab.control.call("POST", "/calls/reset", {})
    before = usn_changed(site.lab)
    code, report, stderr = site.audit()
    assert code == 1, stderr
    found = gaps(report)
    pairs = [f"{a} -> {b}" for a in ADDRESSES for b in ADDRESSES if a != b]
    assert {(p, r): "missing" for p in pairs for r in KCD}.items() <= found.items()
    assert found[("LAB-2016", "protocol-transition")] == "missing"
    assert ("KOM-AD01-VM01", "protocol-transition") not in found  # 2012 R2: not needed
    assert not any(r == "spn" for _, r in found)  # the seeded accounts have their SPNs
    assert ("KOM-AD01-VM01", "authentication") in found  # the lab's hosts start with CredSSP
    assert usn_changed(site.lab) == before
    assert changing_calls(site.lab) == {}


def test_converged_nothing_is_missing_and_each_ad_drift_is_exactly_its_gap(site: AuditSite) -> None:
    site.converge()
    code, report, stderr = site.audit()
    assert (code, gaps(report)) == (0, {}), stderr

    value = f"{MVSMS}/KOM-AD01-VM02.holding.com"
    modify(site.lab, "KOM-AD01-VM01", {"msDS-AllowedToDelegateTo": [(MODIFY_DELETE, [value])]})
    modify(site.lab, "LAB-2016", {"userAccountControl": [(MODIFY_REPLACE, [0x1000])]})
    connections = site.connections()
    try:
        audited = audit_site(site.plan(), connections)
    finally:
        connections.close()
    assert [(g.subject, g.requirement, g.status) for g in audited.gaps()] == [
        ("LAB-2016", "protocol-transition", "missing"),
        ("KOM-AD01-VM01 -> KOM-AD01-VM02", "kcd-migration-fqdn", "missing")]
    cause = audited.pair_gaps("KOM-AD01-VM01", "KOM-AD01-VM02")
    assert [str(c) for c in cause] == [f"KOM-AD01-VM01 -> KOM-AD01-VM02 kcd-migration-fqdn: missing: found absent, "
                                       f"expected {value}"]
    assert audited.pair_gaps("KOM-AD01-VM02", "KOM-AD01-VM01") == []
    assert [g.requirement for g in audited.pair_gaps("KOM-AD01-VM01", "LAB-2016")] == ["protocol-transition"]
