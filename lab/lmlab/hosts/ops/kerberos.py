"""Family ``kerberos``: ``klist.exe -li 0x3e7 purge`` on the host (the system logon session's tickets).

The host's ticket cache (what its Kerberos tickets say about its own computer account's delegation)
becomes the directory's current view, so a delegation added since the last purge or boot is seen
from now on. Without a reachable DC the cache is empty afterwards (no fresh tickets).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from ..model import Host, TicketCache
from .context import ComputerAccount, Directory, DirectoryUnreachable, OpContext
from .registry import op

KLIST_PURGE = ("\r\nCurrent LogonId is 0:0x5097d\r\nTargeted LogonId is 0:0x3e7\r\n"
               "\tDeleting all tickets:\r\n\tTicket(s) purged!\r\n")
"""klist.exe's answer (windows-texts: the lines are verbatim, the indentation and the current LogonId are not)."""


@dataclass(frozen=True)
class PurgeParams:
    """kerberos.purge takes no parameters."""


def fresh_tickets(directory: Directory | None, names: list[str]) -> dict[str, TicketCache]:
    """The ticket caches the hosts ``names`` hold right after a purge or a boot, by upper-case name:
    the directory's current view of each account, empty without a DC or an account."""
    accounts: dict[str, ComputerAccount] = {}
    if directory is not None:
        with contextlib.suppress(DirectoryUnreachable):
            accounts = directory.computers(names)
    return {name.upper(): accounts[name.upper()].ticket_cache() if name.upper() in accounts else TicketCache()
            for name in names}


@op("kerberos.purge", params=PurgeParams, changes=True, context=True)
def purge(host: Host, params: PurgeParams, context: OpContext) -> dict[str, Any]:
    """Purge the system tickets: the ticket cache follows the directory now; klist's output."""
    host.ticket_cache = fresh_tickets(context.directory, [host.name])[host.name.upper()]
    return {"Output": KLIST_PURGE, "ExitCode": 0}
