"""``lm-provider test-migration`` refuses a site it cannot test before contacting anything, and a
failed move is explained by the audit's findings (pure: :func:`diagnosed`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_audit_cli import PASSWORDS, site

from lm_provider.cli import main
from lm_provider.cli import ring as ring_command
from lm_provider.models.audit_report import Finding
from lm_provider.models.ring import PairResult, diagnosed


@pytest.fixture(autouse=True)
def nothing_contacted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords in the environment; reaching the ring fails the test."""
    for name, value in PASSWORDS.items():
        monkeypatch.setenv(name, value)

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the ring ran: a site that cannot be tested must stop before any remote call")

    monkeypatch.setattr(ring_command, "run_ring", refuse)


def run_test_migration(tmp_path: Path, capsys: pytest.CaptureFixture[str], document: Any) -> tuple[int, list[str]]:
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    code = main(["test-migration", "--site", str(path)])
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    return code, captured.err.splitlines()


def test_credssp_is_refused_by_its_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_test_migration(tmp_path, capsys, site(**{"lm-fabric:authentication": "CredSSP"}))
    assert code == 2
    assert lines == [f"lm-provider test-migration: {tmp_path / 'site.yaml'}: lm-fabric:authentication: "
                     "test-migration needs Kerberos: a move started remotely under CredSSP always fails"]


def test_a_bad_site_is_named_like_the_audit_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hosts = site()["config"]["lm-fabric:hosts"]
    code, lines = run_test_migration(tmp_path, capsys, site(**{"lm-fabric:hosts": [hosts[0], {**hosts[1],
                                                                                      "address": "10.1.1.1"}]}))
    assert code == 2 and len(lines) == 1
    assert lines[0].endswith("lm-fabric:hosts[1].address: 10.1.1.1 is not inside the subnet 10.160.35.0/24")


FAILED = PairResult("HV1", "HV2", False, error="... (0x8009030E)", code="0x8009030E")


def test_a_failed_move_takes_the_audits_gaps_as_its_causes() -> None:
    gap = Finding("HV1 -> HV2", "kcd-cifs-fqdn", "missing", "absent", "cifs/HV2.corp.com")
    assert diagnosed(FAILED, [gap]).causes == [str(gap)]
    assert diagnosed(PairResult("HV1", "HV2", True), [gap]).causes == []


def test_kerberos_refusing_a_complete_delegation_is_blamed_on_old_tickets() -> None:
    [cause] = diagnosed(FAILED, []).causes
    assert cause.startswith("HV1: the delegation in AD is complete, so HV1's Kerberos tickets predate it")
    assert "klist -li 0x3e7 purge" in cause
    refused = PairResult("HV1", "HV2", False, error="... (0x8007274D)", code="0x8007274D")
    assert diagnosed(refused, []).causes == []
