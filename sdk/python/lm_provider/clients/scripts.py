"""Build the PowerShell script for one op: the op protocol's header plus the op's ``.ps1`` body.

Every op has a file ``lm_provider/scripts/<op>.ps1`` (real PowerShell for a real Windows host,
PowerShell 3 syntax). The builder puts in front of it:

- the marker line ``# lm-provider-op: <op>`` (the lab dispatches on it; PowerShell ignores it);
- ``$ProgressPreference``/``$ErrorActionPreference`` and UTF-8 console output;
- the parameters as one line of ASCII JSON inside a single-quoted here-string assigned to
  ``$LmParams``: PowerShell expands nothing inside ``@'...'@``, so user values stay data.

Functions shared by several ops live in ``lm_provider/scripts/lib/<name>.ps1``; a line
``# lm-provider-include: <name>`` in an op's file is replaced by that file's text.

Tests and benchmarks build scripts only through :func:`build_script`.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

OP_NAME = re.compile(r"^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$")
INCLUDE = re.compile(r"^# lm-provider-include: (?P<name>[a-z][a-z0-9-]*)[ \t]*$", re.MULTILINE)

PREAMBLE = (
    "$ProgressPreference = 'SilentlyContinue'\n"
    "$ErrorActionPreference = 'Stop'\n"
    "[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false\n"
)


@cache
def script_body(op: str) -> str:
    """The ``.ps1`` body of ``op`` with its includes (ASCII; a missing file is a programming error)."""
    if not OP_NAME.match(op):
        raise ValueError(f"not an op name: {op!r}")
    scripts = files("lm_provider").joinpath("scripts")
    text = scripts.joinpath(f"{op}.ps1").read_text(encoding="ascii")

    def include(match: re.Match[str]) -> str:
        return scripts.joinpath("lib").joinpath(f"{match['name']}.ps1").read_text(encoding="ascii").rstrip("\r\n")

    return INCLUDE.sub(include, text).replace("\r\n", "\n")


def params_json(params: dict[str, Any]) -> str:
    """The parameters as one compact line of ASCII JSON."""
    return json.dumps(params, ensure_ascii=True, separators=(",", ":"), sort_keys=True)


def build_script(op: str, params: dict[str, Any]) -> str:
    """The full script for ``op`` with ``params``."""
    return (f"# lm-provider-op: {op}\n{PREAMBLE}"
            f"$LmParams = @'\n{params_json(params)}\n'@ | ConvertFrom-Json\n"
            f"{script_body(op)}")
