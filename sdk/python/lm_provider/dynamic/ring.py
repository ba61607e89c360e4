"""``MigrationRingTest`` for Pulumi programs. What it does is documented in
:mod:`lm_provider.resources.ring`; ``lm-provider test-migration`` (and
:func:`lm_provider.resources.ring.run_ring`) runs the same ring without a stack.

    MigrationRingTest("ring", subnet="10.160.35.0/24",
                      hosts=[{"host": "HV01", "fqdn": "HV01.corp.com", "address": "10.160.35.60"},
                             {"host": "HV02", "fqdn": "HV02.corp.com", "address": "10.160.35.61"}],
                      opts=pulumi.ResourceOptions(depends_on=[...every resource of the site...]))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from ..resources.hosts import HostConnector
from ..resources.ring import MigrationRingLogic
from .hosts import HostProvider
from .pathcheck import PathHostInput

OUTPUTS = ("passed", "pairs", "failures", "seconds")


class MigrationRingProvider(HostProvider):
    """The dynamic provider of :class:`MigrationRingTest`."""

    def build_host_logic(self, connector: HostConnector) -> MigrationRingLogic:
        """The logic over the WinRM connector."""
        return MigrationRingLogic(connector)


class MigrationRingTest(pulumi.dynamic.Resource, module="lm", name="MigrationRingTest"):
    """A throwaway VM moved (``Move-VM -IncludeStorage``, live, started over WinRM on each source as a
    remote Hyper-V Manager would) from each host to the next and home again, then removed.

    ``hosts`` in ring order (``host``, ``address`` = its migration address, ``fqdn``, optional
    ``winrm_endpoint``); ``subnet``: the migration subnet the traffic must use; ``storage_path``:
    where the probe's files live on every host (default ``C:\\ProgramData\\lm-provider\\probe``);
    ``name_form``: the destination name Move-VM is given (``fqdn``, default, or ``netbios``);
    ``triggers``: any change runs the ring again (e.g. the outputs of the site's resources).

    Create and update fail listing every failed move with Windows' error and what it means; a move
    whose traffic used another network than ``subnet`` fails too. User VMs are never touched (the
    probe is recognised by its Notes). Refresh runs nothing; destroy removes any leftover probe.
    """

    hosts: pulumi.Output[list[dict[str, Any]]]
    subnet: pulumi.Output[str]
    passed: pulumi.Output[bool]
    pairs: pulumi.Output[list[dict[str, Any]]]
    """Every move: ``source``, ``destination``, ``passed``, ``source_address``, ``destination_address``,
    ``network`` (``migration``/``other``/``unknown``), ``seconds``, ``error``, ``code``, ``explanation``."""
    failures: pulumi.Output[list[str]]
    seconds: pulumi.Output[float]
    """The whole ring's time."""

    def __init__(self, resource_name: str,
                 hosts: pulumi.Input[Sequence[pulumi.Input[PathHostInput | Mapping[str, Any]]]],
                 subnet: pulumi.Input[str], storage_path: pulumi.Input[str] | None = None,
                 name_form: pulumi.Input[str] | None = None,
                 triggers: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props: dict[str, Any] = dict.fromkeys(OUTPUTS)
        props.update(hosts=hosts, subnet=subnet, storage_path=storage_path, name_form=name_form, triggers=triggers)
        super().__init__(MigrationRingProvider(), resource_name, props, opts)
