"""The readiness report of a site (``lm-provider audit``): the requirements it checks, its findings,
and its JSON form (pure: no I/O).

Every requirement of the field guide is checked per host, per ordered pair of hosts (source ->
destination) and per switch, and each check is a :class:`Finding`: ``ok``, ``missing`` (not there
at all) or ``wrong`` (there, with another value), with the value found and the value expected.
A requirement that does not apply (protocol transition before Windows Server 2016, delegations
under CredSSP) has no finding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

OK, MISSING, WRONG = "ok", "missing", "wrong"
STATUSES = (OK, MISSING, WRONG)


@dataclass(frozen=True)
class Requirement:
    """One requirement: its id (JSON), a short label (the matrix's column) and what it means."""

    id: str
    label: str
    text: str


def requirements(table: str) -> tuple[Requirement, ...]:
    """Requirements from a table: one per line, id, label and text separated by blanks."""
    return tuple(Requirement(*line.split(maxsplit=2)) for line in table.strip().splitlines())


HOST_REQUIREMENTS = requirements("""
address                addr    the migration adapter has the migration address (static, that prefix, no other)
no-gateway             gw      no default gateway on the migration adapter
dns-registration       dns     the migration adapter does not register in DNS and has no DNS servers
bindings               bind    only ms_msclient, ms_pacer, ms_server and ms_tcpip bound
jumbo-packet           jumbo   the driver's Jumbo Packet carries the site's frames
interface-metric       metric  interface metric one after the management interface's
forwarding             fwd     IP forwarding off on the migration adapter
migration-enabled      lm      incoming and outgoing live migrations enabled
authentication         auth    the site's migration authentication (Kerberos or CredSSP)
migration-network      net     exactly the migration subnet listed (not any network)
listener               6600    vmms listens on the migration address (TCP 6600)
protocol-transition    pt      Kerberos on 2016+: the account may use any authentication protocol
""")
PAIR_REQUIREMENTS = requirements("""
hosts-name             hosts   the source's hosts file maps the destination's name to its migration address
hosts-fqdn             fqdn    the source's hosts file maps the destination's FQDN to its migration address
kcd-migration-fqdn     mig     delegation to Microsoft Virtual System Migration Service/<FQDN>
kcd-migration-netbios  mig-nb  delegation to Microsoft Virtual System Migration Service/<name>
kcd-cifs-fqdn          cifs    delegation to cifs/<FQDN>
kcd-cifs-netbios       cifs-nb delegation to cifs/<name>
spn                    spn     the destination's account has the services delegated to as SPNs
jumbo-ping             ping    a don't-fragment jumbo ping gets from source to destination address
""")
SWITCH_REQUIREMENTS = requirements("""
configured-mtu         conf    the system jumbo MTU is configured (and saved)
operational-mtu        live    the switch runs the jumbo MTU
reload-pending         reload  no reload pending (the configured MTU is the live one)
""")


@dataclass(frozen=True)
class Finding:
    """One requirement checked on one subject (a host, ``SOURCE -> DESTINATION`` or a switch)."""

    subject: str
    requirement: str
    status: str
    found: str
    expected: str

    @property
    def gap(self) -> bool:
        """True unless the requirement holds."""
        return self.status != OK

    def __str__(self) -> str:
        if not self.gap:
            return f"{self.subject} {self.requirement}: ok ({self.found})"
        return f"{self.subject} {self.requirement}: {self.status}: found {self.found}, expected {self.expected}"


@dataclass(frozen=True)
class Unreachable:
    """A device (host, switch, or the directory) that could not be read, and why."""

    device: str
    error: str


def pair_subject(source: str, destination: str) -> str:
    """How a pair is named: ``SOURCE -> DESTINATION``."""
    return f"{source} -> {destination}"


@dataclass(frozen=True)
class AuditReport:
    """Every finding, per host, per ordered pair and per switch (in the site's order), and the devices
    that could not be read (their requirements have no findings)."""

    hosts: dict[str, list[Finding]]
    pairs: dict[tuple[str, str], list[Finding]]
    switches: dict[str, list[Finding]]
    host_switch: dict[str, str | None] = field(default_factory=dict)
    """Which switch each host's migration adapter is cabled to (for :meth:`pair_gaps`)."""
    unreachable: list[Unreachable] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        """Every finding: hosts, then pairs, then switches."""
        groups = [*self.hosts.values(), *self.pairs.values(), *self.switches.values()]
        return [f for group in groups for f in group]

    def gaps(self) -> list[Finding]:
        """The findings that are not ok."""
        return [f for f in self.findings() if f.gap]

    def host(self, name: str) -> list[Finding]:
        """The findings of host ``name`` (any case); KeyError when it is not in the site."""
        return _lookup(self.hosts, name.lower(), lambda key: key.lower(), name)

    def switch(self, name: str) -> list[Finding]:
        """The findings of switch ``name`` (any case)."""
        return _lookup(self.switches, name.lower(), lambda key: key.lower(), name)

    def pair(self, source: str, destination: str) -> list[Finding]:
        """The findings of the ordered pair (any case): what a move from ``source`` to ``destination`` needs
        between the two (hosts file, delegation, SPNs, the jumbo ping)."""
        return _lookup(self.pairs, (source.lower(), destination.lower()), lambda k: (k[0].lower(), k[1].lower()),
                       pair_subject(source, destination))

    def pair_gaps(self, source: str, destination: str) -> list[Finding]:
        """Every gap that can make a move from ``source`` to ``destination`` fail: the pair's own, both
        hosts', and those of the switches their migration adapters are cabled to."""
        switches = {self.host_switch.get(n) for n in self.hosts if n.lower() in (source.lower(), destination.lower())}
        groups = [self.host(source), self.host(destination), self.pair(source, destination),
                  *(self.switches[s] for s in self.switches if s in switches)]
        return [f for group in groups for f in group if f.gap]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON (see docs/audit.md)."""
        def rows(findings: Sequence[Finding]) -> list[dict[str, str]]:
            return [{"requirement": f.requirement, "status": f.status, "found": f.found, "expected": f.expected}
                    for f in findings]

        return {
            "gaps": len(self.gaps()),
            "unreachable": [{"device": u.device, "error": u.error} for u in self.unreachable],
            "hosts": [{"name": name, "findings": rows(found)} for name, found in self.hosts.items()],
            "pairs": [{"source": s, "destination": d, "findings": rows(found)}
                      for (s, d), found in self.pairs.items()],
            "switches": [{"name": name, "findings": rows(found)} for name, found in self.switches.items()],
        }


def _lookup(groups: dict[Any, list[Finding]], wanted: Any, key: Callable[[Any], Any], what: str) -> list[Finding]:
    for name, found in groups.items():
        if key(name) == wanted:
            return found
    raise KeyError(f"{what} is not in the audited site")
