"""Pulumi.yaml runtime options: defaults, and one clear error per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from lm_langhost.errors import HostError
from lm_langhost.options import parse_options


def test_defaults_are_pip_without_a_virtualenv() -> None:
    options = parse_options("/p", "", "", {})
    assert (options.toolchain, options.virtualenv, options.venv_path) == ("pip", None, None)
    assert options.program_dir == Path("/p") and options.entry_path == Path("/p/.")


def test_a_relative_virtualenv_is_under_the_project_root_not_the_program_directory() -> None:
    options = parse_options("/p", "/p/src", "prog.py", {"virtualenv": "venv"})
    assert options.venv_path == Path("/p/venv")
    assert options.entry_path == Path("/p/src/prog.py")
    assert parse_options("/p", "/p", ".", {"virtualenv": "/opt/env"}).venv_path == Path("/opt/env")


def test_a_typechecker() -> None:
    assert parse_options("/p", "/p", ".", {"typechecker": "pyright"}).typechecker == "pyright"


def test_uv_and_plugins_get_a_default_virtualenv() -> None:
    assert parse_options("/p", "/p", ".", {"toolchain": "uv"}).virtualenv == ".venv"
    assert parse_options("/p", "/p", ".", {}, is_plugin=True).virtualenv == "venv"


@pytest.mark.parametrize(("options", "message"), [
    ({"toolchain": "poetry"},
     "'toolchain' is 'poetry', which this Python language host does not support; use one of: pip, uv"),
    ({"virtualenv": 3.0}, "'virtualenv' must be a non-empty string, not 3.0"),
    ({"virtualenv": " "}, "'virtualenv' must be a non-empty string"),
    ({"virtualEnv": "venv"}, "'virtualEnv' is not supported by this Python language host; supported: virtualenv, "),
    ({"typechecker": "ty"}, "'typechecker' is 'ty', which this Python language host does not support"),
])
def test_bad_options_name_the_option_and_what_is_allowed(options: dict[str, object], message: str) -> None:
    with pytest.raises(HostError, match=r"^Pulumi\.yaml runtime option ") as error:
        parse_options("/p", "/p", ".", options)
    assert message in str(error.value)


def test_a_missing_root_directory_is_an_error() -> None:
    with pytest.raises(HostError, match="no project root directory"):
        parse_options("", "", ".", {})
