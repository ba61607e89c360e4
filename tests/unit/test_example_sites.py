"""The sites the repository's stacks describe exist on the labs they run on: every host of
Pulumi.lab.yaml is cabled in the lab's reference site, and every planned host of the multi-dc
example is cabled as planned in its lab site file and in the tests' session site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from labsite import SITE
from lmlab.site import Site, load_site, reference_site

REPO = Path(__file__).resolve().parents[2]
MULTI_DC = REPO / "examples" / "multi-dc"


def cabling(site: Site) -> dict[str, tuple[str, str, str]]:
    """Host -> (adapter, switch, port) of its cabled adapter."""
    return {c.host: (c.adapter, c.switch, c.port) for c in site.cabling if c.adapter == "Ethernet 2"}


def stack_config(path: Path) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(path.read_text())["config"]
    return config


def test_the_main_job_site_is_the_labs_reference_site() -> None:
    hosts = stack_config(REPO / "Pulumi.lab.yaml")["lm-fabric:hosts"]
    assert {h["name"]: (h["adapterName"], h["switch"], h["port"]) for h in hosts} == cabling(reference_site())


@pytest.mark.parametrize("site", [load_site((MULTI_DC / "lab-site.yaml").read_text()), load_site(yaml.safe_dump(SITE))],
                         ids=["lab-site.yaml", "session site"])
@pytest.mark.parametrize("stack", sorted((MULTI_DC / "datacenter").glob("Pulumi.*.yaml")), ids=lambda p: p.name)
def test_each_datacenter_plan_is_cabled_on_the_lab(site: Site, stack: Path) -> None:
    plan = stack_config(stack)["lm-datacenter:hosts"]
    cabled = cabling(site)
    assert {name: (p["adapterName"], p["switch"], p["port"]) for name, p in plan.items()} == {
        name: cabled[name] for name in plan}
