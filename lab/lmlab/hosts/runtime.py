"""A running simulated host: its model, lock, persistence, knobs and WinRM listeners."""

from __future__ import annotations

import socket
import ssl
import time
from typing import Any

from ..accounts import Accounts
from ..device import DeviceRuntime
from ..knobs import HOST_FAULTS, Knobs
from ..netserver import Acceptor
from ..store import StateStore
from .http import WsmanHandler
from .model import Host, validate_os
from .ops import ScriptResult, run_script
from .winrs import WinrsService

KIND = "hosts"


class HostRuntime(DeviceRuntime):
    """Owns one host's state; every mutation goes through :meth:`run_script`, :meth:`mutate` or
    :meth:`restart_vmms`."""

    allowed_faults = HOST_FAULTS

    def __init__(self, host: Host, store: StateStore, accounts: Accounts, knobs: Knobs) -> None:
        super().__init__(host.name, knobs)
        self.host = host
        self.store = store
        self.accounts = accounts
        self.winrs = WinrsService(host.name, self.run_script, lambda: self.knobs.process_start_ms / 1000.0)
        self.http_port = 0
        self.https_port = 0
        self._handlers = {
            tls: type("BoundWsmanHandler", (WsmanHandler,), {"runtime": self, "tls": tls}) for tls in (False, True)
        }

    def endpoint_url(self, tls: bool) -> str:
        """The URL clients use for this host's WinRM listener."""
        return f"https://127.0.0.1:{self.https_port}/wsman" if tls else f"http://127.0.0.1:{self.http_port}/wsman"

    def simulate_latency(self) -> None:
        """The latency knob: network and service time per request (simulation, not synchronisation)."""
        if self.knobs.latency_ms:
            time.sleep(self.knobs.latency_ms / 1000.0)

    def run_script(self, script: str) -> ScriptResult:
        """Run a script on the model under the host lock; persist when the state changed."""
        with self.lock:
            before = self.host.to_dict()
            result = run_script(self.host, script, self.knobs.progress_noise)
            if self.host.to_dict() != before:
                self.store.save(KIND, self.host.name, self.host.to_dict())
            return result

    def model(self) -> dict[str, Any]:
        """The host's whole state."""
        with self.lock:
            return self.host.to_dict()

    def mutate(self, data: dict[str, Any]) -> None:
        """Replace the state with ``data`` (drift and reset); validated before anything changes."""
        with self.lock:
            host = Host.from_dict(data)
            validate_os(host)
            host.settings_changed()
            self.host = host
            self.store.save(KIND, host.name, host.to_dict())

    def restart_vmms(self) -> None:
        """Restart-Service vmms: the listener list is rebuilt; persisted."""
        with self.lock:
            self.host.restart_vmms()
            self.store.save(KIND, self.host.name, self.host.to_dict())

    def listen(self, acceptor: Acceptor, tls_context: ssl.SSLContext, http_port: int = 0, https_port: int = 0) -> None:
        """Bind the HTTP (NTLM + encryption) and HTTPS (Basic) listeners."""
        self.http_port = acceptor.listen(http_port, lambda conn, peer: self._serve(conn, peer, None))
        self.https_port = acceptor.listen(https_port, lambda conn, peer: self._serve(conn, peer, tls_context))

    def _serve(self, conn: socket.socket, peer: tuple[str, int], tls_context: ssl.SSLContext | None) -> None:
        if tls_context is None:
            self._handlers[False](conn, peer, None)
            return
        try:
            tls_conn = tls_context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with tls_conn:
            self._handlers[True](tls_conn, peer, None)
