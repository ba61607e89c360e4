"""Required plugins from installed Pulumi packages, and PEP 440 -> plugin versions."""

from __future__ import annotations

import base64

import pytest

from lm_langhost.packages import plugin_version, required_packages


@pytest.mark.parametrize(("pep440", "semver"), [
    ("1", "1.0.0"), ("1.2", "1.2.0"), ("1.2.3", "1.2.3"), ("1.2.3.4", "1.2.3.4"),
    ("1.2.3a4", "1.2.3-alpha.4"), ("1.2.3b4", "1.2.3-beta.4"), ("1.2.3rc4", "1.2.3-rc.4"),
    ("1.2.3.post4", "1.2.3+post4"), ("1.2.3.dev5", "1.2.3+dev5"), ("1.2.3.post4.dev5", "1.2.3+post4dev5"),
    ("1.2.3rc1.post2", "1.2.3-rc.1+post2"),
])
def test_plugin_versions(pep440: str, semver: str) -> None:
    assert plugin_version(pep440) == semver


@pytest.mark.parametrize("bad", ["", "1!2.0", "1.2.3+local", "abc"])
def test_versions_that_name_no_plugin_version(bad: str) -> None:
    assert plugin_version(bad) is None


def test_only_pulumi_packages_with_a_resource_plugin_count() -> None:
    value = base64.b64encode(b"params").decode()
    installed = [
        {"name": "pulumi", "version": "3.272.0", "plugin": None},
        {"name": "requests", "version": "2.0", "plugin": None},
        {"name": "pulumi-aws", "version": "6.1.0", "plugin": None},
        {"name": "pulumi-policy", "version": "1.0.0", "plugin": None},
        {"name": "pulumi-tls", "version": "5.0.0", "plugin": {"resource": False}},
        {"name": "acme-infra", "version": "0.3", "plugin": {"resource": True, "name": "acme", "version": "v1.0.0",
                                                             "server": "https://example.invalid/plugins",
                                                             "parameterization": {"name": "acme", "version": "1.0.0",
                                                                                  "value": value}}},
        {"name": "pulumi-odd", "version": "1.0+local", "plugin": None},
    ]
    found = {p.name: p for p in required_packages(installed)}
    assert sorted(found) == ["acme", "aws"]
    assert (found["aws"].version, found["aws"].kind, found["aws"].server) == ("v6.1.0", "resource", "")
    assert found["acme"].version == "v1.0.0" and found["acme"].server == "https://example.invalid/plugins"
    assert found["acme"].parameterization.value == b"params"
