"""The full delegation mesh of the lab's six hosts through the real Pulumi engine and the real Samba DC.

The program discovers the hosts in AD (the disabled host and the cluster object are left out) and
declares one KcdDelegation per host to all the others. uSNChanged of every account shows that a
no-op ``up`` wrote nothing; destroy must leave every account as it found it.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pulumi
import pytest
from harness import EngineHarness
from ldap3 import BASE, Connection, Server, Tls
from pulumi import automation as auto

from lm_provider import KcdDelegation, get_hyperv_hosts, get_hyperv_hosts_output
from lmlab.testing import RunningLab

pytestmark = [pytest.mark.e2e, pytest.mark.ad]
KCD = "pulumi-python:dynamic/lm:KcdDelegation"
ATTRIBUTES = ["msDS-AllowedToDelegateTo", "userAccountControl", "servicePrincipalName", "description", "uSNChanged"]


def snapshot(ad: dict[str, Any], names: list[str]) -> dict[str, dict[str, list[str]]]:
    """Each account's watched attributes, read with an ldap3 connection of the test's own."""
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ad["ca_file"], valid_names=[ad["tls_name"]])
    conn = Connection(Server("127.0.0.1", port=636, use_ssl=True, tls=tls), ad["admin_user"], ad["admin_password"],
                      auto_bind=True, raise_exceptions=True)
    result = {}
    for name in names:
        conn.search(f"CN={name},{ad['hosts_ou']}", "(objectClass=*)", BASE, attributes=ATTRIBUTES)
        result[name] = {a: sorted(str(v) for v in conn.entries[0][a].values) for a in ATTRIBUTES}
    conn.unbind()
    return result


def without_usn(snap: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    return {name: {k: v for k, v in attrs.items() if k != "uSNChanged"} for name, attrs in snap.items()}


def test_a_six_host_mesh_is_created_left_alone_and_removed_exactly(ad_lab: RunningLab, tmp_path: Path) -> None:
    ad_lab.control.call("POST", "/reset", {})  # accounts as seeded, whatever ran before
    ad = {**ad_lab.endpoints["ad"], **ad_lab.dir.secrets()["ad"]}
    assert "unavailable" not in ad, ad.get("unavailable")
    names = sorted(ad_lab.endpoints["hosts"], key=str.casefold)

    def program() -> None:
        hosts = get_hyperv_hosts(ad["hosts_ou"], "*")
        for host in hosts:
            KcdDelegation(f"kcd-{host.name}", computer=host.name, peers=[h for h in hosts if h.name != host.name])
        pulumi.export("hosts", [h.name for h in hosts])
        found = get_hyperv_hosts_output(pulumi.Output.from_input(ad["hosts_ou"]), "KOM-AD01-VM*")
        pulumi.export("pattern", found.apply(lambda hs: [h.name for h in hs]))

    harness = EngineHarness(tmp_path / "state", "kcd-mesh", "lab", program)
    harness.stack.set_all_config({
        "lm:ldapServers": auto.ConfigValue("127.0.0.1"), "lm:ldapUser": auto.ConfigValue(ad["admin_user"]),
        "lm:ldapPassword": auto.ConfigValue(ad["admin_password"], secret=True),
        "lm:ldapCaFile": auto.ConfigValue(ad["ca_file"]), "lm:ldapTlsName": auto.ConfigValue(ad["tls_name"])})
    before = snapshot(ad, names)

    up = harness.up()
    assert up.result.outputs["hosts"].value == names
    assert up.result.outputs["pattern"].value == ["KOM-AD01-VM01", "KOM-AD01-VM02"]
    assert all(up.ops(KCD, f"kcd-{n}") == ["create"] for n in names)
    created = snapshot(ad, names)
    for name in names:
        peers = [p for p in names if p != name]
        assert created[name]["msDS-AllowedToDelegateTo"] == sorted(
            f"{s}/{t}" for p in peers for s in ("cifs", "Microsoft Virtual System Migration Service")
            for t in (p, f"{p.lower()}.holding.com"))
        assert int(created[name]["userAccountControl"][0]) == int(before[name]["userAccountControl"][0]) | 0x1000000
    assert ad["admin_password"] not in harness.state_file.read_text()

    again = harness.up()
    assert again.result.summary.resource_changes == {"same": len(names) + 1}
    refresh = harness.refresh()
    assert "update" not in (refresh.result.summary.resource_changes or {})
    assert snapshot(ad, names) == created  # uSNChanged unchanged: no LDAP modify reached the DC

    destroy = harness.destroy()
    assert destroy.result.summary.resource_changes == {"delete": len(names) + 1}
    assert without_usn(snapshot(ad, names)) == without_usn(before)
