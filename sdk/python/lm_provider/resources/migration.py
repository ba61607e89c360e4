"""LiveMigrationSettings: one host's Hyper-V live migration settings.

- **ID**: the host name. **Replaces**: ``host``. **Updates in place**: everything else, drift
  found by the last read included (a listener missing for a local address in a listed network
  counts as drift of ``networks``). An update of only ``restart_vmms`` or the WinRM overrides
  makes no remote call.
- **Refused** (before any change): a performance option on Windows Server 2012 (at check when the
  OS is already known in this process, at diff when the state says so, else by the apply script);
  no local IPv4 address inside a listed network (migrations would silently use another network).
- **Listeners**: after a change the TCP 6600 listener list must show every local IPv4 address
  inside a listed network; one missing restarts vmms once (``restart_vmms``, default true), and
  still missing fails the apply, naming the addresses, with the settings rolled back.
- **Found** (carried in state): the settings before the first change; delete puts them back
  exactly and restarts vmms once when the listener list then does not match them.

Remote invocations: create 1 (``migration.apply``), read 1 (``migration.read``), update 1 or 0,
delete 1 (``migration.restore``).
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..clients.migration import (
    MigrationApplyParams,
    MigrationClient,
    MigrationReport,
    MigrationRestoreParams,
    wire_networks,
)
from ..models.host_resource import state_fields
from ..models.inputs import Checked, CheckFailure
from ..models.migration import (
    LOCAL_FIELDS,
    LiveMigrationSettingsArgs,
    LiveMigrationSettingsState,
    MigrationSettings,
    check_migration,
    diff_migration,
    performance_option_problem,
)
from ..models.plan import Plan
from .base import Created
from .hosts import HostConnector


def inside(addresses: list[str], args: LiveMigrationSettingsArgs) -> list[str]:
    """The IPv4 addresses among ``addresses`` that lie inside a listed network."""
    networks = [ipaddress.IPv4Network(n.subnet) for n in args.networks]
    found = []
    for address in addresses:
        try:
            ip = ipaddress.IPv4Address(address)
        except ValueError:
            continue
        if any(ip in n for n in networks):
            found.append(address)
    return found


def state_of(args: LiveMigrationSettingsArgs, report: MigrationReport,
             found: MigrationSettings | None) -> LiveMigrationSettingsState:
    """The resource's state from the args and what an op reported."""
    return LiveMigrationSettingsState(
        **state_fields(args), effective=report.settings, found=found, listener_addresses=report.listeners,
        local_addresses=inside(report.local_addresses, args), os_caption=report.os_caption,
        os_version=report.os_version, vmms_restarted=report.vmms_restarted)


def apply_params(args: LiveMigrationSettingsArgs) -> MigrationApplyParams:
    """The apply op's parameters."""
    return MigrationApplyParams(wire_networks(args.networks), args.enabled, args.authentication, args.remove_unlisted,
                                args.max_vm_migrations, args.max_storage_migrations, args.performance_option,
                                args.restart_vmms)


def restore_params(found: MigrationSettings, restart_vmms: bool) -> MigrationRestoreParams:
    """The restore op's parameters for what was found."""
    return MigrationRestoreParams(wire_networks(found.networks), found.enabled, found.authentication,
                                  found.use_any_network, found.max_vm_migrations, found.max_storage_migrations,
                                  found.performance_option, restart_vmms)


class LiveMigrationSettingsLogic:
    """check / diff / create / read / update / delete of one host's live migration settings.

    Remembers each host's OS version once an op or a state has shown it (per process), so that
    ``check`` can refuse a performance option on Windows Server 2012 without a remote call.
    """

    args_type = LiveMigrationSettingsArgs
    state_type = LiveMigrationSettingsState

    def __init__(self, connector: HostConnector) -> None:
        self.connector = connector
        self._os_versions: dict[str, str] = {}
        self._lock = threading.Lock()

    def _learn(self, host: str, os_version: str) -> None:
        if os_version:
            with self._lock:
                self._os_versions[host.lower()] = os_version

    def _client(self, args: LiveMigrationSettingsArgs | LiveMigrationSettingsState) -> MigrationClient:
        return MigrationClient(self.connector(args.target))

    def _state(self, args: LiveMigrationSettingsArgs, report: MigrationReport,
               found: MigrationSettings | None) -> LiveMigrationSettingsState:
        self._learn(args.target.host, report.os_version)
        return state_of(args, report, found)

    def check(self, inputs: Mapping[str, Any]) -> Checked[LiveMigrationSettingsArgs]:
        """Validate inputs; no remote call (the OS only when already known)."""
        checked = check_migration(inputs)
        args = checked.args
        if args is not None:
            with self._lock:
                known = self._os_versions.get(args.target.host.lower(), "")
            problem = performance_option_problem(known, args.target.host, args.performance_option)
            if problem:
                return Checked(None, [CheckFailure("performance_option", problem)])
        return checked

    def diff(self, state: LiveMigrationSettingsState, args: LiveMigrationSettingsArgs) -> Plan:
        """Pure comparison of state (as last read) with args; ConfigurationError for a performance
        option on a host the state shows to run Windows Server 2012."""
        self._learn(state.host, state.os_version)
        return diff_migration(state, args)

    def create(self, args: LiveMigrationSettingsArgs) -> Created:
        """Apply, verify the listeners; record what was found."""
        report = self._client(args).apply(apply_params(args))
        return Created(args.target.host, self._state(args, report, report.before))

    def read(self, id_: str, state: LiveMigrationSettingsState) -> LiveMigrationSettingsState:
        """The settings and listeners now (``vmms_restarted`` is the last apply's, carried over)."""
        read = self._state(state.args(), self._client(state).read(), state.found)
        return replace(read, vmms_restarted=state.vmms_restarted)

    def update(self, id_: str, state: LiveMigrationSettingsState,
               args: LiveMigrationSettingsArgs) -> LiveMigrationSettingsState:
        """Set what differs; only local changes make no remote call."""
        if state.effective is not None and diff_migration(state, args).changes_only(LOCAL_FIELDS):
            return state_of(args, MigrationReport(state.os_caption, state.os_version, state.effective,
                                                  state.listener_addresses, state.local_addresses, False), state.found)
        return self._state(args, self._client(args).apply(apply_params(args)), state.found)

    def delete(self, id_: str, state: LiveMigrationSettingsState) -> None:
        """Put back what was found."""
        if state.found is not None:
            self._client(state).restore(restore_params(state.found, state.restart_vmms))
