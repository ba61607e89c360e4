"""Which Python runs a program, and with what environment: the project's virtualenv, else
``PULUMI_PYTHON_CMD``, else ``python3``/``python`` from PATH."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lm_langhost.errors import HostError
from lm_langhost.options import ProgramOptions


def is_virtualenv(path: Path) -> bool:
    """True when ``path`` (a ``virtualenv`` option) holds an interpreter."""
    return (path / "bin" / "python").is_file()


def runs_in_virtualenv(python: str) -> bool:
    """True when the interpreter at ``python`` (not resolved: a venv's python links to its base) is a venv's."""
    return (Path(python).parent.parent / "pyvenv.cfg").is_file()


def base_python(environ: Mapping[str, str]) -> str:
    """The interpreter for projects without a virtualenv (and for creating one), as an absolute path.

    Raises HostError naming what was looked for.
    """
    path = environ.get("PATH", os.defpath)
    wanted = environ.get("PULUMI_PYTHON_CMD")
    if wanted:
        found = shutil.which(wanted, path=path)
        if found is None:
            raise HostError(f"PULUMI_PYTHON_CMD is set to {wanted!r}, which is not an executable file or a command "
                            f"on PATH; point it at a Python 3.10+ interpreter or unset it to use python3")
        return os.path.abspath(found)
    for name in ("python3", "python"):
        found = shutil.which(name, path=path)
        if found is not None:
            return os.path.abspath(found)
    raise HostError("neither python3 nor python is on PATH; install Python 3.10+ or set PULUMI_PYTHON_CMD "
                    "to an interpreter")


@dataclass(frozen=True)
class Interpreter:
    """The Python of one project: its path and the environment its processes get."""

    options: ProgramOptions
    environ: Mapping[str, str]

    def check(self) -> None:
        """Raise HostError when the project names a virtualenv that is not there."""
        venv = self.options.venv_path
        if venv is None or is_virtualenv(venv):
            return
        reason = "does not exist" if not venv.exists() else "is not a virtual environment (it has no bin/python)"
        raise HostError(f"The 'virtualenv' option in Pulumi.yaml is set to {self.options.virtualenv!r}, but {venv} "
                        f"{reason}; run `pulumi install` in {self.options.root} to create it and install "
                        "the project's requirements into it")

    @property
    def python(self) -> str:
        """The interpreter's path (the virtualenv's, even before it exists)."""
        venv = self.options.venv_path
        if venv is not None:
            return str(venv / "bin" / "python")
        return base_python(self.environ)

    def env(self) -> dict[str, str]:
        """The process environment: the virtualenv activated (VIRTUAL_ENV, PATH, no PYTHONHOME)."""
        env = dict(self.environ)
        venv = self.options.venv_path
        if venv is not None:
            env["VIRTUAL_ENV"] = str(venv)
            env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", os.defpath)])
            env.pop("PYTHONHOME", None)
        return env

    def command(self, *args: str) -> list[str]:
        """An argv running this interpreter with ``args``."""
        return [self.python, *args]
