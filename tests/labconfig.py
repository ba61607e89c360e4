"""How tests reach a running lab as lm-provider users would: WinRM settings for the SDK's connector,
and the ``lm:winrm*`` stack configuration for programs run through the real engine."""

from __future__ import annotations

import json

from pulumi import automation as auto

from lm_provider.clients.pool import HostPool
from lm_provider.models.winrm import WinRmConfig
from lm_provider.resources.hosts import PooledConnector
from lm_provider.transports.winrm import RetryPolicy
from lmlab.testing import RunningLab


def endpoints(lab: RunningLab) -> dict[str, str]:
    """Host name -> its WinRM HTTP endpoint (NTLM with message encryption)."""
    return {name: lab.host_endpoint(name) for name in lab.endpoints["hosts"]}


def winrm_config(lab: RunningLab) -> WinRmConfig:
    """The stack configuration's WinRM settings for the lab, as a WinRmConfig."""
    return WinRmConfig(lab.endpoints["winrm_username"], lab.winrm_password, "ntlm", lab.endpoints["ca_file"],
                       tuple(sorted((k.lower(), v) for k, v in endpoints(lab).items())), operation_timeout=60)


def connector(lab: RunningLab) -> PooledConnector:
    """A connector over the lab (transient faults retried without waiting)."""
    return PooledConnector(winrm_config(lab), HostPool(RetryPolicy(attempts=3, first_delay=0.0)))


def stack_config(lab: RunningLab) -> dict[str, auto.ConfigValue]:
    """The ``lm:winrm*`` stack configuration for the lab (the password as a secret)."""
    return {
        "lm:winrmUsername": auto.ConfigValue(lab.endpoints["winrm_username"]),
        "lm:winrmPassword": auto.ConfigValue(lab.winrm_password, secret=True),
        "lm:winrmTransport": auto.ConfigValue("ntlm"),
        "lm:winrmCaFile": auto.ConfigValue(lab.endpoints["ca_file"]),
        "lm:winrmEndpoints": auto.ConfigValue(json.dumps(endpoints(lab))),
    }
