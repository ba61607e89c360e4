"""What cmd.exe and powershell.exe make of a WinRS command line.

WinRS runs every command through cmd.exe (pywinrm does not set WINRS_SKIP_CMD_SHELL), so the
8191-character command-line limit applies, with cmd.exe's message. ``powershell`` parameters
are parsed like Windows PowerShell 5.1 does for the subset lm-provider and pywinrm send.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from .ops import ScriptResult

CMD_LINE_LIMIT = 8191
"""cmd.exe's maximum command-line length (KB 830473)."""

TOO_LONG = ScriptResult(b"", b"The command line is too long.\r\n", 1)


@dataclass(frozen=True)
class Invocation:
    """What to run: a finished result (cmd.exe answered itself), a script, or a script from stdin."""

    result: ScriptResult | None = None
    script: str | None = None
    script_from_stdin: bool = False


def not_recognized(name: str) -> ScriptResult:
    """cmd.exe's answer for an unknown program."""
    return ScriptResult(b"", f"'{name}' is not recognized as an internal or external command,\r\n"
                             "operable program or batch file.\r\n".encode("ascii", "replace"), 1)


def interpret(command_line: str, computer_name: str) -> Invocation:
    """Interpret one command line as cmd.exe (and powershell.exe, when it is the program) would."""
    if len(command_line) > CMD_LINE_LIMIT:
        return Invocation(result=TOO_LONG)
    words = command_line.split()
    if not words:
        return Invocation(result=ScriptResult(b"", b"", 0))
    program = words[0].lower()
    if program == "hostname":
        return Invocation(result=ScriptResult(f"{computer_name}\r\n".encode(), b"", 0))
    if program not in ("powershell", "powershell.exe"):
        return Invocation(result=not_recognized(words[0]))
    return _powershell(words[1:])


def _is_param(word: str, full: str, shortest: int = 2) -> bool:
    name = word.lower().lstrip("-/")
    return word[:1] in "-/" and len(name) >= shortest and full.startswith(name)


def _powershell(args: list[str]) -> Invocation:
    """Parse powershell.exe's parameters; -EncodedCommand and -Command decide the script."""
    i = 0
    while i < len(args):
        word = args[i]
        if _is_param(word, "encodedcommand", 1) or word.lower() in ("-ec", "/ec"):
            if i + 1 >= len(args):
                return Invocation(result=_usage("Cannot process the command because of a missing parameter. "
                                                "A command must follow -EncodedCommand."))
            try:
                script = base64.b64decode(args[i + 1], validate=True).decode("utf-16-le")
            except (binascii.Error, UnicodeDecodeError):
                return Invocation(result=_usage(
                    "Cannot process the command because the value specified with -EncodedCommand is not properly "
                    "encoded. The value must be Base64 encoded."))
            return Invocation(script=script)
        if _is_param(word, "command", 1):
            rest = args[i + 1:]
            if rest == ["-"]:
                return Invocation(script_from_stdin=True)
            return Invocation(script=" ".join(rest))
        if any(_is_param(word, name, 2) for name in ("executionpolicy", "inputformat", "outputformat")):
            i += 2
            continue
        if word[:1] in "-/":
            i += 1
            continue
        return Invocation(script=" ".join(args[i:]))
    return Invocation(script_from_stdin=True)


def _usage(message: str) -> ScriptResult:
    return ScriptResult(b"", (message + "\r\n").encode("ascii"), 1)
