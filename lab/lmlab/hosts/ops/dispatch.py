"""Running one script on a host model: find the op, bind its parameters, run it on a copy.

The host passed in is never changed. An op that changed its copy hands it back validated and with
its derived state (the listener list) refreshed; the caller swaps it in and persists it. Effects an
op registered on other hosts (``context.on_commit``) run only after that, and one that fails fails
the script with the op's host unchanged. Whatever
goes wrong inside the lab (an exception in a handler, an op leaving an invalid model, a read op
that changed the host) is answered like a failed script (CLIXML error record, exit code 1), never
as a network fault, and logged with its traceback; the model stays as it was.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
from dataclasses import dataclass

from .. import clixml
from ..model import Host
from .context import OpContext
from .params import bind
from .protocol import OpError, ScriptResult, parse_script, script_label
from .registry import OpRegistry

log = logging.getLogger(__name__)


class LabBug(Exception):
    """The lab broke its own rules while running an op (logged, answered as an internal error)."""


@dataclass(frozen=True)
class Outcome:
    """What running a script did."""

    op: str
    """The op's registered name; for CommandNotFound the name PowerShell looked for (or ``unknown``)."""
    result: ScriptResult
    host: Host | None
    """The new, validated model when the op changed the host; None when nothing changed."""


def _failed(record: clixml.ErrorRecord, progress_noise: bool) -> ScriptResult:
    return ScriptResult(b"", clixml.render([record], progress_noise), 1)


def execute(registry: OpRegistry, host: Host, script: str, progress_noise: bool = False,
            context: OpContext | None = None) -> Outcome:
    """Run ``script`` against a copy of ``host`` as powershell.exe -EncodedCommand would; ops
    registered with ``context=True`` also get ``context`` (the lab's network, directory and peers),
    with a commit list of this run's own."""
    label = script_label(script)
    run_context = dataclasses.replace(context or OpContext(), commits=[])
    try:
        parsed = parse_script(script)
        spec = registry.get(parsed.op) if parsed.op else None
        if spec is None:
            raise OpError(clixml.command_not_found(parsed.op or parsed.first_word))
        label = spec.name
        params = bind(spec.name, spec.params, parsed.params)
        work = copy.deepcopy(host)
        output = spec.handler(work, params, run_context) if spec.context else spec.handler(work, params)
        changed = work != host
        if changed:
            if not spec.changes:
                raise LabBug(f"op {spec.name} is registered with changes=False but changed the host")
            work.validate()
            work.settings_changed()
        for effect in run_context.commits:
            effect()
        stdout = (json.dumps(output, separators=(",", ":")) + "\r\n").encode("utf-8")
    except OpError as exc:
        return Outcome(label, _failed(exc.record, progress_noise), None)
    except Exception:  # any lab bug becomes a failed script, never a dropped connection
        log.exception("host %s: op %s failed inside the lab", host.name, label)
        return Outcome(label, _failed(clixml.lab_internal_error(label), progress_noise), None)
    stderr = clixml.render([], True) if progress_noise else b""
    return Outcome(label, ScriptResult(stdout, stderr, 0), work if changed else None)
