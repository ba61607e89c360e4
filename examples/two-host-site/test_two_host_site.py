"""Unit tests of the program with lm-provider's Pulumi mocks: no hosts, no switch, no engine
(`pytest` in this directory)."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from two_host_site import two_host_site

from lm_provider.testing import LmMocks, set_mocks


@pytest.fixture
def mocks() -> LmMocks:
    return set_mocks(LmMocks())


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_the_site_is_the_field_guides_and_reports_ready(mocks: LmMocks) -> Any:
    fabric = two_host_site()

    def verify(summary: dict[str, Any]) -> None:
        assert mocks.count_by_type() == {"LiveMigrationFabric": 1, "MigrationNic": 2, "LiveMigrationSettings": 2,
                                         "KcdDelegation": 2, "KerberosTicketPurge": 2, "HostsEntries": 2,
                                         "SwitchJumboMtu": 1, "JumboPathCheck": 1}
        nics = {r.inputs["host"]: r.inputs for r in mocks.of_type("MigrationNic")}
        assert {h: (n["ip_address"], n["prefix_length"], n["jumbo_packet"]) for h, n in nics.items()} == {
            "KOM-AD01-VM01": ("10.160.35.60", 24, 9014), "KOM-AD01-VM02": ("10.160.35.61", 24, 9014)}
        kcd = {r.inputs["computer"]: r.inputs["peers"] for r in mocks.of_type("KcdDelegation")}
        assert kcd["KOM-AD01-VM01"] == [{"name": "KOM-AD01-VM02", "fqdn": "KOM-AD01-VM02.holding.com"}]
        assert mocks.of_type("SwitchJumboMtu")[0].inputs["reload"] == "never"
        assert summary["ready"] is True

    return fabric.summary.apply(verify)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_switch_reload_comes_from_the_stack_configuration(mocks: LmMocks) -> Any:
    pulumi.runtime.set_all_config({"project:switchReload": "if-needed"})
    try:
        fabric = two_host_site()
    finally:
        pulumi.runtime.set_all_config({})

    def verify(_: Any) -> None:
        assert mocks.of_type("SwitchJumboMtu")[0].inputs["reload"] == "if-needed"

    return fabric.summary.apply(verify)
