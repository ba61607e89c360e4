"""One simulated host in this process, driven by unmodified pywinrm: what the op seam does on the wire
(op bugs, rollback, call counts, faults aimed at one op), with test ops in a registry copy."""

from __future__ import annotations

import base64
import json
import logging
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import winrm
from winrm.exceptions import WinRMTransportError

from lmlab.accounts import Accounts
from lmlab.hosts.model import Host
from lmlab.hosts.ops import REGISTRY, op
from lmlab.hosts.runtime import KIND, HostRuntime
from lmlab.knobs import Knobs
from lmlab.netserver import Acceptor
from lmlab.site import reference_site
from lmlab.store import StateStore
from lmlab.tls import LabCA

pytestmark = pytest.mark.lab
PASSWORD = "in-process-test-password"


@dataclass(frozen=True)
class PlanParams:
    plan: str


def set_plan(host: Host, params: PlanParams) -> dict[str, Any]:
    """A changing test op that trusts its input (so the runtime's validation is what stops 'Turbo')."""
    host.power_plan = params.plan
    return {"PowerPlan": host.power_plan}


@dataclass
class InProcessHost:
    runtime: HostRuntime
    session: winrm.Session
    store: StateStore

    def run(self, name: str, params: dict[str, Any] | None = None) -> Any:
        script = f"# lm-provider-op: {name}\n$LmParams = @'\n{json.dumps(params or {})}\n'@ | ConvertFrom-Json\n"
        return self.session.run_ps(script)

    def stored(self) -> dict[str, Any]:
        saved = self.store.load(KIND, self.runtime.name)
        assert saved is not None
        return saved


@pytest.fixture
def host(tmp_path: Path) -> Iterator[InProcessHost]:
    registry = REGISTRY.copy()
    op("test.set-plan", params=PlanParams, changes=True, registry=registry)(set_plan)
    store = StateStore(tmp_path / "state")
    accounts = Accounts("HOLDING", "holding.com", {"lmadmin": PASSWORD})
    runtime = HostRuntime(reference_site().initial_host(0), store, accounts, Knobs(), registry=registry)
    ca = LabCA(tmp_path / "tls")
    cert, key = ca.server_cert("winrm", ["localhost"])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    acceptor = Acceptor()
    runtime.listen(acceptor, context)
    acceptor.start()
    session = winrm.Session(runtime.endpoint_url(tls=True), auth=("lmadmin", PASSWORD), transport="ssl",
                            ca_trust_path=str(ca.cert_path))
    yield InProcessHost(runtime, session, store)
    acceptor.stop()


def test_an_op_bug_answers_like_a_failed_script_not_a_dropped_connection(host: InProcessHost,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    host.runtime.host.power_plan = "Turbo"  # an impossible state, as a hand-edited state file could hold
    with caplog.at_level(logging.ERROR, logger="lmlab"):
        result = host.run("host.facts")
    assert result.status_code == 1
    assert b"The lab failed while running op 'host.facts'" in result.std_err
    assert b"LmLabInternalError" in result.std_err
    assert "KeyError: 'Turbo'" in caplog.text and "Traceback" in caplog.text
    assert host.run("diag.echo", {"text": "still here"}).status_code == 0  # the host keeps serving


def test_a_changing_op_is_validated_persisted_and_counted(host: InProcessHost) -> None:
    changed = host.run("test.set-plan", {"plan": "High performance"})
    assert changed.status_code == 0, changed.std_err
    assert host.stored()["power_plan"] == "High performance"
    refused = host.run("test.set-plan", {"plan": "Turbo"})
    assert refused.status_code == 1 and b"LmLabInternalError" in refused.std_err
    assert host.runtime.host.power_plan == "High performance"  # rolled back
    assert host.stored()["power_plan"] == "High performance"  # never persisted
    host.run("host.facts")
    host.run("host.facts")
    host.run("host.no-such-op")
    assert host.runtime.calls.snapshot() == {
        "test.set-plan": {"read": 1, "changing": 1},
        "host.facts": {"read": 2, "changing": 0},
        "host.no-such-op": {"read": 1, "changing": 0},
    }
    host.runtime.calls.reset()
    assert host.runtime.calls.snapshot() == {}


def test_a_fault_aimed_at_an_op_fails_its_nth_call_before_the_op_runs(host: InProcessHost) -> None:
    host.runtime.set_knobs({"fault": "drop", "fault_on_call": 2, "fault_op": "test.set-plan"})
    assert host.run("test.set-plan", {"plan": "High performance"}).status_code == 0  # its call 1
    assert host.run("host.facts").status_code == 0  # other ops neither count nor fail
    with pytest.raises(requests.exceptions.ConnectionError):
        host.run("test.set-plan", {"plan": "Power saver"})  # its call 2: the Command is dropped
    assert host.runtime.host.power_plan == "High performance"  # the op did not run
    assert host.run("test.set-plan", {"plan": "Balanced"}).status_code == 0  # the fault fired once
    assert host.runtime.calls.snapshot()["test.set-plan"] == {"read": 0, "changing": 2}


def test_a_fault_aimed_at_an_op_reaches_scripts_sent_over_stdin(host: InProcessHost) -> None:
    host.runtime.set_knobs({"fault": "http500", "fault_on_call": 1, "fault_op": "diag.echo"})
    protocol = host.session.protocol
    shell = protocol.open_shell()
    bootstrap = "# lm-provider-op: stdin\n$s = [Console]::In.ReadToEnd(); & ([ScriptBlock]::Create($s))\n"
    encoded = base64.b64encode(bootstrap.encode("utf-16-le")).decode()
    command = protocol.run_command(shell, f"powershell -NoProfile -NonInteractive -EncodedCommand {encoded}")
    script = "# lm-provider-op: diag.echo\n$LmParams = @'\n{\"text\": \"x\"}\n'@ | ConvertFrom-Json\n"
    with pytest.raises(WinRMTransportError):
        protocol.send_command_input(shell, command, script.encode("ascii"), end=True)
    protocol.close_shell(shell)
    assert "diag.echo" not in host.runtime.calls.snapshot()
