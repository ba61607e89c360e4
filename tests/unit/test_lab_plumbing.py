"""The lab's plumbing without a running lab: control API errors, CLI parsing, drift shapes, TLS, AD argv."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from lmlab import drift
from lmlab.ad import SambaDC
from lmlab.cli import main
from lmlab.control import ControlClient, ControlError, NotFound, connection_handler
from lmlab.netserver import Acceptor
from lmlab.site import reference_site
from lmlab.tls import LabCA, dns_names


class FakeApi:
    """Routes: /missing raises NotFound, /bad ValueError, /bug a KeyError (a bug, not a missing device)."""

    control_token = "token"

    def control(self, method: str, parts: list[str], body: dict[str, Any]) -> Any:
        errors = {"missing": NotFound("device X"), "bad": ValueError("x: 5 is out of range\nallowed 1-2"),
                  "bug": KeyError("adapters")}
        if parts[0] in errors:
            raise errors[parts[0]]
        return {"ok": parts}


@pytest.fixture
def control() -> Iterator[ControlClient]:
    acceptor = Acceptor()
    port = acceptor.listen(0, connection_handler(FakeApi()))
    acceptor.start()
    yield ControlClient(port, "token")
    acceptor.stop()


def test_control_api_maps_not_found_bad_values_and_bugs_apart(control: ControlClient) -> None:
    with pytest.raises(ControlError, match=r"^not found: device X$"):
        control.call("GET", "/missing")
    with pytest.raises(ControlError, match=r"^x: 5 is out of range; allowed 1-2$"):
        control.call("GET", "/bad")
    with pytest.raises(ControlError, match=r"^the lab failed on GET /bug \(KeyError: 'adapters'\); the traceback"):
        control.call("GET", "/bug")
    assert control.call("GET", "/fine") == {"ok": ["fine"]}  # the server keeps answering


def test_control_does_not_import_the_server() -> None:
    source = Path(__file__).parents[2] / "lab" / "lmlab" / "control.py"
    imported = {node.module for node in ast.walk(ast.parse(source.read_text())) if isinstance(node, ast.ImportFrom)}
    assert not {"server", "api"} & {m for m in imported if m}


@pytest.mark.parametrize("argv,message", [
    (["up", "--hosts", "-3"], "lmlab up: argument --hosts: -3 is out of range; allowed 1-500 (see lmlab up --help)"),
    (["up", "--hosts", "0"], "lmlab up: argument --hosts: 0 is out of range; allowed 1-500"),
    (["up", "--hosts", "many"], "lmlab up: argument --hosts: 'many' is not a whole number; allowed 1-500"),
])
def test_bad_arguments_get_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.startswith(message) and len(err.splitlines()) == 1


def test_lab_dir_is_accepted_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--lab-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"lmlab: the lab in {tmp_path} is not running; start it with `lmlab up`\n"
    assert main(["--lab-dir", str(tmp_path), "down"]) == 0


def help_text(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    return capsys.readouterr().out


def test_help_names_devices_drift_paths_and_knobs(capsys: pytest.CaptureFixture[str]) -> None:
    drift_help, knob_help = help_text("drift", capsys), help_text("knob", capsys)
    assert "change a device behind Pulumi's back" in drift_help and "host or switch name" in drift_help
    for field in ("adapters", "migration", "power_plan", "hosts_file", "running", "reload_seconds"):
        assert field in drift_help
    for knob in ("latency_ms", "process_start_ms", "fault", "fault_rate", "fault_on_call", "progress_noise"):
        assert knob in knob_help
    assert "show a device's whole model" in help_text("show", capsys)


@pytest.mark.parametrize("assignment,message", [
    ("migration=5", "migration is an object (fields: enabled, authentication_type"),
    ("adapters=5", "adapters is a list (items Ethernet, Ethernet 2, Ethernet 3, Ethernet 4); set a field of one item"),
    ("power_plan={\"a\": 1}", "power_plan is a plain value"),
])
def test_drift_refuses_values_of_the_wrong_shape(assignment: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        drift.apply(reference_site().initial_host(0).to_dict(), [assignment])
    changed = drift.apply(reference_site().initial_host(0).to_dict(), ["adapters.Ethernet 3.dns_servers=[]"])
    assert changed["adapters"][2]["dns_servers"] == []  # a whole list for a list is fine


def test_the_winrm_certificate_is_reissued_when_the_names_change(tmp_path: Path) -> None:
    ca = LabCA(tmp_path)
    cert_path, _ = ca.server_cert("winrm", ["localhost", "A", "A.holding.com"])
    first = cert_path.read_bytes()
    assert ca.server_cert("winrm", ["A.holding.com", "localhost", "A"])[0].read_bytes() == first  # same names
    ca.server_cert("winrm", ["localhost", "A", "A.holding.com", "B", "B.holding.com"])
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    assert set(dns_names(cert)) == {"localhost", "A", "A.holding.com", "B", "B.holding.com"}


def test_samba_is_provisioned_without_the_real_password_on_its_command_line(tmp_path: Path) -> None:
    passwords = {"admin_password": "Aa1!real-admin-password", "user_password": "Bb2!user"}
    dc = SambaDC(tmp_path, "holding.com", "HOLDING", passwords)
    argv = dc.provision_command("Aa1!throwaway")
    assert "--adminpass=Aa1!throwaway" in argv
    assert not any(passwords["admin_password"] in arg or passwords["user_password"] in arg for arg in argv)
