"""The WinRS shell service of one simulated host: shells, commands, streams ([MS-WSMV] 3.1.4.x).

Thread-safe: many clients may hold shells on one host at once. A command's script runs when the
command is created (or when stdin closes, for the stdin bootstrap); its output is then handed out
over one or more Receive calls, chunked, with ``Running`` until the last chunk and ``Done`` plus
the exit code after it. With a process-start cost set, Receive blocks until the simulated
process has finished or OperationTimeout passes (then the TimedOut fault, which pywinrm retries).
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from . import soap
from .cmdline import interpret
from .ops import ScriptResult, wants_stdin

MAX_SHELLS_PER_USER = 30
"""Windows Server 2012's default WinRM quota (MaxShellsPerUser)."""
STREAM_ELEMENT_BYTES = 8192


@dataclass
class Command:
    """One running or finished command in a shell."""

    command_id: str
    waiting_for_stdin: bool = False
    stdin: bytearray = field(default_factory=bytearray)
    result: ScriptResult | None = None
    ready_at: float = 0.0
    sent: dict[str, int] = field(default_factory=lambda: {"stdout": 0, "stderr": 0})


@dataclass
class Shell:
    """One WinRS shell, owned by the user who created it."""

    shell_id: str
    owner: str
    commands: dict[str, Command] = field(default_factory=dict)


class WinrsService:
    """Serves the WinRS actions for one host; ``run_script`` executes a script on the host model."""

    def __init__(self, machine: str, run_script: Callable[[str], ScriptResult],
                 process_start_seconds: Callable[[], float], receive_budget: int = 65536) -> None:
        self.machine = machine
        self._run_script = run_script
        self._process_start = process_start_seconds
        self._receive_budget = receive_budget
        self._shells: dict[str, Shell] = {}
        self._cond = threading.Condition()

    def shell_count(self) -> int:
        """Open shells (for status output and leak tests)."""
        with self._cond:
            return len(self._shells)

    def close_all(self) -> None:
        """Forget every shell, as a restarted WinRM service does (clients get "shell not found")."""
        with self._cond:
            self._shells.clear()
            self._cond.notify_all()

    def handle(self, req: soap.Request, user: str, endpoint: str) -> tuple[str, str]:
        """Serve one request; return (response action, body XML) or raise soap.Fault."""
        if req.resource_uri != soap.CMD_RESOURCE:
            raise soap.Fault("w:DestinationUnreachable", 2150858770,
                             f"The WS-Management service cannot process the request. The resource URI "
                             f"{req.resource_uri} is not supported by the lab (only the cmd shell is).")
        if req.action == soap.ACTION_CREATE:
            return f"{soap.TRANSFER}/CreateResponse", self._create(user, endpoint)
        shell = self._shell(req, user)
        if req.action == soap.ACTION_DELETE:
            with self._cond:
                self._shells.pop(shell.shell_id, None)
            return f"{soap.TRANSFER}/DeleteResponse", ""
        if req.action == soap.ACTION_COMMAND:
            return f"{soap.SHELL}/CommandResponse", self._command(shell, req)
        if req.action == soap.ACTION_SEND:
            return f"{soap.SHELL}/SendResponse", self._send(shell, req)
        if req.action == soap.ACTION_RECEIVE:
            return f"{soap.SHELL}/ReceiveResponse", self._receive(shell, req)
        if req.action == soap.ACTION_SIGNAL:
            return f"{soap.SHELL}/SignalResponse", self._signal(shell, req)
        raise soap.Fault("a:ActionNotSupported", 2150858770,
                         f"The action {req.action} is not supported by the service.")

    def _create(self, user: str, endpoint: str) -> str:
        with self._cond:
            if sum(1 for s in self._shells.values() if s.owner == user) >= MAX_SHELLS_PER_USER:
                raise soap.Fault("w:QuotaLimit", 2150859174,
                                 "The WS-Management service cannot process the request. This user is allowed a "
                                 f"maximum number of {MAX_SHELLS_PER_USER} concurrent shells, which has been "
                                 "exceeded. Close existing shells or raise the quota for this user.")
            shell_id = str(uuid.uuid4()).upper()
            self._shells[shell_id] = Shell(shell_id, user)
        return soap.created_body(endpoint, shell_id)

    def _shell(self, req: soap.Request, user: str) -> Shell:
        with self._cond:
            shell = self._shells.get(req.shell_id or "")
        if shell is None or shell.owner != user:
            raise soap.shell_not_found(req.shell_id or "")
        return shell

    def _command(self, shell: Shell, req: soap.Request) -> str:
        body = req.body
        command_text = body.findtext("rsp:Command", "", soap.NS) if body is not None else ""
        arguments = [a.text or "" for a in body.findall("rsp:Arguments", soap.NS)] if body is not None else []
        command_line = " ".join([command_text.strip(), *arguments]).strip()
        command = Command(str(uuid.uuid4()).upper())
        invocation = interpret(command_line, self.machine)
        if invocation.result is not None:
            command.result = invocation.result
        elif invocation.script_from_stdin or wants_stdin(invocation.script or ""):
            command.waiting_for_stdin = True
        else:
            self._start(command, invocation.script or "")
        with self._cond:
            shell.commands[command.command_id] = command
        return f"<rsp:CommandResponse><rsp:CommandId>{command.command_id}</rsp:CommandId></rsp:CommandResponse>"

    def _start(self, command: Command, script: str) -> None:
        """Run the script (exceptions, e.g. an injected fault, leave the command unstarted)."""
        command.result = self._run_script(script)
        command.ready_at = time.monotonic() + self._process_start()

    def _find_command(self, shell: Shell, command_id: str | None) -> Command:
        with self._cond:
            command = shell.commands.get(command_id or "")
        if command is None:
            raise soap.Fault("w:InvalidParameter", 2150858882,
                             f"The WS-Management service cannot process the request because the CommandId {command_id} "
                             "is not valid for this shell.")
        return command

    def _send(self, shell: Shell, req: soap.Request) -> str:
        stream = req.body.find("rsp:Stream", soap.NS) if req.body is not None else None
        if stream is None:
            raise soap.Fault("w:InvalidParameter", 2150858882, "The Send request has no stream.")
        command = self._find_command(shell, stream.get("CommandId"))
        command.stdin += base64.b64decode(stream.text or "")
        if stream.get("End", "false").lower() == "true" and command.waiting_for_stdin:
            # [Console]::In decodes with the OEM code page (437), as powershell.exe does.
            self._start(command, bytes(command.stdin).decode("cp437"))
            command.waiting_for_stdin = False
            with self._cond:
                self._cond.notify_all()
        return "<rsp:SendResponse/>"

    def _receive(self, shell: Shell, req: soap.Request) -> str:
        desired = req.body.find("rsp:DesiredStream", soap.NS) if req.body is not None else None
        command = self._find_command(shell, desired.get("CommandId") if desired is not None else None)
        deadline = time.monotonic() + req.operation_timeout
        with self._cond:
            while command.result is None or time.monotonic() < command.ready_at:
                now = time.monotonic()
                if now >= deadline:
                    raise soap.timed_out()
                wait_until = deadline if command.result is None else min(deadline, command.ready_at)
                self._cond.wait(wait_until - now)
        result = command.result
        budget = min(self._receive_budget, (req.max_envelope_size - 4096) * 3 // 4)
        chunks: list[tuple[str, str]] = []
        for name, data in (("stdout", result.stdout), ("stderr", result.stderr)):
            while command.sent[name] < len(data) and budget > 0:
                take = min(STREAM_ELEMENT_BYTES, budget, len(data) - command.sent[name])
                piece = data[command.sent[name]:command.sent[name] + take]
                chunks.append((name, base64.b64encode(piece).decode("ascii")))
                command.sent[name] += take
                budget -= take
        done = command.sent["stdout"] >= len(result.stdout) and command.sent["stderr"] >= len(result.stderr)
        return soap.receive_body(command.command_id, chunks, done, result.exit_code)

    def _signal(self, shell: Shell, req: soap.Request) -> str:
        command_id = req.body.get("CommandId") if req.body is not None else None
        with self._cond:
            shell.commands.pop(command_id or "", None)
        return "<rsp:SignalResponse/>"

