"""Every stack of this project (each Pulumi.<stack>.yaml here) built under lm-provider's Pulumi
mocks: the configuration describes a valid fabric whose hosts all report ready. No host, switch or
domain controller is touched. Run `pytest` in this directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from lm_provider import export_fabric_summary, fabric_from_config
from lm_provider.testing import LmMocks, set_mocks

HERE = Path(__file__).parent
PROJECT = yaml.safe_load((HERE / "Pulumi.yaml").read_text())
STACKS = sorted(HERE.glob("Pulumi.*.yaml"))


def test_there_is_a_stack_to_check() -> None:
    assert STACKS, "no Pulumi.<stack>.yaml here yet: `pulumi stack init <datacenter>`, then fill in its configuration"


def program_config(stack: Path) -> dict[str, str]:
    """The project's keys of a stack file, with the project's defaults, as Pulumi hands them to the
    program (lists and maps as JSON); under the mocks' project name."""
    values = {key: spec["default"] for key, spec in (PROJECT.get("config") or {}).items() if "default" in spec}
    prefix = f"{PROJECT['name']}:"
    config = (yaml.safe_load(stack.read_text()) or {}).get("config") or {}
    values.update({key[len(prefix):]: value for key, value in config.items() if key.startswith(prefix)})
    return {f"project:{k}": v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}


@pytest.fixture(params=STACKS, ids=[p.name for p in STACKS])
def mocks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> LmMocks:
    found = set_mocks(LmMocks())
    pulumi.runtime.set_all_config(program_config(request.param))
    monkeypatch.setattr(pulumi, "export", lambda name, value: EXPORTED.__setitem__(name, value))
    return found


EXPORTED: dict[str, Any] = {}


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_the_stack_describes_a_fabric_whose_hosts_are_all_ready(mocks: LmMocks) -> Any:
    export_fabric_summary(fabric_from_config())

    def verify(values: list[Any]) -> None:
        ready, hosts = values
        assert ready is True, hosts
        assert len(mocks.of_type("MigrationNic")) == len(hosts) >= 2

    return pulumi.Output.all(EXPORTED["ready"], EXPORTED["hosts"]).apply(verify)
