"""What a site's devices were found to be, checked against what the fabric would make of them (pure).

:func:`evaluate` takes a :class:`~lm_provider.models.fabric.FabricPlan` and the readings of every
device (:class:`SiteReadings`) and returns an :class:`~lm_provider.models.audit_report.AuditReport`.
The comparisons are the resources' own (:mod:`.nic`, :mod:`.migration`, :mod:`.kcd`,
:mod:`.hosts_text`, :mod:`.pathcheck`, :mod:`.switch`), applied to the children's args the fabric
would give them, so a gap here is exactly what ``pulumi up`` would change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .audit_report import MISSING, OK, WRONG, AuditReport, Finding, Unreachable, pair_subject
from .fabric import FabricHost, FabricPlan, HostChildren, SwitchChildren
from .host_target import HostTarget
from .hosts_text import HostsLine, conflicts, view
from .kcd import (
    MIGRATION_SERVICE,
    KcdDelegationArgs,
    Peer,
    delegation_values,
    has_protocol_transition,
    unregistered_targets,
    value_status,
)
from .migration import LiveMigrationSettingsArgs, MigrationNetwork, MigrationSettings, has_networks, windows_version
from .nic import (
    MIGRATION_BINDINGS,
    AdapterSettings,
    MigrationNicArgs,
    desired_metric,
    has_jumbo,
    has_metric,
    has_only_address,
    jumbo_value,
    wrong_bindings,
)
from .nic_inputs import normal_mac
from .pathcheck import Answer, JumboPathCheckArgs, SwitchStatus
from .pathcheck import evaluate as evaluate_path
from .switch import SwitchJumboMtuState

FIRST_WINDOWS_NEEDING_PROTOCOL_TRANSITION = (10, 0)
"""Windows Server 2016: a Kerberos move started remotely needs "use any authentication protocol"."""
ADAPTER_REQUIREMENTS = ("address", "no-gateway", "dns-registration", "bindings", "jumbo-packet", "interface-metric",
                        "forwarding")
"""The host requirements of the migration adapter (all missing when there is no such adapter)."""
NO_OWNER = "0" * 16
"""An owner tag no resource has: every line of the hosts file is read as someone else's."""


@dataclass(frozen=True)
class HostReading:
    """What one host reported: its physical adapters, the management interface's metric, its live
    migration settings, TCP 6600 listeners, OS version and hosts file."""

    adapters: list[AdapterSettings]
    management_metric: int | None
    migration: MigrationSettings
    listeners: list[str]
    os_version: str
    hosts_file: str


@dataclass(frozen=True)
class Account:
    """A computer account as the directory holds it: its delegations, flags and SPNs."""

    allowed_to_delegate_to: list[str]
    user_account_control: int
    spns: list[str]


@dataclass(frozen=True)
class SiteReadings:
    """Every reading: per host name, per computer name (lower case; None: no account), per switch
    name, the jumbo pings per source host, and what could not be read."""

    hosts: Mapping[str, HostReading]
    accounts: Mapping[str, Account | None] | None
    """None under CredSSP or when the directory could not be read."""
    switches: Mapping[str, SwitchJumboMtuState]
    pings: Mapping[str, Answer]
    unreachable: list[Unreachable] = field(default_factory=list)


def target(host: FabricHost) -> HostTarget:
    """How the fabric reaches ``host``."""
    return HostTarget(host.name, host.fqdn, host.winrm_endpoint)


def nic_args(plan: FabricPlan, host: FabricHost) -> MigrationNicArgs:
    """The MigrationNic args the fabric gives ``host``."""
    return MigrationNicArgs(target(host), ip_address=host.address, prefix_length=plan.prefix_length,
                            adapter_name=host.adapter_name, mac_address=host.mac_address,
                            interface_description=host.interface_description, jumbo_packet=plan.jumbo_packet)


def migration_args(plan: FabricPlan, host: FabricHost) -> LiveMigrationSettingsArgs:
    """The LiveMigrationSettings args the fabric gives ``host``."""
    return LiveMigrationSettingsArgs(target(host), networks=[MigrationNetwork(plan.subnet, 0)],
                                     authentication=plan.authentication, performance_option=plan.performance_option)


def select_adapter(adapters: Sequence[AdapterSettings], host: FabricHost) -> AdapterSettings | None:
    """The adapter ``host``'s selector names (by name, MAC or description, any case)."""
    for adapter in adapters:
        if host.adapter_name is not None and adapter.name.lower() == host.adapter_name.lower():
            return adapter
        if host.mac_address is not None and adapter.mac_address.upper() == normal_mac(host.mac_address):
            return adapter
        if host.interface_description is not None and \
                adapter.interface_description.lower() == host.interface_description.lower():
            return adapter
    return None


def adapter_selector(host: FabricHost) -> str:
    """The selector in words: ``adapter 'Ethernet 2'``."""
    if host.adapter_name is not None:
        return f"adapter {host.adapter_name!r}"
    if host.mac_address is not None:
        return f"adapter with MAC {host.mac_address}"
    return f"adapter {host.interface_description!r}"


def _check(subject: str, requirement: str, holds: bool, found: str, expected: str, missing: bool = False) -> Finding:
    status = OK if holds else MISSING if missing else WRONG
    return Finding(subject, requirement, status, found, expected)


def _on_off(value: bool) -> str:
    return "on" if value else "off"


def _nic_findings(plan: FabricPlan, host: FabricHost, reading: HostReading) -> list[Finding]:
    args = nic_args(plan, host)
    name = host.name
    adapter = select_adapter(reading.adapters, host)
    if adapter is None:
        present = ", ".join(a.name for a in reading.adapters) or "none"
        found = f"no {adapter_selector(host)} (adapters: {present})"
        return [Finding(name, r, MISSING, found, "the migration adapter") for r in ADAPTER_REQUIREMENTS]
    addresses = [f"{a.ip_address}/{a.prefix_length}" for a in adapter.ipv4_addresses]
    wanted = f"{host.address}/{plan.prefix_length}"
    found_address = ", ".join(addresses) or "no IPv4 address"
    if adapter.dhcp:
        found_address += " (DHCP)"
    wrong = wrong_bindings(adapter, args)
    metric = desired_metric(args, reading.management_metric)
    found_metric = "automatic" if adapter.automatic_metric else str(adapter.interface_metric)
    jumbo = jumbo_value(args.jumbo_packet, adapter.jumbo_valid_values)
    return [
        _check(name, "address", has_only_address(adapter, host.address, plan.prefix_length), found_address,
               f"{wanted} static", missing=not any(a.ip_address == host.address for a in adapter.ipv4_addresses)),
        _check(name, "no-gateway", not adapter.default_gateways, ", ".join(adapter.default_gateways) or "none", "none"),
        _check(name, "dns-registration", not adapter.register_dns and not adapter.dns_servers,
               f"registration {_on_off(adapter.register_dns)}, DNS servers {', '.join(adapter.dns_servers) or 'none'}",
               "registration off, DNS servers none"),
        _check(name, "bindings", not wrong,
               ", ".join(f"{c} {_on_off(not on)}" for c, on in sorted(wrong.items())) or "only the four",
               f"only {', '.join(sorted(MIGRATION_BINDINGS))}"),
        _check(name, "jumbo-packet", has_jumbo(adapter, args.jumbo_packet),
               "no Jumbo Packet property" if adapter.jumbo_packet is None else str(adapter.jumbo_packet),
               str(jumbo or args.jumbo_packet), missing=adapter.jumbo_packet is None),
        _check(name, "interface-metric", has_metric(adapter, metric), found_metric,
               "a management interface first" if metric is None else
               f"{metric} (management interface: {reading.management_metric})"),
        _check(name, "forwarding", adapter.forwarding == args.forwarding, _on_off(adapter.forwarding),
               _on_off(args.forwarding)),
    ]


def needs_protocol_transition(os_version: str) -> bool:
    """Whether a host on Windows ``os_version`` needs protocol transition for Kerberos moves (2016+)."""
    version = windows_version(os_version)
    return version is not None and version >= FIRST_WINDOWS_NEEDING_PROTOCOL_TRANSITION


def _migration_findings(plan: FabricPlan, host: FabricHost, reading: HostReading,
                        account: Account | None, directory_read: bool) -> list[Finding]:
    args = migration_args(plan, host)
    name = host.name
    m = reading.migration
    networks = ", ".join(n.subnet for n in m.networks) or "none"
    if m.use_any_network:
        networks += " (use any network)"
    findings = [
        _check(name, "migration-enabled", m.enabled == args.enabled, _on_off(m.enabled), _on_off(args.enabled)),
        _check(name, "authentication", m.authentication == args.authentication, m.authentication,
               args.authentication),
        _check(name, "migration-network", has_networks(m, args), networks, plan.subnet,
               missing=not any(n.subnet == plan.subnet for n in m.networks)),
        _check(name, "listener", host.address in reading.listeners,
               ", ".join(reading.listeners) or "no listener", f"{host.address}:6600", missing=True),
    ]
    if plan.authentication == "Kerberos" and directory_read and needs_protocol_transition(reading.os_version):
        flag = account is not None and has_protocol_transition(account.user_account_control)
        findings.append(_check(name, "protocol-transition", flag,
                               "no computer account" if account is None else _on_off(flag), "on", missing=True))
    return findings


def _hosts_file_findings(subject: str, text: str, peer: FabricHost) -> list[Finding]:
    """The source's hosts file for the destination's name and FQDN: a line mapping the name elsewhere is
    wrong (the fabric's HostsEntries refuses it too), none is missing."""
    found: list[Finding] = []
    for requirement, name in (("hosts-name", peer.name), ("hosts-fqdn", peer.fqdn)):
        lines = view(text, NO_OWNER, [name]).others
        clashes = conflicts(lines, [HostsLine(peer.address, [name])])
        expected = f"{name} -> {peer.address}"
        if clashes:
            found.append(Finding(subject, requirement, WRONG, str(clashes[0]), expected))
        else:
            shown = f"line {lines[0].line} ('{lines[0].text}')" if lines else "no line"
            found.append(_check(subject, requirement, bool(lines), shown, expected, missing=True))
    return found


DELEGATIONS = (("kcd-migration-fqdn", MIGRATION_SERVICE, "fqdn"),
               ("kcd-migration-netbios", MIGRATION_SERVICE, "netbios"),
               ("kcd-cifs-fqdn", "cifs", "fqdn"), ("kcd-cifs-netbios", "cifs", "netbios"))
"""The pair's delegation requirements: id, service, name form."""


def _delegation_findings(subject: str, source: FabricHost, destination: FabricHost,
                         accounts: Mapping[str, Account | None]) -> list[Finding]:
    account = accounts.get(source.name.lower())
    peer = Peer(destination.name, destination.fqdn)
    findings: list[Finding] = []
    for requirement, service, form in DELEGATIONS:
        value = delegation_values(KcdDelegationArgs(source.name, [peer], [service], [form]))[0]
        present = account is not None and not value_status([value], account.allowed_to_delegate_to).missing
        found = "present" if present else "absent" if account else f"no computer account {source.name}$"
        findings.append(_check(subject, requirement, present, found, value, missing=True))
    destination_account = accounts.get(destination.name.lower())
    spns = {} if destination_account is None else {destination.name.lower(): destination_account.spns}
    warnings = unregistered_targets(delegation_values(KcdDelegationArgs(source.name, [peer])), spns, [peer])
    findings.append(_check(subject, "spn", not warnings, "; ".join(warnings) or "registered",
                           f"SPNs of {destination.name}$ for {MIGRATION_SERVICE} and cifs (or HOST)", missing=True))
    return findings


def _ping_findings(plan: FabricPlan, readings: SiteReadings) -> dict[tuple[str, str], Finding]:
    """The jumbo ping of each pair, read by the path check's own rules (a pending reload named); a
    source that sent no ping (its answer is the reason) misses it."""
    pending = [SwitchStatus(name, state.pending_reload) for name, state in readings.switches.items()]
    args = JumboPathCheckArgs(plan.path_members(), pending)
    names = {h.host.address: h.host.name for h in plan.hosts}
    findings = {}
    for r in evaluate_path(args, readings.pings).results:
        findings[(r.host, names[r.target])] = _check(
            pair_subject(r.host, names[r.target]), "jumbo-ping", r.passed, "reply" if r.passed else r.reason,
            f"a reply from {r.target} ({args.size} bytes, don't fragment)",
            missing=isinstance(readings.pings.get(r.host), str))
    return findings


def _switch_findings(children: SwitchChildren, state: SwitchJumboMtuState) -> list[Finding]:
    name, mtu = children.switch.name, children.switch.mtu
    saved = "" if state.saved_mtu == state.configured_mtu else f" (saved: {state.saved_mtu})"
    return [
        _check(name, "configured-mtu", state.configured_mtu == mtu and state.saved_mtu == mtu,
               f"{state.configured_mtu}{saved}", str(mtu)),
        _check(name, "operational-mtu", state.operational_mtu == mtu, str(state.operational_mtu), str(mtu)),
        _check(name, "reload-pending", not state.pending_reload,
               f"pending: {state.configured_mtu} configured, {state.operational_mtu} live" if state.pending_reload
               else "none", "none"),
    ]


def _host_findings(plan: FabricPlan, children: HostChildren, readings: SiteReadings) -> list[Finding]:
    host = children.host
    reading = readings.hosts[host.name]
    accounts = readings.accounts
    account = accounts.get(host.name.lower()) if accounts is not None else None
    return [*_nic_findings(plan, host, reading),
            *_migration_findings(plan, host, reading, account, accounts is not None)]


def _pair_findings(plan: FabricPlan, source: FabricHost, destination: FabricHost, readings: SiteReadings,
                   pings: Mapping[tuple[str, str], Finding]) -> list[Finding]:
    subject = pair_subject(source.name, destination.name)
    findings: list[Finding] = []
    reading = readings.hosts.get(source.name)
    if reading is not None:
        findings += _hosts_file_findings(subject, reading.hosts_file, destination)
    if plan.authentication == "Kerberos" and readings.accounts is not None:
        findings += _delegation_findings(subject, source, destination, readings.accounts)
    ping = pings.get((source.name, destination.name))
    if ping is not None and reading is not None:
        findings.append(ping)
    return findings


def evaluate(plan: FabricPlan, readings: SiteReadings) -> AuditReport:
    """Every requirement of the site against the readings; a device not read has no findings."""
    hosts = {c.host.name: _host_findings(plan, c, readings) if c.host.name in readings.hosts else []
             for c in plan.hosts}
    pings = _ping_findings(plan, readings)
    pairs = {(a.host.name, b.host.name): _pair_findings(plan, a.host, b.host, readings, pings)
             for a in plan.hosts for b in plan.hosts if a is not b}
    switches = {s.switch.name: _switch_findings(s, readings.switches[s.switch.name]) if s.switch.name in
                readings.switches else [] for s in plan.switches}
    cabling = {c.host.name: c.host.switch for c in plan.hosts}
    return AuditReport(hosts, pairs, switches, cabling, list(readings.unreachable))
