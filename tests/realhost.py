"""Opt-in runs against a real Windows Server (marker ``real_host``): the same resource logic, scripts
and WinRM transport as against the lab, reached with settings from the environment.

- ``LM_REAL_HOST_ENDPOINT`` (``https://hv01.corp.com:5986/wsman``), ``LM_REAL_HOST_USERNAME``,
  ``LM_REAL_HOST_PASSWORD``; optional ``LM_REAL_HOST_TRANSPORT`` (default ``https-ntlm``),
  ``LM_REAL_HOST_CA_FILE``, ``LM_REAL_HOST_NAME`` (default: the endpoint's first label).

Without them every ``real_host`` test is skipped (and reported as skipped, never as passed).
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
        pytest.skip(f"no real Windows host configured (set {', '.join(missing)})")
    endpoint = os.environ["LM_REAL_HOST_ENDPOINT"]
    name = os.environ.get("LM_REAL_HOST_NAME") or (urlparse(endpoint).hostname or "").split(".")[0].upper()
    config = WinRmConfig(os.environ["LM_REAL_HOST_USERNAME"], os.environ["LM_REAL_HOST_PASSWORD"],
                         os.environ.get("LM_REAL_HOST_TRANSPORT", "https-ntlm"), os.environ.get("LM_REAL_HOST_CA_FILE"),
                         ((name.lower(), endpoint),))
    return RealHost(name, PooledConnector(config, HostPool()))
