"""Unit tests of the datacenter program with lm-provider's Pulumi mocks (`pytest` in this directory):
every Pulumi.<datacenter>.yaml here must describe a fabric that builds, with AD answering with
exactly the planned hosts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from datacenter import datacenter, planned_hosts

from lm_provider import FabricHost, HyperVHost
from lm_provider.testing import LmMocks, set_mocks

HERE = Path(__file__).parent
STACKS = sorted(HERE.glob("Pulumi.*.yaml"))


def ad_host(name: str) -> HyperVHost:
    return HyperVHost(name, f"{name.lower()}.holding.com", f"CN={name},OU=HOSTS,DC=holding,DC=com")


PLAN = {"HV01": {"address": "10.0.0.1", "adapterName": "Ethernet 2", "switch": "SW01", "port": "Gi0/1"},
        "HV02": {"address": "10.0.0.2", "adapterName": "Ethernet 2", "switch": "SW01", "port": "Gi0/2"}}


def test_ad_names_the_hosts_and_the_plan_places_them() -> None:
    hosts, unplanned = planned_hosts([ad_host("HV01"), ad_host("HV02"), ad_host("HV03")], PLAN)
    assert hosts == [FabricHost("HV01", "hv01.holding.com", "10.0.0.1", adapter_name="Ethernet 2", switch="SW01",
                                port="Gi0/1"),
                     FabricHost("HV02", "hv02.holding.com", "10.0.0.2", adapter_name="Ethernet 2", switch="SW01",
                                port="Gi0/2")]
    assert unplanned == ["HV03"]


def test_a_planned_host_ad_does_not_list_and_an_incomplete_plan_are_refused() -> None:
    plan = {**PLAN, "HV09": {"address": "10.0.0.9"}}
    with pytest.raises(pulumi.RunError) as refused:
        planned_hosts([ad_host("HV01"), ad_host("HV02")], plan)
    assert str(refused.value) == ("lm-datacenter:hosts.HV09: not found enabled in AD (remove it, or check the "
                                  "account); lm-datacenter:hosts.HV09: lacks adapterName, switch, port")


def stack_config(path: Path) -> dict[str, str]:
    """A stack file's lm-datacenter: keys as Pulumi hands them to the program (maps and lists as JSON)."""
    config = yaml.safe_load(path.read_text())["config"]
    return {f"project:{k.split(':', 1)[1]}": v if isinstance(v, str) else json.dumps(v)
            for k, v in config.items() if k.startswith("lm-datacenter:")}


@pytest.fixture(params=STACKS, ids=[p.name for p in STACKS])
def configured(request: pytest.FixtureRequest) -> tuple[LmMocks, list[str]]:
    mocks = set_mocks(LmMocks())
    config = stack_config(request.param)
    pulumi.runtime.set_all_config(config)
    return mocks, list(json.loads(config["project:hosts"]))


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_each_datacenter_stack_builds_a_ready_fabric(configured: tuple[LmMocks, list[str]]) -> Any:
    mocks, names = configured
    site = datacenter([ad_host(name) for name in names])

    def verify(summary: dict[str, Any]) -> None:
        assert summary["ready"] is True
        assert sorted(summary["hosts"]) == sorted(names)
        assert len(mocks.of_type("KcdDelegation")) == len(names)
        assert site.unplanned == []
        assert [m["name"] for m in site.members] == names

    return site.fabric.summary.apply(verify)
