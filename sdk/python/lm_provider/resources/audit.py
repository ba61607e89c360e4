"""The readiness report of an existing site, read-only: what ``pulumi up`` of the fabric would fix.

    plan = plan_fabric("dc1", "10.160.35.0/24", hosts, switches)
    connections = AuditConnections.from_config(get, kerberos=plan.authentication == "Kerberos")
    report = audit_site(plan, connections)
    for finding in report.pair_gaps("KOM-AD01-VM01", "KOM-AD01-VM02"):
        print(finding)

Reads only (the lab's invocation counters prove it): per host ``host.facts`` (adapters, OS, hosts
file), ``nic.read`` (the management interface's metric), ``migration.read``, then one ``net.ping``
(don't fragment) from each migration address that exists to every other host's; per switch the
SwitchJumboMtu read (``show`` commands only); in AD each host's computer account and the hosts'
SPNs. Hosts and switches are read at once (a bounded thread pool). A device that cannot be read is
listed in ``unreachable`` with the error, and its requirements have no findings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from ..clients.directory import DirectoryClient
from ..clients.facts import host_facts
from ..clients.migration import MigrationClient
from ..clients.nic import NicClient, adapter_settings
from ..errors import LmError
from ..models.audit import Account, HostReading, SiteReadings, evaluate, select_adapter, target
from ..models.audit_report import AuditReport, Unreachable
from ..models.directory import directory_settings
from ..models.fabric import FabricHost, FabricPlan, SwitchChildren
from ..models.pathcheck import Answer, JumboPathCheckArgs
from ..models.switch import SwitchJumboMtuState
from ..models.switch_settings import SwitchConfig
from ..models.winrm import WinRmConfig
from ..transports.ldap import LdapTransport
from .hosts import HostConnector, PooledConnector
from .pathcheck import JumboPathCheckLogic
from .switch_mtu import SwitchJumboMtuLogic
from .switches import PooledSwitchConnector, SwitchConnector

MAX_PARALLEL = 16
"""Devices read at the same time (each host and switch is one session)."""
DIRECTORY = "directory"
"""How the directory is named in ``unreachable``."""
T = TypeVar("T")


@dataclass
class AuditConnections:
    """How the audit reaches the hosts, the switches and (Kerberos) the directory."""

    hosts: HostConnector
    switches: SwitchConnector
    directory: DirectoryClient | None = None

    @classmethod
    def from_config(cls, get: Callable[[str], str | None], kerberos: bool) -> AuditConnections:
        """Connections from the ``lm:`` configuration keys (``get`` takes a key without ``lm:``); the
        directory only under Kerberos. ConfigurationError names a bad or missing key."""
        directory = None
        if kerberos:
            settings = directory_settings(get)
            directory = DirectoryClient(LdapTransport(settings), settings.base_dn)
        return cls(PooledConnector(WinRmConfig.from_config(get)), PooledSwitchConnector(SwitchConfig.from_config(get)),
                   directory)

    def close(self) -> None:
        """Close the sessions this object opened."""
        if isinstance(self.hosts, PooledConnector):
            self.hosts.pool.close()
        if isinstance(self.switches, PooledSwitchConnector):
            self.switches.pool.close()
        if self.directory is not None:
            self.directory.transport.close()


def read_host(connector: HostConnector, host: FabricHost) -> HostReading:
    """One host's readings (three read-only ops)."""
    client = connector(target(host))
    facts: Mapping[str, Any] = host_facts(client)
    adapters = [adapter_settings(a) for a in facts.get("Adapters") or []]
    adapter = select_adapter(adapters, host)
    management = NicClient(client).read(adapter.mac_address).management_metric if adapter else None
    report = MigrationClient(client).read()
    return HostReading(adapters, management, report.settings, report.listeners, report.os_version,
                       str(facts.get("HostsFile") or ""))


def read_switch(connector: SwitchConnector, children: SwitchChildren) -> SwitchJumboMtuState:
    """One switch's MTU as SwitchJumboMtu reads it (``show`` commands only)."""
    switch = children.switch
    state = SwitchJumboMtuState(switch=switch.name, mtu=switch.mtu, platform=switch.platform, reload=switch.reload,
                                interfaces=list(children.interfaces))
    return SwitchJumboMtuLogic(connector).read(switch.name, state)


def read_accounts(directory: DirectoryClient, plan: FabricPlan) -> dict[str, Account | None]:
    """Each host's computer account (lower-case name -> None when there is none) with its SPNs."""
    names = [h.host.name for h in plan.hosts]
    spns = directory.service_principal_names(names)
    accounts: dict[str, Account | None] = {}
    for name in names:
        found = directory.find_computer(name)
        accounts[name.lower()] = None if found is None else Account(
            found.allowed_to_delegate_to, found.user_account_control, spns.get(name.lower(), []))
    return accounts


def _attempt(device: str, read: Callable[[], T], unreachable: list[Unreachable]) -> T | None:
    try:
        return read()
    except LmError as exc:
        unreachable.append(Unreachable(device, str(exc)))
        return None


def _results(futures: Mapping[str, Future[T | None]]) -> dict[str, T]:
    """The readings that succeeded, by device name."""
    return {name: result for name, future in futures.items() if (result := future.result()) is not None}


def _pings(plan: FabricPlan, hosts: Mapping[str, HostReading], connector: HostConnector,
           pool: ThreadPoolExecutor) -> dict[str, Answer]:
    """One jumbo ping per host whose migration address exists (from it to every other host's)."""
    args = JumboPathCheckArgs(plan.path_members())
    logic = JumboPathCheckLogic(connector)
    answers: dict[str, Answer] = {}
    sources = []
    for member in args.hosts:
        reading = hosts.get(member.host)
        if reading is None:
            continue
        if any(a.ip_address == member.address for adapter in reading.adapters for a in adapter.ipv4_addresses):
            sources.append(member)
        else:
            answers[member.host] = f"{member.address} is not an address of it (no ping sent)"
    answers.update(zip([m.host for m in sources], pool.map(lambda m: logic.ping(args, m), sources), strict=True))
    return answers


def audit_site(plan: FabricPlan, connections: AuditConnections, max_parallel: int = MAX_PARALLEL) -> AuditReport:
    """Read every device of the site (never changing one) and check every requirement."""
    unreachable: list[Unreachable] = []
    devices = len(plan.hosts) + len(plan.switches) + 1
    with ThreadPoolExecutor(max_workers=max(1, min(max_parallel, devices))) as pool:
        host_reads = {c.host.name: pool.submit(_attempt, c.host.name, lambda h=c.host: read_host(connections.hosts, h),
                                               unreachable) for c in plan.hosts}
        switch_reads = {s.switch.name: pool.submit(_attempt, s.switch.name,
                                                   lambda s=s: read_switch(connections.switches, s), unreachable)
                        for s in plan.switches}
        directory = connections.directory
        accounts = None if directory is None else pool.submit(
            _attempt, DIRECTORY, lambda: read_accounts(directory, plan), unreachable)
        hosts = _results(host_reads)
        switches = _results(switch_reads)
        pings = _pings(plan, hosts, connections.hosts, pool)
        found_accounts = None if accounts is None else accounts.result()
    order = [*(c.host.name for c in plan.hosts), *(s.switch.name for s in plan.switches), DIRECTORY]
    unreachable.sort(key=lambda u: order.index(u.device))
    return evaluate(plan, SiteReadings(hosts, found_accounts, switches, pings, unreachable))
