"""A running simulated host: its model, lock, persistence, knobs, call counts and WinRM listeners."""

from __future__ import annotations

import contextlib
import copy
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

from ..accounts import Accounts
from ..device import DeviceRuntime
from ..knobs import HOST_FAULTS, Knobs
from ..netserver import Acceptor
from ..store import StateStore
from .http import InjectedFault, WsmanHandler
from .model import Host, VirtualMachine
from .ops import REGISTRY, OpRegistry, ScriptResult, execute, script_label
from .ops.context import OpContext
from .winrs import WinrsService

KIND = "hosts"


class HostRuntime(DeviceRuntime):
    """Owns one host's state; every mutation goes through :meth:`run_script`, :meth:`mutate` or
    :meth:`restart_vmms`, and only a model that validates is ever kept or persisted."""

    allowed_faults = HOST_FAULTS

    def __init__(self, host: Host, store: StateStore, accounts: Accounts, knobs: Knobs,
                 registry: OpRegistry = REGISTRY) -> None:
        self.registry = registry
        super().__init__(host.name, knobs)
        self.host = host
        self.store = store
        self.accounts = accounts
        self.winrs = WinrsService(host.name, self.run_script, lambda: self.knobs.process_start_ms / 1000.0)
        self.http_port = 0
        self.https_port = 0
        self.context = OpContext()
        """What ops see beyond this host (the server sets the lab's network once every device exists)."""
        self.lab_lock = threading.RLock()
        """Taken before :attr:`lock` by ops that change another host (the server shares one lab-wide)."""
        self._handlers = {
            tls: type("BoundWsmanHandler", (WsmanHandler,), {"backend": self, "tls": tls}) for tls in (False, True)
        }

    def drop_sessions(self) -> None:
        """Close every WinRM shell (``lmlab reset``): the 30-shell quota starts afresh."""
        self.winrs.close_all()

    def fault_ops(self) -> tuple[str, ...]:
        """The ops a fault can target (``fault_op``)."""
        return self.registry.names()

    def endpoint_url(self, tls: bool) -> str:
        """The URL clients use for this host's WinRM listener."""
        return f"https://127.0.0.1:{self.https_port}/wsman" if tls else f"http://127.0.0.1:{self.http_port}/wsman"

    def simulate_latency(self) -> None:
        """The latency knob: network and service time per request (simulation, not synchronisation)."""
        if self.knobs.latency_ms:
            time.sleep(self.knobs.latency_ms / 1000.0)

    def request_fault(self) -> str | None:
        """An untargeted fault counts every HTTP request; a fault aimed at an op waits for its script."""
        return self.faults.next_fault()

    def run_script(self, script: str) -> ScriptResult:
        """Run a script: a fault aimed at its op fails the request before the op runs (InjectedFault);
        otherwise the op runs on a copy, and a changed, validated model is persisted and swapped in.
        Every script that ran is counted (op, changing)."""
        if self.faults.targeted:
            fault = self.faults.next_fault(script_label(script))
            if fault is not None:
                raise InjectedFault(fault)
        spec = self.registry.get(script_label(script))
        cross_host = self.lab_lock if spec is not None and spec.cross_host else contextlib.nullcontext()
        with cross_host, self.lock:
            outcome = execute(self.registry, self.host, script, self.knobs.progress_noise, self.context)
            if outcome.host is not None:
                self.store.save(KIND, self.name, outcome.host.to_dict())
                self.host = outcome.host
            self.calls.record(outcome.op, changing=outcome.host is not None)
            return outcome.result

    def model(self) -> dict[str, Any]:
        """The host's whole state."""
        with self.lock:
            return self.host.to_dict()

    def mutate(self, data: dict[str, Any]) -> None:
        """Replace the state with ``data`` (drift and reset): converted and validated before anything
        changes (ModelError names the bad path), listeners refreshed, persisted."""
        host = Host.from_dict(data)
        host.validate()
        host.settings_changed()
        with self.lock:
            self.store.save(KIND, host.name, host.to_dict())
            self.host = host

    def change(self, edit: Callable[[Host], None]) -> None:
        """Apply ``edit`` to a copy under the lock; the copy is validated (ModelError), persisted and
        swapped in (the server's changes: a migrated VM arriving, a boot's ticket cache)."""
        with self.lock:
            host = copy.deepcopy(self.host)
            edit(host)
            host.validate()
            self.store.save(KIND, host.name, host.to_dict())
            self.host = host

    def receive_vm(self, vm: VirtualMachine) -> None:
        """A migrated VM arrives (see :meth:`change`)."""
        self.change(lambda host: host.vms.append(vm))

    def find_copy(self) -> Host:
        """A copy of the current model (for another host's op)."""
        with self.lock:
            return copy.deepcopy(self.host)

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
