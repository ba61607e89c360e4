"""Unit tests of the cross-datacenter program with lm-provider's Pulumi mocks (`pytest` here)."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from crossdc import cross_delegations, readiness

from lm_provider.testing import LmMocks, set_mocks

DC1 = [{"name": "HV11", "fqdn": "hv11.corp.com"}, {"name": "HV12", "fqdn": "hv12.corp.com"}]
DC2 = [{"name": "HV21", "fqdn": "hv21.corp.com"}]


@pytest.fixture
def mocks() -> LmMocks:
    return set_mocks(LmMocks())


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_every_host_delegates_to_the_hosts_of_the_other_datacenters(mocks: LmMocks) -> Any:
    delegations = cross_delegations({"organization/lm-datacenter/dc1": DC1, "organization/lm-datacenter/dc2": DC2})

    def verify(_: Any) -> None:
        peers = {r.name: (r.inputs["computer"], r.inputs["peers"]) for r in mocks.of_type("KcdDelegation")}
        assert peers == {"xdc-HV11": ("HV11", DC2), "xdc-HV12": ("HV12", DC2), "xdc-HV21": ("HV21", DC1)}

    return pulumi.Output.all(*(d.urn for d in delegations)).apply(verify)


def test_one_datacenter_needs_no_cross_delegation(mocks: LmMocks) -> None:
    assert cross_delegations({"organization/lm-datacenter/dc1": DC1}) == []
    assert mocks.registered == []


def test_readiness_in_words() -> None:
    assert readiness({"dc1": True, "dc2": False}) == {"dc1": "ready", "dc2": "NOT READY (see its stack's outputs)"}
