"""The commands that create a project's virtualenv and install its requirements (``pulumi install``).

Never installs into an interpreter that is not a virtualenv: a project without the ``virtualenv``
option gets its requirements installed only when ``PULUMI_PYTHON_CMD``/``python3`` is one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from lm_langhost.errors import HostError
from lm_langhost.interpreter import Interpreter, base_python, is_virtualenv, runs_in_virtualenv


@dataclass(frozen=True)
class Step:
    """One command of an installation, with the line shown before it."""

    title: str
    argv: list[str]
    cwd: str
    env: dict[str, str]


def requirements_file(interpreter: Interpreter) -> Path | None:
    """The project's requirements.txt: next to the program, else in the project root."""
    options = interpreter.options
    for directory in (options.program_dir, options.root):
        candidate = directory / "requirements.txt"
        if candidate.is_file():
            return candidate
    return None


def _pip_steps(interpreter: Interpreter) -> list[Step]:
    steps = []
    venv = interpreter.options.venv_path
    env = interpreter.env()
    if venv is None:
        python = base_python(interpreter.environ)
        if not runs_in_virtualenv(python):
            if requirements_file(interpreter) is None:
                return []
            raise HostError(f"refusing to pip-install the requirements into {python}, which is not a virtual "
                            "environment: set `virtualenv: venv` under runtime.options in Pulumi.yaml and run "
                            "`pulumi install` again")
    elif not is_virtualenv(venv):
        create = [base_python(interpreter.environ), "-m", "venv", str(venv)]
        steps.append(Step("Creating virtual environment...", create, str(interpreter.options.root),
                          dict(interpreter.environ)))
    requirements = requirements_file(interpreter)
    if requirements is not None:
        steps.append(Step("Installing dependencies in virtual environment...",
                          interpreter.command("-m", "pip", "install", "-r", requirements.name),
                          str(requirements.parent), env))
    return steps


def _uv_steps(interpreter: Interpreter) -> list[Step]:
    uv = shutil.which("uv", path=interpreter.environ.get("PATH"))
    if uv is None:
        raise HostError("Pulumi.yaml sets runtime option 'toolchain' to 'uv', but uv is not on PATH; "
                        "install uv or use toolchain 'pip'")
    options = interpreter.options
    venv = options.venv_path
    assert venv is not None  # the uv toolchain always has one (".venv" by default)
    env = interpreter.env()
    if (options.program_dir / "pyproject.toml").is_file():
        env["UV_PROJECT_ENVIRONMENT"] = str(venv)
        return [Step("Installing dependencies with uv sync...", [uv, "sync"], str(options.program_dir), env)]
    steps = []
    if not is_virtualenv(venv):
        steps.append(Step("Creating virtual environment...", [uv, "venv", str(venv)], str(options.root), env))
    requirements = requirements_file(interpreter)
    if requirements is not None:
        steps.append(Step("Installing dependencies in virtual environment...",
                          [uv, "pip", "install", "--python", interpreter.python, "-r", requirements.name],
                          str(requirements.parent), env))
    return steps


def install_steps(interpreter: Interpreter) -> list[Step]:
    """What ``pulumi install`` runs for this project, in order. Raises HostError when it must not or cannot."""
    if interpreter.options.toolchain == "uv":
        return _uv_steps(interpreter)
    return _pip_steps(interpreter)
