"""The host resources against a real Windows Server (opt-in: see tests/realhost.py). Reads first, then
the MigrationNic and LiveMigrationSettings lifecycles when the adapter, address and network to use
are given; each lifecycle ends by checking that delete put back what it found."""

from __future__ import annotations

from typing import Any

import pytest

from lm_provider.clients.facts import host_facts
from lm_provider.clients.migration import MigrationClient
from lm_provider.clients.nic import NicClient
from lm_provider.models.host_target import HostTarget
from lm_provider.resources.migration import LiveMigrationSettingsLogic
from lm_provider.resources.nic import MigrationNicLogic
from lmlab.hosts.ops.facts import FactsParams, facts
from lmlab.site import reference_site
from realhost import RealHost, real_host

pytestmark = pytest.mark.real_host
VOLATILE = {"Status", "LinkSpeed"}
"""Adapter fields that may change on their own (a jumbo change restarts the link)."""


@pytest.fixture
def host() -> RealHost:
    return real_host()


def adapter_facts(real: RealHost, mac: str) -> dict[str, Any]:
    found = next(a for a in host_facts(real.connector(HostTarget(real.name)))["Adapters"] if a["MacAddress"] == mac)
    return {k: v for k, v in found.items() if k not in VOLATILE}


def test_facts_have_the_labs_layout(host: RealHost) -> None:
    lab = facts(reference_site().initial_host(0), FactsParams())
    real = host_facts(host.connector(HostTarget(host.name)))
    assert set(real) == set(lab)
    assert real["Adapters"], "Get-NetAdapter -Physical found no adapter"
    assert {set(a) for a in real["Adapters"]} == {set(lab["Adapters"][0])}


def test_the_narrow_reads_parse(host: RealHost) -> None:
    client = host.connector(HostTarget(host.name))
    mac = host_facts(client)["Adapters"][0]["MacAddress"]
    assert NicClient(client).read(mac).adapter is not None
    report = MigrationClient(client).read()
    assert report.os_version.count(".") == 2


def test_migration_nic_lifecycle(host: RealHost) -> None:
    adapter, address = host.setting("NIC_ADAPTER"), host.setting("NIC_ADDRESS")
    ip, _, prefix = address.partition("/")
    logic = MigrationNicLogic(host.connector)
    args = logic.check({"host": host.name, "adapter_name": adapter, "ip_address": ip,
                        "prefix_length": int(prefix or 24)}).args
    assert args is not None
    created = logic.create(args)
    mac = created.id.rsplit("/", 1)[-1]
    read = logic.read(created.id, created.state)
    assert read is not None and not logic.diff(read, args).has_changes
    logic.delete(created.id, created.state)
    after = adapter_facts(host, mac)
    assert created.state.found.ipv4_addresses is not None
    assert [a["IPAddress"] for a in after["IPv4Addresses"] if a["PrefixOrigin"] == "Manual"] == [
        a.ip_address for a in created.state.found.ipv4_addresses if a.prefix_origin == "Manual"]


def test_live_migration_lifecycle(host: RealHost) -> None:
    network = host.setting("MIGRATION_NETWORK")
    logic = LiveMigrationSettingsLogic(host.connector)
    args = logic.check({"host": host.name, "networks": [network]}).args
    assert args is not None
    created = logic.create(args)
    read = logic.read(created.id, created.state)
    assert not logic.diff(read, args).has_changes
    logic.delete(created.id, created.state)
    assert MigrationClient(host.connector(HostTarget(host.name))).read().settings == created.state.found
