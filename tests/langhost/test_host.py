"""The host process over real gRPC: start-up, errors, prompts, installs, cancel and shutdown (no CLI)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import grpc
import pytest
from fake_engine import fake_engine
from google.protobuf import empty_pb2, struct_pb2
from hostproc import HostProcess

from lm_langhost import __version__
from lm_langhost.proto import language_pb2

StartHost = Callable[..., HostProcess]


def program_info(root: Path, **options: str) -> language_pb2.ProgramInfo:
    struct = struct_pb2.Struct()
    struct.update(options)
    return language_pb2.ProgramInfo(root_directory=str(root), program_directory=str(root), entry_point=".",
                                    options=struct)


def test_prints_only_its_port_serves_and_stops_cleanly_on_sigint(start_host: StartHost) -> None:
    host = start_host()
    assert host.stub.GetPluginInfo(empty_pb2.Empty()).version == __version__
    code, out, err = host.stop()
    assert (code, out, err) == (0, b"", b"")
    log = host.log.read_text()
    assert f"serving on port {host.port}" in log and "received SIGINT: stopping" in log


def test_errors_reach_the_cli_as_the_plain_message(start_host: StartHost, tmp_path: Path) -> None:
    host = start_host()
    with pytest.raises(grpc.RpcError) as error:
        host.stub.Run(language_pb2.RunRequest(info=program_info(tmp_path, toolchain="poetry")))
    assert error.value.details() == ("Pulumi.yaml runtime option 'toolchain' is 'poetry', which this Python language "
                                     "host does not support; use one of: pip, uv")
    with pytest.raises(grpc.RpcError) as error:
        host.stub.Run(language_pb2.RunRequest(info=program_info(tmp_path, virtualenv="venv")))
    assert error.value.details().startswith(
        f"The 'virtualenv' option in Pulumi.yaml is set to 'venv', but {tmp_path / 'venv'} does not exist")


def test_pulumi_new_prompts_settle_on_pip_and_a_venv(start_host: StartHost, tmp_path: Path) -> None:
    host = start_host(PATH="/usr/bin:/bin")  # no uv: pip is the only choice
    options: dict[str, str] = {}
    for _ in range(3):
        request = language_pb2.RuntimeOptionsRequest(info=program_info(tmp_path, **options))
        prompts = host.stub.RuntimeOptionsPrompts(request).prompts
        if not prompts:
            break
        for prompt in prompts:
            options[prompt.key] = prompt.default.stringValue
    assert options == {"toolchain": "pip", "virtualenv": "venv"}


def test_about_without_a_virtualenv_uses_pulumi_python_cmd(start_host: StartHost, tmp_path: Path) -> None:
    about = start_host().stub.About(language_pb2.AboutRequest(info=program_info(tmp_path)))
    assert about.executable == sys.executable
    assert about.version == ".".join(map(str, sys.version_info[:3]))
    assert about.metadata["toolchain"] == "pip" and about.metadata["toolchainVersion"]


def test_install_creates_the_virtualenv_streaming_the_output(start_host: StartHost, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("# nothing to install\n")
    host = start_host()
    stdout = b"".join(r.stdout for r in host.stub.InstallDependencies(
        language_pb2.InstallDependenciesRequest(info=program_info(tmp_path, virtualenv="venv"))))
    assert stdout.startswith(b"Installing dependencies...\n\nCreating virtual environment...\n")
    assert stdout.endswith(b"Finished installing dependencies\n\n")
    assert (tmp_path / "venv" / "bin" / "python").exists()
    dependencies = host.stub.GetProgramDependencies(
        language_pb2.GetProgramDependenciesRequest(info=program_info(tmp_path, virtualenv="venv")))
    assert "pip" in {d.name for d in dependencies.dependencies}
    about = host.stub.About(language_pb2.AboutRequest(info=program_info(tmp_path, virtualenv="venv")))
    assert about.executable == str(tmp_path / "venv" / "bin" / "python")


def test_install_refuses_an_interpreter_that_is_not_a_virtualenv(start_host: StartHost, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("pulumi\n")
    invoked = tmp_path / "invoked"
    system = tmp_path / "usr" / "bin" / "python3"  # stands for a system Python: records any call
    system.parent.mkdir(parents=True)
    system.write_text(f"#!/bin/sh\necho \"$@\" >> {invoked}\n")
    system.chmod(0o755)
    host = start_host(PULUMI_PYTHON_CMD=str(system))
    with pytest.raises(grpc.RpcError) as error:
        list(host.stub.InstallDependencies(language_pb2.InstallDependenciesRequest(info=program_info(tmp_path))))
    assert error.value.details().startswith(f"refusing to pip-install the requirements into {system}")
    assert not invoked.exists()


def run_request(root: Path, address: str, entry: str = ".", program_dir: str = "",
                config: dict[str, str] | None = None, secret_keys: tuple[str, ...] = ()) -> language_pb2.RunRequest:
    info = program_info(root)
    info.program_directory = str(root / program_dir)
    info.entry_point = entry
    return language_pb2.RunRequest(info=info, pwd=info.program_directory, project="p", stack="s",
                                   monitor_address=address, parallel=2, config=config or {},
                                   configSecretKeys=list(secret_keys))


def test_a_program_gets_its_config_on_stdin_not_in_its_environment(start_host: StartHost, tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text(
        "import os, pulumi\n"
        "config = pulumi.Config()\n"
        "pulumi.export('greeting', config.require('greeting'))\n"
        "pulumi.export('token_is_secret', isinstance(config.require_secret('token'), pulumi.Output))\n"
        "pulumi.export('env_has_config', any(k.startswith('PULUMI_CONFIG') for k in os.environ))\n")
    with fake_engine() as (address, recorded):
        host = start_host(address)
        response = host.stub.Run(run_request(tmp_path, address, config={"p:greeting": "hi", "p:token": "s3cret"},
                                             secret_keys=("p:token",)))
    assert (response.error, response.bail) == ("", False), recorded.errors()
    assert recorded.types[0] == "pulumi:pulumi:Stack"
    assert recorded.outputs == {"greeting": "hi", "token_is_secret": True, "env_has_config": False}
    assert "s3cret" not in host.log.read_text()


def test_an_unhandled_exception_shows_the_users_frames_only(start_host: StartHost, tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "helpers.py").write_text("def check(site):\n    raise ValueError(f'no such site: {site}')\n")
    (tmp_path / "src" / "prog.py").write_text("import helpers\n\nhelpers.check('dc9')\n")  # a sibling import
    with fake_engine() as (address, recorded):
        response = start_host(address).stub.Run(run_request(tmp_path, address, "prog.py", "src"))
    assert response.bail and not response.error
    [error] = recorded.errors()
    assert error.startswith("Program failed with an unhandled exception:\nTraceback (most recent call last):\n"
                            f'  File "{tmp_path}/src/prog.py", line 3, in <module>\n')
    assert f'File "{tmp_path}/src/helpers.py", line 2, in check' in error
    assert error.endswith("ValueError: no such site: dc9")
    assert "run_program" not in error and "runpy" not in error and "asyncio" not in error


def test_a_run_error_is_shown_without_a_traceback(start_host: StartHost, tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text("import pulumi\nraise pulumi.RunError('the site file names no hosts')\n")
    with fake_engine() as (address, recorded):
        response = start_host(address).stub.Run(run_request(tmp_path, address))
    assert response.bail and recorded.errors() == ["the site file names no hosts"]


def test_sys_exit_is_a_non_zero_exit_code(start_host: StartHost, tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("import sys\nsys.exit(3)\n")
    with fake_engine() as (address, _):
        response = start_host(address).stub.Run(run_request(tmp_path, address, "main.py"))
    assert (response.error, response.bail) == ("program exited with non-zero exit code: 3", False)


def test_a_directory_without_main_is_reported(start_host: StartHost, tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    with fake_engine() as (address, recorded):
        response = start_host(address).stub.Run(run_request(tmp_path, address, ".", "app"))
    assert response.bail
    expected = f"unable to find the main Python program: {tmp_path / 'app'} is a directory without __main__.py"
    assert recorded.errors() == [expected]


def slow_program(root: Path) -> Path:
    marker = root / "started"
    (root / "__main__.py").write_text(f"import pathlib, time\npathlib.Path({str(marker)!r}).write_text('x')\n"
                                      "time.sleep(120)\n")
    return marker
def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_cancel_interrupts_the_running_program_which_leaves_quietly(start_host: StartHost, tmp_path: Path) -> None:
    marker = slow_program(tmp_path)
    with fake_engine() as (address, recorded):
        host = start_host(address)
        result: list[language_pb2.RunResponse] = []
        runner = threading.Thread(target=lambda: result.append(host.stub.Run(run_request(tmp_path, address))))
        runner.start()
        wait_for(marker.exists)
        assert len(children_of(host.process.pid)) == 1
        host.stub.Cancel(empty_pb2.Empty())
        runner.join(timeout=10)
    assert result and result[0].bail and not result[0].error
    assert children_of(host.process.pid) == []
    assert recorded.errors() == []
    code, out, err = host.stop()
    assert (code, out, err) == (0, b"", b"")  # the program's KeyboardInterrupt printed nothing


def test_sigint_to_the_host_ends_its_program_too(start_host: StartHost, tmp_path: Path) -> None:
    marker = slow_program(tmp_path)
    with fake_engine() as (address, _):
        host = start_host(address)
        threading.Thread(target=lambda: host.stub.Run(run_request(tmp_path, address)), daemon=True).start()
        wait_for(marker.exists)
        [child] = children_of(host.process.pid)
        code, _, err = host.stop()
    assert code == 0 and err == b""
    assert not Path(f"/proc/{child}").exists()


def test_a_virtualenv_without_the_sdk_is_an_error_naming_the_interpreter(start_host: StartHost, tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True)
    (tmp_path / "__main__.py").write_text("import pulumi\n")
    request = run_request(tmp_path, "127.0.0.1:1")
    request.info.options.update({"virtualenv": "venv"})
    response = start_host().stub.Run(request)
    assert response.error == (f"the Pulumi SDK cannot be imported by {tmp_path / 'venv' / 'bin' / 'python'} "
                               "(No module named 'pulumi'): add `pulumi` to the project's requirements.txt and run "
                               "`pulumi install`")


def test_handshake_gives_an_attached_host_its_engine(start_host: StartHost, tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text("import pulumi\npulumi.export('ok', True)\n")
    with fake_engine() as (address, recorded):
        host = start_host("")  # attached: the CLI starts no process, it calls Handshake
        with pytest.raises(grpc.RpcError, match="the engine's address is unknown"):
            host.stub.Run(run_request(tmp_path, address))
        host.stub.Handshake(language_pb2.LanguageHandshakeRequest(engine_address=address))
        assert host.stub.Run(run_request(tmp_path, address)).error == ""
    assert recorded.outputs == {"ok": True}


def test_about_with_uv_reports_its_version_and_the_dot_venv(start_host: StartHost, tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True)
    uv = tmp_path / "tools" / "uv"
    uv.parent.mkdir()
    uv.write_text("#!/bin/sh\necho 'uv 0.9.1 (0a1b2c3 2026-01-02)'\n")
    uv.chmod(0o755)
    host = start_host(PATH=f"{uv.parent}:/usr/bin:/bin")
    about = host.stub.About(language_pb2.AboutRequest(info=program_info(tmp_path, toolchain="uv")))
    assert about.executable == str(tmp_path / ".venv" / "bin" / "python")
    assert (about.metadata["toolchain"], about.metadata["toolchainVersion"]) == ("uv", "0.9.1")


def test_the_typechecker_runs_first_and_its_report_is_the_error(start_host: StartHost, tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text("import pulumi\n\nsize: int = 'large'\npulumi.export('size', size)\n")
    with fake_engine() as (address, recorded):
        request = run_request(tmp_path, address)
        request.info.options.update({"typechecker": "mypy"})
        response = start_host(address).stub.Run(request)
    assert response.error.startswith("mypy failed:\n")
    assert '__main__.py:3: error: Incompatible types in assignment (expression has type "str", variable has type ' \
           '"int")' in response.error
    assert recorded.types == []  # the program did not run


def test_a_typechecker_that_is_not_installed_is_named(start_host: StartHost, tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True)
    (tmp_path / "__main__.py").write_text("import pulumi\n")
    request = run_request(tmp_path, "127.0.0.1:1")
    request.info.options.update({"virtualenv": "venv", "typechecker": "pyright"})
    with pytest.raises(grpc.RpcError) as error:
        start_host().stub.Run(request)
    assert error.value.details() == (f"The 'typechecker' option in Pulumi.yaml is set to 'pyright', but pyright is not "
                                     f"installed for {tmp_path / 'venv' / 'bin' / 'python'}: add it to requirements.txt"
                                     " and run `pulumi install`")


def test_an_unusable_log_directory_does_not_stop_the_host(start_host: StartHost, tmp_path: Path) -> None:
    not_a_directory = tmp_path / "home-file"
    not_a_directory.write_text("")
    host = start_host(PULUMI_HOME=str(not_a_directory))
    assert host.stub.GetPluginInfo(empty_pb2.Empty()).version == __version__
    assert host.stop() == (0, b"", b"")
