"""Opt-in runs against a real Windows Server (pytest marker ``real_host``), like moto's
``aws_verified``: the same resource logic the lab tests drive, on a host given by the environment.

    LM_REAL_HOST_ENDPOINT   its WinRM URL (http://hv1.corp.com:5985/wsman or https://...:5986/wsman)
    LM_REAL_HOST_USERNAME   CORP\\admin (a local administrator of the host)
    LM_REAL_HOST_PASSWORD   its password (read from the environment only, never logged)
    LM_REAL_HOST_NAME       the computer name (default REALHOST; only labels the session)
    LM_REAL_HOST_TRANSPORT  ntlm (default), https-basic, https-ntlm or kerberos
    LM_REAL_HOST_CA_FILE    the CA bundle of its HTTPS certificate (default: the system's)

Without the first three the tests are skipped (and reported as skipped): ``pytest -m real_host -rs``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

from lm_provider.models.winrm import WinRmConfig
from lm_provider.resources.hosts import PooledConnector

REQUIRED = ("LM_REAL_HOST_ENDPOINT", "LM_REAL_HOST_USERNAME", "LM_REAL_HOST_PASSWORD")


@dataclass(frozen=True)
class RealHost:
    """A real host from the environment."""

    name: str
    endpoint: str
    username: str
    password: str = field(repr=False)
    transport: str = "ntlm"
    ca_file: str | None = None

    def connector(self) -> PooledConnector:
        """A connector whose configuration reaches this host."""
        return PooledConnector(WinRmConfig(self.username, self.password, self.transport, self.ca_file,
                                           ((self.name.lower(), self.endpoint),)))


def real_host() -> RealHost:
    """The configured host; skips the calling test when the environment does not name one."""
    missing = [key for key in REQUIRED if not os.environ.get(key)]
    if missing:
        pytest.skip(f"real_host: set {', '.join(missing)} to run against a real Windows Server")
    return RealHost(os.environ.get("LM_REAL_HOST_NAME", "REALHOST"), os.environ["LM_REAL_HOST_ENDPOINT"],
                    os.environ["LM_REAL_HOST_USERNAME"], os.environ["LM_REAL_HOST_PASSWORD"],
                    os.environ.get("LM_REAL_HOST_TRANSPORT", "ntlm"), os.environ.get("LM_REAL_HOST_CA_FILE"))
