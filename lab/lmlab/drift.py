"""Changing a device behind Pulumi's back: ``PATH=VALUE`` assignments on its model.

A path walks the model's JSON: dict keys, and list items by their ``name`` (case-insensitive)
or index, e.g. ``adapters.Ethernet 2.jumbo_packet=1514``, ``migration.enabled=false``,
``adapters.Ethernet 2.ipv4_addresses.0.ip_address=10.160.35.99``. A value is JSON when it
parses as JSON, else a string.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .typed import InvalidValue


def parse_assignment(text: str) -> tuple[list[str], Any]:
    """Split ``PATH=VALUE``; ValueError without '='."""
    path, sep, raw = text.partition("=")
    if not sep or not path:
        raise ValueError(f"expected PATH=VALUE, got {text!r}")
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return path.split("."), value


def _child(node: Any, key: str, where: str) -> tuple[Any, Any]:
    """(container, key-or-index) of ``key`` inside ``node``."""
    if isinstance(node, dict):
        if key not in node:
            raise ValueError(f"{where}: no field {key!r}; fields: {', '.join(node)}")
        return node, key
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict) and str(item.get("name", "")).lower() == key.lower():
                return node, index
        if key.isdigit() and int(key) < len(node):
            return node, int(key)
        raise ValueError(f"{where}: no item named or numbered {key!r}")
    raise ValueError(f"{where}: {key!r} goes below a plain value")


def _check_shape(current: Any, value: Any, path: str) -> None:
    """InvalidValue when ``value`` would put a plain value where an object or a list is (or the reverse)."""
    if isinstance(current, dict) and not isinstance(value, dict):
        raise InvalidValue(f"{path} is an object (fields: {', '.join(current)}); set one of its fields: "
                         f"{path}.<field>=VALUE")
    if isinstance(current, list) and not isinstance(value, list):
        names = [str(item["name"]) for item in current if isinstance(item, dict) and "name" in item]
        items = f"items {', '.join(names)}" if names else f"{len(current)} items, by index from 0"
        raise InvalidValue(f"{path} is a list ({items}); set a field of one item: {path}.<item>.<field>=VALUE, "
                         f"or give a whole JSON list")
    if not isinstance(current, (dict, list)) and isinstance(value, (dict, list)):
        raise InvalidValue(f"{path} is a plain value; give a number, true/false, null or text, not JSON "
                         f"{'object' if isinstance(value, dict) else 'list'}")


def apply(model: dict[str, Any], assignments: list[str]) -> dict[str, Any]:
    """A copy of ``model`` with every assignment applied (the original is untouched).

    ValueError when a path does not exist or a value has the wrong shape (a number for an object
    or a list); whether a value fits its field is for the device's model to say.
    """
    result = copy.deepcopy(model)
    for text in assignments:
        path, value = parse_assignment(text)
        node: Any = result
        for depth, key in enumerate(path):
            container, slot = _child(node, key, ".".join(path[:depth]) or "model")
            if depth == len(path) - 1:
                _check_shape(container[slot], value, ".".join(path))
                container[slot] = value
            else:
                node = container[slot]
    return result
