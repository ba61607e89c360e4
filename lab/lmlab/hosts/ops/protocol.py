"""The op protocol's wire format: how a script names its op and carries its parameters.

The lab does not interpret PowerShell. Every script lm-provider sends carries, anywhere in its
text, one marker line and its parameters as a JSON here-string (see docs/lab.md)::

    # lm-provider-op: host.facts
    $LmParams = @'
    {"example": 1}
    '@ | ConvertFrom-Json

A host answers like powershell.exe: JSON on stdout (UTF-8, CRLF-terminated), exit code 0; or
CLIXML error records on stderr and exit code 1.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .. import clixml

OP_MARKER = re.compile(r"^# lm-provider-op: (?P<op>[A-Za-z][\w.-]*)[ \t]*\r?$", re.MULTILINE)
PARAMS_BLOCK = re.compile(r"^\$LmParams = @'\r?\n(?P<json>.*?)\r?\n'@", re.MULTILINE | re.DOTALL)
STDIN_OP = "stdin"
"""The bootstrap op: the real script arrives on stdin (for scripts past cmd.exe's line limit)."""
UNKNOWN = "unknown"
"""The name a script without a marker and without any command is counted under."""


class OpError(Exception):
    """An op failed the way a cmdlet would; rendered as a CLIXML error record."""

    def __init__(self, record: clixml.ErrorRecord) -> None:
        super().__init__(record.message)
        self.record = record


@dataclass(frozen=True)
class ScriptResult:
    """What powershell.exe produced: stdout, stderr (bytes) and its exit code."""

    stdout: bytes
    stderr: bytes
    exit_code: int


@dataclass(frozen=True)
class ParsedScript:
    """A script's op name (None without a marker), decoded parameters and first word."""

    op: str | None
    params: dict[str, Any]
    first_word: str


def first_word(script: str) -> str:
    """The first word of the first line that is neither blank nor a comment ("" if none)."""
    for line in script.splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            return text.split()[0]
    return ""


def op_name(script: str) -> str | None:
    """The op the marker names, or None."""
    marker = OP_MARKER.search(script)
    return marker.group("op") if marker else None


def script_label(script: str) -> str:
    """What a script is counted and targeted under: its op, else its first word, else ``unknown``."""
    return op_name(script) or first_word(script) or UNKNOWN


def parse_script(script: str) -> ParsedScript:
    """Find the op marker and the JSON parameters; a bad JSON block is an OpError."""
    op = op_name(script)
    if op is None:
        return ParsedScript(None, {}, first_word(script))
    block = PARAMS_BLOCK.search(script)
    params: Any = {}
    if block:
        try:
            params = json.loads(block.group("json"))
        except json.JSONDecodeError as exc:
            raise OpError(clixml.ErrorRecord(
                f"Conversion from JSON failed with error: {exc.msg}", "NotSpecified", "$LmParams",
                "System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand",
                "System.ArgumentException", "ConvertFrom-Json")) from None
        if not isinstance(params, dict):
            raise OpError(clixml.ErrorRecord("the parameters must be a JSON object", "InvalidArgument",
                                             "$LmParams", "LmInvalidArgument"))
    return ParsedScript(op, params, first_word(script))


def wants_stdin(script: str) -> bool:
    """True for the stdin bootstrap: the real script follows on stdin."""
    return op_name(script) == STDIN_OP
