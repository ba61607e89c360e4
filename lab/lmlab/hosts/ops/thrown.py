"""The error record of a script's own ``throw "text"`` (what lm-provider's scripts do when they refuse)."""

from __future__ import annotations

from .. import clixml
from .protocol import OpError


def thrown(message: str) -> OpError:
    """``throw "message"`` as Windows PowerShell reports it: a RuntimeException whose
    FullyQualifiedErrorId is the message itself (the position line is the lab's approximation)."""
    return OpError(clixml.ErrorRecord(
        message=message, category="OperationStopped", target=message, error_id=message,
        exception="System.Management.Automation.RuntimeException", position=f'throw "{message}"'))
