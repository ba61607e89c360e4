"""``lm-provider audit`` with a bad site description: one clear line per problem, exit code 2, and
nothing contacted (the audit itself is never reached)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from lm_provider.cli import audit as audit_command
from lm_provider.cli import main
from lm_provider.models.fabric_config import CONFIG_KEYS

PASSWORDS = {"LM_WINRM_PASSWORD": "w-secret-1", "LM_LDAP_PASSWORD": "l-secret-2", "LM_SWITCH_PASSWORD": "s-secret-3"}


def site(**changes: Any) -> dict[str, Any]:
    """A valid site's configuration (nothing listens at its endpoints), with ``changes`` (None removes a key)."""
    config: dict[str, Any] = {
        "lm-fabric:subnet": "10.160.35.0/24",
        "lm-fabric:hosts": [
            {"name": f"HV0{i}", "fqdn": f"HV0{i}.corp.com", "address": f"10.160.35.6{i}", "adapterName": "Ethernet 2",
             "switch": "SW1", "port": f"GigabitEthernet0/{i}"} for i in (1, 2)],
        "lm-fabric:switches": [{"name": "SW1", "mtu": 9000}],
        "lm:winrmUsername": "CORP\\lmadmin",
        "lm:winrmEndpoints": {"HV01": "http://127.0.0.1:9/wsman", "HV02": "http://127.0.0.1:9/wsman"},
        "lm:ldapServers": "127.0.0.1:9", "lm:ldapUser": "svc@corp.com",
        "lm:switchUsername": "netadmin", "lm:switchHostKeyVerify": "false",
        "lm:switches": {"SW1": {"host": "127.0.0.1", "port": 9}},
    }
    for key, value in changes.items():
        config.pop(key, None) if value is None else config.__setitem__(key, value)
    return {"config": config}


@pytest.fixture(autouse=True)
def nothing_contacted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords in the environment; reaching the audit fails the test (a bad site contacts nothing)."""
    for name, value in PASSWORDS.items():
        monkeypatch.setenv(name, value)

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the audit ran: a bad site description must stop before any remote call")

    monkeypatch.setattr(audit_command, "audit_site", refuse)


def audit(tmp_path: Path, capsys: pytest.CaptureFixture[str], document: Any, *extra: str) -> tuple[int, list[str]]:
    path = tmp_path / "site.yaml"
    path.write_text(document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False))
    code = main(["audit", "--site", str(path), *extra])
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    return code, captured.err.splitlines()


def test_invalid_yaml_is_named_with_file_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = audit(tmp_path, capsys, "config:\n  lm-fabric:subnet: 10.160.35.0/24\n  - oops\n")
    assert code == 2
    assert lines == [f"lm-provider audit: {tmp_path / 'site.yaml'}:3:3: not valid YAML: expected <block end>, "
                     "but found '-'"]


def test_a_file_without_a_config_map_says_what_shape_is_expected(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = audit(tmp_path, capsys, {"lm-fabric:subnet": "10.160.35.0/24"})
    assert code == 2 and len(lines) == 1
    assert "expected a map with a config: map of keys (the shape of Pulumi.<stack>.yaml)" in lines[0]


def test_a_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--site", str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().err == f"lm-provider audit: {tmp_path / 'nope.yaml'}: cannot read it (No such file or " \
                                      "directory)\n"


def test_every_fabric_problem_is_one_line_named_by_its_key(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    hosts = site()["config"]["lm-fabric:hosts"]
    hosts[1] = {**hosts[1], "address": "10.160.36.62"}
    hosts[0] = {**hosts[0], "adapterName": None, "colour": "blue"}
    code, lines = audit(tmp_path, capsys, site(**{"lm-fabric:hosts": hosts, "lm-fabric:subnett": "x"}))
    assert code == 2
    origin = f"lm-provider audit: {tmp_path / 'site.yaml'}"
    assert lines[0] == f"{origin}: lm-fabric:subnett: unknown key; allowed: {', '.join(CONFIG_KEYS)}"
    assert CONFIG_KEYS[:3] == ("subnet", "hosts", "switches")
    assert lines[1].startswith(f"{origin}: lm-fabric:hosts[0].colour: unknown key; allowed: name, fqdn, address")
    assert len(lines) == 2

    hosts[0] = {**hosts[0], "adapterName": "Ethernet 2"}
    del hosts[0]["colour"]
    code, lines = audit(tmp_path, capsys, site(**{"lm-fabric:hosts": hosts, "lm-fabric:jumboPacket": 1500}))
    assert code == 2
    assert lines == [
        f"{origin}: lm-fabric:hosts[1].address: 10.160.36.62 is not inside the subnet 10.160.35.0/24",
        f"{origin}: lm-fabric:jumboPacket: 1500 cannot carry the path check's 9014-byte frames; use at least 9014 "
        "or path_check=False"]


def test_a_missing_required_key_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = audit(tmp_path, capsys, site(**{"lm-fabric:subnet": None}))
    assert code == 2
    assert lines == [f"lm-provider audit: {tmp_path / 'site.yaml'}: lm-fabric:subnet: is required (set it in "
                     "Pulumi.<stack>.yaml)"]


def test_passwords_in_plain_text_are_refused_without_showing_them(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    document = site(**{"lm:winrmPassword": "hunter2", "lm:switches": {"SW1": {"host": "h", "password": "hunter3"}}})
    code, lines = audit(tmp_path, capsys, document)
    assert code == 2 and len(lines) == 2
    lines.sort(reverse=True)  # lm:winrmPassword, then lm:switches
    assert lines[0].endswith("lm:winrmPassword: a password must not be in a file in plain text; remove it and set "
                             "LM_WINRM_PASSWORD in the environment (or use --stack NAME, where it is a secret)")
    assert "lm:switches.SW1.password: a password must not be in a file in plain text" in lines[1]
    assert "LM_SWITCH_PASSWORD" in lines[1]
    assert "hunter" not in "\n".join(lines)


def test_an_encrypted_value_points_at_stack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = audit(tmp_path, capsys, site(**{"lm:ldapPassword": {"secure": "v1:abc"}}))
    assert code == 2
    assert lines == [f"lm-provider audit: {tmp_path / 'site.yaml'}: lm:ldapPassword: an encrypted (secure:) value can "
                     "only be read by Pulumi; use --stack NAME [--cwd DIR] with PULUMI_CONFIG_PASSPHRASE, or leave it "
                     "out and set LM_LDAP_PASSWORD"]


def test_missing_connection_settings_are_all_named_before_anything_is_contacted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LM_WINRM_PASSWORD")
    code, lines = audit(tmp_path, capsys, site(**{"lm:ldapServers": None, "lm:switchUsername": None}))
    assert code == 2
    origin = f"lm-provider audit: {tmp_path / 'site.yaml'}"
    assert lines == [
        f"{origin}: WinRM credentials are not configured: set lm:winrmUsername and lm:winrmPassword (pulumi config "
        "set --secret lm:winrmPassword ...)",
        f"{origin}: no SSH credentials for switch SW1: set lm:switchUsername and lm:switchPassword (pulumi config set "
        "--secret lm:switchPassword ...) or its entry in lm:switches",
        f"{origin}: lm:ldapServers is not set; set it to the domain controllers to use, comma-separated (pulumi "
        "config set lm:ldapServers dc1.corp.com,dc2.corp.com)"]


def test_credssp_needs_no_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = site(**{"lm:ldapServers": None, "lm-fabric:authentication": "CredSSP", "lm:switchUsername": None})
    code, lines = audit(tmp_path, capsys, document)
    assert code == 2 and len(lines) == 1 and "no SSH credentials for switch SW1" in lines[0]


def test_a_stack_in_a_directory_that_does_not_exist_is_named(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", "--stack", "dc1", "--cwd", str(tmp_path / "nowhere")])
    assert code == 2
    assert capsys.readouterr().err == f"lm-provider audit: --cwd {tmp_path / 'nowhere'}: no such directory (the " \
                                      "Pulumi project's directory)\n"


def test_the_console_script_needs_site_or_stack() -> None:
    result = subprocess.run([sys.executable, "-m", "lm_provider.cli", "audit"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 2
    assert "one of the arguments --site --stack is required" in result.stderr


def test_the_command_runs_without_loading_pulumi() -> None:
    check = "import sys, lm_provider.cli.audit; print(sorted(m for m in sys.modules if m.split('.')[0] == 'pulumi'))"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
