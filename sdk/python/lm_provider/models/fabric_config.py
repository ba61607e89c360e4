"""A live-migration fabric described in stack configuration (pure: no Pulumi, no I/O).

The keys of a project's namespace (``Pulumi.<stack>.yaml``), camelCase as Pulumi's are::

    lm-fabric:subnet: 10.160.35.0/24
    lm-fabric:hosts:                 # FabricHost's fields: name, fqdn, address, adapterName | macAddress |
      - name: KOM-AD01-VM01          #   interfaceDescription, switch, port, os, winrmEndpoint
        fqdn: KOM-AD01-VM01.holding.com
        address: 10.160.35.60
        adapterName: Ethernet 2
        switch: KOM-SW01
        port: GigabitEthernet0/1
    lm-fabric:switches:              # FabricSwitch's fields: name, mtu, reload, platform
      - {name: KOM-SW01, mtu: 9000, reload: if-needed}
    lm-fabric:authentication: Kerberos     # optional, like nameResolution, jumboPacket, pathCheck, performanceOption,
                                           #   purgeTickets (default true), testMigration (default false)

:func:`read_fabric_config` turns the raw values (Pulumi hands every value over as text; lists and
maps as JSON) into LiveMigrationFabric's arguments; :func:`config_path` names a problem the fabric
finds by the key it came from (``hosts[1].adapter_name`` -> ``lm-fabric:hosts[1].adapterName``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from ..errors import FabricConfigError
from .fabric import FabricHost, FabricSwitch

REQUIRED = ("subnet", "hosts", "switches")
OPTIONS = ("authentication", "name_resolution", "jumbo_packet", "path_check", "performance_option", "purge_tickets",
           "test_migration")
FLAGS = ("path_check", "purge_tickets", "test_migration")


def camel(name: str) -> str:
    """``adapter_name`` -> ``adapterName`` (Pulumi's spelling of configuration keys)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


CONFIG_KEYS = tuple(camel(name) for name in (*REQUIRED, *OPTIONS))
"""Every key :func:`read_fabric_config` reads."""


@dataclass(frozen=True)
class FabricConfig:
    """LiveMigrationFabric's arguments read from configuration: ``options`` holds only the keys set."""

    subnet: str
    hosts: list[FabricHost]
    switches: list[FabricSwitch]
    options: dict[str, Any]


def config_path(problem: str, namespace: str) -> str:
    """A fabric problem (``hosts[1].adapter_name: reason``) named by its configuration key."""
    path, sep, reason = problem.partition(": ")
    if not sep:
        return problem
    return f"{namespace}:{re.sub(r'[a-z]+(?:_[a-z]+)+', lambda m: camel(m.group(0)), path)}: {reason}"


def _entries(raw: str, key: str, kind: type[Any], problems: list[str]) -> list[Any]:
    """A list of ``kind`` from the JSON text of a list of maps; each wrong entry or key a problem."""
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    if not isinstance(value, list):
        problems.append(f"{key}: must be a list of maps (YAML), got {raw!r}")
        return []
    allowed = {camel(f.name): f.name for f in fields(kind)}
    found = []
    for index, entry in enumerate(value):
        path = f"{key}[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{path}: must be a map of {', '.join(allowed)}, got {entry!r}")
            continue
        unknown = [k for k in entry if k not in allowed]
        for name in unknown:
            problems.append(f"{path}.{name}: unknown key; allowed: {', '.join(allowed)}")
        if not unknown:  # a required field left out is None here; the fabric names it ("is required")
            required = {f.name: None for f in fields(kind) if f.default is MISSING}
            found.append(kind(**{**required, **{allowed[k]: v for k, v in entry.items()}}))
    return found


def _option(name: str, raw: str, key: str, problems: list[str]) -> Any:
    """An optional key's value: jumboPacket a whole number, pathCheck/purgeTickets/testMigration
    true/false, the rest text."""
    if name == "jumbo_packet":
        if re.fullmatch(r"[0-9]{1,6}", raw.strip()):
            return int(raw)
        problems.append(f"{key}: {raw!r} is not a whole number of bytes (e.g. 9014)")
    elif name in FLAGS:
        if raw.strip().lower() in ("true", "false"):
            return raw.strip().lower() == "true"
        problems.append(f"{key}: {raw!r} is not true or false")
    else:
        return raw
    return None


def read_fabric_config(raw: Mapping[str, str], namespace: str) -> FabricConfig:
    """The fabric's arguments from the raw configuration values of ``namespace`` (key -> text).

    Raises FabricConfigError naming every missing key, unknown key and malformed value; what the
    values mean (addresses, cabling, names) is checked by the fabric itself.
    """
    problems: list[str] = []
    for name in REQUIRED:
        if raw.get(name) is None:
            problems.append(f"{namespace}:{name}: is required (set it in Pulumi.<stack>.yaml)")
    hosts = _entries(raw["hosts"], f"{namespace}:hosts", FabricHost, problems) if "hosts" in raw else []
    switches = _entries(raw["switches"], f"{namespace}:switches", FabricSwitch, problems) if "switches" in raw else []
    options = {name: _option(name, raw[camel(name)], f"{namespace}:{camel(name)}", problems)
               for name in OPTIONS if raw.get(camel(name)) is not None}
    if problems:
        raise FabricConfigError(problems)
    return FabricConfig(raw["subnet"], hosts, switches, options)
