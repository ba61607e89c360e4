"""Family ``diag``: ops for transport tests (chunking, stdin, limits); they never change the host."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Host
from .params import value_range
from .registry import op


@dataclass(frozen=True)
class EchoParams:
    """diag.echo: ``Text`` repeated ``Repeat`` times."""

    text: str = ""
    repeat: int = field(default=1, metadata=value_range(0, 1_000_000))


@op("diag.echo", params=EchoParams, changes=False)
def echo(host: Host, params: EchoParams) -> dict[str, Any]:
    """Return the text, repeated (large outputs exercise Receive chunking)."""
    return {"ComputerName": host.name, "text": params.text * params.repeat}
