"""Shared fixtures: a device lab for the whole session (no AD), an AD lab only for ``ad`` tests, and
a resettable view of the device lab for tests that change it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml

from labsite import SITE
from lmlab.testing import RunningLab

_AD_LABS: list[RunningLab] = []


def _start(tmp_path_factory: pytest.TempPathFactory, name: str, *args: str) -> RunningLab:
    root = tmp_path_factory.mktemp(name)
    site_file = root.parent / f"{name}-site.yaml"
    site_file.write_text(yaml.safe_dump(SITE))
    return RunningLab(root).up("--site", str(site_file), *args)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """Hosts (one per OS version) and both switch platforms, started once per session, without
    the AD DC: a run without the ``ad`` marker never takes ports 88/389/636."""
    running = _start(tmp_path_factory, "lab", "--no-ad")
    yield running
    running.down()


@pytest.fixture(scope="session")
def ad_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A second lab of the same site with the real Samba AD DC, for ``ad`` tests only."""
    running = _start(tmp_path_factory, "adlab")
    _AD_LABS.append(running)
    yield running
    _AD_LABS.remove(running)
    running.down()


@pytest.fixture
def own_dc() -> Iterator[None]:
    """For a test whose lab starts its own AD DC (one per machine: ports 88/389/636): the session's
    AD lab, if it runs, is stopped for the test and started again after it."""
    paused = list(_AD_LABS)
    for running in paused:
        running.down()
    yield
    for running in paused:
        running.up()


@pytest.fixture
def clean_lab(lab: RunningLab) -> RunningLab:
    """The session lab, reset to its initial state (devices, knobs, call counts) before the test."""
    lab.control.call("POST", "/reset", {})
    return lab
