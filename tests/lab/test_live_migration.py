"""LiveMigrationSettings against the lab's hosts over real WinRM: the shared lifecycle on every OS, the
vmms restart on LAB-2016 (listeners refresh only then), the 2012 performance-option error, the
refusal of networks without a local address, and unlisted networks."""

from __future__ import annotations

import re
from typing import Any

import pytest

from labconfig import connector
from lifecycle import Case, LabProbe, run_lifecycle
from lm_provider.errors import ConfigurationError, RemoteCommandError
from lm_provider.resources.migration import LiveMigrationSettingsLogic
from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
HOSTS = {"LAB-2012": 62, "KOM-AD01-VM01": 60, "LAB-2016": 63, "LAB-2022": 65}
NETWORK = "10.160.35.0/24"


def give_lm_address(lab: RunningLab, host: str) -> str:
    """What a MigrationNic would have done first: a static address in the migration subnet."""
    address = f"10.160.35.{HOSTS.get(host, 70)}"
    path = "adapters.Ethernet 2"
    lab.cli("drift", host, f"{path}.dhcp=false", f"{path}.ipv4_addresses.0.ip_address={address}",
            f"{path}.ipv4_addresses.0.prefix_length=24", f"{path}.ipv4_addresses.0.prefix_origin=Manual")
    return address


def model(lab: RunningLab, host: str) -> dict[str, Any]:
    result: dict[str, Any] = lab.control.call("GET", f"/devices/{host}")
    return result


def checked_args(logic: LiveMigrationSettingsLogic, **inputs: Any) -> Any:
    checked = logic.check(inputs)
    assert checked.failures == [], checked.failures
    return checked.args


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_lifecycle_on_every_os(clean_lab: RunningLab, host: str) -> None:
    address = give_lm_address(clean_lab, host)
    logic = LiveMigrationSettingsLogic(connector(clean_lab))
    case = Case(logic, {"host": host, "networks": [NETWORK]}, LabProbe(clean_lab, host, ignore=("vmms_restarts",)),
                drift=["migration.authentication_type=CredSSP", "migration.max_vm_migrations=5"],
                updated_inputs={"host": host, "networks": [{"subnet": NETWORK, "priority": 1}], "max_vm_migrations": 4,
                                "max_storage_migrations": 3})
    counts = run_lifecycle(case)
    one_change, one_read = {"read": 0, "changing": 1}, {"read": 1, "changing": 0}
    assert counts == {"create": one_change, "read": one_read, "reapply": {"read": 0, "changing": 0},
                      "refresh": one_read, "repair": one_change, "update": one_change, "delete": one_change,
                      "delete-again": one_read}
    migration = model(clean_lab, host)["migration"]
    assert migration["enabled"] is False and migration["networks"] == []
    assert address not in model(clean_lab, host)["listener_addresses"]


def test_create_sets_kerberos_the_exact_networks_and_reports_listeners_and_os(clean_lab: RunningLab) -> None:
    host = "KOM-AD01-VM01"
    address = give_lm_address(clean_lab, host)
    clean_lab.cli("drift", host, 'migration.networks=[{"subnet": "10.160.34.0/24", "priority": 5}]',
                  "migration.use_any_network=true")
    logic = LiveMigrationSettingsLogic(connector(clean_lab))
    created = logic.create(checked_args(logic, host=host, networks=[NETWORK], performance_option="SMB"))
    migration = model(clean_lab, host)["migration"]
    assert migration["enabled"] is True and migration["authentication_type"] == "Kerberos"
    assert migration["use_any_network"] is False and migration["performance_option"] == "SMB"
    assert migration["networks"] == [{"subnet": NETWORK, "priority": 0}]
    state = created.state
    assert state.listener_addresses == [address] and state.local_addresses == [address]
    assert (state.os_version, state.os_caption) == ("6.3.9600", "Microsoft Windows Server 2012 R2 Datacenter")
    assert state.found.networks[0].subnet == "10.160.34.0/24" and state.found.use_any_network is True
    logic.delete(created.id, state)
    assert model(clean_lab, host)["migration"]["networks"] == [{"subnet": "10.160.34.0/24", "priority": 5}]


def test_unlisted_networks_are_kept_when_the_user_opts_out(clean_lab: RunningLab) -> None:
    host = "LAB-2022"
    give_lm_address(clean_lab, host)
    clean_lab.cli("drift", host, 'migration.networks=[{"subnet": "10.160.34.0/24", "priority": 5}]')
    logic = LiveMigrationSettingsLogic(connector(clean_lab))
    created = logic.create(checked_args(logic, host=host, networks=[NETWORK], remove_unlisted=False))
    subnets = {n["subnet"] for n in model(clean_lab, host)["migration"]["networks"]}
    assert subnets == {NETWORK, "10.160.34.0/24"}
    assert not logic.diff(created.state, checked_args(logic, host=host, networks=[NETWORK],
                                                      remove_unlisted=False)).has_changes


def test_listeners_that_need_a_vmms_restart_get_one(clean_lab: RunningLab) -> None:
    host = "LAB-2016"
    address = give_lm_address(clean_lab, host)
    logic = LiveMigrationSettingsLogic(connector(clean_lab))
    created = logic.create(checked_args(logic, host=host, networks=[NETWORK]))
    after = model(clean_lab, host)
    assert after["vmms_restarts"] == 1 and after["listener_addresses"] == [address]
    assert created.state.vmms_restarted is True
    logic.delete(created.id, created.state)
    assert model(clean_lab, host)["vmms_restarts"] == 2, "the restore's stale listener needed a restart too"
    assert model(clean_lab, host)["listener_addresses"] == []


def test_without_a_vmms_restart_missing_listeners_fail_naming_them_and_nothing_changes(clean_lab: RunningLab) -> None:
    host = "LAB-2016"
    address = give_lm_address(clean_lab, host)
    before = model(clean_lab, host)
    logic = LiveMigrationSettingsLogic(connector(clean_lab))
    with pytest.raises(RemoteCommandError, match=f"does not listen on {address} \\(TCP 6600\\) and restart_vmms "
                                                 "is false; nothing was changed"):
        logic.create(checked_args(logic, host=host, networks=[NETWORK], restart_vmms=False))
    assert model(clean_lab, host) == before


def test_no_local_address_in_a_listed_network_is_refused_before_any_change(clean_lab: RunningLab) -> None:
    host = "LAB-2022"
    before = model(clean_lab, host)
    logic = LiveMigrationSettingsLogic(connector(clean_lab))
    refusal = "networks: no IPv4 address of LAB-2022 lies inside 10.160.35.0/24"
    with pytest.raises(RemoteCommandError, match=re.escape(refusal)):
        logic.create(checked_args(logic, host=host, networks=[NETWORK]))
    assert model(clean_lab, host) == before


def test_the_2012_performance_option_fails_at_apply_then_at_check_once_the_os_is_known(clean_lab: RunningLab) -> None:
    host = "LAB-2012"
    give_lm_address(clean_lab, host)
    before = model(clean_lab, host)
    logic = LiveMigrationSettingsLogic(connector(clean_lab))
    wanted = {"host": host, "networks": [NETWORK], "performance_option": "Compression"}
    unknown_os = checked_args(logic, **wanted)
    with pytest.raises(RemoteCommandError, match=re.escape(
            "performance_option: LAB-2012 runs Microsoft Windows Server 2012 Datacenter (6.2.9200), which has no")):
        logic.create(unknown_os)
    assert model(clean_lab, host) == before
    created = logic.create(checked_args(logic, host=host, networks=[NETWORK]))
    checked = logic.check(wanted)
    assert checked.args is None
    assert [f.property for f in checked.failures] == ["performance_option"]
    assert "Windows Server 2012 (6.2.9200)" in checked.failures[0].reason
    fresh = LiveMigrationSettingsLogic(connector(clean_lab))
    args = fresh.check(wanted).args
    assert args is not None, "a fresh process does not know the OS at check"
    with pytest.raises(ConfigurationError, match="performance_option: LAB-2012 runs Windows Server 2012"):
        fresh.diff(created.state, args)
