"""JumboPathCheck: don't-fragment pings between every pair of migration addresses, run on the hosts.

- **ID**: random (16 hex digits); the check owns nothing remote.
- **Create / update**: one ``net.ping`` invocation per source host, all of them at once (each
  pings every other host's address from its own); the operation fails with
  :class:`~lm_provider.errors.PathCheckFailed` listing every broken pair and why, and every switch
  with a reload pending (a pending reload fails the check even when the pings pass: the path
  changes when the switch reloads). A host that cannot be reached fails its pairs, naming the
  error.
- **Read** runs the check again and records the result (``passed``, ``results``, ``failures``)
  without failing, so ``pulumi refresh`` shows a path that broke; the next ``up`` then sees the
  failed check as a change and runs it again (failing while the path stays broken).
- **Diff**: changed inputs (hosts, addresses, switches' pending reloads, size) or a failed last
  check update in place; otherwise nothing runs (a no-op ``up`` reaches no host).
- **Delete** does nothing remote.

Invocations: create / read / update one read-only ``net.ping`` per host; delete none.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..clients.net import PingParams
from ..errors import PathCheckFailed, RemoteError
from ..models.inputs import Checked
from ..models.pathcheck import (
    Answer,
    JumboPathCheckArgs,
    JumboPathCheckState,
    PathMember,
    args_of,
    check_path,
    diff_path,
    evaluate,
    targets_of,
)
from ..models.plan import Plan
from .base import Created
from .hosts import HostConnector

MAX_PARALLEL_HOSTS = 16
"""Hosts pinging at the same time (each is one WinRM invocation)."""


class JumboPathCheckLogic:
    """check / diff / create / read / update / delete of the jumbo path check."""

    args_type = JumboPathCheckArgs
    state_type = JumboPathCheckState

    def __init__(self, connector: HostConnector) -> None:
        self.connector = connector

    def check(self, inputs: Mapping[str, Any]) -> Checked[JumboPathCheckArgs]:
        """Validate inputs; no remote call."""
        return check_path(inputs)

    def diff(self, state: JumboPathCheckState, args: JumboPathCheckArgs) -> Plan:
        """Pure comparison of state with args."""
        return diff_path(state, args)

    def ping(self, args: JumboPathCheckArgs, member: PathMember) -> Answer:
        """One ``net.ping`` on ``member`` for all its targets; a remote error as its message."""
        try:
            answer = self.connector(member.target).run(PingParams(member.address, targets_of(args, member), args.size))
        except RemoteError as exc:
            return exc.detail
        return [a for a in answer if isinstance(a, Mapping)] if isinstance(answer, list) else []

    def run(self, args: JumboPathCheckArgs) -> JumboPathCheckState:
        """Run the pings on every host at once; the verdict (never raises for a broken path)."""
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_HOSTS, len(args.hosts))) as pool:
            answers = dict(zip([m.host for m in args.hosts],
                               pool.map(lambda m: self.ping(args, m), args.hosts), strict=True))
        return evaluate(args, answers)

    def _verified(self, args: JumboPathCheckArgs) -> JumboPathCheckState:
        state = self.run(args)
        if not state.passed:
            raise PathCheckFailed(state.failures, len(state.results))
        return state

    def create(self, args: JumboPathCheckArgs) -> Created:
        """Run the check; fail listing every broken pair."""
        return Created(secrets.token_hex(8), self._verified(args))

    def read(self, id_: str, state: JumboPathCheckState) -> JumboPathCheckState:
        """Run the check again; a broken path is recorded, not raised."""
        return self.run(args_of(state))

    def update(self, id_: str, state: JumboPathCheckState, args: JumboPathCheckArgs) -> JumboPathCheckState:
        """Run the check again with the new inputs; fail listing every broken pair."""
        return self._verified(args)

    def delete(self, id_: str, state: JumboPathCheckState) -> None:
        """Nothing to undo: the check changes nothing on the hosts."""
