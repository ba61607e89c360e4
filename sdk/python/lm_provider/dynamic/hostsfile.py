"""``HostsEntry`` and ``HostsEntries`` for Pulumi programs: lines of a Hyper-V host's hosts file.

The host is reached over WinRM with the ``lm:winrm*`` stack configuration (see
:mod:`lm_provider.models.winrm`), optionally overridden per resource (a password override is
always stored as a secret). What the resources do is documented in
:mod:`lm_provider.resources.hostsfile`.

    # every host resolves each other host's name to its live-migration address
    for host in hosts:
        HostsEntries(f"hosts-{host}", host=host,
                     entries=[HostsLine(lm_ip[p], [p, f"{p}.corp.com"]) for p in hosts if p != host])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import pulumi
import pulumi.dynamic

from ..models.codec import to_props
from ..models.hosts_text import HostsLine
from ..resources.hosts import HostConnector
from ..resources.hostsfile import HostsEntriesLogic, HostsEntryLogic
from .hosts import HostProvider, host_options, host_props, target_props


class HostsLineInput(TypedDict):
    """One line as a plain mapping: ``{"address": "10.160.35.2", "names": ["HV02", "hv02.corp.com"]}``."""

    address: str
    names: Sequence[str]


EntryInput = HostsLine | HostsLineInput | Mapping[str, Any]
"""An entry of HostsEntries: a :class:`HostsLine` or a mapping with ``address`` and ``names``."""
FOUND = ("owner", "lines", "conflicts")


class HostsEntryProvider(HostProvider):
    """The dynamic provider of :class:`HostsEntry`."""

    def build_host_logic(self, connector: HostConnector) -> HostsEntryLogic:
        """The logic over the host connector."""
        return HostsEntryLogic(connector)


class HostsEntriesProvider(HostProvider):
    """The dynamic provider of :class:`HostsEntries`."""

    def build_host_logic(self, connector: HostConnector) -> HostsEntriesLogic:
        """The logic over the host connector."""
        return HostsEntriesLogic(connector)


def _entries(values: Any) -> Any:
    if not isinstance(values, (list, tuple)):
        return values
    return [to_props(v) if isinstance(v, HostsLine) else v for v in values]


class _HostsOutputs:
    """Outputs both resources share."""

    host: pulumi.Output[str]
    fqdn: pulumi.Output[str | None]
    winrm_endpoint: pulumi.Output[str | None]
    winrm_username: pulumi.Output[str | None]
    winrm_password: pulumi.Output[str | None]
    """A per-resource password override; always a secret."""
    owner: pulumi.Output[str]
    """The tag on the resource's lines (``# lm-provider:<owner>``); also its id."""
    lines: pulumi.Output[list[str]]
    """The resource's lines as the hosts file held them at the last read or write."""
    conflicts: pulumi.Output[list[str]]
    """Lines the resource does not own that map one of its names to another address (the next
    update fails naming them)."""


class HostsEntry(pulumi.dynamic.Resource, _HostsOutputs, module="lm", name="HostsEntry"):
    """One name (and up to 8 aliases) resolving to one IPv4 address in ``host``'s hosts file.

    Inputs: ``host`` (the computer name; changing it replaces), ``address`` (IPv4), ``name`` and
    ``aliases`` (DNS or NetBIOS names, whole-token and case-insensitive; at most 9 names in all),
    ``fqdn``, ``winrm_endpoint``, ``winrm_username``, ``winrm_password`` (per-resource WinRM
    overrides of the ``lm:winrm*`` configuration; the password is kept secret).

    The resource writes one line tagged ``# lm-provider:<id>`` and never touches another byte of
    the file; a line it does not own that maps the name elsewhere makes create/update fail,
    naming that line. Delete removes exactly its line.
    """

    address: pulumi.Output[str]
    name: pulumi.Output[str]
    aliases: pulumi.Output[list[str]]

    def __init__(self, resource_name: str, host: pulumi.Input[str], address: pulumi.Input[str],
                 name: pulumi.Input[str], aliases: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
                 fqdn: pulumi.Input[str] | None = None, winrm_endpoint: pulumi.Input[str] | None = None,
                 winrm_username: pulumi.Input[str] | None = None, winrm_password: pulumi.Input[str] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props = host_props(FOUND, target_props(host, fqdn, winrm_endpoint, winrm_username, winrm_password),
                           address=address, name=name, aliases=aliases)
        super().__init__(HostsEntryProvider(), resource_name, props, host_options(opts))


class HostsEntries(pulumi.dynamic.Resource, _HostsOutputs, module="lm", name="HostsEntries"):
    """Many lines of ``host``'s hosts file owned together, written in one invocation: the set
    variant of :class:`HostsEntry` (a full mesh of N hosts is N of these, one per host).

    Inputs: ``host`` (changing it replaces), ``entries`` (in file order; each a :class:`HostsLine`
    or ``{"address": ..., "names": [...]}`` with 1-9 names; a name appears once across all
    entries), and the target inputs of :class:`HostsEntry`.
    """

    entries: pulumi.Output[list[dict[str, Any]]]

    def __init__(self, resource_name: str, host: pulumi.Input[str],
                 entries: pulumi.Input[Sequence[pulumi.Input[EntryInput]]],
                 fqdn: pulumi.Input[str] | None = None, winrm_endpoint: pulumi.Input[str] | None = None,
                 winrm_username: pulumi.Input[str] | None = None, winrm_password: pulumi.Input[str] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props = host_props(FOUND, target_props(host, fqdn, winrm_endpoint, winrm_username, winrm_password),
                           entries=pulumi.Output.from_input(entries).apply(_entries))
        super().__init__(HostsEntriesProvider(), resource_name, props, host_options(opts))
