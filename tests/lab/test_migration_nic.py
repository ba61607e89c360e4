"""MigrationNic against the lab's hosts over real WinRM: the shared lifecycle on every OS, the
safety refusals, adapter selection, jumbo mapping, rename, replace and retain_on_delete."""

from __future__ import annotations

import json
from typing import Any

import pytest

from labconfig import connector
from lifecycle import Case, LabProbe, run_lifecycle
from lm_provider.clients.facts import host_facts
from lm_provider.clients.nic import NicClient, adapter_settings
from lm_provider.errors import RemoteCommandError
from lm_provider.models.host_target import HostTarget
from lm_provider.resources.nic import MigrationNicLogic
from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
HOSTS = {"LAB-2012": 62, "KOM-AD01-VM01": 60, "LAB-2016": 63, "LAB-2022": 65}
"""Host -> the last octet of its migration address (10.160.35.0/24)."""


def inputs(host: str, **extra: Any) -> dict[str, Any]:
    return {"host": host, "adapter_name": "Ethernet 2", "ip_address": f"10.160.35.{HOSTS.get(host, 70)}",
            "prefix_length": 24, **extra}


def model(lab: RunningLab, host: str) -> dict[str, Any]:
    result: dict[str, Any] = lab.control.call("GET", f"/devices/{host}")
    return result


def adapter(lab: RunningLab, host: str, name: str) -> dict[str, Any]:
    return next(a for a in model(lab, host)["adapters"] if a["name"] == name)


def calls(lab: RunningLab, host: str) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = lab.control.call("GET", f"/devices/{host}/calls")
    return result


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_lifecycle_on_every_os(clean_lab: RunningLab, host: str) -> None:
    logic = MigrationNicLogic(connector(clean_lab))
    case = Case(logic, inputs(host, new_name="LM", netbios="Disabled"), LabProbe(clean_lab, host),
                drift=["adapters.LM.jumbo_packet=1514", "adapters.LM.register_this_connections_address=true"],
                updated_inputs=inputs(host, new_name="LM", netbios="Disabled", forwarding=True, interface_metric=50))
    counts = run_lifecycle(case)
    one_change, one_read = {"read": 0, "changing": 1}, {"read": 1, "changing": 0}
    assert counts == {"create": one_change, "read": one_read, "reapply": {"read": 0, "changing": 0},
                      "refresh": one_read, "repair": one_change, "update": one_change, "delete": one_change,
                      "delete-again": one_read}


def test_create_configures_the_adapter_as_the_field_guide_says(clean_lab: RunningLab) -> None:
    logic = MigrationNicLogic(connector(clean_lab))
    args = logic.check(inputs("KOM-AD01-VM01", new_name="LM")).args
    assert args is not None
    created = logic.create(args)
    lm = adapter(clean_lab, "KOM-AD01-VM01", "LM")
    assert created.id == "KOM-AD01-VM01/00-1A-4B-00-00-02"
    assert lm["dhcp"] is False and lm["routes"] == [] and lm["dns_servers"] == []
    assert lm["ipv4_addresses"] == [{"ip_address": "10.160.35.60", "prefix_length": 24, "prefix_origin": "Manual"}]
    assert lm["register_this_connections_address"] is False and lm["forwarding"] is False
    assert {c for c, on in lm["bindings"].items() if on} == {"ms_tcpip", "ms_msclient", "ms_server", "ms_pacer"}
    management = adapter(clean_lab, "KOM-AD01-VM01", "Ethernet 3")
    assert (lm["automatic_metric"], lm["interface_metric"]) == (False, management["interface_metric"] + 1)
    assert lm["jumbo_packet"] == 9014
    assert created.state.network == "10.160.35.0/24" and created.state.found.name == "Ethernet 2"
    assert created.state.found.dhcp is True and created.state.found.jumbo_packet == 1514


@pytest.mark.parametrize(("extra", "message"), [
    ({"adapter_name": "Ethernet 3"}, "Ethernet 3 carries the WinRM connection"),
    ({"ip_address": "10.160.33.60"}, "10.160.35"),
    ({"adapter_name": "Ethernet 9"}, "adapter_name: no adapter matches 'Ethernet 9'; adapters: Ethernet ("),
    ({"adapter_name": None, "mac_address": "00-1a-4b-00-00-07"}, "mac_address: no adapter matches"),
    ({"new_name": "ethernet"}, "new_name: another adapter is already called Ethernet"),
    ({"jumbo_packet": 9000 + 100}, "jumbo_packet: Ethernet 2 cannot take 9100 bytes; the driver's valid values: "
                                   "1514, 4088, 9014"),
    ({"bindings": {"ms_bogus": True}}, "bindings: Ethernet 2 has no component ms_bogus"),
])
def test_unsafe_or_impossible_requests_are_refused_before_any_change(clean_lab: RunningLab, extra: dict[str, Any],
                                                                       message: str) -> None:
    host = "KOM-AD01-VM01"
    if extra.get("ip_address") == "10.160.33.60":
        message = "ip_address: 10.160.33.60 is already an address of Ethernet 3"
    logic = MigrationNicLogic(connector(clean_lab))
    checked = logic.check({k: v for k, v in inputs(host, **extra).items() if v is not None})
    assert checked.args is not None, checked.failures
    before = model(clean_lab, host)
    with pytest.raises(RemoteCommandError, match=r"nic\.apply") as raised:
        logic.create(checked.args)
    assert message in str(raised.value)
    assert model(clean_lab, host) == before
    assert calls(clean_lab, host)["nic.apply"] == {"read": 1, "changing": 0}


def test_an_adapter_with_a_default_route_is_refused_at_create(clean_lab: RunningLab) -> None:
    host = "KOM-AD01-VM01"
    clean_lab.cli("drift", host, "adapters.Ethernet 2.routes=[{\"destination_prefix\": \"0.0.0.0/0\", "
                                 "\"next_hop\": \"169.254.1.1\", \"route_metric\": 300}]")
    before = model(clean_lab, host)
    logic = MigrationNicLogic(connector(clean_lab))
    args = logic.check(inputs(host)).args
    assert args is not None
    with pytest.raises(RemoteCommandError, match="refused: Ethernet 2 has a default route"):
        logic.create(args)
    assert model(clean_lab, host) == before


def test_a_default_route_added_later_is_removed_by_the_next_update(clean_lab: RunningLab) -> None:
    host = "KOM-AD01-VM01"
    logic = MigrationNicLogic(connector(clean_lab))
    args = logic.check(inputs(host)).args
    assert args is not None
    created = logic.create(args)
    clean_lab.cli("drift", host, "adapters.Ethernet 2.routes=[{\"destination_prefix\": \"0.0.0.0/0\", "
                                 "\"next_hop\": \"10.160.35.1\", \"route_metric\": 300}]")
    drifted = logic.read(created.id, created.state)
    assert drifted is not None and drifted.adapter is not None
    assert drifted.adapter.default_gateways == ["10.160.35.1"]
    assert "ip_address" in logic.diff(drifted, args).changes
    repaired = logic.update(created.id, drifted, args)
    assert repaired.adapter is not None and repaired.adapter.default_gateways == []


def test_selection_by_mac_or_description_and_jumbo_in_the_mtu_form(clean_lab: RunningLab) -> None:
    logic = MigrationNicLogic(connector(clean_lab))
    by_mac = logic.check(inputs("LAB-2022", adapter_name=None, mac_address="00:1a:4b:00:05:02",
                                jumbo_packet=9000))
    assert by_mac.args is not None and by_mac.args.mac_address == "00-1A-4B-00-05-02"
    created = logic.create(by_mac.args)
    assert adapter(clean_lab, "LAB-2022", "Ethernet 2")["jumbo_packet"] == 9014
    assert created.state.effective_jumbo_packet == 9014
    described = logic.check(inputs("LAB-2022", adapter_name=None, interface_description="HP NC373i Multifunction "
                                   "Gigabit Server Adapter #2", jumbo_packet=9000))
    assert described.args is not None
    plan = logic.diff(created.state, described.args)
    assert not plan.replaces, "the description names the same adapter: no replacement"


def test_another_adapter_replaces_and_the_old_one_is_restored_first(clean_lab: RunningLab) -> None:
    logic = MigrationNicLogic(connector(clean_lab))
    args = logic.check(inputs("LAB-2019")).args
    other = logic.check(inputs("LAB-2019", adapter_name="Ethernet")).args
    assert args is not None and other is not None
    created = logic.create(args)
    plan = logic.diff(created.state, other)
    assert plan.replaces == ["adapter_name"] and plan.delete_before_replace


def test_retain_on_delete_leaves_the_adapter_configured_without_a_remote_call(clean_lab: RunningLab) -> None:
    host = "LAB-2019"
    logic = MigrationNicLogic(connector(clean_lab))
    args = logic.check(inputs(host, retain_on_delete=True)).args
    assert args is not None
    created = logic.create(args)
    configured = model(clean_lab, host)
    logic.delete(created.id, created.state)
    assert model(clean_lab, host) == configured
    assert set(calls(clean_lab, host)) == {"nic.apply"}


def test_a_vanished_adapter_reads_as_gone_and_deletes_harmlessly(clean_lab: RunningLab) -> None:
    host = "LAB-2019"
    logic = MigrationNicLogic(connector(clean_lab))
    args = logic.check(inputs(host)).args
    assert args is not None
    created = logic.create(args)
    clean_lab.cli("drift", host, "adapters.Ethernet 2.mac_address=00-1A-4B-00-09-99")
    assert logic.read(created.id, created.state) is None
    logic.delete(created.id, created.state)
    assert calls(clean_lab, host)["nic.restore"] == {"read": 1, "changing": 0}


def test_host_facts_report_adapters_as_the_nic_ops_do_and_only_default_routes(clean_lab: RunningLab) -> None:
    host = "KOM-AD01-VM01"
    routes = [{"destination_prefix": "0.0.0.0/0", "next_hop": "10.160.33.1"},
              {"destination_prefix": "10.0.0.0/8", "next_hop": "10.160.33.2"}]
    clean_lab.cli("drift", host, f"adapters.Ethernet 3.routes={json.dumps(routes)}")
    client = connector(clean_lab)(HostTarget(host))
    facts = host_facts(client)
    management = next(a for a in facts["Adapters"] if a["Name"] == "Ethernet 3")
    assert [r["DestinationPrefix"] for r in management["Routes"]] == ["0.0.0.0/0"]
    reading = NicClient(client).read(management["MacAddress"])
    assert reading.adapter == adapter_settings(management)
    assert reading.management_metric is None, "no other adapter has a default route"
    assert NicClient(client).read("00-00-00-00-00-01").adapter is None
