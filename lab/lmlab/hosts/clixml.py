"""What powershell.exe writes to stderr when its output is redirected: CLIXML records.

An error record is rendered the way Windows PowerShell 5.1 prints a terminating error (message,
position, CategoryInfo, FullyQualifiedErrorId), one ``<S S="Error">`` element per line, with
CRLF encoded as ``_x000D__x000A_``. pywinrm's ``Session.run_ps`` turns this back into text.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

HEADER = "#< CLIXML\r\n"
_OBJS = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'

PROGRESS_RECORD = (
    '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T>'
    "<T>System.Object</T></TN><MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for "
    "first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR>"
    "</MS></Obj>"
)
"""The progress record Windows PowerShell emits on a session's first module load (exit code 0)."""


@dataclass(frozen=True)
class ErrorRecord:
    """A PowerShell error: what FullyQualifiedErrorId/CategoryInfo would show.

    ``target`` empty renders as ``(:)``, as for binder errors; ``activity`` is the command in the
    brackets of CategoryInfo (``[Set-VMHost]``); ``position`` is the script text under the caret
    line (the command text, else the target).
    """

    message: str
    category: str  # e.g. ObjectNotFound, InvalidArgument, PermissionDenied
    target: str
    error_id: str  # FullyQualifiedErrorId
    exception: str = "Microsoft.PowerShell.Commands.WriteErrorException"
    command_text: str = ""
    activity: str = ""
    position: str = ""

    def lines(self) -> list[str]:
        """The record as the console prints it, line by line."""
        head = f"{self.command_text} : {self.message}" if self.command_text else self.message
        position = self.position or self.command_text or self.target
        target = f"{self.target}:String" if self.target else ":"
        exception = self.exception.rsplit(".", 1)[-1]
        return [
            head,
            "At line:1 char:1",
            f"+ {position}",
            "+ " + "~" * max(1, len(position)),
            f"    + CategoryInfo          : {self.category}: ({target}) [{self.activity}], {exception}",
            f"    + FullyQualifiedErrorId : {self.error_id}",
            " ",
        ]


def _encode(text: str) -> str:
    return escape(text).replace("\r", "_x000D_").replace("\n", "_x000A_")


def render(errors: list[ErrorRecord], progress: bool = False) -> bytes:
    """The full stderr payload: header plus an <Objs> document (bytes, as written by powershell.exe)."""
    body = PROGRESS_RECORD if progress else ""
    for record in errors:
        body += "".join(f'<S S="Error">{_encode(line + chr(13) + chr(10))}</S>' for line in record.lines())
    return (HEADER + _OBJS + body + "</Objs>").encode("utf-8")


def command_not_found(name: str) -> ErrorRecord:
    """The error PowerShell raises for an unknown command (exit code 1 from -EncodedCommand)."""
    return ErrorRecord(
        message=(
            f"The term '{name}' is not recognized as the name of a cmdlet, function, script file, or "
            "operable program. Check the spelling of the name, or if a path was included, verify that "
            "the path is correct and try again."
        ),
        category="ObjectNotFound",
        target=name,
        error_id="CommandNotFoundException",
        exception="System.Management.Automation.CommandNotFoundException",
        command_text=name,
    )


def lab_internal_error(op: str) -> ErrorRecord:
    """What a script gets when the lab itself failed while running ``op`` (a lab bug, logged).

    Laid out like a terminating RuntimeException; the error id ``LmLabInternalError`` exists on no
    real host, so a client (or a test) can tell a lab bug from a host's answer.
    """
    return ErrorRecord(
        message=f"The lab failed while running op '{op}' (a bug in the lab, not on the host); "
                "the details are in the lab's log (lmlab.log).",
        category="NotSpecified",
        target="",
        error_id="LmLabInternalError",
        exception="System.Management.Automation.RuntimeException",
        position=op,
    )
