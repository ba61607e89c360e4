"""The ``typechecker`` runtime option: mypy or pyright over the program directory before each run."""

from __future__ import annotations

import os
import subprocess

from lm_langhost.children import Cancelled, ChildFailed, Children
from lm_langhost.errors import HostError
from lm_langhost.interpreter import Interpreter


def typecheck(interpreter: Interpreter, children: Children, cancelled: Cancelled) -> str | None:
    """Run the project's typechecker, if any, in its interpreter; its report when it fails, else None.

    Raises HostError when the typechecker is not installed there.
    """
    options = interpreter.options
    checker = options.typechecker
    if checker is None:
        return None
    args = ["-m", checker]
    if checker == "mypy" and options.venv_path is not None:
        args += ["--exclude", os.path.relpath(options.venv_path, options.program_dir)]
    argv = interpreter.command(*args, str(options.program_dir))
    try:
        children.capture(argv, str(options.program_dir), interpreter.env(), cancelled, stderr=subprocess.STDOUT)
    except ChildFailed as failed:
        report = failed.output.decode(errors="replace").strip()
        if f"No module named {checker}" in report:
            raise HostError(f"The 'typechecker' option in Pulumi.yaml is set to {checker!r}, but {checker} is not "
                            f"installed for {interpreter.python}: add it to requirements.txt and run `pulumi install`"
                            ) from failed
        return f"{checker} failed:\n{report}"
    return None
