"""Kerberos constrained delegation of one Hyper-V host's computer account: args, state, check, diff,
and the pure value logic (which ``msDS-AllowedToDelegateTo`` values to add or delete). No I/O.

Values are ``<service>/<peer FQDN>`` and ``<service>/<peer NetBIOS name>``. AD compares them
case-insensitively, so every comparison here does too; a value that differs from an existing one
only in case is never added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ldap3.core.exceptions import LDAPInvalidDnError
from ldap3.utils.dn import parse_dn

from .inputs import Checked, InputReader
from .plan import Plan
from .validators import dns_name

MIGRATION_SERVICE = "Microsoft Virtual System Migration Service"
SERVICES = ("cifs", MIGRATION_SERVICE)
"""The services live migration delegates to: SMB (cifs, for storage moves) and the VMMS migration service."""
FORMS = ("fqdn", "netbios")
"""Which target-name forms to delegate to: ``cifs/hv02.corp.com`` (fqdn) and ``cifs/HV02`` (netbios)."""
HOST_ALIASED_SERVICES = frozenset({"cifs"})
"""Services the default ``sPNMappings`` maps onto ``HOST/``: registered when the peer has ``HOST/<name>``."""
TRUSTED_TO_AUTH_FOR_DELEGATION = 0x1000000
"""userAccountControl bit of "use any authentication protocol" (protocol transition)."""

_COMPUTER_NAME = re.compile(r"^(?!-)[A-Za-z0-9-]{1,15}(?<!-)$")
COMPUTER_NAME_RULE = "1-15 letters, digits and inner hyphens"


@dataclass(frozen=True)
class Peer:
    """A host this computer may delegate to: its NetBIOS name and FQDN."""

    name: str
    fqdn: str


@dataclass(frozen=True)
class HyperVHost:
    """A computer found by discovery: name (cn), FQDN (dNSHostName) and DN."""

    name: str
    fqdn: str
    dn: str

    def as_peer(self) -> Peer:
        """This host as a delegation peer."""
        return Peer(self.name, self.fqdn)


@dataclass(frozen=True)
class KcdDelegationArgs:
    """Inputs: the computer (sAMAccountName, DN or FQDN), its peers, services, name forms, and
    whether to allow protocol transition ("use any authentication protocol")."""

    computer: str
    peers: list[Peer]
    services: list[str] = field(default_factory=lambda: list(SERVICES))
    forms: list[str] = field(default_factory=lambda: list(FORMS))
    protocol_transition: bool = True


@dataclass(frozen=True)
class KcdDelegationState(KcdDelegationArgs):
    """Outputs: the inputs (``protocol_transition`` as found by the last read) plus what was found.

    ``owned``: values this resource added (and so deletes); ``present``/``missing``: the desired
    values found / not found; ``foreign``: other values on the attribute (kept, never touched);
    ``found_protocol_transition``: the flag before the first change (restored by delete);
    ``warnings``: delegation targets that are not registered SPNs of their peer.
    """

    dn: str = ""
    sam_account_name: str = ""
    owned: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    found_protocol_transition: bool = False
    warnings: list[str] = field(default_factory=list)


def computer_name(value: str) -> str | None:
    """A computer's NetBIOS name as used in SPNs: letters, digits, inner hyphens, at most 15."""
    return None if _COMPUTER_NAME.match(value) else f"{value!r} is not a computer name ({COMPUTER_NAME_RULE})"


def fqdn(value: str) -> str | None:
    """A fully qualified host name: at least two DNS labels."""
    reason = dns_name(value)
    if reason is None and "." not in value.strip("."):
        reason = f"{value!r} is not a fully qualified name (host.domain)"
    return reason


def computer_reference(value: str) -> str | None:
    """A computer given as sAMAccountName (``HV01`` or ``HV01$``), distinguished name or FQDN."""
    if "=" in value:
        try:
            parts = parse_dn(value)
        except LDAPInvalidDnError:
            return f"{value!r} is not a distinguished name"
        if not parts or parts[0][0].upper() != "CN" or computer_name(str(parts[0][1])) is not None:
            return f"{value!r} is not a computer's distinguished name (CN=<{COMPUTER_NAME_RULE}>,OU=...)"
        return None
    if "." in value:
        return fqdn(value)
    if computer_name(value.removesuffix("$")) is None:
        return None
    return (f"{value!r} is not a computer: give its sAMAccountName ({COMPUTER_NAME_RULE}, optionally with "
            "the trailing $), its distinguished name or its FQDN")


def short_name(reference: str) -> str:
    """The NetBIOS-style name of a computer reference (CN of a DN, first label of an FQDN)."""
    if "=" in reference:
        return str(parse_dn(reference)[0][1])
    return reference.removesuffix("$").split(".")[0]


def _read_peers(reader: InputReader, computer: Any) -> Any:
    raw = reader.objects("peers", required=True)
    if not isinstance(raw, list):
        return raw
    peers: list[Peer] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        nested = reader.nested(f"peers[{index}]", item, ["name", "fqdn"]) if isinstance(item, Mapping) else None
        if nested is None:
            reader.complete = False
            continue
        name = nested.string("name", required=True, validator=computer_name)
        host = nested.string("fqdn", required=True, validator=fqdn)
        if not isinstance(name, str) or not isinstance(host, str):
            continue
        if isinstance(computer, str) and computer_reference(computer) is None and (
                name.lower() == short_name(computer).lower() or host.lower() == computer.lower()):
            reader.fail(f"peers[{index}]", f"{name} is the computer itself; a host does not delegate to itself")
        if name.lower() in seen:
            reader.fail(f"peers[{index}]", f"{name} is listed twice (also peers[{seen[name.lower()]}])")
        seen.setdefault(name.lower(), index)
        peers.append(Peer(name, host))
    return peers


def _read_choices(reader: InputReader, prop: str, choices: Sequence[str]) -> Any:
    def known(value: str) -> str | None:
        if value.lower() in (c.lower() for c in choices):
            return None
        return f"{value!r} is not one of: {', '.join(choices)}"

    values = reader.string_list(prop, default=choices, validator=known)
    if not isinstance(values, list):
        return values
    spelled = [next((c for c in choices if c.lower() == v.lower()), v) for v in values if isinstance(v, str)]
    if len({v.lower() for v in spelled}) != len(spelled):
        reader.fail(prop, "lists a value twice")
    return spelled


def check_kcd(inputs: Mapping[str, Any]) -> Checked[KcdDelegationArgs]:
    """Validate raw inputs: every failure at once, named by property; no I/O."""
    reader = InputReader(inputs, ["computer", "peers", "services", "forms", "protocol_transition"])
    computer = reader.string("computer", required=True, validator=computer_reference)
    peers = _read_peers(reader, computer)
    services = _read_choices(reader, "services", SERVICES)
    forms = _read_choices(reader, "forms", FORMS)
    protocol_transition = reader.boolean("protocol_transition", default=True)
    return reader.checked(lambda: KcdDelegationArgs(computer, peers, services, forms, protocol_transition))


def delegation_values(args: KcdDelegationArgs) -> list[str]:
    """The ``msDS-AllowedToDelegateTo`` values the args ask for, in a stable order."""
    values: list[str] = []
    for peer in args.peers:
        for service in args.services:
            if "fqdn" in args.forms:
                values.append(f"{service}/{peer.fqdn}")
            if "netbios" in args.forms:
                values.append(f"{service}/{peer.name}")
    return values


def key(value: str) -> str:
    """The comparison key of a directory string value (AD compares case-insensitively)."""
    return value.casefold()


def _unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for value in values:
        if key(value) not in seen:
            seen.add(key(value))
            result.append(value)
    return result


@dataclass(frozen=True)
class ValueChange:
    """A minimal change of the attribute: exact values to add and to delete (as the directory spells
    them), and the values owned afterwards."""

    add: list[str]
    delete: list[str]
    owned: list[str]


def plan_values(desired: Sequence[str], current: Sequence[str], owned: Sequence[str]) -> ValueChange:
    """Add what is desired and absent (in any case); delete what we own, no longer desire, and is
    present. Values that were there before us are never owned, so never deleted."""
    current_by_key = {key(v): v for v in current}
    desired_keys = {key(v) for v in desired}
    add = [v for v in _unique(desired) if key(v) not in current_by_key]
    delete = _unique(current_by_key[key(v)] for v in owned if key(v) not in desired_keys and key(v) in current_by_key)
    added = {key(v) for v in add}
    kept = [v for v in owned if key(v) in desired_keys and key(v) in current_by_key and key(v) not in added]
    return ValueChange(add, delete, _unique([*kept, *add]))


def removal_of(owned: Sequence[str], current: Sequence[str]) -> list[str]:
    """The values to delete to undo us: the owned ones still present, as the directory spells them."""
    current_by_key = {key(v): v for v in current}
    return _unique(current_by_key[key(v)] for v in owned if key(v) in current_by_key)


@dataclass(frozen=True)
class ValueStatus:
    """Desired values present and missing, and the values others wrote."""

    present: list[str]
    missing: list[str]
    foreign: list[str]


def value_status(desired: Sequence[str], current: Sequence[str]) -> ValueStatus:
    """Compare desired with current values case-insensitively."""
    current_by_key = {key(v): v for v in current}
    desired_keys = {key(v) for v in desired}
    present = [current_by_key[key(v)] for v in _unique(desired) if key(v) in current_by_key]
    missing = [v for v in _unique(desired) if key(v) not in current_by_key]
    foreign = [v for v in _unique(current) if key(v) not in desired_keys]
    return ValueStatus(present, missing, foreign)


def has_protocol_transition(uac: int) -> bool:
    """Whether userAccountControl ``uac`` allows protocol transition."""
    return bool(uac & TRUSTED_TO_AUTH_FOR_DELEGATION)


def with_protocol_transition(uac: int, enabled: bool) -> int:
    """``uac`` with only the protocol-transition bit set or cleared."""
    return uac | TRUSTED_TO_AUTH_FOR_DELEGATION if enabled else uac & ~TRUSTED_TO_AUTH_FOR_DELEGATION


def unregistered_targets(values: Sequence[str], peer_spns: Mapping[str, Sequence[str]],
                         peers: Sequence[Peer]) -> list[str]:
    """Warnings for delegation values whose SPN is not registered on the peer's account
    (``peer_spns``: peer name, lower case -> its servicePrincipalName values; absent: no account)."""
    by_target: dict[str, Peer] = {}
    for peer in peers:
        by_target[key(peer.name)] = peer
        by_target[key(peer.fqdn)] = peer
    warnings: list[str] = []
    for value in values:
        service, _, target = value.partition("/")
        peer = by_target[key(target)]
        spns = peer_spns.get(peer.name.lower())
        if spns is None:
            warning = f"{peer.name}: no computer account {peer.name}$ found; delegation to it cannot work"
            if warning not in warnings:
                warnings.append(warning)
            continue
        registered = {key(s) for s in spns}
        aliases = [value] + ([f"HOST/{target}"] if service.lower() in HOST_ALIASED_SERVICES else [])
        if not any(key(a) in registered for a in aliases):
            warnings.append(f"{value}: not a servicePrincipalName of {peer.name}$; delegation to it cannot work")
    return warnings


def diff_kcd(state: KcdDelegationState, args: KcdDelegationArgs) -> Plan:
    """Another computer replaces (the old account is cleaned first); other changes update in place,
    including drift found by the last read (desired values missing, the flag changed)."""
    if key(state.computer) != key(args.computer):
        return Plan(changes=["computer"], replaces=["computer"], delete_before_replace=True)
    changes: list[str] = []
    notes: list[str] = []
    old = KcdDelegationArgs(state.computer, state.peers, state.services, state.forms, state.protocol_transition)
    if {key(v) for v in delegation_values(old)} != {key(v) for v in delegation_values(args)}:
        changes += [f for f in ("peers", "services", "forms") if getattr(old, f) != getattr(args, f)] or ["peers"]
    if state.missing:
        notes.append(f"{len(state.missing)} delegation value(s) missing: {', '.join(state.missing)}")
        if "peers" not in changes:
            changes.append("peers")
    if state.protocol_transition != args.protocol_transition:
        changes.append("protocol_transition")
    return Plan(changes=changes, notes=notes)


def check_discovery(search_base: str, name_pattern: str) -> None:
    """Refuse a discovery base that is not a DN, or a name pattern other than a computer name with
    ``*`` wildcards; raises ValueError naming the argument, the reason and what is allowed."""
    try:
        parse_dn(search_base)
    except LDAPInvalidDnError:
        reason = f"search_base: {search_base!r} is not a distinguished name (OU=HOSTS,DC=corp,DC=com)"
        raise ValueError(reason) from None
    if not name_pattern or not re.fullmatch(r"[A-Za-z0-9*-]{1,64}", name_pattern):
        raise ValueError(f"name_pattern: {name_pattern!r} is not allowed; use letters, digits, hyphens and * "
                         "wildcards (KOM-AD01-VM*)")
