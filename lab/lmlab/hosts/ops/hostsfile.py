"""Family ``hostsfile``: the lines of the hosts file one lm-provider resource owns.

The model's ``hosts_file`` is the file's text (its encoding is not modelled). The rules follow
lm-provider's scripts ``hostsfile.read``/``hostsfile.apply`` line for line:

- lines end in CRLF or LF; the last may have no end; the comment starts at the first ``#``;
  the rest splits on spaces and tabs into an address and names;
- an IPv4 line has a dotted-quad address without leading zeros and at least one name;
- names compare whole-token, case-insensitively, printable ASCII only;
- the owner's lines are those whose comment is exactly ``# lm-provider:<owner>``;
- apply refuses (like the script's ``throw``) when a line that is not the owner's maps one of the
  names to another address, naming the line; else it makes the owner's lines exactly the entries,
  in place of the first of them (at the end when there was none), with the file's newline (CRLF,
  or LF when the file has LF and no CRLF), keeping a missing final newline missing.

Both ops answer ``{"Changed": bool, "Owned": [text], "Others": [{"Line": n, "Text": text}]}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import clixml
from ..model import Host
from .protocol import OpError
from .registry import op

MARKER = "# lm-provider:"
OWNER = re.compile(r"^[0-9a-f]{16}$")
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = re.compile(rf"^{_OCTET}(\.{_OCTET}){{3}}$")
_ENDS = re.compile(r"\r?\n")
_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")


@dataclass(frozen=True)
class ReadParams:
    """hostsfile.read: -Owner, -Names."""

    owner: str
    names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ApplyParams:
    """hostsfile.apply: -Owner, -Entries (objects with ``address`` and ``names``)."""

    owner: str
    entries: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _View:
    owned: list[str] = field(default_factory=list)
    owned_at: int = -1
    kept: list[tuple[str, str]] = field(default_factory=list)
    others: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _throw(message: str) -> OpError:
    """What ``throw 'message'`` in the script writes."""
    return OpError(clixml.ErrorRecord(message, "OperationStopped", message, message,
                                      "System.Management.Automation.RuntimeException", position="throw"))


def _rows(text: str) -> list[tuple[str, str]]:
    rows, start = [], 0
    for end in _ENDS.finditer(text):
        rows.append((text[start:end.start()], end.group()))
        start = end.end()
    if start < len(text):
        rows.append((text[start:], ""))
    return rows


def _key(token: str) -> str | None:
    return token.lower() if _PRINTABLE.match(token) else None


def _member(value: dict[str, Any], name: str) -> Any:
    """``$object.name``: property names are case-insensitive; a missing one is $null."""
    return next((v for k, v in value.items() if k.lower() == name), None)


def _classify(rows: list[tuple[str, str]], owner: str, wanted: dict[str, str | None]) -> _View:
    view = _View()
    for number, (content, end) in enumerate(rows, start=1):
        data, hash_, comment = content.partition("#")
        if hash_ + comment == MARKER + owner:
            view.owned_at = len(view.kept) if view.owned_at < 0 else view.owned_at
            view.owned.append(content)
            continue
        view.kept.append((content, end))
        tokens = [t for t in re.split(r"[ \t]+", data) if t]
        if len(tokens) < 2 or not IPV4.match(tokens[0]):
            continue
        named = False
        for token in tokens[1:]:
            key = _key(token)
            if key is None or key not in wanted:
                continue
            named = True
            address = wanted[key]
            if address is not None and address != tokens[0]:
                view.conflicts.append(f"line {number} ('{content}') maps {token} to {tokens[0]}, not {address}")
        if named:
            view.others.append({"Line": number, "Text": content})
    return view


def _result(view: _View, changed: bool) -> dict[str, Any]:
    return {"Changed": changed, "Owned": view.owned, "Others": view.others}


def _owner(value: str) -> str:
    if not OWNER.match(value):
        raise _throw(f"Owner: {value} is not an lm-provider owner tag (16 hex digits)")
    return value


@op("hostsfile.read", params=ReadParams, changes=False)
def read(host: Host, params: ReadParams) -> dict[str, Any]:
    """The owner's lines and the other IPv4 lines naming one of the names."""
    owner = _owner(params.owner)
    wanted: dict[str, str | None] = {k: None for k in map(_key, params.names) if k is not None}
    return _result(_classify(_rows(host.hosts_file), owner, wanted), False)


def _desired(owner: str, entries: list[dict[str, Any]]) -> tuple[list[str], dict[str, str | None]]:
    lines: list[str] = []
    wanted: dict[str, str | None] = {}
    for entry in entries:
        address = str(_member(entry, "address") or "")
        raw = _member(entry, "names")
        names = [str(n) for n in (raw if isinstance(raw, list) else [] if raw is None else [raw])]
        if not IPV4.match(address):
            raise _throw(f"Entries: {address} is not an IPv4 address")
        if not 1 <= len(names) <= 9:
            raise _throw(f"Entries: {address} has {len(names)} names; 1 to 9 are allowed")
        for name in names:
            key = _key(name)
            if key is None or any(c in name for c in "#\"'"):
                raise _throw(f"Entries: {name} is not a host name")
            wanted[key] = address
        lines.append(f"{address} {' '.join(names)} {MARKER}{owner}")
    return lines, wanted


@op("hostsfile.apply", params=ApplyParams, changes=True)
def apply(host: Host, params: ApplyParams) -> dict[str, Any]:
    """Make the owner's lines exactly the entries (none: remove them); refuse a conflicting line."""
    owner = _owner(params.owner)
    desired, wanted = _desired(owner, params.entries)
    text = host.hosts_file
    rows = _rows(text)
    view = _classify(rows, owner, wanted)
    if view.conflicts:
        raise _throw("the hosts file maps a name of this resource to another address on a line lm-provider does "
                     f"not own: {'; '.join(view.conflicts)}. Change or remove that line, or leave the name out.")
    changed = view.owned != desired
    if changed:
        newline = "\n" if "\r\n" not in text and "\n" in text else "\r\n"
        at = view.owned_at if view.owned_at >= 0 else len(view.kept)
        kept = [(content, end or newline) for content, end in view.kept]
        result = kept[:at] + [(line, newline) for line in desired] + kept[at:]
        new_text = "".join(content + end for content, end in result)
        if rows and rows[-1][1] == "" and result:
            new_text = new_text[:len(new_text) - len(result[-1][1])]
        host.hosts_file = new_text
        view = _classify(_rows(new_text), owner, wanted)
    return _result(view, changed)
