"""The hosts file as text, and how lm-provider edits it (pure: no I/O).

The same rules are written three times, on purpose: here (the SDK reasons with them and tests
them), in the scripts ``hostsfile.read``/``hostsfile.apply`` (a real host runs them) and in the
lab's ``hostsfile`` ops (the simulated host runs them); tests hold the three to the same results.

- **Lines** end in CRLF or LF (a lone CR is text); the last line may have no end. The comment of a
  line starts at its first ``#``. What precedes it splits on spaces and tabs: an address, then names.
- **An IPv4 line** has a dotted-quad address without leading zeros (``010.0.0.1`` is not one, nor
  is an IPv6 line) and at least one name.
- **Names** compare whole-token and case-insensitively, and only printable ASCII tokens can equal a
  name: ``hv1`` never matches ``hv10``, ``hv1.corp.com`` or a ``hv1`` inside a comment.
- **Our lines** are exactly the lines whose comment is ``# lm-provider:<owner>``; an owner is 16
  lower-case hex digits. A line is rendered ``<address> <name> <name>... # lm-provider:<owner>``.
- **An edit** makes the owner's lines exactly the desired ones: unchanged when they already are;
  else the owner's lines go and the desired ones take the place of the first of them (at the end
  when there was none), each ending with the file's newline (CRLF, or LF when the file has LF and
  no CRLF). Every other byte stays. A file that did not end with a newline still does not, so
  adding lines and removing them again gives back the very same text.
- **A conflict** is a line that is not ours mapping one of our names to another IPv4 address: the
  edit is refused, naming that line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MARKER = "# lm-provider:"
OWNER = re.compile(r"^[0-9a-f]{16}$")
"""An owner tag: what makes a line ours (a resource's id)."""
MAX_NAMES = 9
"""Windows reads at most nine names on a hosts-file line and ignores the rest."""
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = re.compile(rf"^{_OCTET}(\.{_OCTET}){{3}}$")
"""A dotted-quad IPv4 address without leading zeros."""
_NEWLINE = re.compile(r"\r?\n")
_BLANK = re.compile(r"[ \t]+")
_PRINTABLE_ASCII = re.compile(r"^[\x21-\x7e]+$")


@dataclass(frozen=True)
class HostsLine:
    """One hosts-file line lm-provider writes: an IPv4 address and 1-9 names (the first is the
    canonical name, the others aliases)."""

    address: str
    names: list[str]


@dataclass(frozen=True)
class FileLine:
    """A line of the file by its number (from 1) and text (without its newline)."""

    line: int
    text: str


@dataclass(frozen=True)
class Conflict:
    """A line we do not own mapping ``name`` to ``address`` while we want ``wanted``."""

    line: int
    text: str
    name: str
    address: str
    wanted: str

    def __str__(self) -> str:
        return f"line {self.line} ('{self.text}') maps {self.name} to {self.address}, not {self.wanted}"


@dataclass(frozen=True)
class FileView:
    """What the file holds for one owner and a set of names: the owner's lines (text, in order) and
    the other IPv4 lines naming one of the names."""

    owned: list[str] = field(default_factory=list)
    others: list[FileLine] = field(default_factory=list)


@dataclass(frozen=True)
class Edit:
    """The outcome of :func:`edit`: the new text, whether it differs, the view of the new text and
    the conflicts that refused the edit (then ``text`` is the old text)."""

    text: str
    changed: bool
    view: FileView
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    content: str
    end: str


@dataclass(frozen=True)
class _Parsed:
    address: str | None
    names: list[str]
    comment: str


def render(line: HostsLine, owner: str) -> str:
    """The text of one of our lines."""
    return f"{line.address} {' '.join(line.names)} {MARKER}{owner}"


def render_all(lines: Sequence[HostsLine], owner: str) -> list[str]:
    """The texts of our lines, in order."""
    return [render(line, owner) for line in lines]


def name_key(token: str) -> str | None:
    """The comparison key of a name or token: lower case, or None when it is not printable ASCII."""
    return token.lower() if _PRINTABLE_ASCII.match(token) else None


def _rows(text: str) -> list[_Row]:
    rows: list[_Row] = []
    start = 0
    for match in _NEWLINE.finditer(text):
        rows.append(_Row(text[start:match.start()], match.group()))
        start = match.end()
    if start < len(text):
        rows.append(_Row(text[start:], ""))
    return rows


def _parse(content: str) -> _Parsed:
    data, hash_, comment = content.partition("#")
    tokens = [t for t in _BLANK.split(data) if t]
    if len(tokens) >= 2 and IPV4.match(tokens[0]):
        return _Parsed(tokens[0], tokens[1:], hash_ + comment)
    return _Parsed(None, [], hash_ + comment)


def is_ours(content: str, owner: str) -> bool:
    """True when the line's comment is exactly our marker with ``owner``."""
    return _parse(content).comment == MARKER + owner


def _newline(text: str) -> str:
    return "\n" if "\r\n" not in text and "\n" in text else "\r\n"


def _classify(rows: Sequence[_Row], owner: str, wanted: Mapping[str, str | None]) -> tuple[
        list[int], list[FileLine], list[Conflict]]:
    """Indexes of our rows; other IPv4 lines naming a wanted name; conflicts (wanted address set)."""
    ours: list[int] = []
    others: list[FileLine] = []
    conflicts: list[Conflict] = []
    for index, row in enumerate(rows):
        parsed = _parse(row.content)
        if parsed.comment == MARKER + owner:
            ours.append(index)
            continue
        if parsed.address is None:
            continue
        named = False
        for token in parsed.names:
            key = name_key(token)
            if key is None or key not in wanted:
                continue
            named = True
            address = wanted[key]
            if address is not None and address != parsed.address:
                conflicts.append(Conflict(index + 1, row.content, token, parsed.address, address))
        if named:
            others.append(FileLine(index + 1, row.content))
    return ours, others, conflicts


def view(text: str, owner: str, names: Sequence[str]) -> FileView:
    """The owner's lines and the other IPv4 lines naming one of ``names``."""
    rows = _rows(text)
    ours, others, _ = _classify(rows, owner, {key: None for key in map(name_key, names) if key is not None})
    return FileView([rows[i].content for i in ours], others)


def _wanted(lines: Sequence[HostsLine]) -> dict[str, str | None]:
    return {key: line.address for line in lines for key in map(name_key, line.names) if key is not None}


def conflicts(others: Sequence[FileLine], lines: Sequence[HostsLine]) -> list[Conflict]:
    """The conflicts among ``others`` (lines that are not ours) for the desired ``lines``."""
    rows = [_Row(o.text, "\n") for o in others]
    _, _, found = _classify(rows, "", _wanted(lines))
    return [Conflict(others[c.line - 1].line, c.text, c.name, c.address, c.wanted) for c in found]


def edit(text: str, owner: str, lines: Sequence[HostsLine]) -> Edit:
    """Make the owner's lines exactly ``lines`` (none: remove them), keeping every other byte."""
    rows = _rows(text)
    names = [n for line in lines for n in line.names]
    ours, others, found = _classify(rows, owner, _wanted(lines))
    if found:
        return Edit(text, False, FileView([rows[i].content for i in ours], others), found)
    desired = render_all(lines, owner)
    if [rows[i].content for i in ours] == desired:
        return Edit(text, False, FileView(desired, others))
    newline = _newline(text)
    open_end = bool(rows) and rows[-1].end == ""
    kept = [_Row(r.content, r.end or newline) for i, r in enumerate(rows) if i not in set(ours)]
    at = ours[0] if ours else len(kept)
    result = kept[:at] + [_Row(d, newline) for d in desired] + kept[at:]
    new_text = "".join(r.content + r.end for r in result)
    if open_end and result:
        new_text = new_text[:len(new_text) - len(result[-1].end)]
    return Edit(new_text, True, view(new_text, owner, names))
