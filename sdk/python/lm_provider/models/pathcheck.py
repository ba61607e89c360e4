"""The jumbo path check: args, state, check, diff, and ping.exe's answers read into verdicts (pure).

A don't-fragment ping of 8972 bytes (9000-byte IP packet) from each host's migration address to
every other host's. ping.exe's answers mean:

- ``Reply from <target>: bytes=8972`` -> the whole path carries jumbo frames;
- ``Packet needs to be fragmented but DF set.`` -> the *sender's* adapter is too small (its
  Jumbo Packet setting);
- ``Request timed out.`` -> a hop dropped the frame or nothing answered: the switch's operational
  MTU (a pending reload counts: the configured value is not live yet), the receiver's adapter,
  cabling, or the peer is down/not in the subnet;
- ``General failure.`` / ``transmit failed`` -> the source address is not on the host.

A switch with a reload pending fails the check even when every ping gets through: the path is
not in its final state until the switch runs the configured MTU.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .host_target import HostTarget, winrm_url
from .inputs import UNKNOWN, Checked, InputReader
from .plan import Plan, inputs_of, verification_plan
from .switch import switch_name
from .validators import dns_name, ipv4_address, netbios_name

JUMBO_PAYLOAD = 8972
"""ICMP payload that makes a 9000-byte IP packet (9014-byte Ethernet frame)."""
IP_ICMP_HEADERS = 28
JUMBO_PACKET = JUMBO_PAYLOAD + IP_ICMP_HEADERS
"""The IP packet the check sends (9000 bytes)."""
SIZE_RANGE = (1, 65500)
"""What ``ping.exe -l`` accepts."""
KEYS = ("hosts", "switches", "size")
MEMBER_KEYS = ("host", "address", "switch", "fqdn", "winrm_endpoint")
SWITCH_KEYS = ("name", "pending_reload")


@dataclass(frozen=True)
class PingOutcome:
    """One pair's result: passed, and in words why not."""

    host: str
    source: str
    target: str
    passed: bool
    reason: str

    def __str__(self) -> str:
        verdict = "ok" if self.passed else self.reason
        return f"{self.host} {self.source} -> {self.target}: {verdict}"


def pending_text(switches: Sequence[str]) -> str:
    """Why a pending reload breaks the path, naming the switches when known."""
    if not switches:
        return "a switch reload is pending: the jumbo MTU is configured but not live until the switch reloads"
    names = " and ".join(switches)
    return f"a reload is pending on {names}: the jumbo MTU is configured but not live until it reloads"


def outcome(host: str, source: str, target: str, output: str, pending_reload: bool = False,
            switches: Sequence[str] = ()) -> PingOutcome:
    """Interpret ping.exe's ``output`` for one pair; ``pending_reload`` (of ``switches``, when
    known) is the likely cause of a time-out."""
    if f"Reply from {target}: bytes=" in output:
        return PingOutcome(host, source, target, True, "")
    if "Packet needs to be fragmented but DF set." in output:
        reason = f"{host}'s migration adapter does not carry jumbo frames (set its Jumbo Packet to 9014)"
    elif "Request timed out." in output:
        reason = "a hop dropped the frame or the peer did not answer (switch MTU, the peer's adapter, cabling)"
        if pending_reload:
            reason = pending_text(switches)
    elif "General failure" in output or "transmit failed" in output:
        reason = f"{source} is not an address of {host}"
    else:
        reason = "ping.exe answered: " + " ".join(output.split())[:200]
    return PingOutcome(host, source, target, False, reason)


@dataclass(frozen=True)
class PathMember:
    """A host taking part: its migration address, the switch its migration adapter is cabled to
    (when known), and how to reach it (``fqdn``/``winrm_endpoint``; credentials are the stack's)."""

    host: str
    address: str
    switch: str | None = None
    fqdn: str | None = None
    winrm_endpoint: str | None = None

    @property
    def target(self) -> HostTarget:
        """The host to run the pings on."""
        return HostTarget(self.host, self.fqdn, self.winrm_endpoint)


@dataclass(frozen=True)
class SwitchStatus:
    """A switch on the path and whether a reload is pending there (SwitchJumboMtu's ``pending_reload``)."""

    name: str
    pending_reload: bool = False


@dataclass(frozen=True)
class JumboPathCheckArgs:
    """Inputs: at least two hosts, the switches between them, the ICMP payload size."""

    hosts: list[PathMember]
    switches: list[SwitchStatus] = field(default_factory=list)
    size: int = JUMBO_PAYLOAD


@dataclass(frozen=True)
class JumboPathCheckState(JumboPathCheckArgs):
    """Outputs: the inputs, whether the path carried the size everywhere at the last run, every
    pair's result, the failures in words and the switches with a reload pending."""

    passed: bool = False
    results: list[PingOutcome] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    pending_reloads: list[str] = field(default_factory=list)


def read_members(reader: InputReader) -> Any:
    """The ``hosts`` input: at least two :class:`PathMember` with unique names and addresses."""
    raw = reader.objects("hosts", required=True)
    if not isinstance(raw, list):
        return raw
    if len(raw) < 2:
        reader.fail("hosts", f"lists {len(raw)} host(s); a path needs at least 2")
    members: list[PathMember] = []
    names: dict[str, int] = {}
    addresses: dict[str, int] = {}
    for index, item in enumerate(raw):
        prop = f"hosts[{index}]"
        if item is UNKNOWN:
            reader.complete = False
            continue
        nested = reader.nested(prop, item, MEMBER_KEYS)
        host = nested.string("host", required=True, validator=netbios_name)
        address = nested.string("address", required=True, validator=ipv4_address)
        switch = nested.string("switch", validator=switch_name)
        fqdn = nested.string("fqdn", validator=dns_name)
        endpoint = nested.string("winrm_endpoint", validator=winrm_url)
        for value, seen, what in ((host, names, "host"), (address, addresses, "address")):
            if isinstance(value, str):
                key = value.lower()
                if key in seen:
                    reader.fail(f"{prop}.{what}", f"{value} is listed twice (also hosts[{seen[key]}])")
                seen.setdefault(key, index)
        members.append(PathMember(host, address, switch, fqdn, endpoint))
    return members


def _switches(reader: InputReader) -> Any:
    raw = reader.objects("switches", allow_empty=True)
    if not isinstance(raw, list):
        return [] if raw is None else raw
    switches: list[SwitchStatus] = []
    for index, item in enumerate(raw):
        if item is UNKNOWN:
            reader.complete = False
            continue
        nested = reader.nested(f"switches[{index}]", item, SWITCH_KEYS)
        name = nested.string("name", required=True, validator=switch_name)
        pending = nested.boolean("pending_reload", default=False)
        switches.append(SwitchStatus(name, pending))
    return switches


def check_path(inputs: Mapping[str, Any]) -> Checked[JumboPathCheckArgs]:
    """Validate raw inputs: every failure at once, named by property; no I/O."""
    reader = InputReader(inputs, KEYS)
    members = read_members(reader)
    switches = _switches(reader)
    size = reader.integer("size", default=JUMBO_PAYLOAD, minimum=SIZE_RANGE[0], maximum=SIZE_RANGE[1])
    return reader.checked(lambda: JumboPathCheckArgs(members, switches, size))


def args_of(state: JumboPathCheckState) -> JumboPathCheckArgs:
    """The inputs recorded in ``state``."""
    return inputs_of(state, JumboPathCheckArgs)


def diff_path(state: JumboPathCheckState, args: JumboPathCheckArgs) -> Plan:
    """Changed inputs update in place (the check runs again); so does a check that failed at the
    last read (``pulumi refresh`` found the path broken): the next ``up`` runs it again."""
    return verification_plan(state, args, state.failures, "check")


def targets_of(args: JumboPathCheckArgs, member: PathMember) -> list[str]:
    """The addresses ``member`` pings: every other host's, in the order listed."""
    return [m.address for m in args.hosts if m is not member]


def _pending_on_path(args: JumboPathCheckArgs, source: PathMember, target: PathMember) -> list[str]:
    """Switches with a reload pending that the pair's frames cross (all pending ones when the
    cabling is not known)."""
    pending = [s.name for s in args.switches if s.pending_reload]
    on_path = {s.lower() for s in (source.switch, target.switch) if s}
    return [s for s in pending if s.lower() in on_path] if on_path else pending


Answer = list[Mapping[str, Any]] | str
"""What one source host's ``net.ping`` returned (one entry per target), or why it could not run."""


def evaluate(args: JumboPathCheckArgs, answers: Mapping[str, Answer]) -> JumboPathCheckState:
    """The state after a run: ``answers`` maps each host name to its ``net.ping`` result."""
    results: list[PingOutcome] = []
    blamed: set[str] = set()
    by_address = {m.address: m for m in args.hosts}
    for member in args.hosts:
        answer = answers.get(member.host, "no answer")
        if isinstance(answer, str):
            results += [PingOutcome(member.host, member.address, address, False,
                                    f"could not run the check on {member.host}: {answer}")
                        for address in targets_of(args, member)]
            continue
        outputs = {str(a.get("Target")): str(a.get("Output", "")) for a in answer}
        for address in targets_of(args, member):
            pending = _pending_on_path(args, member, by_address[address])
            result = outcome(member.host, member.address, address, outputs.get(address, f"no result for {address}"),
                             bool(pending), pending)
            if not result.passed and result.reason == pending_text(pending):
                blamed.update(pending)
            results.append(result)
    failures = [str(r) for r in results if not r.passed]
    pending_reloads = [s.name for s in args.switches if s.pending_reload]
    failures += [f"{name}: a reload is pending: the configured jumbo MTU is not live until the switch reloads"
                 for name in pending_reloads if name not in blamed]
    return JumboPathCheckState(hosts=list(args.hosts), switches=list(args.switches), size=args.size,
                               passed=not failures, results=results, failures=failures,
                               pending_reloads=pending_reloads)
