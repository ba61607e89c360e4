"""Where the Pulumi CLI is (imports nothing of Pulumi, so that the ``lm-provider`` command can use it)."""

from __future__ import annotations

import os
import shutil
from importlib.resources import files
from pathlib import Path

PULUMI_VERSION = files(__package__).joinpath("PULUMI_VERSION").read_text().strip()
"""The CLI version scripts/install-pulumi builds, read from the one file both use (the Python SDK
is pinned separately in pyproject)."""


def pulumi_root() -> Path:
    """The directory whose ``bin/`` holds the pulumi CLI: ``$LM_PULUMI_ROOT``, the build cache, or PATH.

    Raises FileNotFoundError with the fix when no CLI can be found.
    """
    if os.environ.get("LM_PULUMI_ROOT"):
        return Path(os.environ["LM_PULUMI_ROOT"])
    xdg_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cache = Path(os.environ.get("LM_CACHE_DIR") or xdg_cache / "lm-provider")
    built = cache / "pulumi" / f"v{PULUMI_VERSION}"
    if (built / "bin" / "pulumi").exists():
        return built
    on_path = shutil.which("pulumi")
    if on_path:
        return Path(on_path).resolve().parent.parent
    raise FileNotFoundError("no Pulumi CLI found; run scripts/install-pulumi (builds it from the Go module proxy) "
                            "or install it from https://www.pulumi.com/docs/install/")
