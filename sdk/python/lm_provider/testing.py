"""Unit-test your own Pulumi programs that use lm-provider, with Pulumi's mocks (no engine, no hosts).

    import pulumi
    from lm_provider.testing import LmMocks, set_mocks

    mocks = set_mocks(LmMocks())     # or pulumi.runtime.set_mocks(LmMocks(), preview=False)

    @pulumi.runtime.test
    def test_the_site():
        fabric = build_site()                      # your program's code
        assert mocks.count_by_type()["MigrationNic"] == 2
        return fabric.summary.apply(lambda s: assert_ready(s))

:class:`LmMocks` answers each lm-provider resource as its provider would after a successful apply:
the inputs are checked with the provider's own ``check`` (inputs the engine would refuse raise
:class:`InputsRefused`, naming the resource and each property), and the outputs are computed from
them (a MigrationNic's ``network``; a LiveMigrationSettings' ``listener_addresses``: the host's
MigrationNic addresses inside its networks; KCD ``owned``/``present`` values; hosts-file ``lines``
with their owner tag; a switch running its MTU with no reload pending; the path check passed, or
:class:`~lm_provider.errors.PathCheckFailed` when a switch it is given has a reload pending; a
ticket purge run once; the test migration ring passed, each move over the destination's migration
address). Pass
``outputs={resource name: {output: value}}`` to change what one resource reports (a pending
reload, another OS). Installed with :func:`set_mocks`, they also record each resource's parent and
dependencies (:meth:`LmMocks.dependencies_of`). A fabric's validation errors raise in its
constructor; :func:`fabric_problems` returns them as a list.
"""

from __future__ import annotations

import hashlib
import ipaddress
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

import pulumi
from pulumi.runtime.mocks import MockMonitor

from .errors import FabricConfigError, LmError, PathCheckFailed
from .models.codec import to_props
from .models.host_target import HostTarget
from .models.hosts_text import render_all
from .models.hostsfile import HostsEntriesState, HostsEntryState, check_hosts_entries, check_hosts_entry
from .models.inputs import Checked
from .models.kcd import KcdDelegationState, check_kcd, delegation_values, short_name
from .models.migration import LiveMigrationSettingsState, MigrationSettings, check_migration
from .models.nic import MIGRATION_BINDINGS, MIGRATION_PROFILE, AdapterSettings, Ipv4, MigrationNicState
from .models.nic_inputs import check_nic, normal_mac
from .models.pathcheck import check_path, evaluate, targets_of
from .models.ring import check_ring, moved, ring_pairs, ring_state
from .models.switch import MtuReading, check_switch_mtu, state_of
from .models.tickets import TicketPurgeState, check_purge

DYNAMIC_PREFIX = "pulumi-python:dynamic/lm:"
MANAGEMENT_METRIC = 10
"""The management interface's metric the mocks report (the migration adapter gets one more)."""
SWITCH_MODELS = {"classic": "WS-C3560G-24TS", "ios-xe": "C9300-24T"}
FOUND_MTU = 1500
PURGED = "Current LogonId is 0:0x5097d\nTargeted LogonId is 0:0x3e7\n\tDeleting all tickets:\n\tTicket(s) purged!"
"""What the mocks say klist answered (windows-texts: the blank first line and indentation vary)."""
FOUND_MIGRATION = MigrationSettings(False, "CredSSP", False, 2, 2, None, [])
"""A fresh Hyper-V host's live migration settings (what destroy would put back)."""

Outputs = tuple[str, dict[str, Any]]


class InputsRefused(LmError):
    """A resource's inputs that its provider's ``check`` refuses (the engine would stop there)."""


def short_type(type_token: str) -> str:
    """``pulumi-python:dynamic/lm:MigrationNic`` -> ``MigrationNic``; ``lm:index:LiveMigrationFabric`` ->
    ``LiveMigrationFabric``."""
    return type_token.rsplit(":", 1)[-1]


def fabric_problems(build: Callable[[], Any]) -> list[str]:
    """The validation problems a fabric's constructor raises (``path: reason`` each); [] when it builds."""
    try:
        build()
    except FabricConfigError as exc:
        return list(exc.problems)
    return []


def _target(target: HostTarget) -> dict[str, Any]:
    return {"host": target.host, "fqdn": target.fqdn, "winrm_endpoint": target.winrm_endpoint,
            "winrm_username": target.winrm_username, "winrm_password": target.winrm_password}


def _fields(args: Any) -> dict[str, Any]:
    """An args dataclass as keyword arguments of its state (a ``target`` flattened)."""
    values = {f.name: getattr(args, f.name) for f in fields(args)}
    target = values.pop("target", None)
    return {**values, **_target(target)} if isinstance(target, HostTarget) else values


def _tag(name: str, length: int = 16) -> str:
    """A stable hex tag for a resource name (ids and owner tags the mocks make up)."""
    return hashlib.sha256(name.encode()).hexdigest()[:length]


class LmMocks(pulumi.runtime.Mocks):
    """Pulumi mocks answering lm-provider's resources realistically; every registration is recorded.

    ``outputs``: resource name -> outputs that replace the computed ones; ``host_addresses``: host
    name -> IPv4 addresses it has besides its MigrationNics' (for LiveMigrationSettings alone);
    ``os_caption``/``os_version``: what LiveMigrationSettings reports (default 2012 R2);
    ``base_dn``: where KcdDelegation finds computer accounts.
    """

    def __init__(self, outputs: Mapping[str, Mapping[str, Any]] | None = None,
                 host_addresses: Mapping[str, list[str]] | None = None,
                 os_caption: str = "Microsoft Windows Server 2012 R2 Datacenter", os_version: str = "6.3.9600",
                 base_dn: str = "OU=HOSTS,DC=example,DC=com") -> None:
        self.outputs = dict(outputs or {})
        self.os_caption, self.os_version, self.base_dn = os_caption, os_version, base_dn
        self.addresses: dict[str, list[str]] = {k.lower(): list(v) for k, v in (host_addresses or {}).items()}
        self.registered: list[pulumi.runtime.MockResourceArgs] = []
        self.parents: dict[str, str | None] = {}
        """Resource name -> its parent's name (recorded when installed with :func:`set_mocks`)."""
        self.dependencies: dict[str, list[str]] = {}
        """Resource name -> the names of the resources it depends on (``depends_on`` and outputs it
        takes; recorded when installed with :func:`set_mocks`)."""
        self._answers: dict[str, Callable[[str, Mapping[str, Any]], Outputs]] = {
            "MigrationNic": self._nic, "LiveMigrationSettings": self._migration, "KcdDelegation": self._kcd,
            "HostsEntries": self._hosts_entries, "HostsEntry": self._hosts_entry, "SwitchJumboMtu": self._switch,
            "JumboPathCheck": self._path_check, "KerberosTicketPurge": self._purge,
            "MigrationRingTest": self._ring}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        """Record the registration; answer with the outputs the provider would give."""
        self.registered.append(args)
        inputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        answer = self._answers.get(short_type(args.typ)) if args.typ.startswith(DYNAMIC_PREFIX) else None
        id_, outputs = answer(args.name, inputs) if answer else (f"{args.name}-id", dict(inputs))
        return id_, {**outputs, **self.outputs.get(args.name, {})}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        """No lm-provider resource makes provider calls."""
        return {}, None

    def of_type(self, type_name: str) -> list[pulumi.runtime.MockResourceArgs]:
        """The registrations of one type, by its short name (``MigrationNic``), in order."""
        return [r for r in self.registered if short_type(r.typ) == type_name]

    def count_by_type(self) -> dict[str, int]:
        """How many resources of each type (short names) were registered."""
        return dict(Counter(short_type(r.typ) for r in self.registered))

    def dependencies_of(self, name: str) -> list[str]:
        """The names of the resources ``name`` depends on, sorted; KeyError when it was not recorded
        (the mocks were not installed with :func:`set_mocks`, or no such resource)."""
        return sorted(self.dependencies[name])

    def _checked(self, kind: str, name: str, checked: Checked[Any]) -> Any:
        if checked.failures:
            raise InputsRefused(f"{kind} {name}: " + "; ".join(str(f) for f in checked.failures))
        return checked.args

    def _nic(self, name: str, inputs: Mapping[str, Any]) -> Outputs:
        args = self._checked("MigrationNic", name, check_nic(inputs))
        if args is None:
            return f"{name}-id", dict(inputs)
        mac = normal_mac(args.mac_address) if args.mac_address else "00-15-5D-" + "-".join(
            _tag(name, 6)[i:i + 2].upper() for i in range(0, 6, 2))
        metric = args.interface_metric if isinstance(args.interface_metric, int) else MANAGEMENT_METRIC + 1
        bindings = MIGRATION_BINDINGS if args.bindings == MIGRATION_PROFILE else dict(args.bindings)
        adapter = AdapterSettings(
            args.new_name or args.adapter_name or "Ethernet 2", args.interface_description or "Migration adapter",
            mac, 13, False, [Ipv4(args.ip_address, args.prefix_length)], [], [], False, dict(bindings), metric, False,
            args.forwarding, args.jumbo_packet, [1514, 4088, 9014, args.jumbo_packet], args.netbios or "Default")
        network = ipaddress.IPv4Interface(f"{args.ip_address}/{args.prefix_length}").network
        self.addresses.setdefault(args.target.host.lower(), []).append(args.ip_address)
        state = MigrationNicState(**_fields(args), network=str(network), adapter=adapter,
                                  management_metric=MANAGEMENT_METRIC, effective_metric=metric,
                                  effective_jumbo_packet=args.jumbo_packet)
        return f"{args.target.host}/{mac}", to_props(state)

    def _migration(self, name: str, inputs: Mapping[str, Any]) -> Outputs:
        args = self._checked("LiveMigrationSettings", name, check_migration(inputs))
        if args is None:
            return f"{name}-id", dict(inputs)
        networks = [ipaddress.IPv4Network(n.subnet) for n in args.networks]
        local = [a for a in self.addresses.get(args.target.host.lower(), [])
                 if any(ipaddress.IPv4Address(a) in n for n in networks)]
        effective = MigrationSettings(args.enabled, args.authentication, False, args.max_vm_migrations,
                                      args.max_storage_migrations, args.performance_option, list(args.networks))
        state = LiveMigrationSettingsState(**_fields(args), effective=effective, found=FOUND_MIGRATION,
                                           listener_addresses=local if args.enabled else [], local_addresses=local,
                                           os_caption=self.os_caption, os_version=self.os_version)
        return args.target.host, to_props(state)

    def _kcd(self, name: str, inputs: Mapping[str, Any]) -> Outputs:
        args = self._checked("KcdDelegation", name, check_kcd(inputs))
        if args is None:
            return f"{name}-id", dict(inputs)
        values = delegation_values(args)
        computer = short_name(args.computer)
        state = KcdDelegationState(**_fields(args), dn=f"CN={computer},{self.base_dn}",
                                   sam_account_name=f"{computer.upper()}$", owned=values, present=values)
        return str(uuid.uuid5(uuid.NAMESPACE_DNS, computer.lower())), to_props(state)

    def _hosts_entries(self, name: str, inputs: Mapping[str, Any]) -> Outputs:
        args = self._checked("HostsEntries", name, check_hosts_entries(inputs))
        if args is None:
            return f"{name}-id", dict(inputs)
        owner = _tag(name)
        return owner, to_props(HostsEntriesState(**_fields(args), owner=owner, lines=render_all(args.entries, owner)))

    def _hosts_entry(self, name: str, inputs: Mapping[str, Any]) -> Outputs:
        args = self._checked("HostsEntry", name, check_hosts_entry(inputs))
        if args is None:
            return f"{name}-id", dict(inputs)
        owner = _tag(name)
        return owner, to_props(HostsEntryState(**_fields(args), owner=owner, lines=render_all(args.as_lines(), owner)))

    def _switch(self, name: str, inputs: Mapping[str, Any]) -> Outputs:
        args = self._checked("SwitchJumboMtu", name, check_switch_mtu(inputs))
        if args is None:
            return f"{name}-id", dict(inputs)
        platform = args.platform or "classic"
        reading = MtuReading(platform, SWITCH_MODELS[platform], args.mtu, args.mtu, args.mtu,
                             {interface: args.mtu for interface in args.interfaces})
        return args.switch, to_props(state_of(args, reading, FOUND_MTU))

    def _path_check(self, name: str, inputs: Mapping[str, Any]) -> Outputs:
        args = self._checked("JumboPathCheck", name, check_path(inputs))
        if args is None:
            return f"{name}-id", dict(inputs)
        reply = "Reply from {}: bytes={} time<1ms TTL=128"
        state = evaluate(args, {m.host: [{"Target": t, "Output": reply.format(t, args.size)}
                                         for t in targets_of(args, m)] for m in args.hosts})
        if not state.passed:
            raise PathCheckFailed(state.failures, len(state.results))
        return _tag(name), to_props(state)

    def _purge(self, name: str, inputs: Mapping[str, Any]) -> Outputs:
        args = self._checked("KerberosTicketPurge", name, check_purge(inputs))
        if args is None:
            return f"{name}-id", dict(inputs)
        return args.target.host, to_props(TicketPurgeState(**_fields(args), output=PURGED, purges=1))

    def _ring(self, name: str, inputs: Mapping[str, Any]) -> Outputs:
        args = self._checked("MigrationRingTest", name, check_ring(inputs))
        if args is None:
            return f"{name}-id", dict(inputs)
        pairs = [moved(args, source, destination,
                       {"SourceAddress": source.address, "DestinationAddress": destination.address}, 0.5)
                 for source, destination in ring_pairs(args)]
        return _tag(name), to_props(ring_state(args, pairs, 0.5 * len(pairs), []))


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


class _RecordingMonitor(MockMonitor):
    """Pulumi's mock monitor, also recording each registration's parent and dependencies."""

    def __init__(self, mocks: LmMocks) -> None:
        super().__init__(mocks)
        self.lm_mocks = mocks

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (the monitor protocol's name)
        """Record parent and dependencies by name, then register as Pulumi's mock monitor does."""
        self.lm_mocks.parents[request.name] = _name(request.parent) if request.parent else None
        self.lm_mocks.dependencies[request.name] = sorted({_name(urn) for urn in request.dependencies})
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


def set_mocks(mocks: LmMocks | None = None, preview: bool = False) -> LmMocks:
    """Install ``mocks`` (a fresh :class:`LmMocks` by default) as Pulumi's runtime mocks, recording
    each resource's parent and dependencies too; returns them. Call it before the test builds
    resources (e.g. in a pytest fixture)."""
    mocks = mocks or LmMocks()
    pulumi.runtime.set_mocks(mocks, preview=preview, monitor=_RecordingMonitor(mocks))
    return mocks
