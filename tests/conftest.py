"""Shared fixtures: a running lab for the whole session, reset between tests that change it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml

from lmlab.testing import RunningLab

SITE = {
    "domain": "holding.com",
    "netbios_domain": "HOLDING",
    "hosts": [
        {"name": "KOM-AD01-VM01", "os": "2012r2"},
        {"name": "KOM-AD01-VM02", "os": "2012r2"},
        {"name": "LAB-2012", "os": "2012"},
        {"name": "LAB-2016", "os": "2016", "listener_refresh": "on-vmms-restart"},
        {"name": "LAB-2019", "os": "2019"},
        {"name": "LAB-2022", "os": "2022"},
    ],
    "switches": [{"name": "KOM-SW01", "platform": "c3560g"}, {"name": "LAB-C9300", "platform": "c9300"}],
    "cabling": [
        {"host": "KOM-AD01-VM01", "adapter": "Ethernet 2", "switch": "KOM-SW01", "port": "GigabitEthernet0/1"},
        {"host": "KOM-AD01-VM02", "adapter": "Ethernet 2", "switch": "KOM-SW01", "port": "GigabitEthernet0/2"},
    ],
}


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """The lab with one host per OS version and both switch platforms, started once per session."""
    root = tmp_path_factory.mktemp("lab")
    site_file = root.parent / "site.yaml"
    site_file.write_text(yaml.safe_dump(SITE))
    running = RunningLab(root).up("--site", str(site_file))
    yield running
    running.down()


@pytest.fixture
def clean_lab(lab: RunningLab) -> Iterator[RunningLab]:
    """The session lab, reset to its initial state (devices and knobs) after the test."""
    yield lab
    lab.control.call("POST", "/reset", {})
