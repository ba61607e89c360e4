"""KerberosTicketPurge: ``klist -li 0x3e7 purge`` on a host after its delegation changed.

- **ID**: the host name.
- **Create** purges the host's system (LocalSystem) ticket cache: one ``kerberos.purge`` invocation.
- **Update** purges again when ``delegation`` changed (a changed endpoint alone runs nothing).
- **Read** runs nothing (a ticket cache cannot drift back to a state that needs a purge).
- **Delete** runs nothing: a purge cannot be undone and needs no undoing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..clients.vm import PurgeTicketsParams
from ..models.host_resource import state_fields
from ..models.inputs import Checked
from ..models.plan import Plan
from ..models.tickets import TicketPurgeArgs, TicketPurgeState, check_purge, diff_purge, needs_purge
from .base import Created
from .hosts import HostConnector


class TicketPurgeLogic:
    """check / diff / create / read / update / delete of a host's ticket purge."""

    args_type = TicketPurgeArgs
    state_type = TicketPurgeState

    def __init__(self, connector: HostConnector) -> None:
        self.connector = connector

    def check(self, inputs: Mapping[str, Any]) -> Checked[TicketPurgeArgs]:
        """Validate inputs; no remote call."""
        return check_purge(inputs)

    def diff(self, state: TicketPurgeState, args: TicketPurgeArgs) -> Plan:
        """Pure comparison of state with args."""
        return diff_purge(state, args)

    def _purge(self, args: TicketPurgeArgs, purges: int) -> TicketPurgeState:
        answer = self.connector(args.target).run(PurgeTicketsParams())
        output = str(answer.get("Output", "")) if isinstance(answer, Mapping) else ""
        return TicketPurgeState(**state_fields(args), output=output.strip(), purges=purges + 1)

    def create(self, args: TicketPurgeArgs) -> Created:
        """Purge the host's system ticket cache."""
        return Created(args.target.host, self._purge(args, 0))

    def read(self, id_: str, state: TicketPurgeState) -> TicketPurgeState:
        """The recorded state: nothing to read remotely."""
        return state

    def update(self, id_: str, state: TicketPurgeState, args: TicketPurgeArgs) -> TicketPurgeState:
        """Purge again when the delegation changed; otherwise only record the new inputs."""
        if needs_purge(diff_purge(state, args)):
            return self._purge(args, state.purges)
        return replace(state, **state_fields(args))

    def delete(self, id_: str, state: TicketPurgeState) -> None:
        """Nothing to undo."""
