"""Run one Pulumi Python program: executed by the project's interpreter by path, never imported.

    python -u run_program.py --monitor ADDR --engine ADDR --project P --root_directory DIR --stack S
        --pwd DIR --dry_run true|false --parallel N [--organization O] --error_file PATH ENTRY [ARGS...]

The stack's configuration arrives on stdin as ``{"config": {...}, "secret_keys": [...]}``, so that
decrypted secrets are in no process environment or argv. The program (a file, or a directory with
``__main__.py``) runs with runpy inside the SDK's stack resource, with its own directory first on
``sys.path``. Exit code 32 means that the error was already reported to the engine, or, when the
SDK cannot be loaded (so nothing can reach the engine), written to the ``--error_file`` for the host.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import logging
import os
import runpy
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NoReturn

REPORTED = 32
"""Exit code: the error was shown to the user already; the host adds nothing."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line the host builds (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="run_program", description="Run a Pulumi Python program")
    for flag in ("monitor", "engine", "project", "root_directory", "stack", "pwd", "dry_run", "parallel",
                 "organization", "tracing", "error_file"):
        parser.add_argument(f"--{flag}")
    parser.add_argument("entry", help="the program: a .py file or a directory with __main__.py")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the program")
    return parser.parse_args(argv)


def user_frames_start(stack: traceback.StackSummary, root: str) -> int:
    """Index of the first frame in the project's own code (not the SDK, not an installed package), or 0."""
    installed = {os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    project = os.path.realpath(root) + os.sep
    for index, frame in enumerate(stack):
        if not os.path.isabs(frame.filename):  # "<frozen runpy>", "<string>"
            continue
        path = os.path.realpath(frame.filename)
        if (path.startswith(project) and not any(path.startswith(p) for p in installed)
                and "site-packages" not in path.split(os.sep)):
            return index
    return 0


def describe_failure(exc: BaseException, root: str) -> str:
    """``Program failed ...`` and the traceback from the first frame of the user's code on."""
    report = traceback.TracebackException.from_exception(exc)
    report.stack = traceback.StackSummary.from_list(report.stack[user_frames_start(report.stack, root):])
    return "Program failed with an unhandled exception:\n" + "".join(report.format()).rstrip("\n")


def report(message: str) -> int:
    """Show ``message`` as an error of the update (stderr when the engine is unreachable); the exit code."""
    import pulumi

    try:
        pulumi.log.error(message)
    except Exception:
        print(message, file=sys.stderr)
    return REPORTED


def configure(args: argparse.Namespace, stdin: dict[str, Any]) -> None:
    """Hand the engine's settings and the stack's configuration to the Pulumi SDK."""
    import pulumi.runtime

    pulumi.runtime.set_all_config(stdin.get("config") or {}, stdin.get("secret_keys") or [])
    wanted: dict[str, Any] = {
        "monitor": args.monitor, "engine": args.engine, "project": args.project, "stack": args.stack,
        "parallel": int(args.parallel or 0) or None, "dry_run": args.dry_run == "true",
        "organization": args.organization, "root_directory": args.root_directory,
    }
    known = inspect.signature(pulumi.runtime.Settings.__init__).parameters  # older SDKs take fewer settings
    pulumi.runtime.configure(pulumi.runtime.Settings(**{k: v for k, v in wanted.items() if k in known}))


def run(args: argparse.Namespace) -> int:
    """Run the program in the stack; the exit code."""
    import pulumi
    import pulumi.runtime

    entry = os.path.abspath(args.entry)
    if os.path.isdir(entry) and not os.path.isfile(os.path.join(entry, "__main__.py")):
        return report(f"unable to find the main Python program: {entry} is a directory without __main__.py")
    sys.argv = [args.entry, *args.args]
    sys.path.insert(0, entry if os.path.isdir(entry) else os.path.dirname(entry))

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    parallel = int(args.parallel or 0)
    executor = ThreadPoolExecutor(max_workers=max(parallel, 1) * 4) if parallel else None
    if executor is not None:
        loop.set_default_executor(executor)
    # A failed program leaves futures unobserved; asyncio would log each of them at exit.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)

    def program() -> None:
        runpy.run_path(entry, run_name="__main__")

    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(program))
        return 0
    except KeyboardInterrupt:
        leave_quietly()
    except pulumi.RunError as exc:
        return report(str(exc))
    except Exception as exc:
        return report(describe_failure(exc, args.root_directory or args.pwd or os.getcwd()))
    finally:
        if executor is not None:
            executor.shutdown(wait=True)
        loop.close()


def leave_quietly() -> NoReturn:
    """The engine is cancelling the update (SIGINT): exit at once and say nothing, the CLI reports it."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(REPORTED)


def main() -> int:
    """Entry point; the exit code."""
    del sys.path[0]  # this script's directory: the program must not import the host's files
    args = parse_args(sys.argv[1:])
    stdin = json.loads(sys.stdin.read() or "{}")
    if args.pwd:
        os.chdir(args.pwd)
    try:
        import pulumi  # noqa: F401
    except ImportError as exc:
        with open(args.error_file, "w", encoding="utf-8") as file:
            file.write(f"the Pulumi SDK cannot be imported by {sys.executable} ({exc}): add `pulumi` to the "
                       "project's requirements.txt and run `pulumi install`")
        return REPORTED
    configure(args, stdin)
    return run(args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        leave_quietly()
