"""``LiveMigrationFabric``: the whole field guide for a set of hosts as one Pulumi component.

    fabric = LiveMigrationFabric(
        "dc1", subnet="10.160.35.0/24",
        hosts=[FabricHost("KOM-AD01-VM01", "KOM-AD01-VM01.holding.com", "10.160.35.60", adapter_name="Ethernet 2",
                          switch="KOM-SW01", port="GigabitEthernet0/1"),
               FabricHost("KOM-AD01-VM02", "KOM-AD01-VM02.holding.com", "10.160.35.61", adapter_name="Ethernet 2",
                          switch="KOM-SW01", port="GigabitEthernet0/2")],
        switches=[FabricSwitch("KOM-SW01", mtu=9000, reload="if-needed")])
    pulumi.export("summary", fabric.summary)

The description is checked whole in the constructor (:mod:`lm_provider.models.fabric`), before
any resource is registered; the children and their order follow the field guide (NIC -> migration
settings; NICs and switches -> path check; delegations and hosts entries independent).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import pulumi

from ..models.codec import to_props
from ..models.fabric import PATH_FRAME, FabricHost, FabricPlan, FabricSwitch, plan_fabric
from ..models.readiness import summarize
from .hostsfile import HostsEntries
from .kcd import KcdDelegation
from .migration import LiveMigrationSettings
from .nic import MigrationNic
from .pathcheck import JumboPathCheck
from .ring import MigrationRingTest
from .switch_mtu import SwitchJumboMtu
from .tickets import KerberosTicketPurge

TYPE = "lm:index:LiveMigrationFabric"
T = TypeVar("T")


def _by_name(outputs: Mapping[str, pulumi.Output[T]]) -> pulumi.Output[dict[str, T]]:
    """One output of a name -> value mapping (an empty mapping stays an empty dict)."""
    if not outputs:
        return pulumi.Output.from_input({})
    return pulumi.Output.all(**outputs)


def _outputs_of(resource: pulumi.CustomResource) -> pulumi.Output[Any]:
    """What a child reports that matters to the test migration: its id and, per kind, the outputs
    whose change can make a move behave differently."""
    names = {MigrationNic: (), LiveMigrationSettings: ("listener_addresses",), KcdDelegation: ("present",),
             KerberosTicketPurge: ("purges",), HostsEntries: (), SwitchJumboMtu: ("pending_reload",),
             JumboPathCheck: ("passed",)}[type(resource)]
    return pulumi.Output.all(resource.id, *[getattr(resource, name) for name in names])


class LiveMigrationFabric(pulumi.ComponentResource):
    """Hyper-V hosts, their migration subnet and switches, configured for live migration.

    Per host: a :class:`MigrationNic` (the address, ``jumbo_packet``), a
    :class:`LiveMigrationSettings` (``networks=[subnet]``, ``authentication``; after the NIC), a
    :class:`KcdDelegation` to every other host (Kerberos only; ``lm:ldap*`` configuration) and one
    :class:`HostsEntries` set naming every other host (name and FQDN -> its migration address);
    per switch a :class:`SwitchJumboMtu` reporting its hosts' ports; one :class:`JumboPathCheck`
    after all NICs and switches (``path_check``; a pending switch reload fails it). Under Kerberos,
    a :class:`KerberosTicketPurge` per host after its delegation (``purge_tickets``, default on):
    each change of a host's delegation purges its system ticket cache, so the new delegation works
    without waiting hours or a reboot. With ``test_migration`` (default off) a
    :class:`MigrationRingTest` runs last: a throwaway VM moves around the hosts over the migration
    network, again whenever a host's listeners, delegation, ticket purges, a switch's pending reload
    or the path check's verdict changed.

    Raises :class:`~lm_provider.errors.FabricConfigError` listing every problem with its path
    (``hosts[1].address: 10.160.36.61 is not inside the subnet 10.160.35.0/24``) before anything
    is registered. ``performance_option`` (``TCPIP``/``Compression``/``SMB``) is refused for a
    host whose ``os`` is ``2012``.
    """

    hosts: pulumi.Output[dict[str, dict[str, Any]]]
    """Per host name: ``migration_address`` and ``listener_addresses`` (vmms' TCP 6600 listeners)."""
    summary: pulumi.Output[dict[str, Any]]
    """``ready``; per host ``ready``, ``migration_address`` and ``reasons``; ``path_check``
    (``passed``, ``failures``; None when off); ``pending_reloads`` (switch names)."""
    plan: FabricPlan
    """The validated description and the children's names."""
    nics: dict[str, MigrationNic]
    migration_settings: dict[str, LiveMigrationSettings]
    delegations: dict[str, KcdDelegation]
    hosts_entries: dict[str, HostsEntries]
    switch_mtus: dict[str, SwitchJumboMtu]
    path_check: JumboPathCheck | None
    ticket_purges: dict[str, KerberosTicketPurge]
    migration_test: MigrationRingTest | None

    def __init__(self, resource_name: str, subnet: str, hosts: Sequence[FabricHost],
                 switches: Sequence[FabricSwitch], authentication: str = "Kerberos",
                 name_resolution: str = "hosts-file", jumbo_packet: int = PATH_FRAME, path_check: bool = True,
                 performance_option: str | None = None, purge_tickets: bool = True, test_migration: bool = False,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        plan = plan_fabric(resource_name, subnet, hosts, switches, authentication, name_resolution, jumbo_packet,
                           path_check, performance_option, purge_tickets, test_migration)
        super().__init__(TYPE, resource_name, None, opts)
        self.plan = plan
        self._hosts(plan)
        self.switch_mtus = {
            s.switch.name: SwitchJumboMtu(s.resource, switch=s.switch.name, mtu=s.switch.mtu,
                                          platform=s.switch.platform, reload=s.switch.reload,
                                          interfaces=s.interfaces, opts=self._child())
            for s in plan.switches}
        self.path_check = None
        if plan.path_check:
            self.path_check = JumboPathCheck(
                plan.path_check, hosts=[to_props(m) for m in plan.path_members()],
                switches=[{"name": name, "pending_reload": mtu.pending_reload}
                          for name, mtu in self.switch_mtus.items()],
                opts=self._child(depends_on=[*self.nics.values(), *self.switch_mtus.values()]))
        self.migration_test = self._migration_test(plan)
        self.hosts = self._host_outputs()
        self.summary = self._summary()
        self.register_outputs({"hosts": self.hosts, "summary": self.summary})

    def _child(self, depends_on: Sequence[pulumi.Resource] = ()) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=list(depends_on))

    def _hosts(self, plan: FabricPlan) -> None:
        self.nics, self.migration_settings, self.delegations, self.hosts_entries = {}, {}, {}, {}
        self.ticket_purges = {}
        for children in plan.hosts:
            host = children.host
            reach: dict[str, Any] = {"fqdn": host.fqdn, "winrm_endpoint": host.winrm_endpoint}
            nic = self.nics[host.name] = MigrationNic(
                children.nic, host=host.name, ip_address=host.address, prefix_length=plan.prefix_length,
                adapter_name=host.adapter_name, mac_address=host.mac_address,
                interface_description=host.interface_description, jumbo_packet=plan.jumbo_packet, **reach,
                opts=self._child())
            self.migration_settings[host.name] = LiveMigrationSettings(
                children.migration, host=host.name, networks=[plan.subnet], authentication=plan.authentication,
                performance_option=plan.performance_option, **reach, opts=self._child(depends_on=[nic]))
            self.hosts_entries[host.name] = HostsEntries(children.hosts_entries, host=host.name,
                                                         entries=children.entries, **reach, opts=self._child())
            if children.kcd:
                kcd = self.delegations[host.name] = KcdDelegation(children.kcd, computer=host.name,
                                                                  peers=children.peers, opts=self._child())
                if children.purge:
                    self.ticket_purges[host.name] = KerberosTicketPurge(
                        children.purge, host=host.name, delegation=kcd.present, **reach,
                        opts=self._child(depends_on=[kcd]))

    def _migration_test(self, plan: FabricPlan) -> MigrationRingTest | None:
        """The ring after every other child; it runs again when any child's outputs change."""
        if not plan.migration_test:
            return None
        children: list[pulumi.CustomResource] = [
            *self.nics.values(), *self.migration_settings.values(), *self.delegations.values(),
            *self.ticket_purges.values(), *self.hosts_entries.values(), *self.switch_mtus.values(),
            *([self.path_check] if self.path_check else [])]
        triggers = pulumi.Output.all(*[pulumi.Output.json_dumps(_outputs_of(c)) for c in children])
        return MigrationRingTest(plan.migration_test, hosts=[to_props(m) for m in plan.path_members()],
                                 subnet=plan.subnet, triggers=triggers, opts=self._child(depends_on=children))

    def _host_outputs(self) -> pulumi.Output[dict[str, dict[str, Any]]]:
        addresses = {c.host.name: c.host.address for c in self.plan.hosts}
        listeners = _by_name({name: s.listener_addresses for name, s in self.migration_settings.items()})
        return listeners.apply(lambda found: {
            name: {"migration_address": address, "listener_addresses": list(found.get(name) or [])}
            for name, address in addresses.items()})

    def _summary(self) -> pulumi.Output[dict[str, Any]]:
        check = self.path_check
        path: pulumi.Output[Any] = pulumi.Output.from_input(None) if check is None else pulumi.Output.all(
            passed=check.passed, results=check.results, failures=check.failures)
        test = self.migration_test
        ring: pulumi.Output[Any] = pulumi.Output.from_input(None) if test is None else pulumi.Output.all(
            passed=test.passed, failures=test.failures, seconds=test.seconds, pairs=test.pairs)
        plan = self.plan
        return pulumi.Output.all(
            listeners=_by_name({name: s.listener_addresses for name, s in self.migration_settings.items()}),
            pending=_by_name({name: s.pending_reload for name, s in self.switch_mtus.items()}),
            path=path, kcd=_by_name({name: d.warnings for name, d in self.delegations.items()}),
            purges=_by_name({name: p.purges for name, p in self.ticket_purges.items()}), ring=ring,
        ).apply(lambda v: summarize(plan, v["listeners"], v["pending"], v["path"], v["kcd"], v["purges"], v["ring"]))
