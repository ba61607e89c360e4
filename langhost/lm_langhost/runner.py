"""Running a program for ``Run``: the command line for ``in_project/run_program.py``, its input, its outcome."""

from __future__ import annotations

import json
import logging
import signal
import tempfile
from pathlib import Path

from lm_langhost.children import Cancelled, Children
from lm_langhost.errors import HostError
from lm_langhost.in_project.run_program import REPORTED
from lm_langhost.interpreter import Interpreter
from lm_langhost.proto import language_pb2
from lm_langhost.typecheck import typecheck

log = logging.getLogger(__name__)

RUN_PROGRAM = Path(__file__).parent / "in_project" / "run_program.py"


def run_response(code: int, cancelled: bool) -> language_pb2.RunResponse:
    """What the engine hears about a finished program with exit ``code``."""
    if code == 0:
        return language_pb2.RunResponse()
    if code == REPORTED or cancelled:
        return language_pb2.RunResponse(bail=True)
    if code < 0:
        return language_pb2.RunResponse(error=f"program exited unexpectedly: killed by {signal.Signals(-code).name}")
    return language_pb2.RunResponse(error=f"program exited with non-zero exit code: {code}")


def run_program(request: language_pb2.RunRequest, interpreter: Interpreter, engine: str, children: Children,
                cancelled: Cancelled) -> language_pb2.RunResponse:
    """Run the requested program in ``interpreter`` until it ends or ``cancelled()``.

    The configuration (secrets decrypted) goes to the program's stdin, never into argv or the
    environment. Raises HostError when the program cannot be started.
    """
    interpreter.check()
    report = typecheck(interpreter, children, cancelled)
    if report is not None:
        return language_pb2.RunResponse(error=report)
    info = request.info
    stdin = json.dumps({"config": dict(request.config), "secret_keys": list(request.configSecretKeys)})
    log.info("running %s (stack %s, dry run %s)", interpreter.options.entry_path, request.stack, request.dryRun)
    with tempfile.TemporaryDirectory(prefix="lm-langhost-") as scratch:
        error_file = Path(scratch) / "error"
        flags = {"monitor": request.monitor_address, "engine": engine, "project": request.project,
                 "root_directory": info.root_directory, "stack": request.stack, "pwd": request.pwd,
                 "dry_run": "true" if request.dryRun else "false", "parallel": str(request.parallel),
                 "organization": request.organization, "error_file": str(error_file)}
        argv = interpreter.command("-u", str(RUN_PROGRAM),
                                   *(part for flag, value in flags.items() if value for part in (f"--{flag}", value)),
                                   info.entry_point or ".", *request.args)
        cwd = request.pwd or info.program_directory or info.root_directory
        try:
            code = children.run(argv, cwd, interpreter.env(), cancelled, stdin.encode())
        except OSError as exc:
            raise HostError(f"could not start the program with {interpreter.python}: {exc.strerror}") from exc
        log.info("program exited with %d", code)
        if error_file.exists():
            return language_pb2.RunResponse(error=error_file.read_text(encoding="utf-8"))
    return run_response(code, cancelled())
