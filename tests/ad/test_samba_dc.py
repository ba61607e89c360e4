"""The lab's real Samba AD DC, driven with ldap3 as KcdDelegation will drive it."""

from __future__ import annotations

import ssl
import threading
from pathlib import Path
from typing import Any

import certifi
import pytest
from ldap3 import BASE, LEVEL, MODIFY_ADD, MODIFY_DELETE, MODIFY_REPLACE, NONE, SIMPLE, Connection, Server, Tls
from ldap3.core.exceptions import (
    LDAPInsufficientAccessRightsResult,
    LDAPSocketOpenError,
    LDAPStrongerAuthRequiredResult,
)

from lmlab.ad import SambaDC
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
    plain = Connection(Server("127.0.0.1", port=389, get_info=NONE), ad["admin_user"], ad["admin_password"],
                       raise_exceptions=True)
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


TRUSTED_TO_AUTH_FOR_DELEGATION = 0x1000000


def test_reset_re_seeds_the_hosts_ou(ad: dict[str, Any], ad_lab: RunningLab) -> None:
    conn = admin(ad)
    ou = ad["hosts_ou"]
    vm01, vm99 = f"CN=KOM-AD01-VM01,{ou}", f"CN=KOM-AD01-VM99,{ou}"
    conn.modify(vm01, {"msDS-AllowedToDelegateTo": [(MODIFY_ADD, ["cifs/KOM-AD01-VM02.holding.com"])],
                       "userAccountControl": [(MODIFY_REPLACE, [0x1000 | TRUSTED_TO_AUTH_FOR_DELEGATION])]})
    conn.modify(vm01, {"servicePrincipalName": [(MODIFY_REPLACE, ["HOST/KOM-AD01-VM01"])]})
    conn.modify(f"CN=KOM-AD01-VMCL,{ou}", {"description": [(MODIFY_REPLACE, ["renamed by hand"])]})
    conn.add(f"CN=STRAY,{ou}", "computer", {"sAMAccountName": "STRAY$"})
    conn.delete(vm99)
    assert ad_lab.cli("reset").stdout.strip().endswith("knobs and call counts cleared; AD re-seeded")
    conn.search(ou, "(objectClass=computer)", LEVEL,
                attributes=["cn", "userAccountControl", "msDS-AllowedToDelegateTo", "description"])
    found = {e.cn.value: e for e in conn.entries}
    # the stray is gone, the deleted one is back
    assert set(found) == {*ad_lab.endpoints["hosts"], "KOM-AD01-VM99", "KOM-AD01-VMCL"}
    assert found["KOM-AD01-VM01"]["msDS-AllowedToDelegateTo"].values == []
    assert found["KOM-AD01-VM01"].userAccountControl.value == 0x1000
    assert found["KOM-AD01-VM99"].userAccountControl.value == 0x1002
    assert found["KOM-AD01-VMCL"].description.value == "cluster name object"
    conn.search(vm01, "(objectClass=computer)", BASE, attributes=["dNSHostName", "servicePrincipalName"])
    assert conn.entries[0].dNSHostName.value == "kom-ad01-vm01.holding.com"
    assert sorted(conn.entries[0].servicePrincipalName.values) == sorted(
        f"{service}/{host}" for service in ("HOST", "RestrictedKrbHost", "Microsoft Virtual Console Service",
                                            "Microsoft Virtual System Migration Service")
        for host in ("KOM-AD01-VM01", "kom-ad01-vm01.holding.com"))


def test_up_without_ad_on_a_lab_running_with_ad_is_refused(ad_lab: RunningLab) -> None:
    refused = ad_lab.cli("up", "--no-ad", check=False)
    assert refused.returncode == 1
    assert refused.stderr == ("lmlab: the lab is running with the AD DC; `lmlab down`, then `lmlab up --no-ad` "
                              "to run it without\n")
    status = ad_lab.cli("status").stdout
    assert "TLS name labdc.holding.com (ldap3: Tls(valid_names=['labdc.holding.com']))" in status


def command_lines_during(action: Any) -> list[list[str]]:
    """Every command line (argv) mentioning samba that /proc shows while ``action`` runs."""
    seen: set[tuple[str, ...]] = set()
    done = threading.Event()

    def scan() -> None:
        while not done.is_set():
            for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
                try:
                    argv = tuple(cmdline.read_bytes().decode(errors="replace").split("\0"))
                except OSError:
                    continue  # the process ended while we looked
                if any("samba" in arg for arg in argv):
                    seen.add(argv)
    scanner = threading.Thread(target=scan)
    scanner.start()
    try:
        action()
    finally:
        done.set()
        scanner.join()
    return [list(argv) for argv in seen]


def test_provisioning_never_shows_the_admin_password_in_ps(tmp_path: Path, ad_lab: RunningLab) -> None:
    passwords = {"admin_password": "Aa1!the-real-admin-password", "user_password": "Bb2!the-user-password"}
    dc = SambaDC(tmp_path / "samba", "probe.example", "PROBE", passwords)
    argvs = command_lines_during(dc.provision)
    provision = [argv for argv in argvs if "provision" in argv]
    throwaway = dc.throwaway_file.read_text()
    assert any(f"--adminpass={throwaway}" in argv for argv in provision)  # the scan does see samba-tool's argv
    assert not any(passwords["admin_password"] in arg for argv in argvs for arg in argv)
    assert not (ad_lab.dir.samba_dir / "provision-password").exists()  # the lab's DC has its real password
