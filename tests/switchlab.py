"""The lab's switches as lm-provider configuration: the ``lm:switch*`` stack keys and a ready logic."""

from __future__ import annotations

import json

from lm_provider.clients.switch_pool import SwitchPool
from lm_provider.models.switch_settings import SwitchConfig
from lm_provider.resources.switch_mtu import SwitchJumboMtuLogic
from lm_provider.resources.switches import PooledSwitchConnector
from lm_provider.transports.ios import Backoff
from lmlab.testing import RunningLab

FAST = Backoff(attempts=3, first=0.05, longest=0.2)
"""Login retries for tests: the same bounded count, shorter waits."""
FAST_RELOAD = Backoff(attempts=0, first=0.1, longest=0.5)


def switch_config(lab: RunningLab, **overrides: dict[str, object]) -> dict[str, tuple[str, bool]]:
    """Stack configuration for every lab switch: key -> (value, secret). ``overrides``: per switch
    entries merged into ``lm:switches`` (e.g. ``{"KOM-SW01": {"port": 1}}``)."""
    creds = lab.dir.secrets()["switch"]
    switches: dict[str, dict[str, object]] = {
        name: {"host": info["host"], "port": info["port"]} for name, info in lab.endpoints["switches"].items()}
    for name, entry in overrides.items():
        switches.setdefault(name, {}).update(entry)
    return {
        "lm:switchUsername": (creds["username"], False), "lm:switchPassword": (creds["password"], True),
        "lm:switchEnableSecret": (creds["enable_secret"], True),
        "lm:switchKnownHosts": (lab.endpoints["known_hosts"], False),
        "lm:switchReloadTimeout": ("30", False), "lm:switches": (json.dumps(switches), False),
    }


def switch_logic(lab: RunningLab, **overrides: dict[str, object]) -> SwitchJumboMtuLogic:
    """The resource logic over a fresh pool, configured for the lab (fast test backoff)."""
    config = {key.removeprefix("lm:"): value for key, (value, _) in switch_config(lab, **overrides).items()}
    pool = SwitchPool(FAST, FAST_RELOAD)
    return SwitchJumboMtuLogic(PooledSwitchConnector(SwitchConfig.from_config(config.get), pool))
