"""Persistence of device state in the lab directory: one JSON file per device, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


class StateStore:
    """Reads and writes ``<dir>/<kind>/<name>.json``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, kind: str, name: str) -> Path:
        """Where a device's state lives."""
        return self.directory / kind / f"{name}.json"

    def load(self, kind: str, name: str) -> dict[str, Any] | None:
        """The stored state, or None for a device never saved."""
        path = self.path(kind, name)
        if not path.exists():
            return None
        state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return state

    def save(self, kind: str, name: str, state: dict[str, Any]) -> None:
        """Write atomically (temp file + rename), so a crash never leaves half a file."""
        path = self.path(kind, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=1, sort_keys=True)
        os.replace(tmp, path)
