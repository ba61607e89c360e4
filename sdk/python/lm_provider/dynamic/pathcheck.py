"""``JumboPathCheck`` for Pulumi programs: don't-fragment pings between the hosts' migration
addresses. What it does is documented in :mod:`lm_provider.resources.pathcheck`.

    check = JumboPathCheck("path", hosts=[{"host": "HV01", "address": "10.160.35.60", "switch": "SW01"},
                                          {"host": "HV02", "address": "10.160.35.61", "switch": "SW01"}],
                           switches=[{"name": "SW01", "pending_reload": sw01.pending_reload}],
                           opts=pulumi.ResourceOptions(depends_on=[nic01, nic02, sw01]))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import pulumi
import pulumi.dynamic

from ..resources.hosts import HostConnector
from ..resources.pathcheck import JumboPathCheckLogic
from .hosts import HostProvider

OUTPUTS = ("passed", "results", "failures", "pending_reloads")


class PathHostInput(TypedDict, total=False):
    """A host taking part: ``host`` and ``address`` required; ``switch`` (its migration adapter's
    switch), ``fqdn`` and ``winrm_endpoint`` optional."""

    host: pulumi.Input[str]
    address: pulumi.Input[str]
    switch: pulumi.Input[str]
    fqdn: pulumi.Input[str]
    winrm_endpoint: pulumi.Input[str]


class PathSwitchInput(TypedDict, total=False):
    """A switch on the path: ``name`` and ``pending_reload`` (SwitchJumboMtu's output)."""

    name: pulumi.Input[str]
    pending_reload: pulumi.Input[bool]


class JumboPathCheckProvider(HostProvider):
    """The dynamic provider of :class:`JumboPathCheck`."""

    def build_host_logic(self, connector: HostConnector) -> JumboPathCheckLogic:
        """The logic over the WinRM connector."""
        return JumboPathCheckLogic(connector)


class JumboPathCheck(pulumi.dynamic.Resource, module="lm", name="JumboPathCheck"):
    """Don't-fragment pings of ``size`` bytes (default 8972: a 9000-byte packet) from each host's
    migration address to every other host's, one WinRM invocation per host.

    Create and update fail listing every broken pair and why (ping.exe's answer read: the sender's
    adapter too small, a hop dropping the frame, an address not on the host), and every switch in
    ``switches`` with a reload pending: its configured jumbo MTU is not live yet, so the check
    fails whatever the pings say. ``pulumi refresh`` runs the check again and records a broken
    path (``passed`` false, ``failures``); the next ``up`` runs it again. Run it after the
    MigrationNics and SwitchJumboMtus (``depends_on``). Hosts are reached with the stack's
    ``lm:winrm*`` configuration.
    """

    hosts: pulumi.Output[list[dict[str, Any]]]
    switches: pulumi.Output[list[dict[str, Any]]]
    size: pulumi.Output[int]
    passed: pulumi.Output[bool]
    """Whether every pair passed and no reload was pending at the last run."""
    results: pulumi.Output[list[dict[str, Any]]]
    """Every pair: ``host``, ``source``, ``target``, ``passed``, ``reason``."""
    failures: pulumi.Output[list[str]]
    """The broken pairs and pending reloads, in words."""
    pending_reloads: pulumi.Output[list[str]]
    """The switches with a reload pending at the last run."""

    def __init__(self, resource_name: str,
                 hosts: pulumi.Input[Sequence[pulumi.Input[PathHostInput | Mapping[str, Any]]]],
                 switches: pulumi.Input[Sequence[pulumi.Input[PathSwitchInput | Mapping[str, Any]]]] | None = None,
                 size: pulumi.Input[int] | None = None, opts: pulumi.ResourceOptions | None = None) -> None:
        props: dict[str, Any] = {name: None for name in OUTPUTS}
        props.update(hosts=hosts, switches=switches, size=size)
        super().__init__(JumboPathCheckProvider(), resource_name, props, opts)
