"""The Pulumi gRPC stubs this host serves and calls, loaded without the Pulumi SDK's start-up.

The stubs live in the ``pulumi`` wheel under ``pulumi/runtime/proto``. Importing them the usual way
runs ``pulumi/__init__.py``, which loads the whole SDK (about half a second). The host starts
several times per ``pulumi up``, so it registers bare ``pulumi`` and ``pulumi.runtime`` package
entries first (only when the SDK is not already loaded): the stubs need nothing else from them.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path


def _register_bare_packages() -> None:
    if "pulumi" in sys.modules:
        return
    spec = importlib.util.find_spec("pulumi")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the pulumi package is not installed in the language host's environment")
    root = Path(next(iter(spec.submodule_search_locations)))
    for name, path in (("pulumi", root), ("pulumi.runtime", root / "runtime")):
        package = types.ModuleType(name)
        package.__path__ = [str(path)]
        sys.modules[name] = package


_register_bare_packages()

from pulumi.runtime.proto import (  # the bare packages must exist first
    engine_pb2,
    engine_pb2_grpc,
    language_pb2,
    language_pb2_grpc,
    plugin_pb2,
)

__all__ = ["engine_pb2", "engine_pb2_grpc", "language_pb2", "language_pb2_grpc", "plugin_pb2"]
