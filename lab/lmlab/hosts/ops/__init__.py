"""The ops a simulated host serves, one module per resource family.

Add a family: a module here with its parameter dataclasses and ``@op(...)`` handlers (see
registry.py), imported below so that its ops register. Nothing else changes.
"""

from __future__ import annotations

from . import diag, facts, hostsfile, kerberos, migration, net, nic, vm  # noqa: F401 - importing a family registers its ops
from .dispatch import LabBug, Outcome, execute
from .protocol import (
    STDIN_OP,
    OpError,
    ParsedScript,
    ScriptResult,
    parse_script,
    script_label,
    wants_stdin,
)
from .registry import REGISTRY, OpRegistry, OpSpec, op

__all__ = [
    "REGISTRY", "STDIN_OP", "LabBug", "OpError", "OpRegistry", "OpSpec", "Outcome", "ParsedScript",
    "ScriptResult", "execute", "op", "parse_script", "script_label", "wants_stdin",
]
