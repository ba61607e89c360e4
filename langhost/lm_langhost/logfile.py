"""The host's log file: ``$PULUMI_HOME/logs/lm-langhost.log`` (``~/.pulumi`` without PULUMI_HOME).

Never stderr: the CLI shows a plugin's stderr to the user. Many host processes append to the one
file (a line each at a time); nothing secret is logged (configuration travels on stdin only).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path


def log_path() -> Path:
    """Where the host logs (the directory is created); /dev/null when that is impossible."""
    directory = Path(os.environ.get("PULUMI_HOME") or Path.home() / ".pulumi") / "logs"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(os.devnull)
    return directory / "lm-langhost.log"


def start_logging(debug: bool) -> None:
    """Log INFO (DEBUG when ``debug``) and up to the log file."""
    handler = logging.FileHandler(log_path(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
