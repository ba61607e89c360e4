"""Opt-in runs against a real Windows Server (pytest marker ``real_host``), like moto's
``aws_verified``: the same resource logic, scripts and WinRM transport the lab tests drive, on a
host given by the environment.

    LM_REAL_HOST_ENDPOINT   its WinRM URL (http://hv1.corp.com:5985/wsman or https://...:5986/wsman)
    LM_REAL_HOST_USERNAME   CORP\\admin (a local administrator of the host)
    LM_REAL_HOST_PASSWORD   its password (read from the environment only, never logged)
    LM_REAL_HOST_NAME       the computer name (default: the endpoint's first label)
    LM_REAL_HOST_TRANSPORT  ntlm (default), https-basic, https-ntlm or kerberos
    LM_REAL_HOST_CA_FILE    the CA bundle of its HTTPS certificate (default: the system's)

Without the first three every ``real_host`` test is skipped (and reported as skipped, never as
passed): ``pytest -m real_host -rs``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest

from lm_provider.clients.pool import HostPool
from lm_provider.models.winrm import WinRmConfig
from lm_provider.resources.hosts import PooledConnector

REQUIRED = ("LM_REAL_HOST_ENDPOINT", "LM_REAL_HOST_USERNAME", "LM_REAL_HOST_PASSWORD")


@dataclass(frozen=True)
class RealHost:
    """The real host named by the environment and a connector to it."""

    name: str
    endpoint: str
    connector: PooledConnector

    @staticmethod
    def setting(key: str) -> str:
        """An optional ``LM_REAL_HOST_<KEY>`` setting; skips the test when it is not set."""
        value = os.environ.get(f"LM_REAL_HOST_{key}")
        if not value:
            pytest.skip(f"set LM_REAL_HOST_{key} to run this test against the real host")
        return value


def real_host() -> RealHost:
    """The real host from the environment; skips the calling test when it is not configured."""
    missing = [k for k in REQUIRED if not os.environ.get(k)]
    if missing:
        pytest.skip(f"real_host: set {', '.join(missing)} to run against a real Windows Server")
    endpoint = os.environ["LM_REAL_HOST_ENDPOINT"]
    name = os.environ.get("LM_REAL_HOST_NAME") or (urlparse(endpoint).hostname or "").split(".")[0].upper()
    config = WinRmConfig(os.environ["LM_REAL_HOST_USERNAME"], os.environ["LM_REAL_HOST_PASSWORD"],
                         os.environ.get("LM_REAL_HOST_TRANSPORT", "ntlm"), os.environ.get("LM_REAL_HOST_CA_FILE"),
                         ((name.lower(), endpoint),))
    return RealHost(name, endpoint, PooledConnector(config, HostPool()))
