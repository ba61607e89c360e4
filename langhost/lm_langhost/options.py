"""The ``runtime.options`` of a project's Pulumi.yaml, checked once, with errors that name the bad input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lm_langhost.errors import HostError

TOOLCHAINS = ("pip", "uv")
TYPECHECKERS = ("mypy", "pyright")
KNOWN_OPTIONS = ("virtualenv", "toolchain", "typechecker")


@dataclass(frozen=True)
class ProgramOptions:
    """Where a program lives and how its interpreter is chosen and filled."""

    root: Path
    """The project directory (where Pulumi.yaml is)."""
    program_dir: Path
    """The directory of the program's entry point (``main:`` when it is a directory)."""
    entry_point: str
    """The entry point relative to ``program_dir``: ``.`` or a file name."""
    virtualenv: str | None = None
    """The ``virtualenv`` option as written (relative to ``root`` unless absolute)."""
    toolchain: str = "pip"
    typechecker: str | None = None
    """``mypy`` or ``pyright``: run on the program directory before each run."""

    @property
    def venv_path(self) -> Path | None:
        """The virtualenv as an absolute path, or None when the project uses no virtualenv."""
        if self.virtualenv is None:
            return None
        return self.root / self.virtualenv

    @property
    def entry_path(self) -> Path:
        """The program to run: a ``.py`` file, or a directory holding ``__main__.py``."""
        return self.program_dir / self.entry_point


def _string_option(options: Mapping[str, object], key: str) -> str | None:
    value = options.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise HostError(f"Pulumi.yaml runtime option {key!r} must be a non-empty string, not {value!r}")
    return value


def parse_options(root: str, program_dir: str, entry_point: str, options: Mapping[str, object],
                  is_plugin: bool = False) -> ProgramOptions:
    """Check ``options`` (Pulumi.yaml ``runtime.options``) for the program at ``program_dir``.

    Raises HostError naming the option, the reason and the allowed values.
    """
    if not root:
        raise HostError("the engine sent no project root directory (ProgramInfo.root_directory is empty)")
    unknown = sorted(set(options) - set(KNOWN_OPTIONS))
    if unknown:
        raise HostError(f"Pulumi.yaml runtime option {unknown[0]!r} is not supported by this Python language host; "
                        f"supported: {', '.join(KNOWN_OPTIONS)}")
    toolchain = _string_option(options, "toolchain") or "pip"
    if toolchain not in TOOLCHAINS:
        raise HostError(f"Pulumi.yaml runtime option 'toolchain' is {toolchain!r}, which this Python language host "
                        f"does not support; use one of: {', '.join(TOOLCHAINS)}")
    typechecker = _string_option(options, "typechecker")
    if typechecker is not None and typechecker not in TYPECHECKERS:
        raise HostError(f"Pulumi.yaml runtime option 'typechecker' is {typechecker!r}, which this Python language "
                        f"host does not support; use one of: {', '.join(TYPECHECKERS)}")
    virtualenv = _string_option(options, "virtualenv")
    if virtualenv is None and (is_plugin or toolchain == "uv"):
        virtualenv = ".venv" if toolchain == "uv" else "venv"
    return ProgramOptions(root=Path(root), program_dir=Path(program_dir or root), entry_point=entry_point or ".",
                          virtualenv=virtualenv, toolchain=toolchain, typechecker=typechecker)
