"""``lm-provider audit``: what ``pulumi up`` of the fabric would fix on an existing site, read-only.

Exit codes: 0 no gaps, 1 gaps, 2 a bad site description (nothing contacted) or a device that
could not be read (named).
"""

from __future__ import annotations

import argparse
import sys
import time

from ..resources.audit import AuditConnections, audit_site
from .load import add_site_arguments, load_site, write_json
from .matrix import render
from .site import PASSWORD_VARIABLES, SiteError

OK, GAPS, BAD = 0, 1, 2


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``audit`` subcommand's arguments."""
    variables = ", ".join(PASSWORD_VARIABLES.values())
    parser = commands.add_parser(
        "audit", help="what `pulumi up` would fix on an existing site (reads only)",
        description="Read every host, the AD computer accounts and the switches of a site and check each "
                    "field-guide requirement: ok, missing or wrong, with the value found. Exit 0: no gaps; "
                    "1: gaps; 2: a bad site description or a device that could not be read.",
        epilog=f"A site file holds no passwords: they come from {variables}.")
    add_site_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read the site, audit it, print the matrix (and JSON); the exit code."""
    try:
        site, plan = load_site(args)
    except SiteError as exc:
        for problem in exc.problems:
            print(f"lm-provider audit: {problem}", file=sys.stderr)
        return BAD
    connections = AuditConnections.from_config(site.get, kerberos=plan.authentication == "Kerberos")
    started = time.monotonic()
    try:
        report = audit_site(plan, connections)
    finally:
        connections.close()
    seconds = time.monotonic() - started
    if args.json != "-":
        print(render(report))
        print(f"({len(plan.hosts)} hosts, {len(plan.switches)} switch(es) read in {seconds:.1f} s)")
    if args.json and not write_json("audit", {**report.to_json(), "seconds": round(seconds, 3)}, args.json):
        return BAD
    for device in report.unreachable:
        print(f"lm-provider audit: not read: {device.device}: {device.error}", file=sys.stderr)
    if report.unreachable:
        return BAD
    return GAPS if report.gaps() else OK
