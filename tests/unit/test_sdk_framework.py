"""The SDK's shared pieces: reading inputs with property-named failures, and the state codec."""

from __future__ import annotations

from dataclasses import dataclass, field

from lm_provider.models.codec import from_props, to_props
from lm_provider.models.inputs import UNKNOWN, CheckFailure, InputReader
from lm_provider.models.validators import dns_name, ipv4_address, ipv4_network, netbios_name, no_control_characters


def test_every_failure_is_reported_with_its_property_at_once() -> None:
    reader = InputReader({"name": "a\nb", "mtu": 9014.5, "enabled": "yes", "extra": 1},
                         known_keys=["name", "mtu", "enabled", "mode"])
    reader.string("name", validator=no_control_characters)
    reader.integer("mtu", minimum=1500, maximum=9198)
    reader.boolean("enabled")
    reader.choice("mode", ["never", "if-needed"], required=True)
    assert [f.property for f in reader.failures] == ["extra", "name", "mtu", "enabled", "mode"]
    assert reader.failures[0].reason.startswith("unknown property; properties: name, mtu, enabled, mode")
    assert str(reader.failures[2]) == "mtu: must be a whole number, got 9014.5"
    assert reader.checked(lambda: "never built").args is None


def test_numbers_from_pulumi_arrive_as_floats_and_ranges_are_enforced() -> None:
    reader = InputReader({"mtu": 9014.0, "metric": 0.0})
    assert reader.integer("mtu", minimum=1500, maximum=9198) == 9014
    reader.integer("metric", minimum=1, maximum=9999)
    assert reader.failures == [CheckFailure("metric", "0 is out of range 1..9999")]


def test_unknown_values_are_not_validated_and_leave_args_incomplete() -> None:
    reader = InputReader({"address": UNKNOWN, "names": ["hv1", UNKNOWN], "bad": 3})
    assert reader.string("address", validator=ipv4_address) is UNKNOWN
    reader.string_list("names", validator=dns_name)
    reader.string("bad")
    assert [f.property for f in reader.failures] == ["bad"]
    assert not reader.complete
    checked = reader.checked(lambda: "args")
    assert checked.args is None and checked.failures == reader.failures


def test_choices_are_case_insensitive_and_nested_failures_are_prefixed() -> None:
    reader = InputReader({"auth": "kerberos", "peers": [{"name": "hv 2"}]})
    assert reader.choice("auth", ["Kerberos", "CredSSP"]) == "Kerberos"
    peers = reader.objects("peers")
    nested = reader.nested("peers[0]", peers[0], ["name", "fqdn"])
    nested.string("name", validator=netbios_name)
    nested.string("fqdn", required=True)
    assert [f.property for f in reader.failures] == ["peers[0].name", "peers[0].fqdn"]
    assert reader.checked(lambda: "x").args is None


def test_validators_name_the_value_and_the_rule() -> None:
    assert ipv4_network("10.160.35.1/24") is not None
    assert ipv4_network("10.160.35.0/24") is None
    assert dns_name("KOM-AD01-VM01.holding.com") is None
    assert dns_name("bad_name.com") is not None
    assert netbios_name("KOM-AD01-VM01") is None
    assert netbios_name("a name") is not None


@dataclass
class Inner:
    value: int


@dataclass
class State:
    name: str
    count: int = 0
    inners: list[Inner] = field(default_factory=list)
    mapping: dict[str, int] = field(default_factory=dict)
    optional: int | None = None


def test_state_round_trips_through_props_with_floats_and_missing_fields() -> None:
    state = State("a", 2, [Inner(1)], {"x": 3}, 4)
    props = to_props(state)
    assert props == {"name": "a", "count": 2, "inners": [{"value": 1}], "mapping": {"x": 3}, "optional": 4}
    assert from_props(State, {"name": "a", "count": 2.0, "inners": [{"value": 1.0}], "mapping": {"x": 3.0},
                              "optional": 4.0, "from_a_newer_version": True}) == state
    assert from_props(State, {"name": "b"}) == State("b")


@dataclass
class WithRequiredOptional:
    name: str
    option: str | None


def test_an_optional_field_dropped_from_state_comes_back_as_none() -> None:
    """Pulumi drops None values: a required-but-optional field (a 2012 host's performance option)
    must still rebuild."""
    assert from_props(WithRequiredOptional, {"name": "a"}) == WithRequiredOptional("a", None)


def test_host_targets_never_show_the_password() -> None:
    from lm_provider.models.host_target import HostTarget

    assert "s3cret" not in repr(HostTarget("HV1", winrm_password="s3cret"))


def test_a_2012_hosts_migration_settings_rebuild_from_state() -> None:
    from lm_provider.models.migration import MigrationSettings

    settings = MigrationSettings(True, "Kerberos", False, 2, 2, None, [])
    props = {k: v for k, v in to_props(settings).items() if v is not None}  # what Pulumi keeps
    assert from_props(MigrationSettings, props) == settings
