"""A running simulated switch: an asyncssh server speaking the IOS CLI, with a persistent host key.

All switches share one asyncio loop (a thread of the lab process). While a switch reloads its
listener is closed, so clients get "connection refused" until ``reload_seconds`` have passed.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, cast

import asyncssh
from asyncssh.editor import SSHLineEditorChannel

from ..device import DeviceRuntime
from ..knobs import SWITCH_FAULTS, Knobs
from ..store import StateStore
from .ios import IosSession, SessionEnd
from .model import Switch

KIND = "switches"


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    """The switch's SSH host key, generated once (ed25519) and kept in the lab directory."""
    if path.exists():
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    key.write_private_key(str(path))
    path.chmod(0o600)
    return key


class SwitchRuntime(DeviceRuntime):
    """Owns one switch's state, its SSH listener and its knobs."""

    allowed_faults = SWITCH_FAULTS

    def __init__(self, switch: Switch, store: StateStore, credentials: dict[str, str], key_path: Path,
                 knobs: Knobs) -> None:
        super().__init__(switch.name, knobs)
        self.switch = switch
        self.store = store
        self.credentials = credentials
        self.host_key = load_or_create_host_key(key_path)
        self.port = 0
        self.sessions = 0
        self._listener: asyncssh.SSHAcceptor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reopen: asyncio.TimerHandle | None = None

    def public_key_line(self) -> str:
        """This switch's known_hosts line."""
        return f"[127.0.0.1]:{self.port} {self.host_key.export_public_key().decode().strip()}"

    def save(self) -> None:
        """Persist the state (called after every change, under the lock)."""
        self.store.save(KIND, self.switch.name, self.switch.to_dict())

    def model(self) -> dict[str, Any]:
        """The switch's whole state."""
        with self.lock:
            return self.switch.to_dict()

    def mutate(self, data: dict[str, Any]) -> None:
        """Replace the state (drift, reset); a switch no longer reloading is reachable at once."""
        with self.lock:
            self.switch = Switch.from_dict(data)
            self.save()
        if self._loop is not None and not self.switch.reloading_until:
            asyncio.run_coroutine_threadsafe(self._reopen_now(), self._loop).result()

    async def _reopen_now(self) -> None:
        if self._reopen is not None:
            self._reopen.cancel()
            self._reopen = None
        if self._listener is None:
            await self._open(self.port)

    async def listen(self, port: int) -> None:
        """Open the SSH listener (or schedule it, if the switch is still reloading)."""
        self._loop = asyncio.get_running_loop()
        remaining = self.switch.reloading_until - time.time() if self.switch.reloading_until else 0
        if remaining > 0:
            self.port = port
            self._reopen = self._loop.call_later(remaining, lambda: asyncio.ensure_future(self._open(port)))
            return
        await self._open(port)

    async def _open(self, port: int) -> None:
        self._reopen = None
        with self.lock:
            self.switch.is_reloading()  # finishes a reload whose time has come
            self.save()
        runtime = self

        class Server(asyncssh.SSHServer):
            def begin_auth(self, username: str) -> bool:
                return True

            def password_auth_supported(self) -> bool:
                return True

            def validate_password(self, username: str, password: str) -> bool:
                if runtime.knobs.fault == "refuse-login" and runtime.faults.next_fault():
                    return False
                return username == runtime.credentials["username"] and password == runtime.credentials["password"]

        self._listener = await asyncssh.create_server(
            Server, "127.0.0.1", port, server_host_keys=[self.host_key], process_factory=self._session,
            line_editor=True, line_echo=True, keepalive_interval=0, reuse_address=True)
        self.port = self._listener.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Close the listener (sessions end with the loop)."""
        if self._listener is not None:
            self._listener.close()
            await self._listener.wait_closed()
            self._listener = None

    def _reload_now(self) -> None:
        """The session confirmed `reload`: drop the listener, reopen after the downtime."""
        assert self._loop is not None
        self._loop.create_task(self.close())
        self._reopen = self._loop.call_later(self.switch.reload_seconds,
                                             lambda: asyncio.ensure_future(self._open(self.port)))

    async def _session(self, process: asyncssh.SSHServerProcess[str]) -> None:
        self.sessions += 1
        session = IosSession(self.switch, self.credentials["enable_secret"], self.save, self.calls.record)
        process.stdout.write(f"\r\n{session.prompt}")
        try:
            while True:
                try:
                    line = await process.stdin.readline()
                except (asyncssh.BreakReceived, asyncssh.TerminalSizeChanged):
                    continue
                if not line:
                    break
                if self.knobs.latency_ms:
                    await asyncio.sleep(self.knobs.latency_ms / 1000.0)
                if self.knobs.fault == "drop" and self.faults.next_fault():
                    process.channel.get_connection().abort()
                    return
                with self.lock:
                    session.switch = self.switch
                    try:
                        output = session.feed(line.rstrip("\r\n"))
                    except SessionEnd:
                        reloading = self.switch.reloading_until > 0
                        process.exit(0)
                        if reloading:
                            process.channel.get_connection().close()
                            self._reload_now()
                        return
                cast(SSHLineEditorChannel, process.channel).set_echo(session.echo)  # line_editor=True
                text = (output + "\n" if output else "") + session.prompt
                process.stdout.write(text.replace("\n", "\r\n"))
        except (asyncssh.ConnectionLost, BrokenPipeError, asyncssh.DisconnectError):
            return
        finally:
            self.sessions -= 1
        process.exit(0)
