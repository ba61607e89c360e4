"""MigrationRingTest: a throwaway VM moved around the hosts in a ring over the migration network.

- **ID**: random (16 hex digits); the test leaves nothing behind on the hosts.
- **Create / update** run the ring (:func:`run_ring`): leftover probes of an interrupted earlier
  run are removed on every host (``vm.remove``, matched by the probe marker only), the probe is
  created and started on the first host (``vm.new``), moved to each next host (``vm.move``,
  ``Move-VM -IncludeStorage``, started over WinRM on the source as a remote Hyper-V Manager would)
  and home again, then removed. The operation fails with
  :class:`~lm_provider.errors.MigrationTestFailed` listing every failed pair with Windows' error
  and its meaning; the hosts are left without a probe either way.
- **Read** changes nothing and runs nothing (a refresh must not move VMs): it returns the last result.
- **Diff**: changed inputs (hosts, subnet, ``triggers``) or a failed last run run it again.
- **Delete** removes any probe left on the hosts (normally none).

User VMs are never touched: every VM op matches the probe marker in the VM's Notes.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..clients.vm import MoveProbeParams, NewProbeParams, RemoveProbesParams
from ..errors import MigrationTestFailed, RemoteError
from ..models.inputs import Checked
from ..models.pathcheck import PathMember
from ..models.plan import Plan
from ..models.ring import (
    PROBE_MARKER,
    PROBE_PREFIX,
    MigrationRingArgs,
    MigrationRingState,
    PairResult,
    args_of,
    check_ring,
    destination_name,
    diff_ring,
    failed,
    moved,
    ring_pairs,
    ring_state,
)
from .base import Created
from .hosts import HostConnector

MAX_PARALLEL_HOSTS = 16


class _Ring:
    """One run: where the probe is, and the results so far."""

    def __init__(self, connector: HostConnector, args: MigrationRingArgs) -> None:
        self.connector = connector
        self.args = args
        self.probe = ""
        self.problems: list[str] = []

    def _run(self, member: PathMember, params: object) -> Any:
        return self.connector(member.target).run(params)

    def remove_everywhere(self) -> None:
        """Remove any probe on every host (leftovers of an interrupted run)."""
        def remove(member: PathMember) -> None:
            try:
                self._run(member, RemoveProbesParams(PROBE_MARKER))
            except RemoteError as exc:
                self.problems.append(f"{member.host}: could not remove leftover probe VMs: {exc.detail}")
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_HOSTS, len(self.args.hosts))) as pool:
            list(pool.map(remove, self.args.hosts))

    def remove(self, member: PathMember) -> None:
        """Remove this run's probe from ``member``."""
        try:
            self._run(member, RemoveProbesParams(PROBE_MARKER, self.probe))
        except RemoteError as exc:
            self.problems.append(f"{member.host}: could not remove the probe VM {self.probe}: {exc.detail}")

    def create(self, member: PathMember) -> str | None:
        """Create and start a probe with a fresh name on ``member`` (a move that failed as seen from
        here may still have delivered the old one); the error when that failed."""
        self.probe = f"{PROBE_PREFIX}{secrets.token_hex(4)}"
        try:
            self._run(member, NewProbeParams(self.probe, PROBE_MARKER, self.args.storage_path))
        except RemoteError as exc:
            return f"could not create the probe VM on {member.host}: {exc.detail}"
        return None

    def move(self, source: PathMember, destination: PathMember) -> tuple[PairResult, bool]:
        """One move of the probe: the pair's verdict, and whether the probe is now on ``destination``
        (a move over the wrong network fails the pair but did move the probe)."""
        params = MoveProbeParams(self.probe, PROBE_MARKER, destination_name(self.args, destination),
                                 self.args.storage_path)
        started = time.monotonic()
        try:
            answer = self._run(source, params)
        except RemoteError as exc:
            return failed(source, destination, exc.detail, time.monotonic() - started), False
        return moved(self.args, source, destination, answer if isinstance(answer, Mapping) else {},
                     time.monotonic() - started), True


def run_ring(connector: HostConnector, args: MigrationRingArgs) -> MigrationRingState:
    """Move a fresh probe VM around ``args.hosts`` and back, then remove it; never raises for a failed
    pair (the state lists it). A failed move leaves the probe on its source: it is removed there and
    a new probe starts on the destination, so each pair is tried exactly once; after a failure every
    host is cleared of probes again."""
    started = time.monotonic()
    ring = _Ring(connector, args)
    ring.remove_everywhere()
    pairs: list[PairResult] = []
    holder: PathMember | None = None
    for source, destination in ring_pairs(args):
        if holder is None:
            error = ring.create(source)
            if error is not None:
                pairs.append(failed(source, destination, error, 0.0))
                continue
            holder = source
        result, arrived = ring.move(source, destination)
        pairs.append(result)
        if arrived:
            holder = destination
        else:
            ring.remove(source)
            holder = None
    if holder is not None:
        ring.remove(holder)
    if any(not pair.passed for pair in pairs):
        ring.remove_everywhere()  # a move that failed as seen from here may still have delivered its probe
    return ring_state(args, pairs, time.monotonic() - started, ring.problems)


class MigrationRingLogic:
    """check / diff / create / read / update / delete of the test migration ring."""

    args_type = MigrationRingArgs
    state_type = MigrationRingState

    def __init__(self, connector: HostConnector) -> None:
        self.connector = connector

    def check(self, inputs: Mapping[str, Any]) -> Checked[MigrationRingArgs]:
        """Validate inputs; no remote call."""
        return check_ring(inputs)

    def diff(self, state: MigrationRingState, args: MigrationRingArgs) -> Plan:
        """Pure comparison of state with args."""
        return diff_ring(state, args)

    def _verified(self, args: MigrationRingArgs) -> MigrationRingState:
        state = run_ring(self.connector, args)
        if not state.passed:
            raise MigrationTestFailed(state.failures, len(state.pairs))
        return state

    def create(self, args: MigrationRingArgs) -> Created:
        """Run the ring; fail listing every failed pair."""
        return Created(secrets.token_hex(8), self._verified(args))

    def read(self, id_: str, state: MigrationRingState) -> MigrationRingState:
        """The last result: a refresh moves no VM."""
        return state

    def update(self, id_: str, state: MigrationRingState, args: MigrationRingArgs) -> MigrationRingState:
        """Run the ring again; fail listing every failed pair."""
        return self._verified(args)

    def delete(self, id_: str, state: MigrationRingState) -> None:
        """Remove any probe left on the hosts."""
        ring = _Ring(self.connector, args_of(state))
        ring.remove_everywhere()
        if ring.problems:
            raise RemoteError("migration test", "vm.remove", "; ".join(ring.problems))
