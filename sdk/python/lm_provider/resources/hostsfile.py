"""HostsEntry and HostsEntries: lines of one host's hosts file, owned by a tag.

- **ID**: the owner tag, 16 random hex digits chosen at create; each line the resource writes
  ends with the comment ``# lm-provider:<id>``, which is how it is recognised again (exactly: a
  line with another comment, or ours commented out, is not ours).
- **Replaces**: ``host`` (another host's file). **Updates in place**: the entries (or address,
  name, aliases) and the target inputs (``fqdn``, ``winrm_*``: state only).
- **Create/update** is one ``hostsfile.apply`` invocation: it reads the file, refuses when a line
  we do not own maps one of our names to another address (naming the line), makes our lines
  exactly the desired ones (in place of the first of them; new ones at the end) and returns what
  the file then holds. Lines that already map a name to the same address are left alone.
- **Read** is one ``hostsfile.read``: our lines as the file holds them (``lines``) and the lines
  that conflict (``conflicts``). Lines gone or edited by hand, and conflicts, show as a change of
  the entries, which the next update repairs (a conflict then fails, naming the line). The
  resource is never reported gone: an empty ``lines`` is drift.
- **Delete** is one ``hostsfile.apply`` with no entries: it removes exactly our lines; every other
  byte of the file stays. Already gone: nothing changes.

Invocations: create 1, read 1, update 1, delete 1; re-applying what is there changes nothing.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar, cast

from ..clients.hostsfile import HostsFileClient, HostsResult
from ..models.host_target import HostTarget
from ..models.hosts_text import HostsLine, conflicts
from ..models.hostsfile import (
    HostsEntriesArgs,
    HostsEntriesState,
    HostsEntryArgs,
    HostsEntryState,
    check_hosts_entries,
    check_hosts_entry,
    diff_hosts_entries,
    diff_hosts_entry,
)
from ..models.inputs import Checked
from ..models.plan import Plan
from .base import Created
from .hosts import HostConnector

A = TypeVar("A", bound=HostTarget)
S = TypeVar("S", bound=HostTarget)


def new_owner() -> str:
    """A fresh owner tag (64 random bits as 16 hex digits)."""
    return secrets.token_hex(8)


class _HostsLinesLogic(Generic[A, S]):
    """What both resources do with their lines; subclasses say how args become lines."""

    args_type: type[A]
    state_type: type[S]

    def __init__(self, connector: HostConnector, owner: Callable[[], str] = new_owner) -> None:
        self.connector = connector
        self.new_owner = owner

    def lines(self, args: A) -> list[HostsLine]:
        """The lines ``args`` ask for, in file order."""
        raise NotImplementedError

    def _file(self, target: HostTarget) -> HostsFileClient:
        return HostsFileClient(self.connector(target))

    def _state(self, args: A, owner: str, result: HostsResult) -> S:
        values: dict[str, Any] = {f.name: getattr(args, f.name) for f in dataclasses.fields(self.args_type)}
        values.update(owner=owner, lines=result.view.owned,
                      conflicts=[str(c) for c in conflicts(result.view.others, self.lines(args))])
        return self.state_type(**values)

    def create(self, args: A) -> Created:
        """Write our lines under a new owner tag."""
        owner = self.new_owner()
        return Created(owner, self._state(args, owner, self._file(args).apply(owner, self.lines(args))))

    def read(self, id_: str, state: S) -> S:
        """Our lines and the conflicting ones as the file holds them now."""
        args = cast(A, state)  # a state is its args plus what was found
        names = [n for line in self.lines(args) for n in line.names]
        return self._state(args, id_, self._file(state).read(id_, names))

    def update(self, id_: str, state: S, args: A) -> S:
        """Make our lines exactly the desired ones (repairs drift)."""
        return self._state(args, id_, self._file(args).apply(id_, self.lines(args)))

    def delete(self, id_: str, state: S) -> None:
        """Remove exactly our lines."""
        self._file(state).apply(id_, [])


class HostsEntriesLogic(_HostsLinesLogic[HostsEntriesArgs, HostsEntriesState]):
    """check / diff / create / read / update / delete of a set of hosts-file lines on one host."""

    args_type = HostsEntriesArgs
    state_type = HostsEntriesState

    def check(self, inputs: Mapping[str, Any]) -> Checked[HostsEntriesArgs]:
        """Validate inputs; no remote call."""
        return check_hosts_entries(inputs)

    def diff(self, state: HostsEntriesState, args: HostsEntriesArgs) -> Plan:
        """Pure comparison of state with args."""
        return diff_hosts_entries(state, args)

    def lines(self, args: HostsEntriesArgs) -> list[HostsLine]:
        """The entries, one line each."""
        return list(args.entries)


class HostsEntryLogic(_HostsLinesLogic[HostsEntryArgs, HostsEntryState]):
    """check / diff / create / read / update / delete of one name (+ aliases) -> one address."""

    args_type = HostsEntryArgs
    state_type = HostsEntryState

    def check(self, inputs: Mapping[str, Any]) -> Checked[HostsEntryArgs]:
        """Validate inputs; no remote call."""
        return check_hosts_entry(inputs)

    def diff(self, state: HostsEntryState, args: HostsEntryArgs) -> Plan:
        """Pure comparison of state with args."""
        return diff_hosts_entry(state, args)

    def lines(self, args: HostsEntryArgs) -> list[HostsLine]:
        """The one line of the entry."""
        return args.as_lines()
