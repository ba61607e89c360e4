"""Whether a live migration (``Move-VM -IncludeStorage``, Kerberos, started remotely) from a source host
to a destination succeeds, and over which connection: a pure decision from both hosts' models, the
directory's answers and the network. Rules, checked in this order (the first that fails answers):

1. the VM is on the source (else Get-VM's error) and carries lm-provider's marker in its Notes (else the
   script's own refusal: user VMs are never moved);
2. the destination is a site host (name or FQDN, any case) other than the source;
3. live migration is enabled on the source;
4. authentication: CredSSP fails (the move is started over WinRM, a network logon). Kerberos needs a
   reachable DC; the source's *effective* delegation (values in both the DC now and the source's ticket
   cache, any case) must list ``Microsoft Virtual System Migration Service/<dest>`` and ``cifs/<dest>``
   with ``<dest>`` as given; from 2016 on protocol transition must be effective too; the destination's
   account must hold the migration SPN for ``<dest>``; both hosts must use the same type;
5. the destination's *actual* listener list (stale when vmms was not restarted): none refuses; else the
   first listener reachable from a source address inside its migration networks (the site's cabling);
6. the frame of that connection (the smaller NIC MTU) fits the switch's operational port MTU;
7. the destination runs the VM's configuration version (Hyper-V never migrates to an older version);
8. the destination has no VM of that name.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Host, VirtualMachine
from ..osprofiles import os_profile
from . import hyperv
from .context import Directory, DirectoryUnreachable, Network, Peers
from .thrown import thrown


@dataclass(frozen=True)
class MovePlan:
    """A move that will succeed: the VM, where it goes, and the TCP 6600 connection it uses."""

    vm: VirtualMachine
    destination: Host
    source_address: str
    destination_address: str


def plan_move(source: Host, name: str, marker: str, destination_host: str, network: Network | None,
              directory: Directory | None, peers: Peers | None) -> MovePlan:
    """The plan of a move that succeeds, or OpError with Move-VM's error record for the first rule that fails."""
    vm = source.vm(name)
    if vm is None:
        raise hyperv.vm_not_found(source, name)
    if vm.notes != marker:
        raise thrown(f"'{name}' is not a migration probe VM on {source.name}; only probes are moved.")
    destination = peers.find(destination_host) if peers is not None else None
    if destination is None:
        raise hyperv.move_failed(source, vm, hyperv.unknown_host(destination_host))
    causes = _site_problem(source, destination, destination_host) or \
        _auth_problem(source, destination, destination_host, directory)
    if causes:
        raise hyperv.move_failed(source, vm, causes)
    found = _connection(source, destination, destination_host, network)
    if isinstance(found, list):
        raise hyperv.move_failed(source, vm, found)
    if vm.version not in os_profile(destination.os).vm_versions:
        raise hyperv.move_failed(source, vm, hyperv.unsupported_version(vm.version, destination_host))
    if destination.vm(vm.name) is not None:
        raise hyperv.move_failed(source, vm, hyperv.name_taken(vm.name, destination_host))
    return MovePlan(vm, destination, *found)


def _site_problem(source: Host, destination: Host, given: str) -> list[str] | None:
    if destination.name.lower() == source.name.lower():
        return hyperv.same_host(given)
    if not source.migration.enabled:
        return hyperv.migration_disabled(source.name)
    return None


def _auth_problem(source: Host, destination: Host, given: str, directory: Directory | None) -> list[str] | None:
    if source.migration.authentication_type == "CredSSP":
        return hyperv.credssp_remote(given)
    if directory is None:
        return hyperv.no_authority(given)
    try:
        accounts = directory.computers([source.name, destination.name])
    except DirectoryUnreachable:
        return hyperv.no_authority(given)
    own, peer = accounts.get(source.name.upper()), accounts.get(destination.name.upper())
    cached = {value.lower() for value in source.ticket_cache.allowed_to_delegate_to}
    effective = cached & {value.lower() for value in own.allowed_to_delegate_to} if own else set()
    needed = {f"{hyperv.MVSMS}/{given}".lower(), f"cifs/{given}".lower()}
    transition = own is not None and own.trusted_to_auth and source.ticket_cache.trusted_to_auth
    if not needed <= effective or (os_profile(source.os).kerberos_needs_protocol_transition and not transition):
        return hyperv.no_delegation(given)
    if peer is None or f"{hyperv.MVSMS}/{given}".lower() not in {spn.lower() for spn in peer.service_principal_names}:
        return hyperv.wrong_principal(given)
    if destination.migration.authentication_type != source.migration.authentication_type:
        return hyperv.auth_mismatch(given)
    return None


def _connection(source: Host, destination: Host, given: str, network: Network | None) -> tuple[str, str] | list[str]:
    """(source address, listener) of the first destination listener reachable from a source migration
    address, checked for jumbo frames; else the failure's cause lines."""
    if not destination.listener_addresses:
        return hyperv.refused(given)
    for target in destination.listener_addresses:
        for address in source.expected_listeners():
            link = network.link(source, address, target) if network is not None else None
            if link is None:
                continue
            if link.port_mtu < min(link.sender.ip_mtu(), link.receiver.ip_mtu()):
                return hyperv.connection_reset()
            return address, target
    return hyperv.timed_out(given)
