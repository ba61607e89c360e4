"""The SwitchJumboMtu resource class as a program uses it, under Pulumi's runtime mocks (no engine, no SSH)."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pulumi
import pytest

from lm_provider import SwitchJumboMtu

PASSWORD = "mock-switch-Secret-1"
PENDING = ("KOM-SW01: a reload is pending: the system MTU is set to 9000 bytes but the switch runs 1500 until it "
           "reloads (reload: never)")
recorded: list[pulumi.runtime.MockResourceArgs] = []


class Mocks(pulumi.runtime.Mocks):
    """Answers like the provider after an apply under ``reload: never`` on a classic switch."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        recorded.append(args)
        outputs = {**args.inputs, "configured_mtu": args.inputs["mtu"], "operational_mtu": 1500,
                   "pending_reload": True, "warnings": [PENDING]}
        return args.inputs["switch"], outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.warnings.append(record.getMessage())


captured = Captured()


@pytest.fixture(autouse=True)
def mocks() -> None:
    recorded.clear()
    captured.warnings.clear()
    logger = logging.getLogger("switch-mtu-mocks")
    logger.addHandler(captured)
    pulumi.runtime.set_mocks(Mocks(), preview=False, logger=logger)
    pulumi.runtime.set_all_config({"lm:switchUsername": "netadmin", "lm:switchPassword": PASSWORD},
                                  ["lm:switchPassword"])


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_typed_inputs_are_registered_and_a_pending_reload_is_logged_as_a_warning() -> Any:
    mtu = SwitchJumboMtu("sw01-jumbo", switch="KOM-SW01", mtu=9000, interfaces=["GigabitEthernet0/1"])

    def verify(values: list[Any]) -> None:
        pending, operational = values
        assert pending is True and operational == 1500
        (args,) = recorded
        assert args.typ == "pulumi-python:dynamic/lm:SwitchJumboMtu"
        assert args.inputs["switch"] == "KOM-SW01" and args.inputs["mtu"] == 9000
        assert args.inputs["interfaces"] == ["GigabitEthernet0/1"]
        assert "reload" not in args.inputs and "platform" not in args.inputs  # defaults apply in the provider
        pickled = args.inputs["__provider"]
        provider = base64.b64decode(pickled["value"] if isinstance(pickled, dict) else pickled)
        assert b"SwitchJumboMtuProvider" in provider
        assert PASSWORD.encode() not in provider and b"netadmin" not in provider
        assert captured.warnings == [PENDING]

    return pulumi.Output.all(mtu.pending_reload, mtu.operational_mtu).apply(verify)
