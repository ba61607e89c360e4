"""Typed Active Directory operations over :class:`~lm_provider.transports.ldap.LdapTransport`.

One method = one LDAP round trip (the naming context is read once and cached when not configured).
Every value placed in a filter is escaped by the transport's helpers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import RemoteCommandError
from ..models.kcd import HyperVHost
from ..transports.ldap import ADD, DELETE, LdapEntry, LdapTransport, binary_filter_value, filter_value

DELEGATE_TO = "msDS-AllowedToDelegateTo"
UAC = "userAccountControl"
COMPUTER_ATTRIBUTES = ("objectGUID", "sAMAccountName", "dNSHostName", UAC, DELEGATE_TO)
UAC_ACCOUNTDISABLE_RULE = "(userAccountControl:1.2.840.113556.1.4.803:=2)"
"""Disabled accounts: bit 2 of userAccountControl with AD's bitwise-AND matching rule."""


@dataclass(frozen=True)
class ComputerAccount:
    """What KcdDelegation needs of a computer account."""

    dn: str
    guid: str
    sam_account_name: str
    dns_host_name: str | None
    user_account_control: int
    allowed_to_delegate_to: list[str]


def _computer(entry: LdapEntry) -> ComputerAccount:
    raw_guid = entry.first_raw("objectGUID") or b""
    return ComputerAccount(
        dn=entry.dn, guid=str(uuid.UUID(bytes_le=raw_guid)) if len(raw_guid) == 16 else "",
        sam_account_name=entry.first("sAMAccountName") or "", dns_host_name=entry.first("dNSHostName"),
        user_account_control=int(entry.first(UAC) or 0), allowed_to_delegate_to=entry.strings(DELEGATE_TO))


def pattern_filter_value(pattern: str) -> str:
    """A name pattern for a filter: ``*`` stays a wildcard, everything else is escaped."""
    return "*".join(filter_value(part) for part in pattern.split("*"))


class DirectoryClient:
    """Computer accounts, delegation values and the protocol-transition flag."""

    def __init__(self, transport: LdapTransport, base_dn: str | None = None) -> None:
        self.transport = transport
        self._base_dn = base_dn

    def naming_context(self) -> str:
        """Where computers are searched: the configured base DN, else the DC's defaultNamingContext."""
        if self._base_dn is None:
            entries = self.transport.search("", "(objectClass=*)", ["defaultNamingContext"], subtree=False)
            context = entries[0].first("defaultNamingContext") if entries else None
            if not context:
                raise RemoteCommandError(self.transport.server or "?", "read RootDSE",
                                         "the DC reported no defaultNamingContext; set lm:ldapBaseDn")
            self._base_dn = context
        return self._base_dn

    def _one(self, entries: list[LdapEntry], what: str) -> ComputerAccount | None:
        if len(entries) > 1:
            names = ", ".join(e.dn for e in entries)
            raise RemoteCommandError(self.transport.server or "?", f"find {what}",
                                     f"{len(entries)} computer accounts match ({names}); give the DN")
        return _computer(entries[0]) if entries else None

    def find_computer(self, reference: str) -> ComputerAccount | None:
        """The computer named by a DN, an FQDN (dNSHostName) or a sAMAccountName (``$`` optional)."""
        if "=" in reference:
            entries = self.transport.search(reference, "(objectClass=computer)", COMPUTER_ATTRIBUTES, subtree=False)
        elif "." in reference:
            entries = self.transport.search(
                self.naming_context(), f"(&(objectClass=computer)(dNSHostName={filter_value(reference)}))",
                COMPUTER_ATTRIBUTES)
        else:
            sam = reference if reference.endswith("$") else f"{reference}$"
            entries = self.transport.search(
                self.naming_context(), f"(&(objectClass=computer)(sAMAccountName={filter_value(sam)}))",
                COMPUTER_ATTRIBUTES)
        return self._one(entries, reference)

    def computer_by_guid(self, guid: str) -> ComputerAccount | None:
        """The computer with this objectGUID (found wherever it was moved or renamed to)."""
        value = binary_filter_value(uuid.UUID(guid).bytes_le)
        entries = self.transport.search(self.naming_context(), f"(&(objectClass=computer)(objectGUID={value}))",
                                        COMPUTER_ATTRIBUTES)
        return self._one(entries, f"objectGUID {guid}")

    def service_principal_names(self, names: Sequence[str]) -> dict[str, list[str]]:
        """servicePrincipalName of each named computer (key: name in lower case); absent: no account."""
        if not names:
            return {}
        terms = "".join(f"(sAMAccountName={filter_value(n + '$')})" for n in names)
        entries = self.transport.search(self.naming_context(), f"(&(objectClass=computer)(|{terms}))",
                                        ["sAMAccountName", "servicePrincipalName"])
        return {(e.first("sAMAccountName") or "").removesuffix("$").lower(): e.strings("servicePrincipalName")
                for e in entries}

    def change_delegation(self, dn: str, add: Sequence[str], delete: Sequence[str],
                          uac: tuple[int, int] | None) -> None:
        """One atomic modify: add and delete exact delegation values and, when ``uac`` is
        ``(read, new)``, swap userAccountControl from the value read to the new one. The swap is a
        delete of the read value plus an add of the new one, so it fails with noSuchAttribute when
        someone changed the attribute since it was read (and then nothing of the request applies)."""
        changes: dict[str, list[tuple[str, list[str]]]] = {}
        values: list[tuple[str, list[str]]] = []
        if delete:
            values.append((DELETE, list(delete)))
        if add:
            values.append((ADD, list(add)))
        if values:
            changes[DELEGATE_TO] = values
        if uac is not None:
            changes[UAC] = [(DELETE, [str(uac[0])]), (ADD, [str(uac[1])])]
        if changes:
            self.transport.modify(dn, changes)

    def find_hosts(self, search_base: str, name_pattern: str) -> list[HyperVHost]:
        """Enabled computers under ``search_base`` whose cn matches ``name_pattern`` (``*`` wildcards)
        and whose description does not start with "cluster", sorted by name."""
        query = (f"(&(objectClass=computer)(cn={pattern_filter_value(name_pattern)})"
                 f"(!(description=cluster*))(!{UAC_ACCOUNTDISABLE_RULE}))")
        entries = self.transport.search(search_base, query, ["cn", "dNSHostName"])
        hosts = [HyperVHost(e.first("cn") or "", e.first("dNSHostName") or "", e.dn) for e in entries]
        return sorted(hosts, key=lambda h: h.name.casefold())
