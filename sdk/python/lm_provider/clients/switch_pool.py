"""One SSH session (and client) per switch for the life of a provider process, shared by its resources."""

from __future__ import annotations

import threading

from ..models.switch_settings import SwitchSettings
from ..transports.ios import Backoff, IosSession
from .switch import SwitchClient


class SwitchPool:
    """Hands out the :class:`SwitchClient` of a switch and its settings; thread-safe, sessions reused."""

    def __init__(self, backoff: Backoff | None = None, reload_backoff: Backoff | None = None) -> None:
        self.backoff = backoff
        self.reload_backoff = reload_backoff
        self._clients: dict[tuple[str, SwitchSettings], SwitchClient] = {}
        self._lock = threading.Lock()

    def client(self, settings: SwitchSettings) -> SwitchClient:
        """The client of the switch reached with ``settings`` (a new session the first time)."""
        key = (settings.name.lower(), settings)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                session = IosSession(settings, self.backoff, self.reload_backoff)
                client = self._clients[key] = SwitchClient(session)
        return client

    def close(self) -> None:
        """Log out of every switch."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.session.close()
