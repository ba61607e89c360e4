"""A whole fabric from stack configuration, and its summary as readable stack outputs.

    import pulumi
    from lm_provider import export_fabric_summary, fabric_from_config

    fabric = fabric_from_config()          # lm-fabric:subnet, :hosts, :switches, ... of this stack
    export_fabric_summary(fabric)          # ready, hosts, pathCheck, pendingReloads

The keys are documented in :mod:`lm_provider.models.fabric_config`.
"""

from __future__ import annotations

import pulumi

from ..errors import FabricConfigError
from ..models.fabric_config import CONFIG_KEYS, config_path, read_fabric_config
from ..models.fabric_report import readable_outputs
from .fabric import LiveMigrationFabric


class StackConfigError(FabricConfigError, pulumi.RunError):
    """The stack's configuration does not describe a valid fabric: every problem named by its key
    (a ``pulumi.RunError``, so ``pulumi up`` shows the message without a traceback)."""


def fabric_from_config(resource_name: str | None = None, namespace: str | None = None,
                       opts: pulumi.ResourceOptions | None = None) -> LiveMigrationFabric:
    """The LiveMigrationFabric the stack's configuration describes (``namespace``: default the
    project's), named ``resource_name`` (default: the stack's name).

    Raises StackConfigError listing every problem by its key (``lm-fabric:hosts[1].address: ...``)
    before any resource is registered.
    """
    config = pulumi.Config(namespace)
    raw = {key: value for key in CONFIG_KEYS if (value := config.get(key)) is not None}
    try:
        described = read_fabric_config(raw, config.name)
    except FabricConfigError as exc:
        raise StackConfigError(exc.problems) from None
    try:
        return LiveMigrationFabric(resource_name or pulumi.get_stack(), described.subnet, described.hosts,
                                   described.switches, **described.options, opts=opts)
    except FabricConfigError as exc:
        raise StackConfigError([config_path(p, config.name) for p in exc.problems]) from None


def export_fabric_summary(fabric: LiveMigrationFabric) -> None:
    """Export the fabric's readiness as stack outputs a person reads: ``ready``, ``hosts`` (one line
    per host: ready and where vmms listens, or why not), ``pathCheck``, ``pendingReloads``,
    ``ticketPurges`` (per host: purges run) and ``migrationTest`` (``off``, or every move's result)."""
    outputs = pulumi.Output.all(fabric.summary, fabric.hosts).apply(lambda v: readable_outputs(v[0], v[1]))
    for key in ("ready", "hosts", "pathCheck", "pendingReloads", "ticketPurges", "migrationTest"):
        pulumi.export(key, outputs[key])
