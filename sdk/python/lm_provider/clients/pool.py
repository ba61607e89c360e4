"""One WinRM session (connection) per host for the life of a provider process, shared by its resources."""

from __future__ import annotations

import threading

from ..models.winrm import WinRmSettings
from ..transports.winrm import RetryPolicy, WinRmSession
from .host import HostClient


class HostPool:
    """Hands out a :class:`HostClient` per host and settings; thread-safe, sessions reused."""

    def __init__(self, retry: RetryPolicy | None = None) -> None:
        self.retry = retry
        self._sessions: dict[tuple[str, WinRmSettings], WinRmSession] = {}
        self._lock = threading.Lock()

    def client(self, name: str, settings: WinRmSettings) -> HostClient:
        """The client of host ``name`` reached with ``settings`` (a new session the first time)."""
        key = (name.lower(), settings)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                session = self._sessions[key] = WinRmSession(name, settings, self.retry)
        return HostClient(session)

    def close(self) -> None:
        """Close every session."""
        with self._lock:
            sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            session.close()
