"""A Pulumi language host for Python programs (the `pulumi-language-python` plugin), in Python.

The Pulumi CLI starts it with ``[--logtostderr] [-v=N] [--tracing URL] ENGINE_ADDRESS``, reads the
gRPC port from its first stdout line and calls the ``LanguageRuntime`` service (the stubs ship in
the ``pulumi`` wheel). Programs run in the project's own interpreter (its virtualenv, else
``PULUMI_PYTHON_CMD`` or ``python3``) through ``in_project/run_program.py``. Toolchain, not SDK:
nothing here is imported by ``lm_provider``.
"""

__version__ = "0.1.0"
