"""The hosts-file ops: read one owner's lines, or make them exactly the given ones (one round trip each).

Both ops answer ``{"Owned": [text, ...], "Others": [{"Line": n, "Text": ...}, ...], "Changed": bool}``:
the owner's lines and the other IPv4 lines naming one of the names (see
:mod:`lm_provider.models.hosts_text` for the rules the scripts follow).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import RemoteCommandError
from ..models.hosts_text import FileLine, FileView, HostsLine
from .host import HostClient
from .ops import host_op, op_of


@host_op("hostsfile.read")
@dataclass(frozen=True)
class HostsReadParams:
    """``hostsfile.read``: the lines tagged ``owner``, and other IPv4 lines naming one of ``names``."""

    owner: str
    names: list[str]


@host_op("hostsfile.apply")
@dataclass(frozen=True)
class HostsApplyParams:
    """``hostsfile.apply``: make the lines tagged ``owner`` exactly ``entries`` (none: remove them)."""

    owner: str
    entries: list[HostsLine]


@dataclass(frozen=True)
class HostsResult:
    """What an op found (after its change, for apply) and whether it changed the file."""

    view: FileView
    changed: bool


def _strings(value: Any) -> list[str] | None:
    items = [] if value is None else value
    return items if isinstance(items, list) and all(isinstance(v, str) for v in items) else None


def _result(host: str, op: str, value: Any) -> HostsResult:
    """The op's JSON as a HostsResult; RemoteCommandError when it has another shape."""
    if isinstance(value, dict):
        owned = _strings(value.get("Owned"))
        raw_others = value.get("Others") or []
        if owned is not None and isinstance(raw_others, list) and all(
                isinstance(o, dict) and isinstance(o.get("Line"), int) and isinstance(o.get("Text"), str)
                for o in raw_others):
            others = [FileLine(o["Line"], o["Text"]) for o in raw_others]
            return HostsResult(FileView(owned, others), bool(value.get("Changed", False)))
    raise RemoteCommandError(host, op, f"unexpected result {str(value)[:200]!r}")


class HostsFileClient:
    """The hosts file of one host."""

    def __init__(self, client: HostClient) -> None:
        self.client = client

    def _run(self, params: object) -> HostsResult:
        return _result(self.client.name, op_of(params), self.client.run(params))

    def read(self, owner: str, names: Sequence[str]) -> HostsResult:
        """The owner's lines and the other IPv4 lines naming one of ``names``."""
        return self._run(HostsReadParams(owner, list(names)))

    def apply(self, owner: str, lines: Sequence[HostsLine]) -> HostsResult:
        """Make the owner's lines exactly ``lines``; refused (RemoteCommandError naming the line) when a
        line we do not own maps one of the names to another address."""
        return self._run(HostsApplyParams(owner, list(lines)))
