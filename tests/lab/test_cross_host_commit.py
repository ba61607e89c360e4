"""Effects an op registers on other hosts (``context.on_commit``) run only after the op succeeded and its
host validated; one that fails fails the script and the op's host stays as it was (pure, no lab)."""

from __future__ import annotations

from dataclasses import dataclass

from lmlab.hosts import clixml
from lmlab.hosts.model import Host
from lmlab.hosts.ops import REGISTRY, OpError, OpRegistry, execute, op
from lmlab.hosts.ops.context import OpContext
from lmlab.hosts.ops.params import ps_name
from lmlab.site import reference_site


@dataclass(frozen=True)
class CrossParams:
    refuse: bool = False
    break_host: bool = False


def scenario() -> tuple[list[str], OpContext, Host, OpRegistry]:
    ran: list[str] = []
    registry = REGISTRY.copy()

    @op("test.cross", params=CrossParams, changes=True, context=True, cross_host=True, registry=registry)
    def cross(host: Host, params: CrossParams, context: OpContext) -> dict[str, str]:
        host.vms.clear()
        if params.break_host:
            host.power_plan = "Turbo"
        context.on_commit(lambda: ran.append("first"))
        context.on_commit(lambda: _refuse(ran) if params.refuse else ran.append("second"))
        return {"done": "yes"}
    return ran, OpContext(), reference_site().initial_host(0), registry


def _refuse(ran: list[str]) -> None:
    ran.append("refused")
    raise OpError(clixml.ErrorRecord("the destination refused", "NotSpecified", "", "Refused"))


def script(**params: bool) -> str:
    body = ", ".join(f'"{ps_name(k)}": {str(v).lower()}' for k, v in params.items())
    return f"# lm-provider-op: test.cross\n$LmParams = @'\n{{{body}}}\n'@ | ConvertFrom-Json\n"


def test_effects_run_in_order_after_a_successful_op() -> None:
    ran, context, host, registry = scenario()
    outcome = execute(registry, host, script(), context=context)
    assert outcome.result.exit_code == 0 and outcome.host is not None and outcome.host.vms == []
    assert ran == ["first", "second"]
    assert context.commits == [], "each run gets its own commit list"


def test_a_refused_effect_fails_the_script_and_keeps_the_host() -> None:
    ran, context, host, registry = scenario()
    outcome = execute(registry, host, script(refuse=True), context=context)
    assert outcome.result.exit_code == 1 and outcome.host is None
    assert "the destination refused" in outcome.result.stderr.decode()
    assert ran == ["first", "refused"] and len(host.vms) == 1


def test_no_effect_runs_when_the_ops_host_does_not_validate() -> None:
    ran, context, host, registry = scenario()
    outcome = execute(registry, host, script(break_host=True), context=context)
    assert outcome.result.exit_code == 1 and b"LmLabInternalError" in outcome.result.stderr
    assert ran == [] and len(host.vms) == 1
