"""Run the real Pulumi engine offline: one place for the settings every local run needs.

Used by the end-to-end tests, the benchmarks and the lab's main job. Nothing here talks to
Pulumi Cloud: state goes to a local file backend, plugins are never downloaded, and the dynamic
provider host runs this interpreter (so it can import lm_provider).

    from lm_provider.engine import OfflineEngine
    engine = OfflineEngine(Path("/tmp/lm-state"))
    stack = engine.inline_stack("lm-fabric", "dc1", program)
    stack.up(on_output=print)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .pulumi_cli import PULUMI_VERSION, pulumi_root

if TYPE_CHECKING:
    from pulumi import automation as auto

__all__ = ["PULUMI_VERSION", "OfflineEngine", "pulumi_root"]

class OfflineEngine:
    """Engine settings for one local backend directory (file state, isolated PULUMI_HOME)."""

    def __init__(self, state_dir: Path, passphrase: str = "lm-provider-local",
                 extra_env: Mapping[str, str] | None = None) -> None:
        self.state_dir = state_dir
        self.backend_dir = state_dir / "backend"
        self.home_dir = state_dir / "home"
        self.root = pulumi_root()
        self.backend_dir.mkdir(parents=True, exist_ok=True)
        self.home_dir.mkdir(parents=True, exist_ok=True)
        self.env = {
            "PULUMI_BACKEND_URL": self.backend_dir.as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": passphrase,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_HOME": str(self.home_dir),
            "PULUMI_PYTHON_CMD": sys.executable,
            "PATH": f"{self.root / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            **(extra_env or {}),
        }

    def state_file(self, project: str, stack: str) -> Path:
        """Where the file backend keeps a stack's checkpoint (organization is always ``organization``)."""
        return self.backend_dir / ".pulumi" / "stacks" / project / f"{stack}.json"

    def inline_stack(self, project: str, stack: str, program: Callable[[], None]) -> auto.Stack:
        """Create or select an Automation API stack running ``program`` in this process."""
        from pulumi import automation as auto

        settings = auto.ProjectSettings(name=project, runtime="python",
                                        backend=auto.ProjectBackend(url=self.env["PULUMI_BACKEND_URL"]))
        options = auto.LocalWorkspaceOptions(env_vars=self.env, project_settings=settings,
                                             pulumi_home=str(self.home_dir),
                                             pulumi_command=auto.PulumiCommand(root=str(self.root)))
        return auto.create_or_select_stack(stack_name=stack, project_name=project, program=program, opts=options)
