"""How tests reach a running lab's hosts the way a stack would: WinRM settings and stack configuration."""

from __future__ import annotations

import json

from pulumi import automation as auto

from lm_provider.models.winrm import WinRmConfig
from lm_provider.resources.hosts import PooledConnector
from lmlab.testing import RunningLab


def winrm_endpoints(lab: RunningLab) -> dict[str, str]:
    """Host name -> the lab's HTTP (NTLM + message encryption) WinRM URL."""
    return {name: host["winrm_http"] for name, host in lab.endpoints["hosts"].items()}


def winrm_config(lab: RunningLab) -> WinRmConfig:
    """The lab's WinRM settings as the ``lm:winrm*`` configuration would give them."""
    return WinRmConfig(lab.endpoints["winrm_username"], lab.winrm_password, "ntlm", lab.endpoints["ca_file"],
                       tuple(sorted((k.lower(), v) for k, v in winrm_endpoints(lab).items())))


def connector(lab: RunningLab) -> PooledConnector:
    """A connector to every host of the lab (one pooled session per host)."""
    return PooledConnector(winrm_config(lab))


def stack_config(lab: RunningLab) -> dict[str, auto.ConfigValue]:
    """The ``lm:winrm*`` stack configuration for the lab (the password as a secret)."""
    return {
        "lm:winrmUsername": auto.ConfigValue(lab.endpoints["winrm_username"]),
        "lm:winrmPassword": auto.ConfigValue(lab.winrm_password, secret=True),
        "lm:winrmTransport": auto.ConfigValue("ntlm"),
        "lm:winrmCaFile": auto.ConfigValue(lab.endpoints["ca_file"]),
        "lm:winrmEndpoints": auto.ConfigValue(json.dumps(winrm_endpoints(lab))),
    }
