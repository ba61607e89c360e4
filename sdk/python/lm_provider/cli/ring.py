"""``lm-provider test-migration``: the test migration ring on a site, without a stack.

A throwaway VM moves around the site's hosts over the migration network (as the fabric's
``test_migration`` does); each failed move is then explained by the audit's findings for it.
Exit codes: 0 every move passed, 1 a move failed, 2 a bad site description (nothing contacted) or
a device that could not be reached (named).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from ..errors import LmError
from ..models.codec import to_props
from ..models.fabric import FabricPlan
from ..models.ring import MigrationRingArgs, MigrationRingState, check_ring, diagnosed
from ..resources.audit import AuditConnections, audit_site
from ..resources.ring import run_ring
from .load import add_site_arguments, load_site, write_json
from .site import SiteError

OK, FAILED, BAD = 0, 1, 2


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``test-migration`` subcommand's arguments."""
    parser = commands.add_parser(
        "test-migration", help="move a throwaway VM around the site's hosts and report each move",
        description="Create a throwaway VM on the first host, move it live with its storage to each next host "
                    "over the migration network and home again, then remove it; user VMs are never touched. "
                    "A failed move is explained with the audit's findings. Exit 0: every move passed; 1: a move "
                    "failed; 2: a bad site description. Needs Kerberos authentication.")
    add_site_arguments(parser)
    parser.set_defaults(run=run)


def ring_of(plan: FabricPlan) -> MigrationRingArgs:
    """The ring's args for the site's hosts, in the site's order (validated like the resource's)."""
    checked = check_ring({"hosts": [to_props(m) for m in plan.path_members()], "subnet": plan.subnet})
    if checked.args is None:
        raise SiteError([str(f) for f in checked.failures])
    return checked.args


def _lines(state: MigrationRingState) -> list[str]:
    lines = []
    for pair in state.pairs:
        lines.append(str(pair))
        lines += [f"    cause: {cause}" for cause in pair.causes]
    verdict = "passed" if state.passed else f"FAILED ({len(state.failures)} problem(s))"
    return [*lines, f"test migration {verdict}: {len(state.pairs)} moves in {state.seconds:.2f} s"]


def run(args: argparse.Namespace) -> int:
    """Run the ring on the site, explain the failures; print (and write JSON); the exit code."""
    try:
        site, plan = load_site(args)
        if plan.authentication != "Kerberos":
            raise SiteError([f"{site.origin}: {args.namespace}:authentication: test-migration needs Kerberos: a move "
                             "started remotely under CredSSP always fails"])
        ring = ring_of(plan)
    except SiteError as exc:
        for problem in exc.problems:
            print(f"lm-provider test-migration: {problem}", file=sys.stderr)
        return BAD
    connections = AuditConnections.from_config(site.get, kerberos=True)
    try:
        state = run_ring(connections.hosts, ring)
        if not state.passed:
            report = audit_site(plan, connections)
            state = replace(state, pairs=[diagnosed(p, report.pair_gaps(p.source, p.destination))
                                          for p in state.pairs])
    except LmError as exc:
        print(f"lm-provider test-migration: {exc}", file=sys.stderr)
        return BAD
    finally:
        connections.close()
    if args.json != "-":
        print("\n".join(_lines(state)))
    if args.json and not write_json("test-migration", to_props(state), args.json):
        return BAD
    return OK if state.passed else FAILED
