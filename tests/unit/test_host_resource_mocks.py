"""MigrationNic and LiveMigrationSettings as a program uses them, under Pulumi's runtime mocks (no engine,
no host): typed inputs, outputs flowing from one to the other, the password override kept secret."""

from __future__ import annotations

import base64
from typing import Any

import pulumi
import pytest

from lm_provider import LiveMigrationSettings, MigrationNic

PASSWORD = "mock-secret-Aa1!"
SECRET_SIG, SECRET_SIG_VALUE = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"
"""How a secret value travels in a property map (Pulumi's special signature key and its secret value)."""
recorded: list[pulumi.runtime.MockResourceArgs] = []


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        recorded.append(args)
        outputs = dict(args.inputs)
        if args.typ.endswith(":MigrationNic"):
            outputs["network"] = "10.160.35.0/24"
        else:
            outputs.update(listener_addresses=["10.160.35.60"], os_version="6.3.9600")
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture(autouse=True)
def mocks() -> None:
    recorded.clear()
    pulumi.runtime.set_mocks(Mocks(), preview=False)
    pulumi.runtime.set_all_config({"lm:winrmUsername": "HOLDING\\lmadmin", "lm:winrmPassword": PASSWORD},
                                  ["lm:winrmPassword"])


def provider_pickle(args: pulumi.runtime.MockResourceArgs) -> bytes:
    pickled = args.inputs["__provider"]
    return base64.b64decode(pickled["value"] if isinstance(pickled, dict) else pickled)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_a_host_gets_its_nic_and_migration_settings_on_the_nics_network() -> Any:
    nic = MigrationNic("lm-nic-hv01", host="KOM-AD01-VM01", adapter_name="Ethernet 2", new_name="LM",
                       ip_address="10.160.35.60", prefix_length=24, bindings={"ms_tcpip6": False},
                       interface_metric=50, netbios="Disabled")
    settings = LiveMigrationSettings("lm-hv01", host="KOM-AD01-VM01", networks=[nic.network],
                                     authentication="CredSSP", performance_option="SMB")

    def verify(values: list[Any]) -> None:
        network, listeners, os_version = values
        assert (network, listeners, os_version) == ("10.160.35.0/24", ["10.160.35.60"], "6.3.9600")
        by_type = {a.typ: a for a in recorded}
        nic_args = by_type["pulumi-python:dynamic/lm:MigrationNic"]
        assert nic_args.inputs["adapter_name"] == "Ethernet 2" and nic_args.inputs["prefix_length"] == 24
        assert nic_args.inputs["bindings"] == {"ms_tcpip6": False} and nic_args.inputs["interface_metric"] == 50
        assert "mac_address" not in nic_args.inputs and "jumbo_packet" not in nic_args.inputs
        lm_args = by_type["pulumi-python:dynamic/lm:LiveMigrationSettings"]
        assert lm_args.inputs["networks"] == ["10.160.35.0/24"]
        assert lm_args.inputs["authentication"] == "CredSSP" and lm_args.inputs["performance_option"] == "SMB"
        for args in (nic_args, lm_args):
            assert PASSWORD.encode() not in provider_pickle(args)

    return pulumi.Output.all(nic.network, settings.listener_addresses, settings.os_version).apply(verify)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_a_per_resource_password_override_is_a_secret() -> Any:
    nic = MigrationNic("lm-nic-hv02", host="KOM-AD01-VM02", mac_address="00-1A-4B-00-01-02",
                       ip_address="10.160.35.61", prefix_length=24, winrm_password="override-Aa1!",
                       winrm_endpoint="https://hv02.holding.com:5986/wsman")

    def verify(host: str) -> None:
        (args,) = recorded
        assert host == "KOM-AD01-VM02"
        assert args.inputs["winrm_endpoint"] == "https://hv02.holding.com:5986/wsman"
        password = args.inputs["winrm_password"]
        assert isinstance(password, dict) and password[SECRET_SIG] == SECRET_SIG_VALUE, password
        assert b"override-Aa1!" not in provider_pickle(args)

    return nic.host.apply(verify)
