"""The lab's simulated hosts, driven only by the real, unmodified WinRM clients (pywinrm, pypsrp)."""

from __future__ import annotations

import base64
import json
from typing import Any

import certifi
import pytest
import requests
import winrm
from winrm.exceptions import (
    InvalidCredentialsError,
    WinRMOperationTimeoutError,
    WinRMTransportError,
    WSManFaultError,
)

from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
HOST = "KOM-AD01-VM01"


def op_script(op: str, params: dict[str, Any] | None = None, body: str = "") -> str:
    """A script in the lab's op protocol (docs/lab.md)."""
    return (f"# lm-provider-op: {op}\n$LmParams = @'\n{json.dumps(params or {}, ensure_ascii=True)}\n'@"
            " | ConvertFrom-Json\n"
            f"{body}")


def ntlm(lab: RunningLab, host: str = HOST, password: str | None = None) -> winrm.Session:
    return winrm.Session(lab.host_endpoint(host), auth=("HOLDING\\lmadmin", password or lab.winrm_password),
                         transport="ntlm")


def basic_tls(lab: RunningLab, host: str = HOST, ca: str | None = None) -> winrm.Session:
    return winrm.Session(lab.host_endpoint(host, tls=True), auth=("lmadmin", lab.winrm_password), transport="ssl",
                         ca_trust_path=ca or lab.endpoints["ca_file"])


def facts(session: winrm.Session) -> dict[str, Any]:
    result = session.run_ps(op_script("host.facts"))
    assert result.status_code == 0, result.std_err
    return json.loads(result.std_out)


def test_facts_over_ntlm_with_message_encryption(lab: RunningLab) -> None:
    data = facts(ntlm(lab))
    assert data["ComputerName"] == HOST
    assert data["Domain"] == "holding.com"
    assert [a["Name"] for a in data["Adapters"]] == ["Ethernet", "Ethernet 2", "Ethernet 3", "Ethernet 4"]
    lm = data["Adapters"][1]
    assert lm["InterfaceDescription"] == "HP NC373i Multifunction Gigabit Server Adapter #2"
    assert lm["JumboPacket"]["ValidRegistryValues"] == ["1514", "4088", "9014"]
    mgmt = data["Adapters"][2]
    assert mgmt["Routes"] == [{"DestinationPrefix": "0.0.0.0/0", "NextHop": "10.160.33.1", "RouteMetric": 256}]
    assert data["HostsFile"].startswith("# Copyright (c) 1993-2009 Microsoft Corp.\r\n")
    assert {b["ComponentID"] for b in lm["Bindings"]} >= {"ms_tcpip", "ms_tcpip6", "ms_lldp", "ms_implat"}


def test_unencrypted_message_after_ntlm_is_refused(lab: RunningLab) -> None:
    protocol = winrm.Protocol(lab.host_endpoint(HOST), transport="ntlm", username="HOLDING\\lmadmin",
                              password=lab.winrm_password, message_encryption="never")
    with pytest.raises(InvalidCredentialsError):
        protocol.open_shell()


def test_a_malformed_encrypted_message_is_refused(lab: RunningLab) -> None:
    from requests_ntlm import HttpNtlmAuth

    session = requests.Session()
    session.auth = HttpNtlmAuth("HOLDING\\lmadmin", lab.winrm_password)
    assert session.post(lab.host_endpoint(HOST), data=b"").status_code == 200  # authenticated, nothing sent
    garbage = session.post(lab.host_endpoint(HOST), data=b"--Encrypted Boundary\r\nnot a real payload",
                           headers={"Content-Type": 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-'
                                                    'encrypted";boundary="Encrypted Boundary"'})
    assert garbage.status_code == 401


def test_basic_over_https_verifies_the_lab_ca(lab: RunningLab) -> None:
    assert facts(basic_tls(lab))["ComputerName"] == HOST
    untrusted = winrm.Session(lab.host_endpoint(HOST, tls=True), auth=("lmadmin", lab.winrm_password),
                              transport="ssl", ca_trust_path=certifi.where())
    with pytest.raises(requests.exceptions.SSLError):
        untrusted.run_ps(op_script("host.facts"))


@pytest.mark.parametrize("tls", [False, True])
def test_wrong_password_gets_401(lab: RunningLab, tls: bool) -> None:
    if tls:
        session = winrm.Session(lab.host_endpoint(HOST, tls=True), auth=("lmadmin", "not-the-password"),
                                transport="ssl", ca_trust_path=lab.endpoints["ca_file"])
    else:
        session = ntlm(lab, password="not-the-password")
    with pytest.raises(InvalidCredentialsError):
        session.run_ps(op_script("host.facts"))


def test_basic_over_plain_http_is_refused(lab: RunningLab) -> None:
    session = winrm.Session(lab.host_endpoint(HOST), auth=("lmadmin", lab.winrm_password), transport="basic")
    with pytest.raises(InvalidCredentialsError):
        session.run_ps(op_script("host.facts"))


def test_pypsrp_authenticates_with_negotiate_and_encrypts(lab: RunningLab) -> None:
    from pypsrp.client import Client

    port = int(lab.host_endpoint(HOST).split(":")[2].split("/")[0])
    client = Client("127.0.0.1", port=port, ssl=False, username="HOLDING\\lmadmin", password=lab.winrm_password,
                    auth="negotiate", encryption="always")
    stdout, _stderr, rc = client.execute_cmd("hostname")
    assert (stdout.strip(), rc) == (HOST, 0)


def test_large_output_arrives_in_several_receive_chunks(lab: RunningLab) -> None:
    protocol = ntlm(lab).protocol
    shell = protocol.open_shell()
    script = op_script("diag.echo", {"text": "0123456789", "repeat": 30_000})
    encoded = base64.b64encode(script.encode("utf-16-le")).decode()
    command = protocol.run_command(shell, f"powershell -encodedcommand {encoded}")
    receives, done, out = 0, False, b""
    while not done:
        stdout, _, code, done = protocol.get_command_output_raw(shell, command)
        out += stdout
        receives += 1
    protocol.cleanup_command(shell, command)
    protocol.close_shell(shell)
    assert receives >= 3
    assert code == 0
    assert json.loads(out)["text"] == "0123456789" * 30_000


def test_long_script_over_stdin_passes_the_command_line_limit(lab: RunningLab) -> None:
    long_text = "x" * 20_000
    script = op_script("diag.echo", {"text": long_text})
    direct = ntlm(lab).run_ps(script)
    assert direct.status_code == 1
    assert b"The command line is too long." in direct.std_err

    bootstrap = op_script("stdin", body="$s = [Console]::In.ReadToEnd(); & ([ScriptBlock]::Create($s))")
    protocol = ntlm(lab).protocol
    shell = protocol.open_shell()
    encoded = base64.b64encode(bootstrap.encode("utf-16-le")).decode()
    command = protocol.run_command(shell, f"powershell -NoProfile -NonInteractive -EncodedCommand {encoded}")
    protocol.send_command_input(shell, command, script.encode("ascii"), end=True)
    stdout, stderr, code = protocol.get_command_output(shell, command)
    protocol.cleanup_command(shell, command)
    protocol.close_shell(shell)
    assert code == 0, stderr
    assert json.loads(stdout)["text"] == long_text


def test_unknown_op_fails_like_command_not_found(lab: RunningLab) -> None:
    result = ntlm(lab).run_ps(op_script("host.no-such-op"))
    assert result.status_code == 1
    assert b"The term 'host.no-such-op' is not recognized" in result.std_err
    assert b"CommandNotFoundException" in result.std_err


def test_bad_parameters_fail_with_an_error_record(lab: RunningLab) -> None:
    result = ntlm(lab).run_ps("# lm-provider-op: diag.echo\n$LmParams = @'\n{not json\n'@ | ConvertFrom-Json\n")
    assert result.status_code == 1
    assert b"Conversion from JSON failed" in result.std_err


@pytest.mark.parametrize("params,expected", [
    ({"text": "a", "Bogus": 1}, [b"diag.echo : A parameter cannot be found that matches parameter name 'Bogus'.",
                                 b"FullyQualifiedErrorId : NamedParameterNotFound,diag.echo"]),
    ({"repeat": "abc"}, [(b"Cannot process argument transformation on parameter 'Repeat'. Cannot convert value \"abc\" "
                         b"to type \"System.Int32\"."), b"ParameterArgumentTransformationError,diag.echo"]),
])
def test_unknown_or_mistyped_parameters_get_the_binders_error(lab: RunningLab, params: dict[str, Any],
                                                              expected: list[bytes]) -> None:
    result = ntlm(lab).run_ps(op_script("diag.echo", params))
    assert result.status_code == 1 and result.std_out == b""
    for text in expected:
        assert text in result.std_err


def test_plain_cmd_commands_behave_like_cmd_exe(lab: RunningLab) -> None:
    session = ntlm(lab)
    assert session.run_cmd("hostname").std_out == f"{HOST}\r\n".encode()
    missing = session.run_cmd("ipconfig", ["/all"])
    assert missing.status_code == 1
    assert b"'ipconfig' is not recognized as an internal or external command" in missing.std_err


def test_os_versions_differ_in_the_model(lab: RunningLab) -> None:
    old = facts(ntlm(lab, "LAB-2012"))
    new = facts(ntlm(lab, "LAB-2016"))
    assert old["OsVersion"] == "6.2.9200" and old["PowerShellVersion"] == "3.0"
    assert "VirtualMachineMigrationPerformanceOption" not in old["VMHost"]
    assert new["OsVersion"] == "10.0.14393"
    assert new["VMHost"]["VirtualMachineMigrationPerformanceOption"] == "Compression"


def test_shells_are_deleted_and_the_quota_is_enforced(lab: RunningLab) -> None:
    protocol = ntlm(lab, "LAB-2019").protocol
    shells = [protocol.open_shell() for _ in range(30)]
    with pytest.raises(WSManFaultError) as refused:
        protocol.open_shell()
    assert refused.value.wsman_fault_code == 2150859174
    for shell in shells:
        protocol.close_shell(shell, close_session=False)
    assert lab.control.call("GET", "/status")["hosts"]["LAB-2019"]["open_shells"] == 0
    with pytest.raises(WSManFaultError) as gone:
        protocol.close_shell(shells[0])
    assert gone.value.wsman_fault_code == 2150858843


def test_progress_records_on_stderr_do_not_mean_failure(clean_lab: RunningLab) -> None:
    clean_lab.control.call("POST", f"/devices/{HOST}/knobs", {"progress_noise": True})
    result = ntlm(clean_lab).run_ps(op_script("host.facts"))
    assert result.status_code == 0
    assert result.std_err.startswith(b"#< CLIXML")
    assert json.loads(result.std_out)["ComputerName"] == HOST


@pytest.mark.parametrize("fault,error", [("http500", WinRMTransportError),
                                         ("drop", requests.exceptions.ConnectionError)])
def test_fault_injection_on_the_nth_call(clean_lab: RunningLab, fault: str, error: type[Exception]) -> None:
    session = basic_tls(clean_lab)
    clean_lab.control.call("POST", f"/devices/{HOST}/knobs", {"fault": fault, "fault_on_call": 2})
    with pytest.raises(error):
        session.run_ps(op_script("host.facts"))  # call 1 = Create, call 2 = Command fails
    assert facts(session)["ComputerName"] == HOST  # the fault fires once


def test_timeout_fault_is_the_wsman_timed_out_fault(clean_lab: RunningLab) -> None:
    protocol = basic_tls(clean_lab).protocol
    clean_lab.control.call("POST", f"/devices/{HOST}/knobs", {"fault": "timeout", "fault_on_call": 1})
    with pytest.raises(WinRMOperationTimeoutError):
        protocol.open_shell()


def test_slow_process_start_times_out_receive_then_completes(clean_lab: RunningLab) -> None:
    clean_lab.control.call("POST", f"/devices/{HOST}/knobs", {"process_start_ms": 2500})
    protocol = winrm.Protocol(clean_lab.host_endpoint(HOST, tls=True), transport="ssl", username="lmadmin",
                              password=clean_lab.winrm_password, ca_trust_path=clean_lab.endpoints["ca_file"],
                              operation_timeout_sec=1, read_timeout_sec=5)
    shell = protocol.open_shell()
    encoded = base64.b64encode(op_script("host.facts").encode("utf-16-le")).decode()
    command = protocol.run_command(shell, f"powershell -encodedcommand {encoded}")
    with pytest.raises(WinRMOperationTimeoutError):
        protocol.get_command_output_raw(shell, command)
    stdout, _, code = protocol.get_command_output(shell, command)  # pywinrm retries TimedOut
    protocol.close_shell(shell)
    assert code == 0 and json.loads(stdout)["ComputerName"] == HOST


def test_drift_changes_what_the_host_reports(clean_lab: RunningLab) -> None:
    result = clean_lab.cli("drift", HOST, "adapters.Ethernet 2.jumbo_packet=9014", "power_plan=High performance")
    assert "drifted" in result.stdout
    data = facts(ntlm(clean_lab))
    assert data["Adapters"][1]["JumboPacket"]["RegistryValue"] == ["9014"]
    assert data["PowerPlan"]["ElementName"] == "High performance"


def test_drift_rejects_unknown_fields_and_invalid_states(clean_lab: RunningLab) -> None:
    bad_path = clean_lab.cli("drift", HOST, "adapters.Ethernet 9.jumbo_packet=9014", check=False)
    assert bad_path.returncode == 1 and "no item named or numbered 'Ethernet 9'" in bad_path.stderr
    bad_state = clean_lab.cli("drift", "LAB-2012", "migration.performance_option=SMB", check=False)
    assert bad_state.returncode == 1 and "has no migration performance option" in bad_state.stderr


@pytest.mark.parametrize("assignment,message", [
    ("power_plan=Turbo", "power_plan: 'Turbo' is not a valid value; valid: Balanced, High performance, Power saver"),
    ("migration=5", "migration is an object (fields: enabled,"),
    ("adapters=5", "adapters is a list (items Ethernet, Ethernet 2"),
    ("migration.enabled=maybe", "migration.enabled: 'maybe' is not a boolean"),
    ("migration.max_vm_migrations=abc", "migration.max_vm_migrations: 'abc' is not an integer"),
    ("adapters.Ethernet 2.jumbo_packet=1234",
     "adapters[Ethernet 2].jumbo_packet: 1234 is not a valid value; valid: 1514, 4088, 9014"),
])
def test_drift_to_impossible_values_is_refused_and_changes_nothing(clean_lab: RunningLab, assignment: str,
                                                                   message: str) -> None:
    before = clean_lab.control.call("GET", f"/devices/{HOST}")
    refused = clean_lab.cli("drift", HOST, assignment, check=False)
    assert refused.returncode == 1
    assert message in refused.stderr and "Traceback" not in refused.stderr
    assert clean_lab.control.call("GET", f"/devices/{HOST}") == before
    assert facts(ntlm(clean_lab))["PowerPlan"]["ElementName"] == "Balanced"  # the host still answers


def test_drift_converts_lossless_values_to_the_fields_type(clean_lab: RunningLab) -> None:
    clean_lab.cli("drift", HOST, 'adapters.Ethernet 2.jumbo_packet="9014"', 'migration.enabled="true"')
    model = clean_lab.control.call("GET", f"/devices/{HOST}")
    assert model["adapters"][1]["jumbo_packet"] == 9014 and model["migration"]["enabled"] is True


def test_stale_listeners_until_vmms_restart(clean_lab: RunningLab) -> None:
    clean_lab.cli("drift", "LAB-2016", "migration.enabled=true",
                  'migration.networks=[{"subnet": "169.254.0.0/16", "priority": 0}]')
    assert facts(ntlm(clean_lab, "LAB-2016"))["MigrationServiceListenerIPAddressList"] == []
    clean_lab.control.call("POST", "/devices/LAB-2016/restart-vmms", {})
    listeners = facts(ntlm(clean_lab, "LAB-2016"))["MigrationServiceListenerIPAddressList"]
    assert len(listeners) == 1 and listeners[0].startswith("169.254.")


def test_state_survives_lmlab_down_and_up(clean_lab: RunningLab) -> None:
    clean_lab.cli("drift", HOST, "adapters.Ethernet 2.dhcp=false")
    http_before = clean_lab.host_endpoint(HOST)
    clean_lab.down()
    assert not clean_lab.dir.endpoints_file.exists()
    clean_lab.up("--no-ad")  # never start a DC outside the ad tests
    assert clean_lab.host_endpoint(HOST) == http_before  # ports are kept, too
    assert facts(ntlm(clean_lab))["Adapters"][1]["Dhcp"] == "Disabled"
