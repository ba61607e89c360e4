"""The SDK's WinRM transport and host client against the lab's hosts, over real WinRM."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from lm_provider.clients.diag import EchoParams
from lm_provider.clients.host import HostClient
from lm_provider.errors import RemoteCommandError, TransportError
from lm_provider.models.winrm import WinRmConfig, WinRmSettings
from lm_provider.transports.winrm import CMD_LINE_LIMIT, RetryPolicy, WinRmSession, encoded_command
from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
HOST = "KOM-AD01-VM01"


def settings(lab: RunningLab, transport: str = "ntlm", **overrides: Any) -> WinRmSettings:
    endpoints = {h: lab.host_endpoint(h, tls=transport.startswith("https")) for h in lab.endpoints["hosts"]}
    config = WinRmConfig("HOLDING\\lmadmin", lab.winrm_password, transport, lab.endpoints["ca_file"],
                         tuple(sorted((k.lower(), v) for k, v in endpoints.items())), operation_timeout=30)
    base = config.for_host(HOST)
    return WinRmSettings(**{**base.__dict__, **overrides})


def client(lab: RunningLab, transport: str = "ntlm", **overrides: Any) -> HostClient:
    no_wait = RetryPolicy(attempts=3, first_delay=0.0)
    return HostClient(WinRmSession(HOST, settings(lab, transport, **overrides), no_wait, sleep=lambda _: None))


def open_shells(lab: RunningLab) -> int:
    return int(lab.control.call("GET", "/status")["hosts"][HOST]["open_shells"])


@pytest.mark.parametrize("transport", ["ntlm", "https-basic", "https-ntlm"])
def test_an_op_runs_over_each_transport(clean_lab: RunningLab, transport: str) -> None:
    result = client(clean_lab, transport).run(EchoParams("ab", 2))
    assert result == {"ComputerName": HOST, "text": "abab"}


def test_no_shell_outlives_its_script(clean_lab: RunningLab) -> None:
    host = client(clean_lab)
    before = open_shells(clean_lab)
    for _ in range(5):
        host.run(EchoParams("x", 1))
    with pytest.raises(RemoteCommandError):
        host.run(EchoParams("x", -1))
    assert open_shells(clean_lab) == before


def test_a_script_past_the_command_line_limit_goes_over_stdin(clean_lab: RunningLab) -> None:
    text = "0123456789" * 400
    assert len(encoded_command(f"# {text}")) > CMD_LINE_LIMIT
    assert client(clean_lab).run(EchoParams(text, 1))["text"] == text


def test_user_values_stay_data_even_when_they_look_like_code(clean_lab: RunningLab) -> None:
    nasty = "'@\n$(Remove-Item C:\\ -Recurse) \"; exit 0 # \u00e9"
    assert client(clean_lab).run(EchoParams(nasty, 1))["text"] == nasty


def test_a_failed_script_raises_with_host_op_and_message_and_is_not_retried(clean_lab: RunningLab) -> None:
    host = client(clean_lab)
    with pytest.raises(RemoteCommandError) as caught:
        host.run(EchoParams("x", -1))
    assert caught.value.target == HOST and caught.value.operation == "diag.echo"
    assert "parameter 'Repeat'" in caught.value.detail


def test_transient_http_500_is_retried_on_a_fresh_connection(clean_lab: RunningLab) -> None:
    host = client(clean_lab)
    host.run(EchoParams("warm", 1))
    clean_lab.control.call("POST", f"/devices/{HOST}/knobs", {"fault": "http500", "fault_on_call": 1})
    assert host.run(EchoParams("again", 1))["text"] == "again"


def test_a_host_that_keeps_failing_gives_up_with_a_transient_error(clean_lab: RunningLab) -> None:
    clean_lab.control.call("POST", f"/devices/{HOST}/knobs", {"fault": "http500", "fault_rate": 1.0})
    with pytest.raises(TransportError, match="HTTP 500"):
        client(clean_lab).run(EchoParams("x", 1))


def test_wrong_password_and_untrusted_certificate_fail_clearly_without_the_password(clean_lab: RunningLab) -> None:
    wrong = "Wr0ng-Passw0rd-123"
    with pytest.raises(TransportError) as bad_login:
        client(clean_lab, password=wrong).run(EchoParams("x", 1))
    assert "refused the credentials of HOLDING\\lmadmin" in str(bad_login.value)
    import certifi

    with pytest.raises(TransportError) as bad_tls:
        client(clean_lab, "https-basic", ca_file=certifi.where()).run(EchoParams("x", 1))
    assert "TLS verification" in str(bad_tls.value)
    for error in (bad_login.value, bad_tls.value):
        assert wrong not in str(error) and clean_lab.winrm_password not in str(error)


def test_one_session_serves_concurrent_callers(clean_lab: RunningLab) -> None:
    host = client(clean_lab)
    results: list[str] = []
    errors: list[BaseException] = []

    def call(i: int) -> None:
        try:
            results.append(host.run(EchoParams(str(i), 1))["text"])
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == sorted(str(i) for i in range(8))
