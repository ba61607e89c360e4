"""HostsEntry and HostsEntries: args, state, check and diff (pure; the file's rules are in
:mod:`lm_provider.models.hosts_text`).

``HostsEntry`` maps one name (and its aliases) to one IPv4 address on one host; ``HostsEntries``
owns many such lines on one host (a full mesh of N hosts is N resources). Both carry the target
inputs of every host resource (:mod:`lm_provider.models.host_target`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .host_target import TARGET_KEYS, HostTarget, read_target
from .hosts_text import MAX_NAMES, HostsLine, render_all
from .inputs import UNKNOWN, Checked, InputReader
from .plan import Plan
from .validators import dns_name, ipv4_address

_NETBIOS_FOR_HOSTS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!@$%^&()._~-]{0,14}$")
TARGET_FIELDS = ("fqdn", "winrm_endpoint", "winrm_username", "winrm_password")
"""Inputs that say how to reach the host: a change updates state, never the file."""


def hosts_name(value: str) -> str | None:
    """A name for the hosts file: a DNS name, or a NetBIOS name without ``#`` or quotes (no spaces,
    quotes, ``#`` or control characters in any case)."""
    if dns_name(value) is None or _NETBIOS_FOR_HOSTS.match(value):
        return None
    return (f"{value!r} is not a host name: use a DNS name (letters, digits, inner hyphens, dots) or a "
            "NetBIOS name of 1-15 characters; no spaces, quotes, '#' or control characters")


@dataclass(frozen=True)
class HostsEntriesArgs(HostTarget):
    """Inputs of HostsEntries: the host (see HostTarget) and the lines to own, in file order."""

    winrm_password: str | None = field(default=None, repr=False)
    entries: list[HostsLine] = field(default_factory=list)


@dataclass(frozen=True)
class HostsEntriesState(HostsEntriesArgs):
    """Outputs of HostsEntries: the inputs plus what the last read or write found.

    ``owner``: the tag on our lines (the resource's id); ``lines``: our lines as the file holds them;
    ``conflicts``: lines we do not own that map one of our names to another address.
    """

    owner: str = ""
    lines: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HostsEntryArgs(HostTarget):
    """Inputs of HostsEntry: the host, the address, the name and up to 8 aliases."""

    winrm_password: str | None = field(default=None, repr=False)
    address: str = ""
    name: str = ""
    aliases: list[str] = field(default_factory=list)

    def as_lines(self) -> list[HostsLine]:
        """The entry as the one line it owns."""
        return [HostsLine(self.address, [self.name, *self.aliases])]


@dataclass(frozen=True)
class HostsEntryState(HostsEntryArgs):
    """Outputs of HostsEntry: the inputs plus ``owner``, ``lines`` and ``conflicts`` (see HostsEntriesState)."""

    owner: str = ""
    lines: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


class _Names:
    """Collects names across a resource's lines and reports one listed twice."""

    def __init__(self, reader: InputReader) -> None:
        self.reader = reader
        self.seen: dict[str, str] = {}

    def add(self, prop: str, name: Any) -> None:
        if not isinstance(name, str):
            return
        key = name.lower()
        if key in self.seen:
            self.reader.fail(prop, f"{name} is listed twice (also {self.seen[key]}); a name maps to one address")
        else:
            self.seen[key] = prop


def _too_many(count: int) -> str:
    return (f"has {count} names; a hosts-file line holds at most {MAX_NAMES} (Windows ignores the rest): "
            "split them over more entries")


def check_hosts_entries(inputs: Mapping[str, Any]) -> Checked[HostsEntriesArgs]:
    """Validate HostsEntries inputs: every failure at once, named by property; no I/O."""
    reader = InputReader(inputs, [*TARGET_KEYS, "entries"])
    target = read_target(reader)
    raw = reader.objects("entries", required=True)
    names = _Names(reader)
    entries: list[HostsLine] = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if item is UNKNOWN:
            reader.complete = False
            continue
        prop = f"entries[{index}]"
        nested = reader.nested(prop, item, ["address", "names"])
        address = nested.string("address", required=True, validator=ipv4_address)
        line_names = nested.string_list("names", required=True, validator=hosts_name)
        if isinstance(line_names, list):
            if len(line_names) > MAX_NAMES:
                reader.fail(f"{prop}.names", _too_many(len(line_names)))
            for position, name in enumerate(line_names):
                names.add(f"{prop}.names[{position}]", name)
        entries.append(HostsLine(address, line_names))
    return reader.checked(lambda: HostsEntriesArgs(
        host=target.host, fqdn=target.fqdn, winrm_endpoint=target.winrm_endpoint,
        winrm_username=target.winrm_username, winrm_password=target.winrm_password, entries=entries))


def check_hosts_entry(inputs: Mapping[str, Any]) -> Checked[HostsEntryArgs]:
    """Validate HostsEntry inputs: every failure at once, named by property; no I/O."""
    reader = InputReader(inputs, [*TARGET_KEYS, "address", "name", "aliases"])
    target = read_target(reader)
    address = reader.string("address", required=True, validator=ipv4_address)
    name = reader.string("name", required=True, validator=hosts_name)
    aliases = reader.string_list("aliases", default=[], allow_empty=True, validator=hosts_name)
    names = _Names(reader)
    names.add("name", name)
    if isinstance(aliases, list):
        if len(aliases) >= MAX_NAMES:
            reader.fail("aliases", f"has {len(aliases)} aliases; with the name a hosts-file line holds at most "
                                   f"{MAX_NAMES} names (Windows ignores the rest): at most {MAX_NAMES - 1} aliases")
        for position, alias in enumerate(aliases):
            names.add(f"aliases[{position}]", alias)
    return reader.checked(lambda: HostsEntryArgs(
        host=target.host, fqdn=target.fqdn, winrm_endpoint=target.winrm_endpoint,
        winrm_username=target.winrm_username, winrm_password=target.winrm_password, address=address, name=name,
        aliases=aliases))


def _plan(state: HostsEntriesState | HostsEntryState, args: HostTarget, content: Sequence[str],
          desired: Sequence[HostsLine]) -> Plan:
    """Another host replaces; changed content fields, target fields, lines that differ from the
    desired ones (drift) and conflicts found by the last read update in place."""
    if state.host.lower() != args.host.lower():
        return Plan(changes=["host"], replaces=["host"])
    changes = [f for f in (*content, *TARGET_FIELDS) if getattr(state, f) != getattr(args, f)]
    notes: list[str] = []
    if state.lines != render_all(desired, state.owner):
        notes.append(f"the hosts file's lines of this resource are {state.lines}, not the desired ones")
    notes += [f"conflict: {c}" for c in state.conflicts]
    if notes and not any(f in changes for f in content):
        changes.insert(0, content[0])
    return Plan(changes=changes, notes=notes)


def diff_hosts_entries(state: HostsEntriesState, args: HostsEntriesArgs) -> Plan:
    """Compare the recorded HostsEntries state with new inputs."""
    return _plan(state, args, ["entries"], args.entries)


def diff_hosts_entry(state: HostsEntryState, args: HostsEntryArgs) -> Plan:
    """Compare the recorded HostsEntry state with new inputs."""
    return _plan(state, args, ["address", "name", "aliases"], args.as_lines())
