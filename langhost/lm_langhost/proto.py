"""The Pulumi gRPC stubs this host serves and calls, loaded without the Pulumi SDK's start-up.

The stubs live in the ``pulumi`` wheel under ``pulumi/runtime/proto``. Importing them the usual way
runs ``pulumi/__init__.py``, which loads the whole SDK (about half a second). The host starts
several times per ``pulumi up``, so it registers bare ``pulumi`` and ``pulumi.runtime`` package
entries while it imports the stubs (only when the SDK is not loaded yet; the stubs need nothing
else from them), then forgets all those modules, so that a later ``import pulumi`` (in tests) loads
the real SDK.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path


def _register_bare_packages() -> list[str]:
    if "pulumi" in sys.modules:
        return []
    spec = importlib.util.find_spec("pulumi")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the pulumi package is not installed in the language host's environment")
    root = Path(next(iter(spec.submodule_search_locations)))
    for name, path in (("pulumi", root), ("pulumi.runtime", root / "runtime")):
        package = types.ModuleType(name)
        package.__path__ = [str(path)]
        sys.modules[name] = package
    return ["pulumi", "pulumi.runtime"]


_BARE = _register_bare_packages()

from pulumi.runtime.proto import (  # the bare packages must exist first
    engine_pb2,
    engine_pb2_grpc,
    language_pb2,
    language_pb2_grpc,
    plugin_pb2,
)

if _BARE:  # forget every module loaded through the bare packages: a later `import pulumi` starts afresh
    for _name in [name for name in sys.modules if name == "pulumi" or name.startswith("pulumi.")]:
        del sys.modules[_name]

__all__ = ["engine_pb2", "engine_pb2_grpc", "language_pb2", "language_pb2_grpc", "plugin_pb2"]
