"""A WinRM session per host: one pywinrm ``Protocol`` (connection and authentication) reused, and a
cmd shell per script, deleted when the script is done; thread-safe.

A shell kept for the life of a provider process would outlive it: the engine kills its plugins, so
nothing could delete the shell, and every run would leave one behind against the host's per-user
quota (``MaxShellsPerUser``, 30 on Windows Server 2012) until the idle time-out (2 hours). A shell
costs two WS-Management round trips per script, next to powershell.exe's start.

``run_powershell(script)`` runs a script with ``powershell.exe -NoProfile -NonInteractive
-ExecutionPolicy Bypass -EncodedCommand``; a script whose command line would pass cmd.exe's
8191-character limit goes over stdin behind a short bootstrap instead. Transient transport faults
(connection reset, HTTP 5xx, a WS-Management time-out outside Receive) are retried with backoff on
a fresh connection; a script that ran and failed is never retried here. pywinrm and requests errors
are mapped to :mod:`lm_provider.errors` and never carry the password.
"""

from __future__ import annotations

import base64
import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import requests
from winrm.exceptions import (
    InvalidCredentialsError,
    WinRMError,
    WinRMOperationTimeoutError,
    WinRMTransportError,
    WSManFaultError,
)
from winrm.protocol import Protocol

from ..errors import TransientError, TransportError
from ..models.winrm import WinRmSettings

CMD_LINE_LIMIT = 8191
POWERSHELL = "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "
STDIN_BOOTSTRAP = (
    "# lm-provider-op: stdin\n"
    "$ErrorActionPreference = 'Stop'\n"
    "$lmScript = [Console]::In.ReadToEnd()\n"
    "& ([ScriptBlock]::Create($lmScript))\n"
    "exit $LASTEXITCODE\n"
)
"""Runs the script that follows on stdin (ASCII, so code page 437 reads it unchanged)."""

SHELL_NOT_FOUND = 2150858843
"""WS-Management fault: the shell is gone (host restarted, idle time-out); a new shell fixes it."""

_LIBRARY_ERRORS = (WinRMError, WinRMTransportError, WinRMOperationTimeoutError, requests.RequestException, OSError)
"""Everything pywinrm and requests raise (pywinrm's transport errors do not share a base class)."""

_PYWINRM_TRANSPORT: dict[str, Literal["ntlm", "ssl", "kerberos"]] = {
    "ntlm": "ntlm", "https-basic": "ssl", "https-ntlm": "ntlm", "kerberos": "kerberos"}


@dataclass(frozen=True)
class CommandResult:
    """What a script produced: decoded stdout and stderr, and its exit code."""

    stdout: str
    stderr: str
    exit_code: int


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently transient faults are retried (delays in seconds, doubling)."""

    attempts: int = 4
    first_delay: float = 0.5
    max_delay: float = 8.0


def encoded_command(script: str) -> str:
    """The powershell.exe command line for ``script`` (base64 of UTF-16LE)."""
    return POWERSHELL + base64.b64encode(script.encode("utf-16-le")).decode("ascii")


class WinRmSession:
    """One host's WinRM connection, shared by every resource of that host in a process."""

    def __init__(self, name: str, settings: WinRmSettings, retry: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.name = name
        self.settings = settings
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._lock = threading.Lock()
        self._protocol: Protocol | None = None

    def _open(self) -> Protocol:
        if self._protocol is None:
            s = self.settings
            self._protocol = Protocol(
                s.endpoint, transport=_PYWINRM_TRANSPORT[s.transport], username=s.username, password=s.password,
                server_cert_validation="validate", ca_trust_path=s.ca_file or "legacy_requests",
                message_encryption="auto", read_timeout_sec=int(s.operation_timeout) + 10,
                operation_timeout_sec=min(int(s.operation_timeout), 60))
        return self._protocol

    def _discard(self) -> None:
        """Forget the connection after a fault (the next call opens a new one)."""
        self._protocol = None

    def run_powershell(self, script: str, operation: str = "script") -> CommandResult:
        """Run ``script``; retries transient faults; TransportError when the host cannot be reached."""
        delay = self.retry.first_delay
        for attempt in range(1, self.retry.attempts + 1):
            try:
                with self._lock:
                    return self._run_once(script)
            except TransientError:
                with self._lock:
                    self._discard()
                if attempt == self.retry.attempts:
                    raise
                self._sleep(delay)
                delay = min(delay * 2, self.retry.max_delay)
            except TransportError:
                with self._lock:
                    self._discard()
                raise
        raise AssertionError("unreachable")

    def _run_once(self, script: str) -> CommandResult:
        try:
            protocol = self._open()
            shell_id = protocol.open_shell(codepage=437)
            try:
                stdout, stderr, code = self._command(protocol, shell_id, script)
            finally:
                # The shell may be gone with its connection; the host's idle time-out then removes it.
                with contextlib.suppress(*_LIBRARY_ERRORS):
                    protocol.close_shell(shell_id)
        except _LIBRARY_ERRORS as exc:
            raise self._mapped(exc) from None
        return CommandResult(stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), code)

    def _command(self, protocol: Protocol, shell_id: str, script: str) -> tuple[bytes, bytes, int]:
        """Run ``script`` in the shell: on the command line, or over stdin past cmd.exe's limit."""
        command_line = encoded_command(script)
        use_stdin = len(command_line) > CMD_LINE_LIMIT
        if use_stdin:
            command_line = encoded_command(STDIN_BOOTSTRAP)
        command_id = protocol.run_command(shell_id, command_line)
        try:
            if use_stdin:
                protocol.send_command_input(shell_id, command_id, script.encode("ascii"), end=True)
            return self._collect(protocol, shell_id, command_id)
        finally:
            protocol.cleanup_command(shell_id, command_id)

    def _collect(self, protocol: Protocol, shell_id: str, command_id: str) -> tuple[bytes, bytes, int]:
        """Receive until done; WS-Man time-outs here only mean "still running", up to the deadline."""
        deadline = time.monotonic() + self.settings.operation_timeout
        out: list[bytes] = []
        err: list[bytes] = []
        while True:
            try:
                stdout, stderr, code, done = protocol.get_command_output_raw(shell_id, command_id)
            except WinRMOperationTimeoutError:
                if time.monotonic() > deadline:
                    raise TransportError(self.name, "receive", f"the script did not finish within "
                                         f"{self.settings.operation_timeout:g} s") from None
                continue
            out.append(stdout)
            err.append(stderr)
            if done:
                return b"".join(out), b"".join(err), code

    def _mapped(self, exc: Exception) -> TransportError:
        where = self.settings.endpoint
        if isinstance(exc, InvalidCredentialsError):
            return TransportError(self.name, "authenticate", f"{where} refused the credentials of "
                                  f"{self.settings.username} ({self.settings.transport})")
        if isinstance(exc, requests.exceptions.SSLError):
            return TransportError(self.name, "connect", f"TLS verification of {where} failed: "
                                  "check lm:winrmCaFile and the certificate's names")
        if isinstance(exc, WinRMOperationTimeoutError):
            return TransientError(self.name, "wsman", f"{where} answered with a WS-Management time-out")
        if isinstance(exc, WSManFaultError) and exc.wsman_fault_code == SHELL_NOT_FOUND:
            return TransientError(self.name, "wsman", f"{where}: the shell is gone")
        if isinstance(exc, WSManFaultError):
            return TransportError(self.name, "wsman", f"{where}: {exc.reason} (fault {exc.wsman_fault_code})")
        if isinstance(exc, WinRMTransportError) and exc.code >= 500:
            return TransientError(self.name, "http", f"{where} answered HTTP {exc.code}")
        if isinstance(exc, (requests.ConnectionError, requests.Timeout, ConnectionError)):
            return TransientError(self.name, "connect", f"{where}: connection failed or was reset")
        return TransportError(self.name, "wsman", f"{where}: {type(exc).__name__}")

    def close(self) -> None:
        """Forget the connection (no shell outlives a script)."""
        with self._lock:
            self._discard()
