"""The ``lm-provider`` command (no Pulumi imported: it runs without a stack).

    lm-provider audit --site site.yaml [--json report.json]
    lm-provider audit --stack dc1 [--cwd DIR]
    lm-provider test-migration --site site.yaml | --stack dc1
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import audit, ring


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per job."""
    found = argparse.ArgumentParser(prog="lm-provider", description="lm-provider's command line.")
    commands = found.add_subparsers(dest="command", required=True, metavar="COMMAND")
    audit.add_parser(commands)
    ring.add_parser(commands)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; its exit code (argparse exits with 2 on a bad command line)."""
    args = parser().parse_args(argv)
    code: int = args.run(args)
    return code

