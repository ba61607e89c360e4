"""How switch resources get a client for their switch: a connector built once per provider process
from the stack's ``lm:switch*`` configuration, with a pool of sessions (one per switch)."""

from __future__ import annotations

from typing import Protocol

from ..clients.switch import SwitchClient
from ..clients.switch_pool import SwitchPool
from ..models.switch_settings import SwitchConfig


class SwitchConnector(Protocol):
    """Gives the client of a switch."""

    def __call__(self, switch: str) -> SwitchClient:
        """The client for ``switch`` (logged in lazily, on its first command)."""
        ...


class PooledSwitchConnector:
    """A :class:`SwitchConnector` over the stack's switch configuration and a session pool."""

    def __init__(self, config: SwitchConfig, pool: SwitchPool | None = None) -> None:
        self.config = config
        self.pool = pool or SwitchPool()

    def __call__(self, switch: str) -> SwitchClient:
        """Settings from the configuration (ConfigurationError names what is missing)."""
        return self.pool.client(self.config.for_switch(switch))
