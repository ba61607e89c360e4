"""End-to-end harness: run an inline program through the real Pulumi engine and record what it did."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from lm_provider.engine import OfflineEngine

SMOKE_PATH = str(Path(__file__).parent)


@dataclass
class Run:
    """One engine operation: its result, the step ops (in order) per resource (type, name), and the
    warnings the engine's log showed."""

    result: Any
    steps: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def ops(self, type_: str, name: str) -> list[str]:
        """The distinct step ops for the resource of type ``type_`` named ``name``, e.g. ["create"]
        or ["create-replacement", "replace", "delete-replaced"]."""
        return self.steps.get((type_, name), [])


class EngineHarness:
    """One stack of one project on an offline file backend."""

    def __init__(self, state_dir: Path, project: str, stack: str, program: Callable[[], None]) -> None:
        self.engine = OfflineEngine(state_dir, extra_env={"PYTHONPATH": SMOKE_PATH})
        self.project = project
        self.stack_name = stack
        self.stack = self.engine.inline_stack(project, stack, program)

    @property
    def state_file(self) -> Path:
        """The stack's checkpoint file on the file backend."""
        return self.engine.state_file(self.project, self.stack_name)

    def state(self) -> dict[str, Any]:
        """The checkpoint as JSON."""
        return json.loads(self.state_file.read_text())

    def _run(self, action: Callable[..., Any]) -> Run:
        steps: dict[tuple[str, str], list[str]] = {}
        warnings: list[str] = []

        def on_event(event: auto.EngineEvent) -> None:
            diagnostic = event.diagnostic_event
            if diagnostic is not None and diagnostic.severity == "warning":
                warnings.append(diagnostic.message.strip())
            step = event.resource_pre_event or event.res_outputs_event
            if step is not None and step.metadata.type != "pulumi:pulumi:Stack":
                key = (step.metadata.type, step.metadata.urn.rsplit("::", 1)[-1])
                seen = steps.setdefault(key, [])
                if step.metadata.op.value not in seen:
                    seen.append(step.metadata.op.value)

        return Run(action(on_event=on_event), steps, warnings)

    def up(self) -> Run:
        """pulumi up."""
        return self._run(self.stack.up)

    def preview(self) -> Run:
        """pulumi preview."""
        return self._run(self.stack.preview)

    def refresh(self) -> Run:
        """pulumi refresh."""
        return self._run(self.stack.refresh)

    def destroy(self) -> Run:
        """pulumi destroy."""
        return self._run(self.stack.destroy)
