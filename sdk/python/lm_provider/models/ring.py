"""The test migration ring: args, state, check, diff, and Move-VM's answers read into verdicts (pure).

A throwaway VM (the *probe*) is created on the first host and moved with its storage to each next
host in turn, the last move bringing it home; then it is removed. Each move is one pair
``source -> destination``. A pair passes when Move-VM succeeded *and* the traffic used the
migration subnet (a move that silently ran over the management network fails). A failed move
leaves the probe on its source: it is removed there and a fresh probe starts on the destination,
so every pair of the ring is tried once and only the broken pairs fail.

Move-VM's errors carry an HRESULT (``(0x8009030E)``); :data:`EXPLANATIONS` gives the field
guide's reading of each.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .audit_report import Finding
from .inputs import Checked, InputReader
from .pathcheck import PathMember, read_members
from .plan import Plan, inputs_of, verification_plan
from .validators import ipv4_network

PROBE_MARKER = "lm-provider migration probe (safe to delete)"
"""The Notes of every probe VM: what the vm ops match, so user VMs are never touched."""
PROBE_PREFIX = "lm-probe-"
DEFAULT_STORAGE_PATH = "C:\\ProgramData\\lm-provider\\probe"
NAME_FORMS = ("fqdn", "netbios")
KEYS = ("hosts", "subnet", "storage_path", "name_form", "triggers")
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:\\[^\x00-\x1f<>:\"/|?*]*$")
_HRESULT = re.compile(r"\((0x[0-9A-Fa-f]{8})\)")

EXPLANATIONS = {
    "0x8009030E": "no usable Kerberos delegation: the source's computer account must be trusted to delegate to "
                  "'Microsoft Virtual System Migration Service' and 'cifs' of the destination in the form the move "
                  "names it (FQDN and NetBIOS both listed), with 'use any authentication protocol' on Windows "
                  "Server 2016 and later; a delegation added since the source's last ticket purge is not used until "
                  "'klist -li 0x3e7 purge' (or a reboot, or up to 10 hours); under CredSSP a remotely started move "
                  "always fails",
    "0x8009030D": "the hosts use different authentication protocols (Kerberos vs CredSSP): set the same on both",
    "0x80090322": "the destination's computer account does not have the service principal name the move asks "
                  "for (Microsoft Virtual System Migration Service/<name>)",
    "0x80090311": "no domain controller could be reached for Kerberos",
    "0x8007274D": "nothing listens on TCP 6600 at the destination: live migration is off there, its migration "
                  "network lists none of its addresses, or vmms was not restarted after the change (stale listener)",
    "0x8007274C": "the destination's TCP 6600 listeners cannot be reached from the source's migration addresses: "
                  "check the migration networks of both hosts, the addresses, cabling and the switch",
    "0x80072746": "the connection broke while sending: jumbo frames are dropped on the path (the switch's MTU is "
                  "not live, e.g. a reload is pending, or a NIC's Jumbo Packet differs)",
    "0x80072AF9": "the destination's name does not resolve on the source (hosts file or DNS)",
}
"""HRESULT -> what it means for live migration (after the field guide and Microsoft's KB 4558514)."""


def hresult(message: str) -> str | None:
    """The last ``(0x........)`` code in a Windows error message, upper-case hex; None if none."""
    found = _HRESULT.findall(message)
    return f"0x{found[-1][2:].upper()}" if found else None


def explain(code: str | None) -> str:
    """The field guide's explanation of a Move-VM error code ("" when unknown)."""
    return EXPLANATIONS.get(code or "", "")


@dataclass(frozen=True)
class PairResult:
    """One move of the ring: whether it passed, the addresses its traffic used, the network that is,
    its time, and on failure Windows' error, its code and what that means."""

    source: str
    destination: str
    passed: bool
    source_address: str | None = None
    destination_address: str | None = None
    network: str = "unknown"
    """``migration`` (inside the fabric's subnet), ``other`` (e.g. the management network) or ``unknown``."""
    seconds: float = 0.0
    error: str = ""
    code: str | None = None
    explanation: str = ""
    causes: list[str] = field(default_factory=list)
    """What the audit found wrong for this move (filled by :func:`diagnosed`; empty otherwise)."""

    def __str__(self) -> str:
        if self.passed:
            return f"{self.source} -> {self.destination}: ok over {self.destination_address} ({self.seconds:.2f} s)"
        why = self.error + (f" [{self.explanation}]" if self.explanation else "")
        return f"{self.source} -> {self.destination}: {why}"


@dataclass(frozen=True)
class MigrationRingArgs:
    """Inputs: the hosts in ring order (at least 2; ``address`` = the migration address), the migration
    subnet the traffic must use, where the probe's files live on every host, which name of the
    destination Move-VM is given (``fqdn`` or ``netbios``) and ``triggers`` (any change runs the ring again)."""

    hosts: list[PathMember]
    subnet: str
    storage_path: str = DEFAULT_STORAGE_PATH
    name_form: str = "fqdn"
    triggers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MigrationRingState(MigrationRingArgs):
    """Outputs: the inputs, whether every pair passed at the last run, every pair's result, the
    failures in words and the ring's total time."""

    passed: bool = False
    pairs: list[PairResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _storage_path(value: str) -> str | None:
    if not _WINDOWS_PATH.match(value):
        return "must be an absolute Windows path (C:\\...) without control or reserved characters"
    return None


def check_ring(inputs: Mapping[str, Any]) -> Checked[MigrationRingArgs]:
    """Validate raw inputs: every failure at once, named by property; no I/O."""
    reader = InputReader(inputs, KEYS)
    members = read_members(reader)
    subnet = reader.string("subnet", required=True, validator=ipv4_network)
    storage = reader.string("storage_path", default=DEFAULT_STORAGE_PATH, validator=_storage_path)
    form = reader.choice("name_form", NAME_FORMS, default="fqdn")
    triggers = reader.string_list("triggers", default=(), allow_empty=True)
    if isinstance(subnet, str) and ipv4_network(subnet) is None and isinstance(members, list):
        network = ipaddress.IPv4Network(subnet, strict=False)
        for index, member in enumerate(members):
            if ipaddress.IPv4Address(member.address) not in network:
                reader.fail(f"hosts[{index}].address", f"{member.address} is not inside the subnet {network}")
    if form == "fqdn" and isinstance(members, list):
        for index, member in enumerate(members):
            if member.fqdn is None:
                reader.fail(f"hosts[{index}].fqdn", "is required when name_form is fqdn (the name Move-VM is given)")
    return reader.checked(lambda: MigrationRingArgs(members, subnet, storage, form, list(triggers or [])))


def args_of(state: MigrationRingState) -> MigrationRingArgs:
    """The inputs recorded in ``state``."""
    return inputs_of(state, MigrationRingArgs)


def diff_ring(state: MigrationRingState, args: MigrationRingArgs) -> Plan:
    """Changed inputs run the ring again (an update in place); so does a ring that failed last time."""
    return verification_plan(state, args, state.failures, "test migration")


def destination_name(args: MigrationRingArgs, member: PathMember) -> str:
    """The name Move-VM is given for ``member``."""
    return member.fqdn if args.name_form == "fqdn" and member.fqdn else member.host


def ring_pairs(args: MigrationRingArgs) -> list[tuple[PathMember, PathMember]]:
    """Each host to the next, the last back to the first."""
    hosts = args.hosts
    return [(hosts[i], hosts[(i + 1) % len(hosts)]) for i in range(len(hosts))]


def _inside(address: str, subnet: str) -> bool:
    """Whether ``address`` (as Get-NetTCPConnection prints it: IPv4, or IPv6 with a zone) is in ``subnet``."""
    try:
        return ipaddress.ip_address(address.split("%")[0]) in ipaddress.IPv4Network(subnet, strict=False)
    except ValueError:
        return False


def moved(args: MigrationRingArgs, source: PathMember, destination: PathMember, answer: Mapping[str, Any],
          seconds: float) -> PairResult:
    """A move Move-VM reported done, judged by the network its traffic used."""
    src, dst = answer.get("SourceAddress"), answer.get("DestinationAddress")
    network = "unknown"
    if isinstance(dst, str) and dst:
        network = "migration" if _inside(dst, args.subnet) else "other"
    result = PairResult(source.host, destination.host, network != "other", src if isinstance(src, str) else None,
                        dst if isinstance(dst, str) else None, network, round(seconds, 3))
    if network == "other":
        result = PairResult(result.source, result.destination, False, result.source_address,
                            result.destination_address, network, result.seconds,
                            f"the migration traffic used {dst}, outside the migration subnet {args.subnet} (the "
                            f"management network?)", None,
                            "the destination's migration networks do not cover its migration address, or "
                            "'use any available network' is on")
    return result


def failed(source: PathMember, destination: PathMember, error: str, seconds: float) -> PairResult:
    """A move that did not happen: Windows' message, its code and the explanation."""
    code = hresult(error)
    return PairResult(source.host, destination.host, False, seconds=round(seconds, 3), error=error, code=code,
                      explanation=explain(code))


def ring_state(args: MigrationRingArgs, pairs: list[PairResult], seconds: float,
               cleanup_problems: list[str]) -> MigrationRingState:
    """The state after a run: every pair, the failures in words (and probes that could not be removed)."""
    failures = [str(p) for p in pairs if not p.passed] + cleanup_problems
    return MigrationRingState(**{f.name: getattr(args, f.name) for f in fields(MigrationRingArgs)},
                              passed=not failures, pairs=pairs, failures=failures, seconds=round(seconds, 3))


def diagnosed(pair: PairResult, gaps: Sequence[Finding]) -> PairResult:
    """A failed pair with its causes: the audit's gaps that can fail this move (both hosts, the pair,
    their switches); with none and Kerberos' 0x8009030E, the one cause AD cannot show: the source's
    tickets predate its delegation."""
    if pair.passed:
        return pair
    found = [str(gap) for gap in gaps]
    if not found and pair.code == "0x8009030E":
        found = [f"{pair.source}: the delegation in AD is complete, so {pair.source}'s Kerberos tickets predate it: "
                 f"purge them ('klist -li 0x3e7 purge' on {pair.source}; the fabric does it with purge_tickets) or "
                 f"wait for them to expire (up to 10 hours)"]
    return replace(pair, causes=found)
