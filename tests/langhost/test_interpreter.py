"""Choosing a project's interpreter and what pulumi install runs: virtualenv, PULUMI_PYTHON_CMD, python3, uv."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lm_langhost.errors import HostError
from lm_langhost.installer import install_steps
from lm_langhost.interpreter import Interpreter, base_python
from lm_langhost.options import parse_options


def executable(path: Path, text: str = "#!/bin/sh\nexit 0\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def fake_venv(path: Path) -> Path:
    executable(path / "bin" / "python")
    (path / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return path


def interpreter(root: Path, environ: dict[str, str], **options: object) -> Interpreter:
    return Interpreter(parse_options(str(root), str(root), ".", options), environ)


def test_pulumi_python_cmd_wins_over_python3(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    executable(tools / "python3")
    mine = executable(tools / "mypython")
    assert base_python({"PATH": str(tools), "PULUMI_PYTHON_CMD": "mypython"}) == str(mine)
    assert base_python({"PATH": str(tools)}) == str(tools / "python3")


def test_a_missing_interpreter_is_named(tmp_path: Path) -> None:
    with pytest.raises(HostError, match="PULUMI_PYTHON_CMD is set to 'nope', which is not an executable"):
        base_python({"PATH": str(tmp_path), "PULUMI_PYTHON_CMD": "nope"})
    with pytest.raises(HostError, match="neither python3 nor python is on PATH"):
        base_python({"PATH": str(tmp_path)})


def test_a_missing_virtualenv_is_named_with_its_path_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(HostError) as error:
        interpreter(tmp_path, {}, virtualenv="venv").check()
    assert str(error.value) == (f"The 'virtualenv' option in Pulumi.yaml is set to 'venv', but {tmp_path / 'venv'} "
                                f"does not exist; run `pulumi install` in {tmp_path} to create it and install the "
                                "project's requirements into it")
    (tmp_path / "venv").mkdir()
    with pytest.raises(HostError, match="is not a virtual environment"):
        interpreter(tmp_path, {}, virtualenv="venv").check()


def test_the_virtualenv_is_activated(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path / "venv")
    chosen = interpreter(tmp_path, {"PATH": "/usr/bin", "PYTHONHOME": "/x", "KEEP": "1"}, virtualenv="venv")
    chosen.check()
    env = chosen.env()
    assert chosen.python == str(venv / "bin" / "python")
    assert env["PATH"] == f"{venv / 'bin'}:/usr/bin" and env["VIRTUAL_ENV"] == str(venv)
    assert "PYTHONHOME" not in env and env["KEEP"] == "1"


def test_pip_install_creates_the_virtualenv_then_installs_the_requirements(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("pulumi\n")
    environ = {"PATH": str(Path(sys.executable).parent)}
    steps = install_steps(interpreter(tmp_path, environ, virtualenv="venv"))
    assert [s.argv for s in steps] == [
        [str(Path(sys.executable).parent / "python3"), "-m", "venv", str(tmp_path / "venv")],
        [str(tmp_path / "venv" / "bin" / "python"), "-m", "pip", "install", "-r", "requirements.txt"],
    ]
    assert steps[1].cwd == str(tmp_path) and steps[1].env["VIRTUAL_ENV"] == str(tmp_path / "venv")
    fake_venv(tmp_path / "venv")
    assert len(install_steps(interpreter(tmp_path, environ, virtualenv="venv"))) == 1  # exists: install only


def test_requirements_next_to_the_program_win(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("a\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "requirements.txt").write_text("b\n")
    fake_venv(tmp_path / "venv")
    chosen = Interpreter(parse_options(str(tmp_path), str(tmp_path / "src"), "prog.py", {"virtualenv": "venv"}), {})
    assert install_steps(chosen)[0].cwd == str(tmp_path / "src")


def test_pip_never_installs_into_an_interpreter_that_is_not_a_virtualenv(tmp_path: Path) -> None:
    python = executable(tmp_path / "system" / "bin" / "python3")
    executable(tmp_path / "system" / "bin" / "python")  # a Python installation prefix, not a venv (no pyvenv.cfg)
    (tmp_path / "requirements.txt").write_text("pulumi\n")
    with pytest.raises(HostError) as error:
        install_steps(interpreter(tmp_path, {"PATH": str(python.parent)}))
    assert str(error.value).startswith(f"refusing to pip-install the requirements into {python}, which is not a "
                                       "virtual environment: set `virtualenv: venv`")
    (tmp_path / "requirements.txt").unlink()
    assert install_steps(interpreter(tmp_path, {"PATH": str(python.parent)})) == []  # nothing to install: fine


def test_pip_installs_into_python_cmd_when_it_is_a_virtualenv(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path / "shared-env")
    (tmp_path / "requirements.txt").write_text("pulumi\n")
    chosen = interpreter(tmp_path, {"PATH": "/nowhere", "PULUMI_PYTHON_CMD": str(venv / "bin" / "python")})
    steps = install_steps(chosen)
    assert [s.argv for s in steps] == [[str(venv / "bin" / "python"), "-m", "pip", "install", "-r", "requirements.txt"]]


def test_uv_needs_uv_on_path(tmp_path: Path) -> None:
    with pytest.raises(HostError, match="toolchain' to 'uv', but uv is not on PATH"):
        install_steps(interpreter(tmp_path, {"PATH": str(tmp_path)}, toolchain="uv"))


def test_uv_creates_dot_venv_and_installs_requirements_or_syncs_a_pyproject(tmp_path: Path) -> None:
    uv = executable(tmp_path / "tools" / "uv")
    (tmp_path / "requirements.txt").write_text("pulumi\n")
    environ = {"PATH": str(uv.parent)}
    venv = tmp_path / ".venv"
    assert [s.argv for s in install_steps(interpreter(tmp_path, environ, toolchain="uv"))] == [
        [str(uv), "venv", str(venv)],
        [str(uv), "pip", "install", "--python", str(venv / "bin" / "python"), "-r", "requirements.txt"],
    ]
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    [sync] = install_steps(interpreter(tmp_path, environ, toolchain="uv"))
    assert sync.argv == [str(uv), "sync"] and sync.env["UV_PROJECT_ENVIRONMENT"] == str(venv)
