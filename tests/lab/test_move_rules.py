"""The Move-VM decision (lmlab.hosts.ops.vmmove), pure: both hosts' models, a directory stub in place of
the DC's answers, and the lab's real fabric over in-memory hosts. Each rule gives its Windows text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lmlab.fabric import LabFabric
from lmlab.hosts.model import Host, IPv4Address, MigrationNetwork, TicketCache, VirtualMachine
from lmlab.hosts.ops import OpError
from lmlab.hosts.ops.context import ComputerAccount, DirectoryUnreachable
from lmlab.hosts.ops.vmmove import MovePlan, plan_move
from lmlab.site import Site, generated_site

MVSMS = "Microsoft Virtual System Migration Service"
MARKER = "lm-provider:probe"
PROBE = "LM-PROBE-01"
S, D = "KOM-AD01-VM01", "KOM-AD01-VM02"
DELEGATION = [f"{MVSMS}/{D}", f"cifs/{D}"]
HEAD = (f"Move-VM : Virtual machine migration operation for '{PROBE}' failed at migration source '{S}'. "
        "(Virtual machine ID 0F8FAD5B-D9CB-469F-A165-70867728950E)\r\n")


class DirectoryStub:
    """The DC's answers, as the lab's LabDirectory gives them."""

    def __init__(self, accounts: dict[str, ComputerAccount] | None = None) -> None:
        self.accounts = accounts or {}
        self.asked: list[list[str]] = []

    def computers(self, names: list[str]) -> dict[str, ComputerAccount]:
        self.asked.append(names)
        return {n.upper(): self.accounts[n.upper()] for n in names if n.upper() in self.accounts}


class Unreachable(DirectoryStub):
    def computers(self, names: list[str]) -> dict[str, ComputerAccount]:
        raise DirectoryUnreachable("the lab's AD DC is not running")


class Peers:
    def __init__(self, hosts: list[Host]) -> None:
        self.hosts = hosts

    def find(self, name: str) -> Host | None:
        return next((h for h in self.hosts if name.lower() in (h.name.lower(), h.fqdn.lower())), None)

    def receive(self, host_name: str, vm: VirtualMachine) -> None:
        raise AssertionError("the decision never delivers")


class World:
    """Two reference hosts ready for a Kerberos move S -> D over 10.160.35.0/24 with jumbo frames."""

    def __init__(self, os: str = "2012r2") -> None:
        self.site: Site = generated_site(2, os=os)
        self.source, self.destination = (self.ready(i) for i in range(2))
        self.source.vms.append(VirtualMachine(PROBE, "0f8fad5b-d9cb-469f-a165-70867728950e", notes=MARKER))
        self.source.ticket_cache = TicketCache(list(DELEGATION), True)
        self.accounts = {S: ComputerAccount(tuple(DELEGATION), 0x1000 | 0x1000000, (f"{MVSMS}/{S}",)),
                         D: ComputerAccount((), 0x1000, (f"HOST/{D}", f"{MVSMS}/{D}",
                                                         f"{MVSMS}/{D.lower()}.holding.com"))}
        self.switch_mtu: int | None = 9000

    def ready(self, index: int) -> Host:
        host = self.site.initial_host(index)
        lm = host.adapters[1]
        lm.ipv4_addresses, lm.jumbo_packet, lm.dhcp = [IPv4Address(f"10.160.35.{60 + index}", 24)], 9014, False
        host.migration.enabled, host.migration.authentication_type = True, "Kerberos"
        host.migration.networks = [MigrationNetwork("10.160.35.0/24", 0)]
        host.settings_changed()
        return host

    def plan(self, destination: str = D, directory: DirectoryStub | None = None) -> MovePlan:
        hosts = [self.source, self.destination]
        fabric = LabFabric(lambda: hosts, lambda sw: self.switch_mtu, self.site.cabling)
        return plan_move(self.source, PROBE, MARKER, destination, fabric,
                         directory if directory is not None else DirectoryStub(self.accounts), Peers(hosts))

    def failure(self, destination: str = D, directory: DirectoryStub | None = None) -> str:
        with pytest.raises(OpError) as error:
            self.plan(destination, directory)
        return "\r\n".join(error.value.record.lines())


def test_a_move_that_meets_every_rule_uses_the_migration_network() -> None:
    world = World()
    plan = world.plan()
    assert (plan.vm.name, plan.destination.name, plan.source_address, plan.destination_address) == (
        PROBE, D, "10.160.35.60", "10.160.35.61")


def test_the_destination_as_given_must_be_delegated_fqdn_and_netbios_are_different_services() -> None:
    world = World()
    fqdn = f"{D.lower()}.holding.com"
    text = world.failure(destination=fqdn)
    assert f"with host '{fqdn}': No credentials are available in the security package (0x8009030E)." in text
    world.accounts[S] = ComputerAccount((f"{MVSMS}/{fqdn}", f"CIFS/{fqdn.upper()}"), 0x1000, ())
    world.source.ticket_cache = TicketCache([f"{MVSMS}/{fqdn}", f"cifs/{fqdn}"], False)
    assert world.plan(destination=fqdn).destination.name == D


Change = Callable[[World], None]


def _drop(world: World, value: str) -> None:
    account = world.accounts[S]
    world.accounts[S] = ComputerAccount(tuple(v for v in account.allowed_to_delegate_to if v != value),
                                        account.user_account_control, account.service_principal_names)


def _stale_cache(world: World) -> None:
    world.source.ticket_cache = TicketCache([f"{MVSMS}/{D}"], True)


def _no_listener(world: World) -> None:
    world.destination.listener_addresses = []


def _listener_elsewhere(world: World) -> None:
    world.destination.listener_addresses = ["10.160.33.61"]  # the management address: no path from 10.160.35.60


def _user_vm(world: World) -> None:
    world.source.vms[-1].notes = ""


def _taken(world: World) -> None:
    world.destination.vms.append(VirtualMachine(PROBE, "1f8fad5b-d9cb-469f-a165-70867728950e", notes=MARKER))


@pytest.mark.parametrize("change,expected", [
    (_user_vm, f"'{PROBE}' is not a migration probe VM on {S}; only probes are moved."),
    (lambda w: w.source.vms.pop(), f'Get-VM : Hyper-V was unable to find a virtual machine with name "{PROBE}".'),
    (lambda w: w.source.migration.__setattr__("enabled", False),
     f"The Virtual Machine Management Service on '{S}' is not configured for live migration"),
    (lambda w: w.source.migration.__setattr__("authentication_type", "CredSSP"),
     "Make sure the operation is initiated on the source host of the migration"),
    (lambda w: _drop(w, f"cifs/{D}"), f"with host '{D}': No credentials are available in the security package "
                                      "(0x8009030E).\r\nFailed to authenticate the connection at the source host"),
    (_stale_cache, "No credentials are available in the security package (0x8009030E)."),
    (lambda w: w.accounts.__setitem__(D, ComputerAccount((), 0x1000, (f"HOST/{D}",))),
     f"with host '{D}': The target principal name is incorrect. (0x80090322)."),
    (lambda w: w.destination.migration.__setattr__("authentication_type", "CredSSP"),
     f"Failed to establish a connection with host '{D}': The credentials supplied to the package were not recognized "
     "(0x8009030D)."),
    (_no_listener, "No connection could be made because the target machine actively refused it. (0x8007274D)"),
    (_listener_elsewhere, f"Failed to establish a connection with host '{D}': A connection attempt failed"),
    (lambda w: w.__setattr__("switch_mtu", None), "(0x8007274C)"),
    (lambda w: w.__setattr__("switch_mtu", 1500), "Failed to send data for a Virtual Machine migration: An existing "
                                                  "connection was forcibly closed by the remote host. (0x80072746)"),
    (_taken, f"a virtual machine named '{PROBE}' already exists on '{D}'"),
])
def test_each_failed_rule_answers_with_its_windows_text(change: Change, expected: str) -> None:
    world = World()
    change(world)
    text = world.failure()
    assert expected in text
    if "Hyper-V was unable" not in expected and "only probes" not in expected:
        assert text.startswith(HEAD) and "FullyQualifiedErrorId : Unspecified,Microsoft.HyperV.PowerShell.Commands" \
                                         ".MoveVM" in text
        assert "CategoryInfo          : NotSpecified: (:) [Move-VM], VirtualizationOperationFailedException" in text


def test_an_unknown_destination_and_no_dc_have_their_own_codes() -> None:
    world = World()
    assert "No such host is known. (0x80072AF9)" in world.failure(destination="KOM-AD01-VM77")
    assert "No authority could be contacted for authentication. (0x80090311)" in world.failure(directory=Unreachable())
    hosts = [world.source, world.destination]
    with pytest.raises(OpError, match=r"0x80090311"):
        plan_move(world.source, PROBE, MARKER, D, None, None, Peers(hosts))


def test_a_delegation_added_after_the_last_purge_is_not_seen_a_removal_is_seen_at_once() -> None:
    world = World()
    world.source.ticket_cache = TicketCache([], False)  # booted before the delegation was written
    assert "(0x8009030E)" in world.failure()
    world.source.ticket_cache = TicketCache(list(DELEGATION), True)  # after klist purge
    assert world.plan().destination.name == D
    _drop(world, f"{MVSMS}/{D}")  # removed in AD: the cache still has it, the move fails at once
    assert "(0x8009030E)" in world.failure()


def test_protocol_transition_counts_from_2016_and_only_when_both_dc_and_cache_have_it() -> None:
    old = World("2012r2")
    old.accounts[S] = ComputerAccount(tuple(DELEGATION), 0x1000, ())
    assert old.plan().destination.name == D
    for cache_flag, dc_flag in ((False, True), (True, False)):
        new = World("2016")
        new.source.ticket_cache = TicketCache(list(DELEGATION), cache_flag)
        new.accounts[S] = ComputerAccount(tuple(DELEGATION), 0x1000 | (0x1000000 if dc_flag else 0), ())
        text = new.failure()
        assert "(0x8009030E)" in text and "VirtualizationException" in text
    assert World("2016").plan().destination.name == D


def test_jumbo_frames_matter_only_when_both_nics_send_them() -> None:
    world = World()
    world.switch_mtu = 1500
    world.source.adapters[1].jumbo_packet = 1514
    assert world.plan().source_address == "10.160.35.60"


def test_the_directory_is_asked_about_both_accounts_once() -> None:
    world = World()
    directory = DirectoryStub(world.accounts)
    world.plan(directory=directory)
    assert directory.asked == [[S, D]]


def test_a_vm_moves_only_to_a_host_that_runs_its_configuration_version() -> None:
    world = World()
    world.source.vms[-1].version = "8.0"  # made on a 2016 host: a 2012 R2 host cannot run it
    text = world.failure()
    assert f"The virtual machine's configuration version 8.0 is not supported on host '{D}'" in text
    world.source.vms[-1].version = "5.0"  # the probe's version from 2016 on: every 2012 R2+ host runs it
    assert world.plan().destination.name == D
    world.destination.os = "2012"
    assert "configuration version 5.0 is not supported" in world.failure()
