"""Every PowerShell script in the package: parses, uses only allowed cmdlets and parameters for
every supported Windows Server version, never turns a parameter into code, and reads exactly the
keys its op's parameter class sends."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from importlib.resources import files
from pathlib import Path

import pytest
from psscript import OS_ORDER, AllowList, analyze

import lm_provider.clients
from lm_provider.clients.ops import HOST_OPS, ps_name
from lm_provider.clients.scripts import script_body
from lmlab.hosts.ops import REGISTRY
from lmlab.hosts.osprofiles import OS_PROFILES

ALLOW = AllowList.load(Path(__file__).parents[1] / "data" / "cmdlets.yaml")
SCRIPTS = {p.name.removesuffix(".ps1"): script_body(p.name.removesuffix(".ps1"))
           for p in files("lm_provider").joinpath("scripts").iterdir() if p.name.endswith(".ps1")}
"""Each op's script as sent (its lib/ includes inlined)."""
for module in pkgutil.iter_modules(lm_provider.clients.__path__):
    importlib.import_module(f"lm_provider.clients.{module.name}")


@pytest.mark.parametrize("op", sorted(SCRIPTS))
def test_script_parses_and_uses_only_allowed_commands(op: str) -> None:
    facts = analyze(SCRIPTS[op])
    assert facts.errors == []
    assert [p for use in facts.commands for p in ALLOW.problems(use)] == []
    assert facts.interpolated_params == [], "a $LmParams value inside a double-quoted string"
    assert "::new(" not in SCRIPTS[op] and "\nclass " not in SCRIPTS[op], "PowerShell 3 syntax only"


def test_every_op_has_a_script_reading_exactly_its_parameters_and_the_lab_serves_it() -> None:
    assert set(HOST_OPS) == set(SCRIPTS)
    for op, params in HOST_OPS.items():
        sent = {ps_name(f.name).lower() for f in dataclasses.fields(params)}
        assert {k.lower() for k in analyze(SCRIPTS[op]).param_keys} == sent, op
        served = REGISTRY.get(op)
        assert served is not None, f"the lab has no op {op}"
        assert {ps_name(f.name).lower() for f in dataclasses.fields(served.params)} == sent, op


def test_the_allow_list_and_the_lab_agree_on_the_migration_performance_option() -> None:
    _, params = ALLOW.cmdlets["set-vmhost"]
    first = OS_ORDER.index(params["virtualmachinemigrationperformanceoption"])
    for key, profile in OS_PROFILES.items():
        assert profile.has_migration_performance_option == (OS_ORDER.index(key) >= first), key


@pytest.mark.parametrize(("source", "expected"), [
    ("if ($x { 1 }", "syntax error"),
    ("Remove-NetRoute -InterfaceIndex 3", "without -Confirm:$false"),
    ("Get-Frobnicator -Name x", "not in the allow-list"),
    ("Set-VMHost -VirtualMachineMigrationPerformanceOption SMB", "exists only since 2012r2"),
    ("Get-NetAdapter -Bogus 1", "no parameter -Bogus"),
    ("Invoke-Expression $LmParams.code", "evaluates text as code"),
])
def test_the_checks_catch_what_they_claim(source: str, expected: str) -> None:
    facts = analyze(source)
    found = facts.errors + [p for use in facts.commands for p in ALLOW.problems(use)]
    assert any(expected in p for p in found), found


def test_interpolation_and_gated_uses_are_told_apart() -> None:
    assert analyze('Write-Output "name: $($LmParams.name)"').interpolated_params == [1]
    gated = analyze("if ($LmParams.option) { Set-VMHost -VirtualMachineMigrationPerformanceOption SMB }")
    assert [p for use in gated.commands for p in ALLOW.problems(use)] == []
    assert analyze("Remove-NetRoute -InterfaceIndex 3 -Confirm:$false").commands[0].confirm_false
