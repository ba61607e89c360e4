"""vm.move and kerberos.purge against the real Samba DC: the test writes msDS-AllowedToDelegateTo,
userAccountControl and SPNs with ldap3 and drives the ops over real WinRM. The lab reads the DC live
over LDAPS; a host sees its own delegation only as of its last purge or boot."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
from ldap3 import MODIFY_DELETE, MODIFY_REPLACE, Connection, Server, Tls

from lmlab.testing import RunningLab
from vmops import MVSMS, PROBE, STORAGE, failed, model, move, new_probe, ok, ready_for_migration, run, vm_names

pytestmark = pytest.mark.ad
S, D, S2016 = "KOM-AD01-VM01", "KOM-AD01-VM02", "LAB-2016"
FQDN = f"{D.lower()}.holding.com"
UAC_WORKSTATION, UAC_TRUSTED_TO_AUTH = 0x1000, 0x1000000
NO_CREDENTIALS = f"with host '{D}': No credentials are available in the security package (0x8009030E)."


class Dc:
    """The test's own LDAPS connection to the lab's DC, as Administrator."""

    def __init__(self, ad: dict[str, Any]) -> None:
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ad["ca_file"], valid_names=[ad["tls_name"]])
        self.conn = Connection(Server("127.0.0.1", port=636, use_ssl=True, tls=tls), ad["admin_user"],
                               ad["admin_password"], auto_bind=True, raise_exceptions=True)
        self.ou = ad["hosts_ou"]

    def delegate(self, host: str, *values: str) -> None:
        self.conn.modify(f"CN={host},{self.ou}", {"msDS-AllowedToDelegateTo": [(MODIFY_REPLACE, list(values))]})

    def uac(self, host: str, value: int) -> None:
        self.conn.modify(f"CN={host},{self.ou}", {"userAccountControl": [(MODIFY_REPLACE, [str(value)])]})

    def drop_spns(self, host: str, *values: str) -> None:
        self.conn.modify(f"CN={host},{self.ou}", {"servicePrincipalName": [(MODIFY_DELETE, list(values))]})


@pytest.fixture
def dc(ad_lab: RunningLab) -> Iterator[Dc]:
    """The AD lab reset (hosts, calls, seeded accounts: no delegation, tickets booted empty), S and D
    ready for a Kerberos move over 10.160.35.0/24, the probe VM on S."""
    info = ad_lab.endpoints["ad"]
    assert "unavailable" not in info, f"the lab's AD DC did not start: {info.get('unavailable')}"
    ad_lab.control.call("POST", "/reset", {})
    for host in (S, D, S2016):
        ready_for_migration(ad_lab, host)
    new_probe(ad_lab, S)
    connection = Dc({**info, **ad_lab.dir.secrets()["ad"]})
    yield connection
    connection.conn.unbind()


def saved(lab: RunningLab, host: str) -> dict[str, Any]:
    state: dict[str, Any] = json.loads((lab.dir.state_dir / "hosts" / f"{host}.json").read_text())
    return state


def test_a_delegation_added_after_boot_needs_a_purge_a_removal_is_seen_at_once(ad_lab: RunningLab, dc: Dc) -> None:
    delegation = (f"{MVSMS}/{D}", f"cifs/{D}")
    dc.delegate(S, *delegation)
    before = {h: model(ad_lab, h) for h in (S, D)}
    assert NO_CREDENTIALS in failed(move(ad_lab, S, D))  # tickets from before the delegation
    assert {h: model(ad_lab, h) for h in (S, D)} == before
    purge = ok(run(ad_lab, S, "kerberos.purge"))
    assert purge["ExitCode"] == 0 and "Ticket(s) purged!" in purge["Output"]
    assert model(ad_lab, S)["ticket_cache"] == {"allowed_to_delegate_to": sorted(delegation), "trusted_to_auth": False}
    dc.delegate(S)  # removed in AD: seen at once, whatever the tickets say
    assert NO_CREDENTIALS in failed(move(ad_lab, S, D))
    dc.delegate(S, *delegation)
    ad_lab.control.call("POST", "/calls/reset", {})
    assert ok(move(ad_lab, S, D)) == {"Name": PROBE, "DestinationHost": D, "SourceAddress": "10.160.35.60",
                                      "DestinationAddress": "10.160.35.61"}
    assert ad_lab.control.call("GET", f"/devices/{S}/calls") == {"vm.move": {"read": 0, "changing": 1}}
    assert ad_lab.control.call("GET", f"/devices/{D}/calls") == {}
    assert (vm_names(ad_lab, S), vm_names(ad_lab, D)) == (["APP-01"], ["APP-02", PROBE])
    assert [vm["name"] for vm in saved(ad_lab, S)["vms"]] == ["APP-01"]
    arrived = saved(ad_lab, D)["vms"][-1]
    assert (arrived["name"], arrived["state"], arrived["vhd_paths"]) == (PROBE, "Running", [f"{STORAGE}\\{PROBE}.vhdx"])


def test_the_move_names_the_destination_as_given_fqdn_needs_its_own_delegation(ad_lab: RunningLab, dc: Dc) -> None:
    dc.delegate(S, f"{MVSMS}/{D}", f"cifs/{D}")  # the NetBIOS form only
    ok(run(ad_lab, S, "kerberos.purge"))
    assert f"with host '{FQDN}': No credentials are available in the security package (0x8009030E)." in failed(
        move(ad_lab, S, FQDN))
    dc.delegate(S, f"{MVSMS}/{FQDN}", f"cifs/{FQDN}")
    ok(run(ad_lab, S, "kerberos.purge"))
    assert ok(move(ad_lab, S, FQDN))["DestinationHost"] == FQDN


def test_a_destination_without_the_migration_spn_and_a_credssp_destination_fail(ad_lab: RunningLab, dc: Dc) -> None:
    dc.delegate(S, f"{MVSMS}/{D}", f"cifs/{D}")
    ok(run(ad_lab, S, "kerberos.purge"))
    ready_for_migration(ad_lab, D, authentication="CredSSP")
    assert f"Failed to establish a connection with host '{D}': The credentials supplied to the package were not " \
           "recognized (0x8009030D)." in failed(move(ad_lab, S, D))
    ready_for_migration(ad_lab, D)
    dc.drop_spns(D, f"{MVSMS}/{D}", f"{MVSMS}/{FQDN}")
    assert f"with host '{D}': The target principal name is incorrect. (0x80090322)." in failed(move(ad_lab, S, D))
    assert vm_names(ad_lab, S) == ["APP-01", PROBE]


def test_a_2016_source_needs_protocol_transition_as_of_its_last_purge(ad_lab: RunningLab, dc: Dc) -> None:
    ok(run(ad_lab, S2016, "vm.new", {"Name": "LM-PROBE-16", "Marker": "lm-provider:probe", "StoragePath": STORAGE}))
    dc.delegate(S2016, f"{MVSMS}/{D}", f"cifs/{D}")
    ok(run(ad_lab, S2016, "kerberos.purge"))
    text = failed(move(ad_lab, S2016, D, name="LM-PROBE-16"))
    assert NO_CREDENTIALS in text and "VirtualizationException" in text
    dc.uac(S2016, UAC_WORKSTATION | UAC_TRUSTED_TO_AUTH)
    assert NO_CREDENTIALS in failed(move(ad_lab, S2016, D, name="LM-PROBE-16"))
    ok(run(ad_lab, S2016, "kerberos.purge"))
    assert model(ad_lab, S2016)["ticket_cache"]["trusted_to_auth"] is True
    assert ok(move(ad_lab, S2016, D, name="LM-PROBE-16"))["SourceAddress"] == "10.160.35.62"


def test_a_boot_takes_the_dcs_current_view(ad_lab: RunningLab, dc: Dc) -> None:
    dc.delegate(S, f"{MVSMS}/{D}", f"cifs/{D}")
    assert model(ad_lab, S)["ticket_cache"]["allowed_to_delegate_to"] == []
    ad_lab.down()
    ad_lab.up()
    assert model(ad_lab, S)["ticket_cache"] == {"allowed_to_delegate_to": [f"{MVSMS}/{D}", f"cifs/{D}"],
                                                "trusted_to_auth": False}
    assert ok(move(ad_lab, S, D))["DestinationAddress"] == "10.160.35.61"
    ad_lab.control.call("POST", "/reset", {})
    assert model(ad_lab, S)["ticket_cache"] == {"allowed_to_delegate_to": [], "trusted_to_auth": False}
