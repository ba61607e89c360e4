"""The lab's view of the real AD DC for its hosts' ops: computer accounts read live over LDAPS.

A move checks the source's ``msDS-AllowedToDelegateTo`` and ``userAccountControl`` and the
destination's ``servicePrincipalName`` here, and a ticket purge snapshots the host's own account,
so what a test writes into the DC with ldap3 is what the simulated hosts see.
"""

from __future__ import annotations

from typing import Any

from ldap3 import SUBTREE
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from .ad import SambaDC
from .hosts.ops.context import ComputerAccount, DirectoryUnreachable

ATTRIBUTES = ["sAMAccountName", "msDS-AllowedToDelegateTo", "userAccountControl", "servicePrincipalName"]


class LabDirectory:
    """Reads computer accounts from the lab's Samba DC as Administrator (a hosts.ops Directory)."""

    def __init__(self, dc: SambaDC) -> None:
        self.dc = dc

    def computers(self, names: list[str]) -> dict[str, ComputerAccount]:
        """The accounts of ``names`` keyed by upper-case computer name (absent: no account); one LDAPS
        connection per call. DirectoryUnreachable when the DC is stopped or does not answer."""
        if self.dc.process is None or self.dc.process.poll() is not None:
            raise DirectoryUnreachable("the lab's AD DC is not running")
        wanted = "".join(f"(sAMAccountName={escape_filter_chars(n)}$)" for n in names)
        try:
            conn = self.dc.admin()
            try:
                conn.search(self.dc.base_dn, f"(&(objectClass=computer)(|{wanted}))", SUBTREE, attributes=ATTRIBUTES)
                entries = list(conn.entries)
            finally:
                conn.unbind()
        except LDAPException as exc:
            raise DirectoryUnreachable(f"the lab's AD DC did not answer ({type(exc).__name__}: {exc})") from None
        return {str(e["sAMAccountName"].value).removesuffix("$").upper(): _account(e) for e in entries}


def _account(entry: Any) -> ComputerAccount:
    def values(name: str) -> tuple[str, ...]:
        return tuple(str(v) for v in entry[name].values)
    return ComputerAccount(values("msDS-AllowedToDelegateTo"), int(entry["userAccountControl"].value or 0),
                           values("servicePrincipalName"))
