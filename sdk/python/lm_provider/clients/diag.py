"""Diagnostic ops (transport tests and benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass

from .ops import host_op


@host_op("diag.echo")
@dataclass(frozen=True)
class EchoParams:
    """``diag.echo``: return ``text`` repeated ``repeat`` times, with the computer's name."""

    text: str
    repeat: int = 1
