"""Describe the project's Python environment as JSON: executed by the project's interpreter by path.

    python inspect_env.py about      -> {"executable", "version", "pip"}
    python inspect_env.py packages   -> [{"name", "version", "top_level", "plugin"}, ...]

``top_level`` is false for a distribution that another installed one requires; ``plugin`` is the
content of the ``pulumi-plugin.json`` in its package (or null).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import sys
from typing import Any

REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    """A distribution name in its canonical form (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def about() -> dict[str, str]:
    """The interpreter's path and version, and pip's version ("" without pip)."""
    try:
        pip = importlib.metadata.version("pip")
    except importlib.metadata.PackageNotFoundError:
        pip = ""
    return {"executable": sys.executable, "version": platform.python_version(), "pip": pip}


def plugin_json(name: str) -> Any:
    """The ``pulumi-plugin.json`` of the distribution's package (named like it), parsed, or None."""
    try:
        spec = importlib.util.find_spec(name.replace("-", "_"))
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(location, "pulumi-plugin.json")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as file:
                return json.load(file)
    return None


def packages() -> list[dict[str, Any]]:
    """Every installed distribution, once (the first on sys.path wins, as for imports)."""
    dists: dict[str, importlib.metadata.Distribution] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            dists.setdefault(normalize(name), dist)
    required: set[str] = set()
    for dist in dists.values():
        for requirement in dist.requires or []:
            match = REQUIREMENT_NAME.match(requirement)
            if match and "extra" not in requirement.partition(";")[2]:
                required.add(normalize(match.group(1)))
    return [{"name": name, "version": dist.version, "top_level": name not in required, "plugin": plugin_json(name)}
            for name, dist in sorted(dists.items())]


if __name__ == "__main__":
    del sys.path[0]  # this script's directory
    what = {"about": about, "packages": packages}[sys.argv[1]]
    json.dump(what(), sys.stdout)
