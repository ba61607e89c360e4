"""``KerberosTicketPurge`` for Pulumi programs. What it does is documented in
:mod:`lm_provider.resources.tickets`.

    KerberosTicketPurge("purge-hv01", host="KOM-AD01-VM01", delegation=kcd.present,
                        opts=pulumi.ResourceOptions(depends_on=[kcd]))
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi.dynamic

from ..resources.hosts import HostConnector
from ..resources.tickets import TicketPurgeLogic
from .hosts import HostProvider, host_options, host_props, target_props

OUTPUTS = ("output", "purges")


class TicketPurgeProvider(HostProvider):
    """The dynamic provider of :class:`KerberosTicketPurge`."""

    def build_host_logic(self, connector: HostConnector) -> TicketPurgeLogic:
        """The logic over the WinRM connector."""
        return TicketPurgeLogic(connector)


class KerberosTicketPurge(pulumi.dynamic.Resource, module="lm", name="KerberosTicketPurge"):
    """``klist -li 0x3e7 purge`` on ``host`` when created and whenever ``delegation`` changes.

    A host keeps its Kerberos tickets for up to 10 hours, so a constrained delegation added in AD
    seems not to work until they expire or the host reboots. Give ``delegation`` the host's
    KcdDelegation ``present`` values (and ``depends_on`` it): every change purges the host's system
    ticket cache so the new delegation is used at once. Refresh and destroy run nothing.
    """

    host: pulumi.Output[str]
    delegation: pulumi.Output[list[str]]
    output: pulumi.Output[str]
    """klist's answer to the last purge."""
    purges: pulumi.Output[int]
    """How many purges this resource ran."""

    def __init__(self, resource_name: str, host: pulumi.Input[str],
                 delegation: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
                 fqdn: pulumi.Input[str] | None = None, winrm_endpoint: pulumi.Input[str] | None = None,
                 winrm_username: pulumi.Input[str] | None = None, winrm_password: pulumi.Input[str] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props = host_props(OUTPUTS, target_props(host, fqdn, winrm_endpoint, winrm_username, winrm_password),
                           delegation=delegation)
        super().__init__(TicketPurgeProvider(), resource_name, props, host_options(opts))
