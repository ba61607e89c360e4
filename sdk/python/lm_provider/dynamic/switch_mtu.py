"""``SwitchJumboMtu`` for Pulumi programs: the jumbo MTU of a Cisco Catalyst switch over SSH.

Switches are reached with the ``lm:switch*`` / ``lm:switches`` stack configuration (see
:mod:`lm_provider.models.switch_settings`); passwords are config secrets read by the provider host
in ``configure()`` and never stored in state. What the resource does is documented in
:mod:`lm_provider.resources.switch_mtu`.

A pending reload reaches the engine's log this way: the provider puts it in the ``warnings``
output (a dynamic provider has no channel to the engine's log of its own), and the resource
object, in the program, logs every warning with ``pulumi.log.warn`` once the output is known (as
a diagnostic of the stack; each warning names its switch).
During ``preview`` that is the case for a resource without changes (its outputs come from the
state), so a no-op ``preview``/``up`` says plainly that a reload is pending; for a resource that
will change, the outputs are unknown until the change is made, so ``up`` says it but ``preview``
cannot.

    SwitchJumboMtu("sw01-jumbo", switch="KOM-SW01", mtu=9000)                    # reload: never
    SwitchJumboMtu("c9300-jumbo", switch="LAB-C9300", mtu=9198, platform="ios-xe", reload="if-needed")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from ..models.switch_settings import SwitchConfig
from ..resources.switch_mtu import SwitchJumboMtuLogic
from ..resources.switches import PooledSwitchConnector
from .adapter import ConfigGetter, LogicProvider

OUTPUTS = ("detected_platform", "model", "configured_mtu", "operational_mtu", "saved_mtu", "pending_reload",
           "pending_recorded", "interface_mtus", "found_mtu", "warnings")


class SwitchJumboMtuProvider(LogicProvider):
    """The dynamic provider of :class:`SwitchJumboMtu`: SSH sessions from the ``lm:switch*`` keys."""

    def build_logic(self, config: ConfigGetter) -> SwitchJumboMtuLogic:
        """The logic over a pooled connector (credentials are checked when a switch is first used)."""
        return SwitchJumboMtuLogic(PooledSwitchConnector(SwitchConfig.from_config(config)))


class SwitchJumboMtu(pulumi.dynamic.Resource, module="lm", name="SwitchJumboMtu"):
    """The jumbo (system) MTU of one Cisco Catalyst switch, with the reload it may need.

    Inputs: ``switch`` (its name in ``lm:switches``, or a DNS name; changing it replaces), ``mtu``,
    ``platform`` (``classic``: Catalyst 3560/3750, ``system mtu jumbo`` 1500-9000, live after a
    reload; ``ios-xe``: Catalyst 9000, ``system mtu`` 1500-9198, live at once, saved; detected from
    ``show version`` when not given), ``reload`` (``never``, the default: a needed reload is left
    pending and reported; ``if-needed``: the switch is reloaded when the value is not live),
    ``interfaces`` (ports whose MTU to report, e.g. those facing the Hyper-V hosts).
    """

    switch: pulumi.Output[str]
    mtu: pulumi.Output[int]
    platform: pulumi.Output[str | None]
    reload: pulumi.Output[str]
    interfaces: pulumi.Output[list[str]]
    detected_platform: pulumi.Output[str]
    """``classic`` or ``ios-xe``: the platform in effect."""
    model: pulumi.Output[str]
    """The model number from ``show version``."""
    configured_mtu: pulumi.Output[int]
    """What the switch is set to run (classic: the NVRAM value; IOS-XE: the running-config)."""
    operational_mtu: pulumi.Output[int]
    """What the switch runs now."""
    saved_mtu: pulumi.Output[int]
    """What the switch comes back with after a reload (IOS-XE: the startup-config)."""
    pending_reload: pulumi.Output[bool]
    """True when the configured MTU takes effect only at the next reload."""
    pending_recorded: pulumi.Output[bool]
    """The pending value is the one lm-provider set (the switch does not show its next-reload value)."""
    interface_mtus: pulumi.Output[dict[str, int]]
    """The MTU of each listed interface."""
    found_mtu: pulumi.Output[int]
    """The configured MTU before the first change (what destroy restores)."""
    warnings: pulumi.Output[list[str]]
    """A pending reload, unsaved configuration, interfaces not running the MTU (also logged as warnings)."""

    def __init__(self, resource_name: str, switch: pulumi.Input[str], mtu: pulumi.Input[int],
                 platform: pulumi.Input[str] | None = None, reload: pulumi.Input[str] | None = None,
                 interfaces: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props: dict[str, Any] = {name: None for name in OUTPUTS}
        props.update(switch=switch, mtu=mtu, platform=platform, reload=reload, interfaces=interfaces)
        super().__init__(SwitchJumboMtuProvider(), resource_name, props, opts)
        self.warnings.apply(_log_warnings)


def _log_warnings(warnings: list[str] | None) -> None:
    """Each warning to the engine's log, synchronously inside the apply (so the program waits for it;
    ``log.warn(resource=...)`` would send it from a task the program does not wait for). Each names
    its switch."""
    for warning in warnings or []:
        pulumi.log.warn(warning)
