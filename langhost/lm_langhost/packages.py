"""Which resource plugins a program's installed Pulumi packages need (``GetRequiredPackages``)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from typing import Any

from lm_langhost.proto import plugin_pb2

WITHOUT_PLUGINS = frozenset({"pulumi-policy", "pulumi-esc-sdk"})
"""Pulumi packages known to need no plugin (they ship no pulumi-plugin.json saying so)."""

PEP440 = re.compile(r"^(?P<release>\d+(?:\.\d+)*)(?:(?P<pre>a|b|rc)(?P<pre_n>\d+))?"
                    r"(?:\.post(?P<post>\d+))?(?:\.dev(?P<dev>\d+))?$")
PRE_RELEASE = {"a": "alpha", "b": "beta", "rc": "rc"}


def plugin_version(package_version: str) -> str | None:
    """The plugin version (semver) of a Python package version, or None when it cannot be derived.

    ``1.2`` -> ``1.2.0``, ``1.2.3a4`` -> ``1.2.3-alpha.4``, ``1.2.3.post4.dev5`` -> ``1.2.3+post4dev5``.
    """
    match = PEP440.match(package_version)
    if match is None:
        return None
    release = match["release"].split(".")
    version = ".".join(release + ["0"] * (3 - len(release)))
    if match["pre"]:
        version += f"-{PRE_RELEASE[match['pre']]}.{match['pre_n']}"
    build = (f"post{match['post']}" if match["post"] else "") + (f"dev{match['dev']}" if match["dev"] else "")
    return version + (f"+{build}" if build else "")


def _parameterization(value: Any) -> plugin_pb2.PackageParameterization | None:
    """A ``parameterization`` of pulumi-plugin.json (its value is base64, as Go encodes bytes)."""
    if not isinstance(value, Mapping):
        return None
    return plugin_pb2.PackageParameterization(name=str(value.get("name", "")), version=str(value.get("version", "")),
                                              value=base64.b64decode(str(value.get("value", ""))))


def required_packages(installed: Iterable[Mapping[str, Any]]) -> list[plugin_pb2.PackageDependency]:
    """The resource plugins that ``installed`` (``inspect_env.py packages``) needs.

    A distribution counts when it has a ``pulumi-plugin.json`` or is named ``pulumi-*``; its
    ``"resource": false`` means no plugin; name, version and server default to the package's.
    """
    result = []
    for package in installed:
        name, plugin = str(package["name"]), package.get("plugin")
        if name in WITHOUT_PLUGINS or (not isinstance(plugin, Mapping) and not name.startswith("pulumi-")):
            continue
        meta: Mapping[str, Any] = plugin if isinstance(plugin, Mapping) else {}
        if isinstance(plugin, Mapping) and not plugin.get("resource", False):
            continue
        version = meta.get("version") or plugin_version(str(package["version"]))
        if not version:
            continue
        result.append(plugin_pb2.PackageDependency(
            name=meta.get("name") or name.removeprefix("pulumi-"),
            version=version if version.startswith("v") else f"v{version}",
            kind="resource", server=meta.get("server", ""),
            parameterization=_parameterization(meta.get("parameterization")),
        ))
    return result
