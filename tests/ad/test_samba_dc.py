"""The lab's real Samba AD DC, driven with ldap3 as KcdDelegation will drive it."""

from __future__ import annotations

import ssl
from typing import Any

import certifi
import pytest
from ldap3 import MODIFY_ADD, MODIFY_DELETE, NONE, SIMPLE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPInsufficientAccessRightsResult, LDAPSocketOpenError, LDAPStrongerAuthRequiredResult

from lmlab.testing import RunningLab

pytestmark = pytest.mark.ad

FIELD_GUIDE_FILTER = ("(&(objectClass=computer)(cn=KOM-AD01-VM*)(!(description=cluster*))"
                      "(!(userAccountControl:1.2.840.113556.1.4.803:=2)))")


@pytest.fixture(scope="module")
def ad(ad_lab: RunningLab) -> dict[str, Any]:
    info = ad_lab.endpoints["ad"]
    assert "unavailable" not in info, f"the lab's AD DC did not start: {info.get('unavailable')}"
    return {**info, **ad_lab.dir.secrets()["ad"]}


def tls(ad: dict[str, Any], ca: str | None = None) -> Tls:
    return Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca or ad["ca_file"], valid_names=[ad["tls_name"]])


def admin(ad: dict[str, Any]) -> Connection:
    server = Server("127.0.0.1", port=636, use_ssl=True, tls=tls(ad))
    return Connection(server, ad["admin_user"], ad["admin_password"], authentication=SIMPLE, auto_bind=True,
                      raise_exceptions=True)


def test_ldaps_verifies_the_dc_certificate(ad: dict[str, Any]) -> None:
    assert admin(ad).bound
    wrong_ca = Server("127.0.0.1", port=636, use_ssl=True, tls=tls(ad, certifi.where()))
    with pytest.raises(LDAPSocketOpenError):
        Connection(wrong_ca, ad["admin_user"], ad["admin_password"], auto_bind=True, raise_exceptions=True)


def test_starttls_works_and_plain_simple_bind_is_refused(ad: dict[str, Any]) -> None:
    conn = Connection(Server("127.0.0.1", port=389, tls=tls(ad), get_info=NONE), ad["admin_user"], ad["admin_password"],
                      raise_exceptions=True)
    conn.open()
    conn.start_tls()
    assert conn.bind()
    plain = Connection(Server("127.0.0.1", port=389, get_info=NONE), ad["admin_user"], ad["admin_password"], raise_exceptions=True)
    with pytest.raises(LDAPStrongerAuthRequiredResult):
        plain.bind()


def test_field_guide_filter_excludes_disabled_and_cluster_objects(ad: dict[str, Any], ad_lab: RunningLab) -> None:
    conn = admin(ad)
    conn.search(ad["hosts_ou"], FIELD_GUIDE_FILTER, attributes=["cn", "dNSHostName"])
    found = {e.cn.value: e.dNSHostName.value for e in conn.entries}
    lab_hosts = [h for h in ad_lab.endpoints["hosts"] if h.startswith("KOM-AD01-VM")]
    assert found == {h: f"{h.lower()}.holding.com" for h in lab_hosts}
    conn.search(ad["hosts_ou"], "(cn=KOM-AD01-VM*)", attributes=["cn"])
    assert {"KOM-AD01-VM99", "KOM-AD01-VMCL"} <= {e.cn.value for e in conn.entries}


def test_delegation_values_are_added_and_deleted_one_by_one(ad: dict[str, Any]) -> None:
    conn = admin(ad)
    dn = f"CN=KOM-AD01-VM01,{ad['hosts_ou']}"
    foreign = "cifs/OTHER-HOST.holding.com"
    ours = ["cifs/KOM-AD01-VM02.holding.com", "Microsoft Virtual System Migration Service/KOM-AD01-VM02"]
    conn.modify(dn, {"msDS-AllowedToDelegateTo": [(MODIFY_ADD, [foreign, *ours])]})
    try:
        conn.modify(dn, {"msDS-AllowedToDelegateTo": [(MODIFY_DELETE, [ours[0]])]})
        conn.search(dn, "(objectClass=computer)", attributes=["msDS-AllowedToDelegateTo"])
        assert set(conn.entries[0]["msDS-AllowedToDelegateTo"].values) == {foreign, ours[1]}
    finally:
        conn.modify(dn, {"msDS-AllowedToDelegateTo": [(MODIFY_DELETE, [])]})


def test_a_plain_user_cannot_set_delegation(ad: dict[str, Any]) -> None:
    server = Server("127.0.0.1", port=636, use_ssl=True, tls=tls(ad))
    user = Connection(server, ad["plain_user"], ad["user_password"], authentication=SIMPLE, auto_bind=True,
                      raise_exceptions=True)
    with pytest.raises(LDAPInsufficientAccessRightsResult):
        user.modify(f"CN=KOM-AD01-VM01,{ad['hosts_ou']}",
                    {"msDS-AllowedToDelegateTo": [(MODIFY_ADD, ["cifs/KOM-AD01-VM02.holding.com"])]})
