"""``KcdDelegation`` and Hyper-V host discovery for Pulumi programs.

The directory is reached with the ``lm:ldap*`` stack configuration keys (see
:mod:`lm_provider.models.directory`); the password is a config secret read by the provider host in
``configure()`` and never stored in state. What the resource does is documented in
:mod:`lm_provider.resources.kcd`.

    hosts = get_hyperv_hosts("OU=HOSTS,DC=holding,DC=com", "KOM-AD01-VM*")
    for host in hosts:
        KcdDelegation(f"kcd-{host.name}", computer=host.name,
                      peers=[p for p in hosts if p.name != host.name])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from ..clients.directory import DirectoryClient
from ..models.codec import to_props
from ..models.directory import directory_settings
from ..models.kcd import HyperVHost, Peer
from ..resources.kcd import KcdDelegationLogic
from ..resources.kcd import get_hyperv_hosts as find_hyperv_hosts
from ..transports.ldap import LdapTransport
from .adapter import CONFIG_NAMESPACE, ConfigGetter, LogicProvider

PeerInput = Peer | HyperVHost | Mapping[str, str]
"""A peer: a :class:`Peer`, a discovered :class:`HyperVHost`, or ``{"name": ..., "fqdn": ...}``."""


class KcdDelegationProvider(LogicProvider):
    """The dynamic provider of :class:`KcdDelegation`: an LDAP client from the ``lm:ldap*`` keys."""

    def build_logic(self, config: ConfigGetter) -> KcdDelegationLogic:
        """The logic over a directory client for the configured DCs."""
        settings = directory_settings(config)
        return KcdDelegationLogic(DirectoryClient(LdapTransport(settings), settings.base_dn))


def _peer(value: Any) -> Any:
    if isinstance(value, HyperVHost):
        return to_props(value.as_peer())
    if isinstance(value, Peer):
        return to_props(value)
    return value


def _peers(values: Any) -> Any:
    return [_peer(v) for v in values] if isinstance(values, (list, tuple)) else values


OUTPUTS = ("dn", "sam_account_name", "owned", "present", "missing", "foreign", "found_protocol_transition", "warnings")


class KcdDelegation(pulumi.dynamic.Resource, module="lm", name="KcdDelegation"):
    """Constrained delegation from ``computer``'s account to the services of its ``peers``.

    Inputs: ``computer`` (sAMAccountName, DN or FQDN; changing it replaces), ``peers``
    (name + FQDN each, never the computer itself), ``services`` (default ``cifs`` and
    ``Microsoft Virtual System Migration Service``), ``forms`` (``fqdn`` and/or ``netbios``,
    default both), ``protocol_transition`` ("use any authentication protocol", default true:
    Windows Server 2016 and later need it for remotely started moves, 2012 R2 works without).
    """

    computer: pulumi.Output[str]
    peers: pulumi.Output[list[dict[str, str]]]
    services: pulumi.Output[list[str]]
    forms: pulumi.Output[list[str]]
    protocol_transition: pulumi.Output[bool]
    """The flag as found by the last read."""
    dn: pulumi.Output[str]
    """The computer account's distinguished name."""
    sam_account_name: pulumi.Output[str]
    owned: pulumi.Output[list[str]]
    """The delegation values this resource added (and removes on delete)."""
    present: pulumi.Output[list[str]]
    missing: pulumi.Output[list[str]]
    """Desired values absent at the last read (drift; the next update adds them)."""
    foreign: pulumi.Output[list[str]]
    """Values others wrote on the attribute; never touched."""
    found_protocol_transition: pulumi.Output[bool]
    warnings: pulumi.Output[list[str]]
    """Delegation targets that are not registered SPNs of the peer: delegation to them cannot work."""

    def __init__(self, resource_name: str, computer: pulumi.Input[str],
                 peers: pulumi.Input[Sequence[pulumi.Input[PeerInput]]],
                 services: pulumi.Input[Sequence[str]] | None = None,
                 forms: pulumi.Input[Sequence[str]] | None = None,
                 protocol_transition: pulumi.Input[bool] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props: dict[str, Any] = {name: None for name in OUTPUTS}
        props.update(computer=computer, peers=pulumi.Output.from_input(peers).apply(_peers), services=services,
                     forms=forms, protocol_transition=protocol_transition)
        super().__init__(KcdDelegationProvider(), resource_name, props, opts)


def _program_config(key: str) -> str | None:
    return pulumi.Config(CONFIG_NAMESPACE).get(key)


def get_hyperv_hosts(search_base: str, name_pattern: str = "*") -> list[HyperVHost]:
    """Hyper-V hosts from AD, queried while the program runs (with the stack's ``lm:ldap*`` keys):
    enabled computers under ``search_base`` named like ``name_pattern`` that are not cluster
    objects, sorted by name. Raises ValueError for a bad base or pattern, before any LDAP call."""
    settings = directory_settings(_program_config)
    transport = LdapTransport(settings)
    try:
        return find_hyperv_hosts(DirectoryClient(transport, settings.base_dn), search_base, name_pattern)
    finally:
        transport.close()


def get_hyperv_hosts_output(search_base: pulumi.Input[str],
                            name_pattern: pulumi.Input[str] = "*") -> pulumi.Output[list[HyperVHost]]:
    """:func:`get_hyperv_hosts` for inputs that are outputs of other resources."""
    return pulumi.Output.all(search_base, name_pattern).apply(lambda args: get_hyperv_hosts(args[0], args[1]))
