"""What every ``lm-provider`` subcommand reads first: the site (``--site FILE`` or ``--stack NAME``),
the fabric it describes and its connection keys, all checked before any device is contacted."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError, FabricConfigError
from ..models.directory import directory_settings
from ..models.fabric import FabricPlan, plan_fabric
from ..models.fabric_config import CONFIG_KEYS, config_path, read_fabric_config
from ..models.switch_settings import SwitchConfig
from ..models.winrm import WinRmConfig
from .site import Site, SiteError, read_site_file, read_stack


def add_site_arguments(parser: argparse.ArgumentParser) -> None:
    """``--site FILE | --stack NAME``, ``--cwd``, ``--namespace`` and ``--json``."""
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
                        "instead of the text)")


def write_json(command: str, document: Any, target: str) -> bool:
    """Write ``document`` as JSON to ``target`` (``-``: stdout); False after printing one line naming
    ``--json`` when the file cannot be written."""
    text = json.dumps(document, indent=2) + "\n"
    try:
        if target == "-":
            sys.stdout.write(text)
        else:
            Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"lm-provider {command}: --json {target}: cannot write it ({exc.strerror or exc})", file=sys.stderr)
        return False
    return True


def load_site(args: argparse.Namespace) -> tuple[Site, FabricPlan]:
    """The site and its fabric from the parsed arguments; SiteError lists every problem (nothing contacted)."""
    site = read_site_file(args.site) if args.site is not None else read_stack(args.stack, args.cwd)
    plan = _plan(site, args.namespace)
    problems = _connection_problems(site, plan)
    if problems:
        raise SiteError(problems)
    return site, plan


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
