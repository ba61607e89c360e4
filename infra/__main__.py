"""The lm-fabric program (``pulumi up`` at the repository root).

A later issue makes it the reference site on the lab. Until then it only proves the path: the
language host runs it in the project's virtualenv, where lm-provider is installed.
"""

import importlib.metadata
import platform

import pulumi

pulumi.export("lmProviderVersion", importlib.metadata.version("lm-provider"))
pulumi.export("python", platform.python_version())
