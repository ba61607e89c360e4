"""Run lm-provider's ops on a Windows host: one script per op, JSON in, JSON out.

``HostClient.run(params)`` builds the script of the op that ``params`` belongs to (see
:mod:`lm_provider.clients.ops`), runs it over the host's WinRM session and returns the one JSON
value the script printed. A script that fails (exit code != 0) raises
RemoteCommandError with the host, the op and PowerShell's own error message.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import RemoteCommandError
from ..transports.clixml import first_message
from ..transports.winrm import WinRmSession
from .ops import op_of, wire_params
from .scripts import build_script


class HostClient:
    """Ops on one host."""

    def __init__(self, session: WinRmSession) -> None:
        self.session = session

    @property
    def name(self) -> str:
        """The host's name."""
        return self.session.name

    def run(self, params: object) -> Any:
        """Run the op of ``params`` (a registered parameter dataclass); the script's JSON result."""
        op = op_of(params)
        result = self.session.run_powershell(build_script(op, wire_params(params)), op)
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
