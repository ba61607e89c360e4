"""LiveMigrationSettings: a host's Hyper-V live migration settings (args, state, check, diff; pure).

Set: migrations enabled (or not), authentication (Kerberos by default, or CredSSP), the exact list
of migration networks with their priorities (networks not listed are removed unless
``remove_unlisted`` is false), "use any available network" off, the number of simultaneous live
and storage migrations, optionally the performance option (TCPIP, Compression, SMB: not on
Windows Server 2012). After a change the TCP 6600 listener list must show every local IPv4
address inside a listed network; vmms is restarted once when one is missing (unless
``restart_vmms`` is false).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigurationError
from .host_resource import HostArgs, HostState, args_of, update_plan
from .host_target import TARGET_KEYS, read_target
from .inputs import UNKNOWN, Checked, InputReader
from .plan import Plan
from .validators import ipv4_network

AUTHENTICATION_TYPES = ("Kerberos", "CredSSP")
PERFORMANCE_OPTIONS = ("TCPIP", "Compression", "SMB")
MIGRATIONS_RANGE = (1, 512)
PRIORITY_RANGE = (0, 4_294_967_295)
FIRST_VERSION_WITH_PERFORMANCE_OPTION = (6, 3)
"""Windows Server 2012 R2 (6.3); Server 2012 (6.2) has no migration performance option."""
LOCAL_FIELDS = frozenset({"restart_vmms", "fqdn", "winrm_endpoint", "winrm_username", "winrm_password"})


@dataclass(frozen=True)
class MigrationNetwork:
    """One migration network: a subnet in CIDR form and its priority (lower is preferred)."""

    subnet: str
    priority: int


@dataclass(frozen=True)
class MigrationSettings:
    """The host's live migration settings as Get-VMHost and Get-VMMigrationNetwork report them."""

    enabled: bool
    authentication: str
    use_any_network: bool
    max_vm_migrations: int
    max_storage_migrations: int
    performance_option: str | None
    networks: list[MigrationNetwork]


@dataclass(frozen=True, kw_only=True)
class LiveMigrationSettingsInputs:
    """The inputs besides the target."""

    networks: list[MigrationNetwork]
    enabled: bool = True
    authentication: str = "Kerberos"
    max_vm_migrations: int = 2
    max_storage_migrations: int = 2
    performance_option: str | None = None
    remove_unlisted: bool = True
    restart_vmms: bool = True


@dataclass(frozen=True)
class LiveMigrationSettingsArgs(HostArgs, LiveMigrationSettingsInputs):
    """Inputs: the target and :class:`LiveMigrationSettingsInputs`."""


@dataclass(frozen=True, kw_only=True)
class LiveMigrationSettingsState(HostState, LiveMigrationSettingsInputs):
    """Outputs: the inputs, the effective settings (``effective``, as last read), what delete restores
    (``found``), the listener addresses, and the OS."""

    effective: MigrationSettings | None = None
    found: MigrationSettings | None = None
    listener_addresses: list[str] = field(default_factory=list)
    local_addresses: list[str] = field(default_factory=list)
    """The host's IPv4 addresses inside a listed network (what the listeners must show)."""
    os_caption: str = ""
    os_version: str = ""
    vmms_restarted: bool = False
    """Whether the last apply restarted vmms to bring the listeners up."""

    def args(self) -> LiveMigrationSettingsArgs:
        """The inputs this state was made from."""
        return args_of(self, LiveMigrationSettingsArgs)


def windows_version(os_version: str) -> tuple[int, int] | None:
    """Major and minor of a Windows version ("6.3.9600" -> (6, 3)); None when it is not one."""
    try:
        major, minor = (int(p) for p in os_version.split(".")[:2])
    except ValueError:
        return None
    return major, minor


def has_performance_option(os_version: str) -> bool | None:
    """Whether Windows ``os_version`` ("6.2.9200") has the performance option; None when unknown."""
    version = windows_version(os_version)
    return None if version is None else version >= FIRST_VERSION_WITH_PERFORMANCE_OPTION


def performance_option_problem(os_version: str, host: str, option: str | None) -> str | None:
    """Why ``option`` cannot be set on a host running ``os_version`` (None when it can or is unknown)."""
    if option is None or has_performance_option(os_version) is not False:
        return None
    return (f"{host} runs Windows Server 2012 ({os_version}), which has no migration performance option; "
            "remove performance_option (Compression/SMB came with 2012 R2)")


def _networks(reader: InputReader) -> Any:
    raw = reader.value("networks", required=True)
    if raw is UNKNOWN:
        return UNKNOWN
    if raw is None:
        return []
    if not isinstance(raw, (list, tuple)):
        reader.fail("networks", "must be a list of CIDR subnets or {subnet, priority} objects")
        return []
    if not raw:
        reader.fail("networks", "must not be empty (list the migration subnet, e.g. 10.160.35.0/24)")
    result: list[MigrationNetwork] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        prop = f"networks[{index}]"
        if item is UNKNOWN:
            reader.complete = False
            continue
        if isinstance(item, str):
            subnet, priority = item, index
        elif isinstance(item, Mapping):
            nested = reader.nested(prop, item, ["subnet", "priority"])
            subnet = nested.string("subnet", required=True)
            priority = nested.integer("priority", default=index, minimum=PRIORITY_RANGE[0], maximum=PRIORITY_RANGE[1])
            prop = f"{prop}.subnet"
        else:
            reader.fail(prop, "must be a CIDR subnet or a {subnet, priority} object")
            continue
        if subnet is UNKNOWN or priority is UNKNOWN or not isinstance(subnet, str):
            continue
        reason = ipv4_network(subnet)
        if reason:
            reader.fail(prop, reason)
            continue
        normal = str(ipaddress.IPv4Network(subnet))
        if normal in seen:
            reader.fail(prop, f"{normal} is listed twice (also networks[{seen[normal]}])")
        seen.setdefault(normal, index)
        result.append(MigrationNetwork(normal, priority))
    return result


def check_migration(inputs: Mapping[str, Any]) -> Checked[LiveMigrationSettingsArgs]:
    """Validate raw inputs: every failure at once, named by property; no I/O."""
    keys = [*TARGET_KEYS, "networks", "enabled", "authentication", "max_vm_migrations", "max_storage_migrations",
            "performance_option", "remove_unlisted", "restart_vmms"]
    reader = InputReader(inputs, keys)
    target = read_target(reader)
    networks = _networks(reader)
    enabled = reader.boolean("enabled", default=True)
    authentication = reader.choice("authentication", AUTHENTICATION_TYPES, default="Kerberos")
    max_vm = reader.integer("max_vm_migrations", default=2, minimum=MIGRATIONS_RANGE[0], maximum=MIGRATIONS_RANGE[1])
    max_storage = reader.integer("max_storage_migrations", default=2, minimum=MIGRATIONS_RANGE[0],
                                 maximum=MIGRATIONS_RANGE[1])
    option = reader.choice("performance_option", PERFORMANCE_OPTIONS)
    remove_unlisted = reader.boolean("remove_unlisted", default=True)
    restart = reader.boolean("restart_vmms", default=True)
    return reader.checked(lambda: LiveMigrationSettingsArgs(
        target, networks=networks, enabled=enabled, authentication=authentication, max_vm_migrations=max_vm,
        max_storage_migrations=max_storage, performance_option=option, remove_unlisted=remove_unlisted,
        restart_vmms=restart))


def desired_networks(args: LiveMigrationSettingsArgs, current: list[MigrationNetwork]) -> list[MigrationNetwork]:
    """The networks the host should have: the listed ones, plus unlisted current ones when kept."""
    listed = {n.subnet for n in args.networks}
    kept = [] if args.remove_unlisted else [n for n in current if n.subnet not in listed]
    return sorted([*args.networks, *kept], key=lambda n: n.subnet)


def has_networks(e: MigrationSettings, args: LiveMigrationSettingsArgs) -> bool:
    """Whether migrations use exactly the desired networks (not "any available network")."""
    return sorted(e.networks, key=lambda n: n.subnet) == desired_networks(args, e.networks) and not e.use_any_network


def drift(state: LiveMigrationSettingsState, args: LiveMigrationSettingsArgs) -> list[str]:
    """The inputs whose desired value the host (as last read) does not have."""
    e = state.effective
    if e is None:
        return ["enabled"]
    found = [name for name, ok in (
        ("enabled", e.enabled == args.enabled),
        ("authentication", e.authentication == args.authentication),
        ("networks", has_networks(e, args)),
        ("max_vm_migrations", e.max_vm_migrations == args.max_vm_migrations),
        ("max_storage_migrations", e.max_storage_migrations == args.max_storage_migrations),
        ("performance_option", args.performance_option is None or e.performance_option == args.performance_option),
    ) if not ok]
    if args.enabled and set(state.local_addresses) - set(state.listener_addresses):
        found.append("networks")
    return list(dict.fromkeys(found))


def diff_migration(state: LiveMigrationSettingsState, args: LiveMigrationSettingsArgs) -> Plan:
    """Another host replaces; everything else updates in place, drift found by the last read included.

    Raises ConfigurationError (naming ``performance_option``) when the last read found Windows
    Server 2012 and the args ask for a performance option: the plan fails before anything changes.
    """
    problem = performance_option_problem(state.os_version, state.host, args.performance_option)
    if problem:
        raise ConfigurationError(f"performance_option: {problem}")
    if state.host.lower() != args.target.host.lower():
        return Plan(changes=["host"], replaces=["host"], delete_before_replace=True)
    return update_plan(state.args(), args, drift(state, args), "the host")
