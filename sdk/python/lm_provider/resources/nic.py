"""MigrationNic: the dedicated live-migration adapter of one host.

- **ID**: ``<host>/<MAC address>``; the adapter is found by its MAC afterwards, so a rename (ours
  or anyone's) does not lose it.
- **Replaces**: ``host`` and the selector (``adapter_name`` / ``mac_address`` /
  ``interface_description``) when it names another adapter than the managed one; the old adapter
  is restored first, so the new one may take over its address.
- **Updates in place**: everything else, drift found by the last read included. An update of only
  ``retain_on_delete`` or the WinRM overrides makes no remote call.
- **Refused** (before any change): an adapter that carries the WinRM connection; at create an
  adapter with a default route; an address already on another adapter; a jumbo size the driver
  does not list (the error lists the valid values); ``after-management`` without a management
  interface.
- **Found** (carried in state, ``found``): each managed value as it was before the resource first
  changed it. Delete puts those back in one script, unless ``retain_on_delete``; an adapter that is
  gone counts as deleted.

Remote invocations: create 1 (``nic.apply``), read 1 (``nic.read``), update 1 (``nic.apply``) or 0,
delete 1 (``nic.restore``) or 0 with ``retain_on_delete``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..clients.nic import NicApplied, NicApplyParams, NicClient, restore_params
from ..models.host_resource import state_fields
from ..models.inputs import Checked
from ..models.nic import (
    LOCAL_FIELDS,
    MIGRATION_BINDINGS,
    AdapterSettings,
    FoundSettings,
    MigrationNicArgs,
    MigrationNicState,
    desired_metric,
    diff_nic,
    jumbo_value,
    merge_found,
    network_of,
)
from ..models.nic_inputs import check_nic
from ..models.plan import Plan
from .base import Created
from .hosts import HostConnector


def apply_params(args: MigrationNicArgs, mac: str | None) -> NicApplyParams:
    """The apply op's parameters: by the args' selector at create (``mac`` None), else by MAC."""
    bindings = dict(args.bindings) if isinstance(args.bindings, dict) else dict(MIGRATION_BINDINGS)
    selector: dict[str, Any] = {"mac_address": mac} if mac else {
        "adapter_name": args.adapter_name, "mac_address": args.mac_address,
        "interface_description": args.interface_description}
    return NicApplyParams(
        ip_address=args.ip_address, prefix_length=args.prefix_length,
        bindings=bindings, disable_unlisted_bindings=not isinstance(args.bindings, dict),
        forwarding=args.forwarding, jumbo_packet=args.jumbo_packet,
        takeover=mac is None, new_name=args.new_name,
        interface_metric=args.interface_metric if isinstance(args.interface_metric, int) else None,
        netbios=args.netbios, **selector)


def state_of(args: MigrationNicArgs, adapter: AdapterSettings, found: FoundSettings,
             management_metric: int | None) -> MigrationNicState:
    """The resource's state: the inputs, the adapter as read, what was found, derived values."""
    return MigrationNicState(
        **state_fields(args), network=network_of(args.ip_address, args.prefix_length), adapter=adapter,
        found=found, management_metric=management_metric, effective_metric=desired_metric(args, management_metric),
        effective_jumbo_packet=jumbo_value(args.jumbo_packet, adapter.jumbo_valid_values))


def _mac_of(id_: str) -> str:
    return id_.rsplit("/", 1)[-1]


class MigrationNicLogic:
    """check / diff / create / read / update / delete of one host's migration adapter."""

    args_type = MigrationNicArgs
    state_type = MigrationNicState

    def __init__(self, connector: HostConnector) -> None:
        self.connector = connector

    def _client(self, args: MigrationNicArgs | MigrationNicState) -> NicClient:
        return NicClient(self.connector(args.target))

    def check(self, inputs: Mapping[str, Any]) -> Checked[MigrationNicArgs]:
        """Validate inputs; no remote call."""
        return check_nic(inputs)

    def diff(self, state: MigrationNicState, args: MigrationNicArgs) -> Plan:
        """Pure comparison of state (as last read) with args."""
        return diff_nic(state, args)

    def _state(self, args: MigrationNicArgs, applied: NicApplied, found: FoundSettings) -> MigrationNicState:
        return state_of(args, applied.after, merge_found(found, applied.before, args), applied.management_metric)

    def create(self, args: MigrationNicArgs) -> Created:
        """Select the adapter, refuse what is unsafe, configure it; record what was found."""
        applied = self._client(args).apply(apply_params(args, None))
        return Created(f"{args.target.host}/{applied.after.mac_address}", self._state(args, applied, FoundSettings()))

    def read(self, id_: str, state: MigrationNicState) -> MigrationNicState | None:
        """The adapter now; None when no adapter has the MAC any more."""
        reading = self._client(state).read(_mac_of(id_))
        if reading.adapter is None:
            return None
        return state_of(state.args(), reading.adapter, state.found, reading.management_metric)

    def update(self, id_: str, state: MigrationNicState, args: MigrationNicArgs) -> MigrationNicState:
        """Set what differs (by MAC); only local changes make no remote call."""
        if state.adapter is not None and diff_nic(state, args).changes_only(LOCAL_FIELDS):
            return state_of(args, state.adapter, state.found, state.management_metric)
        applied = self._client(args).apply(apply_params(args, _mac_of(id_)))
        return self._state(args, applied, state.found)

    def delete(self, id_: str, state: MigrationNicState) -> None:
        """Put back what was found (nothing with ``retain_on_delete``); a missing adapter is fine."""
        if state.retain_on_delete:
            return
        self._client(state).restore(restore_params(_mac_of(id_), state.found))
