"""The op seam without a network: registry, parameter binding, dispatch, rollback (pure)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import pytest

from lmlab.hosts import clixml
from lmlab.hosts.model import Host, MigrationNetwork
from lmlab.hosts.ops import REGISTRY, OpRegistry, Outcome, execute, op
from lmlab.hosts.ops.params import bind, choices, value_range
from lmlab.site import reference_site


def script(name: str, params: dict[str, Any] | None = None) -> str:
    return f"# lm-provider-op: {name}\r\n$LmParams = @'\r\n{json.dumps(params or {})}\r\n'@ | ConvertFrom-Json\r\n"


def stderr_text(outcome: Outcome) -> str:
    """The error lines as pywinrm shows them (CLIXML decoded)."""
    raw = outcome.result.stderr.decode("utf-8")
    return raw.replace("_x000D__x000A_", "\n").replace("&apos;", "'").replace("&quot;", '"')


@dataclass(frozen=True)
class SetParams:
    plan: str
    max_vm_migrations: int = 2
    enable: bool = False
    subnets: list[str] = field(default_factory=list)
    mode: str = field(default="Fast", metadata=choices("Fast", "Slow"))
    count: int = field(default=1, metadata=value_range(1, 3))
    note: str | None = None


def set_things(host: Host, params: SetParams) -> dict[str, Any]:
    host.power_plan = params.plan
    host.migration.max_vm_migrations = params.max_vm_migrations
    host.migration.enabled = params.enable
    host.migration.networks = [MigrationNetwork(s, i) for i, s in enumerate(params.subnets)]
    return {"mode": params.mode, "count": params.count, "note": params.note}


def crash(host: Host, params: Any) -> None:
    raise KeyError("a bug")


def sneaky_read(host: Host, params: Any) -> None:
    host.power_plan = "Power saver"


@dataclass(frozen=True)
class NoParams:
    """No parameters."""


@pytest.fixture
def registry() -> OpRegistry:
    reg = REGISTRY.copy()
    op("test.set", params=SetParams, changes=True, registry=reg)(set_things)
    op("test.crash", params=NoParams, changes=False, registry=reg)(crash)
    op("test.sneaky-read", params=NoParams, changes=False, registry=reg)(sneaky_read)
    return reg


def test_the_registry_knows_the_families_and_refuses_twins(registry: OpRegistry) -> None:
    assert {"host.facts", "diag.echo"} <= set(REGISTRY.names())
    assert "test.set" not in REGISTRY.names()  # tests add ops to a copy only
    spec = registry.get("TEST.SET")  # PowerShell command names are case-insensitive
    assert spec is not None and spec.name == "test.set" and spec.changes
    with pytest.raises(ValueError, match="registered twice"):
        op("Test.Set", params=NoParams, changes=False, registry=registry)(crash)


def test_parameters_bind_case_insensitively_and_convert_like_powershell() -> None:
    bound = bind("test.set", SetParams, {"PLAN": "Balanced", "maxVmMigrations": "3", "enable": 1,
                                        "subnets": "10.0.0.0/8", "mode": "slow", "note": None})
    assert bound == SetParams("Balanced", 3, True, ["10.0.0.0/8"], "Slow", 1, None)


@pytest.mark.parametrize("params,message,error_id", [
    ({"plan": "x", "bogus": 1}, "A parameter cannot be found that matches parameter name 'bogus'.",
     "NamedParameterNotFound,test.set"),
    ({}, "Cannot process command because of one or more missing mandatory parameters: Plan.",
     "MissingMandatoryParameter,test.set"),
    ({"plan": "x", "maxVmMigrations": "abc"},
     ("Cannot process argument transformation on parameter 'MaxVmMigrations'. Cannot convert value \"abc\" to type "
     "\"System.Int32\". Error: \"Input string was not in a correct format.\""),
     "ParameterArgumentTransformationError,test.set"),
    ({"plan": "x", "maxVmMigrations": True},
     "Cannot convert the \"True\" value of type \"System.Boolean\" to type \"System.Int32\".",
     "ParameterArgumentTransformationError,test.set"),
    ({"plan": "x", "maxVmMigrations": 1.5},
     "Cannot convert the \"1.5\" value of type \"System.Decimal\" to type \"System.Int32\".",
     "ParameterArgumentTransformationError,test.set"),
    ({"plan": "x", "maxVmMigrations": 2**40},
     "Error: \"Value was either too large or too small for an Int32.\"", "ParameterArgumentTransformationError"),
    ({"plan": "x", "enable": "yes"},
     ("Cannot convert value \"System.String\" to type \"System.Boolean\". Boolean parameters accept only Boolean "
     "values and numbers, such as $True, $False, 1 or 0."), "ParameterArgumentTransformationError,test.set"),
    ({"plan": ["a", "b"]},
     "Cannot convert the \"System.Object[]\" value of type \"System.Object[]\" to type \"System.String\".",
     "ParameterArgumentTransformationError,test.set"),
    ({"plan": None}, "Cannot bind argument to parameter 'Plan' because it is null.",
     "ParameterArgumentValidationErrorNullNotAllowed,test.set"),
    ({"plan": "x", "mode": "Warp"},
     ("Cannot validate argument on parameter 'Mode'. The argument \"Warp\" does not belong to the set \"Fast,Slow\" "
     "specified by the ValidateSet attribute."), "ParameterArgumentValidationError,test.set"),
    ({"plan": "x", "count": 4},
     ("Cannot validate argument on parameter 'Count'. The 4 argument is greater than the maximum allowed range of 3. "
     "Supply an argument that is less than or equal to 3 and then try the command again."),
     "ParameterArgumentValidationError,test.set"),
])
def test_bad_parameters_get_the_binders_error_record(registry: OpRegistry, params: dict[str, Any], message: str,
                                                     error_id: str) -> None:
    host = reference_site().initial_host(0)
    outcome = execute(registry, host, script("test.set", params))
    assert outcome.result.exit_code == 1 and outcome.host is None
    text = stderr_text(outcome)
    assert message in text
    assert f"FullyQualifiedErrorId : {error_id}" in text
    assert text.startswith("#< CLIXML") and "test.set : " in text


def test_a_changing_op_returns_a_validated_copy_with_fresh_listeners(registry: OpRegistry) -> None:
    host = reference_site().initial_host(0)
    before = host.to_dict()
    lm_address = host.adapters[1].ipv4_addresses[0].ip_address
    outcome = execute(registry, host, script("test.set", {"plan": "High performance", "enable": True,
                                                          "subnets": ["169.254.0.0/16"]}))
    assert outcome.result.exit_code == 0, outcome.result.stderr
    assert json.loads(outcome.result.stdout) == {"mode": "Fast", "count": 1, "note": None}
    assert outcome.op == "test.set" and outcome.host is not None
    assert outcome.host.power_plan == "High performance"
    assert outcome.host.listener_addresses == [lm_address]  # derived state refreshed
    assert host.to_dict() == before  # the host passed in is never changed


def test_an_op_leaving_an_invalid_model_fails_and_changes_nothing(registry: OpRegistry,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    host = reference_site().initial_host(0)
    outcome = execute(registry, host, script("test.set", {"plan": "Turbo"}))
    assert outcome.result.exit_code == 1 and outcome.host is None
    assert "FullyQualifiedErrorId : LmLabInternalError" in stderr_text(outcome)
    assert "power_plan: 'Turbo' is not a valid value" in caplog.text


@pytest.mark.parametrize("name,logged", [("test.crash", "KeyError: 'a bug'"),
                                         ("test.sneaky-read", "registered with changes=False but changed the host")])
def test_a_bug_inside_an_op_is_a_failed_script_and_is_logged(registry: OpRegistry, caplog: pytest.LogCaptureFixture,
                                                            name: str, logged: str) -> None:
    host = reference_site().initial_host(0)
    with caplog.at_level(logging.ERROR, logger="lmlab"):
        outcome = execute(registry, host, script(name))
    assert outcome.result.exit_code == 1 and outcome.host is None and outcome.op == name
    assert outcome.result.stdout == b""
    assert f"The lab failed while running op '{name}'" in stderr_text(outcome)
    assert "Traceback" in caplog.text and logged in caplog.text
    assert "Traceback" not in stderr_text(outcome)  # no Python internals reach the client


def test_facts_on_a_host_with_an_impossible_power_plan_is_a_failed_script(caplog: pytest.LogCaptureFixture) -> None:
    host = reference_site().initial_host(0)
    host.power_plan = "Turbo"  # as if a state file had been edited by hand
    outcome = execute(REGISTRY, host, script("host.facts"))
    assert outcome.result.exit_code == 1
    assert "LmLabInternalError" in stderr_text(outcome)
    assert "KeyError: 'Turbo'" in caplog.text


def test_unknown_ops_and_plain_scripts_are_counted_under_the_name_powershell_looked_for() -> None:
    host = reference_site().initial_host(0)
    assert execute(REGISTRY, host, script("host.nope")).op == "host.nope"
    plain = execute(REGISTRY, host, "Get-Date -Format o\r\n")
    assert plain.op == "Get-Date" and "The term 'Get-Date' is not recognized" in stderr_text(plain)
    assert execute(REGISTRY, host, "# just a comment\r\n").op == "unknown"


def test_error_records_render_the_binder_layout() -> None:
    record = clixml.ErrorRecord("A parameter cannot be found that matches parameter name 'X'.", "InvalidArgument", "",
                                "NamedParameterNotFound,diag.echo",
                                "System.Management.Automation.ParameterBindingException",
                                command_text="diag.echo", activity="diag.echo", position="diag.echo @LmParams")
    assert record.lines()[4] == ("    + CategoryInfo          : InvalidArgument: (:) [diag.echo], "
                                 "ParameterBindingException")
    assert record.lines()[0] == "diag.echo : A parameter cannot be found that matches parameter name 'X'."
