"""The dynamic adapter during preview: the provider host hands unknown inputs over as
``pulumi.output.Unknown`` objects (deserialized with keep_unknowns), at the top level and nested;
check must not judge them and diff must report a change (a preview of a fabric whose path check
takes a switch's pending_reload failed before)."""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown

from lm_provider.dynamic.migration import LiveMigrationSettingsProvider
from lm_provider.dynamic.pathcheck import JumboPathCheckProvider

HOSTS = [{"host": "HV1", "address": "10.160.35.60"}, {"host": "HV2", "address": "10.160.35.61"}]


def test_nested_and_top_level_unknowns_pass_check_and_diff_reports_a_change() -> None:
    provider = JumboPathCheckProvider()
    news: dict[str, Any] = {"hosts": HOSTS, "switches": [{"name": "SW01", "pending_reload": Unknown()}]}
    assert provider.check({}, news).failures == []
    assert provider.check({}, {"hosts": Unknown()}).failures == []
    olds = {"hosts": HOSTS, "switches": [{"name": "SW01", "pending_reload": False}], "size": 8972, "passed": True}
    assert provider.diff("id", olds, news).changes is True
    settings = LiveMigrationSettingsProvider()
    assert settings.check({}, {"host": "HV1", "networks": [Unknown()]}).failures == []


def test_known_bad_values_next_to_unknowns_are_still_refused() -> None:
    news = {"hosts": [HOSTS[0], {"host": "HV2", "address": "x"}], "switches": [{"name": Unknown()}]}
    failures = JumboPathCheckProvider().check({}, news).failures
    assert [(f.property, f.reason) for f in failures] == [("hosts[1].address", "'x' is not an IPv4 address")]
