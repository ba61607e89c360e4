"""`pulumi` commands on a `runtime: python` project through the real CLI and this checkout's host.

One project (virtualenv created by `pulumi install`, `main: src/prog.py`, a dynamic resource) and one
offline backend are shared by the tests of this module, which run in order like a user's session.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli import Cli, offline_cli

pytestmark = pytest.mark.e2e
PROJECT = Path(__file__).parent / "e2e_project"
SECRET = "tok-5b1e9f0c7d"


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """The CLI on this module's backend."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield offline_cli(tmp_path_factory.mktemp("langhost-cli"), monkeypatch)


@pytest.fixture(scope="module")
def project(cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of e2e_project, requiring the Pulumi SDK this checkout uses."""
    root = tmp_path_factory.mktemp("project") / "lh-e2e"
    shutil.copytree(PROJECT, root)
    (root / "requirements.txt").write_text(f"pulumi=={importlib.metadata.version('pulumi')}\n")
    return root


@pytest.fixture(scope="module")
def note(project: Path) -> Path:
    """The file the dev stack's dynamic resource manages."""
    return project.parent / "note.txt"


def stack_resources(cli: Cli, project: Path, stack: str) -> dict[str, dict[str, object]]:
    """The stack's resources by name, from `pulumi stack export`."""
    exported = json.loads(cli("stack", "export", "--stack", stack, "--show-secrets", cwd=project).stdout)
    return {r["urn"].rsplit("::", 1)[-1]: r for r in exported["deployment"]["resources"]}


def test_01_install_creates_the_virtualenv_with_the_requirements(cli: Cli, project: Path) -> None:
    result = cli("install", cwd=project)
    assert "Creating virtual environment..." in result.stdout + result.stderr
    python = project / "venv" / "bin" / "python"
    subprocess.run([str(python), "-c", "import pulumi"], check=True)


def test_02_stack_init_config_and_preview_changes_nothing(cli: Cli, project: Path, note: Path) -> None:
    cli("stack", "init", "dev", cwd=project)
    cli("config", "set", "path", str(note), cwd=project)
    cli("config", "set", "content", "first", cwd=project)
    cli("config", "set", "--secret", "token", SECRET, cwd=project)
    preview = cli("preview", cwd=project).stdout
    assert "+ 2 to create" in preview and "greeting: \"hello from a sibling module\"" in preview
    assert not note.exists()


def test_03_up_creates_and_stack_output_reads_it(cli: Cli, project: Path, note: Path) -> None:
    up = cli("up", "--yes", cwd=project).stdout
    assert "+ 2 created" in up
    assert note.read_text() == "first"
    assert cli("stack", "output", "content", cwd=project).stdout.strip() == "first"


def test_04_a_second_up_changes_nothing(cli: Cli, project: Path) -> None:
    assert "2 unchanged" in cli("up", "--yes", cwd=project).stdout


def test_05_a_config_change_is_an_update(cli: Cli, project: Path, note: Path) -> None:
    cli("config", "set", "content", "second", cwd=project)
    up = cli("up", "--yes", cwd=project).stdout
    assert "~ 1 updated" in up and "1 unchanged" in up
    assert note.read_text() == "second"


def test_06_the_secret_is_in_no_file_of_the_state_directory(cli: Cli, project: Path) -> None:
    token = stack_resources(cli, project, "dev")["note"]["outputs"]["token"]  # type: ignore[index]
    assert token["plaintext"] == json.dumps(SECRET)  # a secret (decrypted by --show-secrets)
    files = [path for path in cli.engine.state_dir.rglob("*") if path.is_file()]
    assert any(path.suffix == ".json" for path in files)
    assert [path for path in files if SECRET.encode() in path.read_bytes()] == []


def test_07_refresh_reads_drift_and_up_repairs_it(cli: Cli, project: Path, note: Path) -> None:
    note.write_text("changed by hand")
    assert "~ 1 updated" in cli("refresh", "--yes", cwd=project).stdout
    assert stack_resources(cli, project, "dev")["note"]["outputs"]["content"] == "changed by hand"  # type: ignore[index]
    assert "~ 1 updated" in cli("up", "--yes", cwd=project).stdout
    assert note.read_text() == "second"


def test_08_a_stack_reference_reads_another_stacks_output(cli: Cli, project: Path) -> None:
    cli("stack", "init", "ref", cwd=project)
    cli("config", "set", "reference", "organization/lh-e2e/dev", cwd=project)
    cli("up", "--yes", cwd=project)
    assert cli("stack", "output", "referenced", cwd=project).stdout.strip() == "second"
    cli("stack", "select", "dev", cwd=project)


def test_09_about_names_the_virtualenv_interpreter_and_the_host(cli: Cli, project: Path) -> None:
    about = cli("about", cwd=project).stdout
    assert f"executable='{project / 'venv' / 'bin' / 'python'}'" in about
    assert "toolchain='pip'" in about
    assert "language  python  0.1.0" in about
    assert "pulumi      3." in about.split("Dependencies:")[1]


def test_10_an_exception_in_the_program_fails_the_update_and_shows_the_users_traceback(cli: Cli, project: Path) -> None:
    cli("config", "set", "fail", "true", cwd=project)
    result = cli("up", "--yes", cwd=project, check=False)
    cli("config", "rm", "fail", cwd=project)
    assert result.returncode != 0
    assert "error: Program failed with an unhandled exception:" in result.stdout
    assert f'File "{project / "src" / "prog.py"}", line' in result.stdout
    assert f'File "{project / "src" / "greeting.py"}", line 8, in fail' in result.stdout
    assert "ValueError: asked to fail" in result.stdout
    assert "run_program" not in result.stdout and "runpy" not in result.stdout


def session_members(session: int) -> list[str]:
    """The command lines of the live processes in ``session``."""
    members = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if entry.name.isdigit() and int(fields[3]) == session and fields[0] != "Z":
                members.append((entry / "cmdline").read_text().replace("\0", " "))
        except (OSError, IndexError, ValueError):
            continue
    return members


def wait_for(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_11_ctrl_c_during_up_cancels_cleanly_and_leaves_no_process(cli: Cli, project: Path) -> None:
    started = project.parent / "started"
    cli("stack", "init", "slow", cwd=project)
    cli("config", "set", "path", str(project.parent / "slow-note.txt"), cwd=project)
    cli("config", "set", "content", "slow", cwd=project)
    cli("config", "set", "--secret", "token", SECRET, cwd=project)
    cli("config", "set", "started", str(started), cwd=project)
    up = subprocess.Popen([cli.pulumi, "up", "--yes", "--skip-preview", "--color", "never"], cwd=project, env=cli.env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_for(started.exists, timeout=120)  # the program is running, its note created
        assert any("run_program.py" in cmd for cmd in session_members(up.pid))
        assert any("pulumi.dynamic" in cmd for cmd in session_members(up.pid))
        up.send_signal(signal.SIGINT)
        output, _ = up.communicate(timeout=60)
    finally:
        if up.poll() is None:
            up.kill()
    assert up.returncode != 0
    assert "error: update canceled" in output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    assert session_members(up.pid) == []
    cli("config", "rm", "started", cwd=project)
    cli("up", "--yes", cwd=project)  # the stack is usable after the cancel
    cli("stack", "select", "dev", cwd=project)


def test_12_destroy_deletes(cli: Cli, project: Path, note: Path) -> None:
    assert "- 2 deleted" in cli("destroy", "--yes", cwd=project).stdout
    assert not note.exists()
    for stack in ("ref", "slow"):
        cli("destroy", "--yes", "--stack", stack, cwd=project)


def test_new_from_a_local_template_asks_for_a_virtualenv_and_installs_into_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = offline_cli(tmp_path, monkeypatch)
    template = tmp_path / "template"
    template.mkdir()
    (template / "Pulumi.yaml").write_text("name: ${PROJECT}\ndescription: ${DESCRIPTION}\nruntime: python\n")
    (template / "__main__.py").write_text("import pulumi\n\npulumi.export('hello', 'world')\n")
    (template / "requirements.txt").write_text("# no dependencies\n")
    target = tmp_path / "newproject"
    target.mkdir()
    cli("new", str(template), "--yes", "--name", "newproject", "--stack", "dev", cwd=target)
    assert "toolchain: pip" in (target / "Pulumi.yaml").read_text()
    assert "virtualenv: venv" in (target / "Pulumi.yaml").read_text()
    assert (target / "venv" / "pyvenv.cfg").is_file()
