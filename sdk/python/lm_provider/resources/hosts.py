"""How host resources get a client for their host: a connector built once per provider process
from the stack's WinRM configuration, with a pool of sessions (one connection per host)."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from ..clients.host import HostClient
from ..clients.pool import HostPool
from ..models.host_target import HostTarget
from ..models.winrm import WinRmConfig


class HostConnector(Protocol):
    """Gives the client of a target host."""

    def __call__(self, target: HostTarget) -> HostClient:
        """The client for ``target`` (connected lazily, on its first op)."""
        ...


class PooledConnector:
    """A :class:`HostConnector` over the stack's WinRM configuration and a session pool."""

    def __init__(self, config: WinRmConfig, pool: HostPool | None = None) -> None:
        self.config = config
        self.pool = pool or HostPool()

    def __call__(self, target: HostTarget) -> HostClient:
        """Settings from the configuration, overridden by the target's own endpoint/credentials."""
        config = replace(self.config, username=target.winrm_username or self.config.username,
                         password=target.winrm_password if target.winrm_password is not None else self.config.password)
        settings = config.for_host(target.host, target.fqdn)
        if target.winrm_endpoint:
            settings = replace(settings, endpoint=target.winrm_endpoint)
        return self.pool.client(target.host, settings)
