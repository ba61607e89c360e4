"""Test accounts for KcdDelegation against the lab's Samba DC: an OU of our own with computer accounts,
an independent ldap3 admin connection to set up and inspect them, and settings for our client."""

from __future__ import annotations

import contextlib
import ssl
from dataclasses import dataclass, replace
from typing import Any

from ldap3 import BASE, MODIFY_REPLACE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPNoSuchObjectResult

from lm_provider.clients.directory import DirectoryClient
from lm_provider.models.directory import DirectoryServer, DirectorySettings
from lm_provider.resources.kcd import KcdDelegationLogic
from lm_provider.transports.ldap import LdapTransport

UAC_WORKSTATION = 0x1000
UAC_EXTRA_BITS = 0x10000 | 0x20  # DONT_EXPIRE_PASSWORD | PASSWD_NOTREQD: bits that must survive our writes
MVSMS = "Microsoft Virtual System Migration Service"
WATCHED = ["msDS-AllowedToDelegateTo", "userAccountControl", "uSNChanged", "servicePrincipalName", "description"]


def admin_connection(ad: dict[str, Any]) -> Connection:
    """An ldap3 connection of the test's own (not our transport), as Administrator over LDAPS."""
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ad["ca_file"], valid_names=[ad["tls_name"]])
    return Connection(Server("127.0.0.1", port=636, use_ssl=True, tls=tls), ad["admin_user"], ad["admin_password"],
                      auto_bind=True, raise_exceptions=True)


def settings_for(ad: dict[str, Any], user: str | None = None, password: str | None = None) -> DirectorySettings:
    """Our client's settings for the lab DC (LDAPS, CA verified for the DC's name)."""
    return DirectorySettings(servers=[DirectoryServer("127.0.0.1", 636)], user=user or ad["admin_user"],
                             password=password or ad["admin_password"], ca_file=ad["ca_file"], tls_name=ad["tls_name"])


@dataclass
class KcdWorld:
    """OU=<name> with computers ``names``: KT-HV01 (the host), its peers; SPNs registered as a real
    Hyper-V host has them (HOST/ and the migration service), except on ``unregistered``."""

    ad: dict[str, Any]
    ou: str
    admin: Connection
    domain: str

    def dn(self, name: str) -> str:
        return f"CN={name},{self.ou}"

    def fqdn(self, name: str) -> str:
        return f"{name.lower()}.{self.domain}"

    def peer(self, name: str) -> dict[str, str]:
        return {"name": name, "fqdn": self.fqdn(name)}

    def add_computer(self, name: str, spns: bool = True, uac: int = UAC_WORKSTATION | UAC_EXTRA_BITS) -> None:
        attributes: dict[str, Any] = {"sAMAccountName": f"{name}$", "userAccountControl": uac,
                                      "dNSHostName": self.fqdn(name)}
        if spns:
            attributes["servicePrincipalName"] = [f"HOST/{name}", f"HOST/{self.fqdn(name)}", f"{MVSMS}/{name}",
                                                  f"{MVSMS}/{self.fqdn(name)}"]
        self.admin.add(self.dn(name), "computer", attributes)

    def snapshot(self, name: str) -> dict[str, list[str]]:
        """The watched attributes of one account, values sorted."""
        self.admin.search(self.dn(name), "(objectClass=*)", BASE, attributes=WATCHED)
        entry = self.admin.entries[0]
        return {a: sorted(str(v) for v in entry[a].values) for a in WATCHED}

    def values(self, name: str) -> list[str]:
        return self.snapshot(name)["msDS-AllowedToDelegateTo"]

    def uac(self, name: str) -> int:
        return int(self.snapshot(name)["userAccountControl"][0])

    def set_values(self, name: str, operation: str, values: list[str]) -> None:
        self.admin.modify(self.dn(name), {"msDS-AllowedToDelegateTo": [(operation, values)]})

    def set_uac(self, name: str, uac: int) -> None:
        self.admin.modify(self.dn(name), {"userAccountControl": [(MODIFY_REPLACE, [str(uac)])]})

    def remove(self) -> None:
        self.admin.search(self.ou, "(objectClass=computer)", SUBTREE, attributes=[])
        for entry in list(self.admin.entries):
            self.admin.delete(entry.entry_dn)
        self.admin.delete(self.ou)

    def logic(self, **overrides: Any) -> tuple[KcdDelegationLogic, LdapTransport]:
        """Our logic over a fresh transport (operations counted on the transport)."""
        transport = LdapTransport(replace(settings_for(self.ad), **overrides))
        return KcdDelegationLogic(DirectoryClient(transport)), transport


def make_world(ad: dict[str, Any], ou_name: str) -> KcdWorld:
    admin = admin_connection(ad)
    domain = ".".join(part.split("=", 1)[1] for part in ad["base_dn"].split(",")).lower()
    world = KcdWorld(ad, f"OU={ou_name},{ad['base_dn']}", admin, domain)
    with contextlib.suppress(LDAPNoSuchObjectResult):
        world.remove()
    admin.add(world.ou, "organizationalUnit")
    return world
