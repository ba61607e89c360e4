"""Run lm-provider's ops on a Windows host: one script per op, JSON in, JSON out.

``HostClient.run_op(op, params)`` builds the op's script, runs it over the host's WinRM session
and returns the one JSON value the script printed. A script that fails (exit code != 0) raises
RemoteCommandError with the host, the op and PowerShell's own error message.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import RemoteCommandError
from ..transports.clixml import first_message
from ..transports.winrm import WinRmSession
from .scripts import build_script


class HostClient:
    """Ops on one host."""

    def __init__(self, session: WinRmSession) -> None:
        self.session = session

    @property
    def name(self) -> str:
        """The host's name."""
        return self.session.name

    def run_op(self, op: str, params: dict[str, Any]) -> Any:
        """Run ``op`` with ``params``; the script's JSON result."""
        result = self.session.run_powershell(build_script(op, params), op)
        if result.exit_code != 0:
            message = first_message(result.stderr) or f"exit code {result.exit_code}"
            raise RemoteCommandError(self.name, op, message)
        lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
        if not lines:
            raise RemoteCommandError(self.name, op, "the script printed no result")
        try:
            return json.loads(lines[-1])
        except json.JSONDecodeError:
            raise RemoteCommandError(self.name, op, f"the script's result is not JSON: {lines[-1][:200]!r}") from None
