"""What every host resource's adapter shares: the WinRM connector from stack configuration, and
the target inputs (``host``, ``fqdn``, per-resource WinRM overrides, the password kept secret)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pulumi

from ..clients.pool import HostPool
from ..models.winrm import WinRmConfig
from ..resources.base import ResourceLogic
from ..resources.hosts import HostConnector, PooledConnector
from .adapter import ConfigGetter, LogicProvider

SECRET_OUTPUTS = ["winrm_password"]
"""Outputs always stored encrypted (pass as ``additional_secret_outputs``)."""


PROCESS_POOL = HostPool()
"""The provider process's one WinRM session pool: one connection per host, whatever the resource
types (each script gets its own shell, deleted when it is done)."""


class HostProvider(LogicProvider):
    """A dynamic provider of a host resource; subclasses build their logic over a connector."""

    def build_host_logic(self, connector: HostConnector) -> ResourceLogic[Any, Any]:
        """The resource's logic over ``connector``."""
        raise NotImplementedError

    def build_logic(self, config: ConfigGetter) -> ResourceLogic[Any, Any]:
        """A connector from the ``lm:winrm*`` keys (credentials checked when first used)."""
        return self.build_host_logic(PooledConnector(WinRmConfig.from_config(config), PROCESS_POOL))


def target_props(host: pulumi.Input[str], fqdn: pulumi.Input[str] | None,
                 winrm_endpoint: pulumi.Input[str] | None, winrm_username: pulumi.Input[str] | None,
                 winrm_password: pulumi.Input[str] | None) -> dict[str, Any]:
    """The target inputs of a host resource; a password override is always made a secret."""
    return {
        "host": host, "fqdn": fqdn, "winrm_endpoint": winrm_endpoint, "winrm_username": winrm_username,
        "winrm_password": None if winrm_password is None else pulumi.Output.secret(winrm_password),
    }


def host_props(outputs: Iterable[str], target: Mapping[str, Any], **inputs: Any) -> dict[str, Any]:
    """A host resource's property map: its outputs (unset until the provider fills them), the target
    inputs (from :func:`target_props`) and its own inputs."""
    return {**dict.fromkeys(outputs), **target, **inputs}


def host_options(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """``opts`` with :data:`SECRET_OUTPUTS` added: a password override is never stored in plain text."""
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=SECRET_OUTPUTS))
