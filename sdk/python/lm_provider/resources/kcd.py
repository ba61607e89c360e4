"""KcdDelegation: Kerberos constrained delegation from one host's computer account to its peers.

- **ID**: the computer account's objectGUID (the account is found again after a rename or move).
- **Replaces**: ``computer`` (the old account is cleaned before the new one is set).
- **Updates in place**: ``peers``, ``services``, ``forms``, ``protocol_transition``.
- **Owns** only the ``msDS-AllowedToDelegateTo`` values it added (``owned``, carried in state:
  the directory cannot say who wrote a value). Values present before, or written by others, are
  reported (``foreign``) and never touched; a value differing from a desired one only in case
  counts as present. Changes are LDAP modify add/delete of exact values, never a replace.
- **protocol_transition** ("use any authentication protocol", userAccountControl 0x1000000) is
  changed alone: the read value is swapped for the new one in the same modify request, so a
  concurrent change of userAccountControl makes the request fail whole; it is then re-read and
  retried. ``found_protocol_transition`` (carried in state) is what delete restores.
- **Read** reports the desired values present / missing, foreign values, the flag, and
  ``warnings`` for delegation targets that are not a registered SPN of the peer's account.
- **Delete** removes exactly the owned values still present and restores the flag; an account
  that is gone counts as deleted.

LDAP round trips: create 3 (find, peers' SPNs, one modify; +1 per process for the naming context),
read 2, update 3, delete 2; a create/update with nothing to change sends no modify.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..clients.directory import ComputerAccount, DirectoryClient
from ..errors import RemoteCommandError
from ..models.inputs import Checked
from ..models.kcd import (
    HyperVHost,
    KcdDelegationArgs,
    KcdDelegationState,
    check_discovery,
    check_kcd,
    delegation_values,
    diff_kcd,
    has_protocol_transition,
    plan_values,
    removal_of,
    unregistered_targets,
    value_status,
    with_protocol_transition,
)
from ..models.plan import Plan
from ..transports.ldap import LdapResultError
from .base import Created

ATTEMPTS = 3
"""Tries of a read-modify-write when the account changed between our read and our write."""
CONFLICTS = frozenset({"noSuchAttribute", "attributeOrValueExists"})


class KcdDelegationLogic:
    """check / diff / create / read / update / delete of one computer account's delegation."""

    args_type = KcdDelegationArgs
    state_type = KcdDelegationState

    def __init__(self, directory: DirectoryClient) -> None:
        self.directory = directory

    def check(self, inputs: Mapping[str, Any]) -> Checked[KcdDelegationArgs]:
        """Validate inputs; no LDAP."""
        return check_kcd(inputs)

    def diff(self, state: KcdDelegationState, args: KcdDelegationArgs) -> Plan:
        """Pure comparison of state with args."""
        return diff_kcd(state, args)

    def _state(self, account: ComputerAccount, args: KcdDelegationArgs, owned: list[str],
               found_flag: bool) -> KcdDelegationState:
        desired = delegation_values(args)
        status = value_status(desired, account.allowed_to_delegate_to)
        spns = self.directory.service_principal_names([p.name for p in args.peers])
        return KcdDelegationState(
            computer=args.computer, peers=args.peers, services=args.services, forms=args.forms,
            protocol_transition=has_protocol_transition(account.user_account_control),
            dn=account.dn, sam_account_name=account.sam_account_name, owned=owned, present=status.present,
            missing=status.missing, foreign=status.foreign, found_protocol_transition=found_flag,
            warnings=unregistered_targets(desired, spns, args.peers))

    def _apply(self, account: ComputerAccount, args: KcdDelegationArgs, owned: list[str],
               found_flag: bool) -> KcdDelegationState:
        for attempt in range(1, ATTEMPTS + 1):
            change = plan_values(delegation_values(args), account.allowed_to_delegate_to, owned)
            uac = account.user_account_control
            wanted = with_protocol_transition(uac, args.protocol_transition)
            try:
                self.directory.change_delegation(account.dn, change.add, change.delete,
                                                 (uac, wanted) if wanted != uac else None)
            except LdapResultError as exc:
                if exc.result not in CONFLICTS or attempt == ATTEMPTS:
                    raise
                account = self._account(account.guid)
                continue
            after = [v for v in account.allowed_to_delegate_to if v not in change.delete] + change.add
            return self._state(replace(account, user_account_control=wanted, allowed_to_delegate_to=after),
                               args, change.owned, found_flag)
        raise AssertionError("unreachable")

    def _account(self, guid: str) -> ComputerAccount:
        account = self.directory.computer_by_guid(guid)
        if account is None:
            raise RemoteCommandError(self.directory.transport.server or "?", f"find objectGUID {guid}",
                                     "the computer account was deleted; remove the resource or recreate the account")
        return account

    def create(self, args: KcdDelegationArgs) -> Created:
        """Add the missing values (owning them) and set the flag; values already there are kept, not owned."""
        account = self.directory.find_computer(args.computer)
        if account is None:
            raise RemoteCommandError(self.directory.transport.server or "?", f"find computer {args.computer}",
                                     "no such computer account (give its sAMAccountName, DN or dNSHostName)")
        found_flag = has_protocol_transition(account.user_account_control)
        state = self._apply(account, args, [], found_flag)
        return Created(account.guid, state)

    def read(self, id_: str, state: KcdDelegationState) -> KcdDelegationState | None:
        """The account's delegation now; None when the account is gone."""
        account = self.directory.computer_by_guid(id_)
        if account is None:
            return None
        return self._state(account, state, state.owned, state.found_protocol_transition)

    def update(self, id_: str, state: KcdDelegationState, args: KcdDelegationArgs) -> KcdDelegationState:
        """Add what is missing, delete owned values no longer wanted, set the flag."""
        return self._apply(self._account(id_), args, state.owned, state.found_protocol_transition)

    def delete(self, id_: str, state: KcdDelegationState) -> None:
        """Remove the owned values still present and restore the flag as found."""
        account = self.directory.computer_by_guid(id_)
        for attempt in range(1, ATTEMPTS + 1):
            if account is None:
                return
            uac = account.user_account_control
            wanted = with_protocol_transition(uac, state.found_protocol_transition)
            try:
                ours = removal_of(state.owned, account.allowed_to_delegate_to)
                self.directory.change_delegation(account.dn, [], ours, (uac, wanted) if wanted != uac else None)
                return
            except LdapResultError as exc:
                if exc.result not in CONFLICTS or attempt == ATTEMPTS:
                    raise
                account = self.directory.computer_by_guid(id_)


def get_hyperv_hosts(directory: DirectoryClient, search_base: str, name_pattern: str = "*") -> list[HyperVHost]:
    """The reference site's discovery: enabled computers under ``search_base`` named like
    ``name_pattern`` (``*`` wildcards) that are not cluster objects, sorted by name.

    Raises ValueError for a pattern or base that is not allowed (before any LDAP call).
    """
    check_discovery(search_base, name_pattern)
    return directory.find_hosts(search_base, name_pattern)
