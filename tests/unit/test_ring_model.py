"""The test migration ring's pure model: input checks, the verdict of each move, Windows' codes read."""

from __future__ import annotations

from typing import Any

import pytest

from lm_provider.models.pathcheck import PathMember
from lm_provider.models.plan import Plan
from lm_provider.models.ring import (
    DEFAULT_STORAGE_PATH,
    MigrationRingArgs,
    check_ring,
    destination_name,
    diff_ring,
    explain,
    failed,
    hresult,
    moved,
    ring_pairs,
    ring_state,
)

HV1 = {"host": "HV1", "address": "10.160.35.60", "fqdn": "hv1.holding.com"}
HV2 = {"host": "HV2", "address": "10.160.35.61", "fqdn": "hv2.holding.com"}
HV3 = {"host": "HV3", "address": "10.160.35.62", "fqdn": "hv3.holding.com"}
SUBNET = "10.160.35.0/24"
KCD_MISSING = ("Virtual machine migration operation for 'lm-probe-1' failed at migration source 'HV1'. "
               "(Virtual machine ID 0F1E...)\nThe Virtual Machine Management Service failed to establish a connection "
               "for a Virtual Machine migration with host 'hv2.holding.com': No credentials are available in the "
               "security package (0x8009030E).")


def args(**changes: Any) -> MigrationRingArgs:
    checked = check_ring({"hosts": [HV1, HV2, HV3], "subnet": SUBNET, **changes})
    assert checked.failures == [] and checked.args is not None
    return checked.args


def failures(**changes: Any) -> list[str]:
    return [str(f) for f in check_ring({"hosts": [HV1, HV2], "subnet": SUBNET, **changes}).failures]


def test_the_ring_visits_each_host_and_comes_home() -> None:
    ring = args()
    assert [(a.host, b.host) for a, b in ring_pairs(ring)] == [("HV1", "HV2"), ("HV2", "HV3"), ("HV3", "HV1")]
    assert ring.storage_path == DEFAULT_STORAGE_PATH and ring.name_form == "fqdn" and ring.triggers == []
    assert destination_name(ring, ring.hosts[1]) == "hv2.holding.com"
    assert destination_name(args(name_form="NetBIOS"), ring.hosts[1]) == "HV2"


@pytest.mark.parametrize(("changes", "expected"), [
    ({"hosts": [HV1]}, "hosts: lists 1 host(s); a path needs at least 2"),
    ({"hosts": [HV1, {**HV2, "address": "10.160.36.61"}]},
     "hosts[1].address: 10.160.36.61 is not inside the subnet 10.160.35.0/24"),
    ({"hosts": [HV1, {**HV2, "host": "hv1"}]}, "hosts[1].host: hv1 is listed twice (also hosts[0])"),
    ({"hosts": [HV1, {"host": "HV2", "address": "10.160.35.61"}]},
     "hosts[1].fqdn: is required when name_form is fqdn (the name Move-VM is given)"),
    ({"subnet": "10.160.35.1/24"}, "subnet: '10.160.35.1/24' is not an IPv4 network in CIDR form"),
    ({"storage_path": "probe"}, "storage_path: must be an absolute Windows path"),
    ({"storage_path": "C:\\probe\n;rm"}, "storage_path: must be an absolute Windows path"),
    ({"name_form": "upn"}, "name_form: 'upn' is not one of fqdn, netbios"),
    ({"triggers": [1]}, "triggers[0]: must be a string, got int"),
    ({"count": 3}, "count: unknown property"),
])
def test_bad_input_is_refused_by_property(changes: dict[str, Any], expected: str) -> None:
    found = failures(**changes)
    assert any(f.startswith(expected) for f in found), found


def test_a_move_over_the_migration_subnet_passes_and_one_over_another_network_fails() -> None:
    ring = args()
    hv1, hv2 = ring.hosts[0], ring.hosts[1]
    ok = moved(ring, hv1, hv2, {"SourceAddress": "10.160.35.60", "DestinationAddress": "10.160.35.61"}, 0.4321)
    assert (ok.passed, ok.network, ok.seconds, ok.error) == (True, "migration", 0.432, "")
    assert str(ok) == "HV1 -> HV2: ok over 10.160.35.61 (0.43 s)"
    wrong = moved(ring, hv1, hv2, {"SourceAddress": "192.168.10.11", "DestinationAddress": "192.168.10.12"}, 1.0)
    assert (wrong.passed, wrong.network) == (False, "other")
    assert "used 192.168.10.12, outside the migration subnet 10.160.35.0/24" in wrong.error
    for address in ("fe80::9885:23c5:f327:c587%12", "not an address"):
        assert moved(ring, hv1, hv2, {"DestinationAddress": address}, 1.0).network == "other"
    unseen = moved(ring, hv1, hv2, {"SourceAddress": None, "DestinationAddress": None}, 1.0)
    assert (unseen.passed, unseen.network) == (True, "unknown")


def test_a_failed_move_carries_windows_words_its_code_and_the_field_guide_reading() -> None:
    ring = args()
    result = failed(ring.hosts[0], ring.hosts[1], KCD_MISSING, 2.0)
    assert (result.passed, result.code) == (False, "0x8009030E")
    assert "klist -li 0x3e7 purge" in result.explanation and "Microsoft Virtual System Migration Service" in (
        result.explanation)
    assert str(result).startswith("HV1 -> HV2: Virtual machine migration operation for 'lm-probe-1' failed")
    assert hresult("... refused it. (0x8007274d)") == "0x8007274D"
    assert hresult("no code here") is None and explain(None) == "" and explain("0x12345678") == ""
    for code in ("0x8007274D", "0x8007274C", "0x80072746", "0x8009030D", "0x80090322"):
        assert explain(code)


def test_the_state_lists_every_failure_and_a_failed_ring_runs_again() -> None:
    ring = args()
    hv1, hv2, hv3 = ring.hosts
    pairs = [moved(ring, hv1, hv2, {"DestinationAddress": "10.160.35.61"}, 0.5), failed(hv2, hv3, KCD_MISSING, 0.1),
             moved(ring, hv3, hv1, {"DestinationAddress": "10.160.35.60"}, 0.5)]
    state = ring_state(ring, pairs, 1.1, ["HV3: could not remove the probe VM lm-probe-1: access denied"])
    assert not state.passed and len(state.failures) == 2
    assert state.failures[0].startswith("HV2 -> HV3: Virtual machine migration")
    assert diff_ring(state, ring).changes == ["passed"]
    good = ring_state(ring, pairs[:1], 0.5, [])
    assert good.passed and diff_ring(good, ring) == Plan()
    assert diff_ring(good, args(triggers=["x"])).changes == ["triggers"]
    assert isinstance(ring.hosts[0], PathMember)
