"""``lm-provider audit``: what ``pulumi up`` of the fabric would fix on an existing site, read-only.

Exit codes: 0 no gaps, 1 gaps, 2 a bad site description (nothing contacted) or a device that
could not be read (named).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigurationError, FabricConfigError
from ..models.audit_report import AuditReport
from ..models.directory import directory_settings
from ..models.fabric import FabricPlan, plan_fabric
from ..models.fabric_config import CONFIG_KEYS, config_path, read_fabric_config
from ..models.switch_settings import SwitchConfig
from ..models.winrm import WinRmConfig
from ..resources.audit import AuditConnections, audit_site
from .matrix import render
from .site import PASSWORD_VARIABLES, Site, SiteError, read_site_file, read_stack

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
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--site", type=Path, metavar="FILE",
                        help="a YAML file in the shape of Pulumi.<stack>.yaml (config: lm-fabric:*, lm:*)")
    source.add_argument("--stack", metavar="NAME", help="read the configuration of this Pulumi stack "
                        "(pulumi config --show-secrets; needs PULUMI_CONFIG_PASSPHRASE for a passphrase stack)")
    parser.add_argument("--cwd", type=Path, default=Path("."), metavar="DIR",
                        help="the Pulumi project's directory for --stack (default: here)")
    parser.add_argument("--namespace", default="lm-fabric", help="the site's configuration namespace "
                        "(default: lm-fabric)")
    parser.add_argument("--json", metavar="PATH|-", help="also write the report as JSON to PATH (-: stdout, "
                        "instead of the matrix)")
    parser.set_defaults(run=run)


def _plan(site: Site, namespace: str) -> FabricPlan:
    """The fabric the site describes; SiteError lists every problem by its key."""
    raw = site.namespace(namespace)
    unknown = [f"{site.origin}: {namespace}:{key}: unknown key; allowed: {', '.join(CONFIG_KEYS)}"
               for key in raw if key not in CONFIG_KEYS]
    try:
        described = read_fabric_config(raw, namespace)
    except FabricConfigError as exc:
        raise SiteError(unknown + [f"{site.origin}: {p}" for p in exc.problems]) from None
    try:
        plan = plan_fabric(site.name, described.subnet, described.hosts, described.switches, **described.options)
    except FabricConfigError as exc:
        raise SiteError(unknown + [f"{site.origin}: {config_path(p, namespace)}" for p in exc.problems]) from None
    if unknown:
        raise SiteError(unknown)
    return plan


def _connection_problems(site: Site, plan: FabricPlan) -> list[str]:
    """Every missing or bad connection key, found before anything is contacted."""
    problems: list[str] = []

    def attempt(check: Callable[[], object]) -> None:
        try:
            check()
        except ConfigurationError as exc:
            problems.append(f"{site.origin}: {exc}")

    def winrm() -> None:
        config = WinRmConfig.from_config(site.get)
        config.for_host(plan.hosts[0].host.name, plan.hosts[0].host.fqdn)

    def switches() -> None:
        config = SwitchConfig.from_config(site.get)
        for children in plan.switches:
            config.for_switch(children.switch.name)

    attempt(winrm)
    attempt(switches)
    if plan.authentication == "Kerberos":
        attempt(lambda: directory_settings(site.get))
    return problems


def _write_json(report: AuditReport, target: str, seconds: float) -> None:
    document = {**report.to_json(), "seconds": round(seconds, 3)}
    text = json.dumps(document, indent=2) + "\n"
    if target == "-":
        sys.stdout.write(text)
    else:
        Path(target).write_text(text, encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    """Read the site, audit it, print the matrix (and JSON); the exit code."""
    try:
        site = read_site_file(args.site) if args.site is not None else read_stack(args.stack, args.cwd)
        plan = _plan(site, args.namespace)
        problems = _connection_problems(site, plan)
        if problems:
            raise SiteError(problems)
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
    if args.json:
        try:
            _write_json(report, args.json, seconds)
        except OSError as exc:
            print(f"lm-provider audit: --json {args.json}: cannot write it ({exc.strerror or exc})", file=sys.stderr)
            return BAD
    for device in report.unreachable:
        print(f"lm-provider audit: not read: {device.device}: {device.error}", file=sys.stderr)
    if report.unreachable:
        return BAD
    return GAPS if report.gaps() else OK
