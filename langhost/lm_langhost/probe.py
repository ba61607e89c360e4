"""Ask the project's interpreter about itself (``in_project/inspect_env.py``): one short process per question."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lm_langhost.children import Cancelled, ChildFailed, Children
from lm_langhost.errors import HostError
from lm_langhost.interpreter import Interpreter

INSPECT_ENV = Path(__file__).parent / "in_project" / "inspect_env.py"


def inspect(interpreter: Interpreter, children: Children, what: str, cancelled: Cancelled) -> Any:
    """The JSON that ``inspect_env.py what`` prints in the project's interpreter. Raises HostError."""
    interpreter.check()
    argv = interpreter.command(str(INSPECT_ENV), what)
    try:
        output = children.capture(argv, str(interpreter.options.root), interpreter.env(), cancelled)
    except (ChildFailed, OSError) as exc:
        raise HostError(f"could not inspect the Python environment of {interpreter.python}: {exc}") from exc
    try:
        return json.loads(output)
    except ValueError as exc:
        raise HostError(f"could not inspect the Python environment of {interpreter.python}: it printed "
                        f"{output[:200]!r} instead of JSON") from exc
