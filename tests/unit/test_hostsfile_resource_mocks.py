"""HostsEntry and HostsEntries as programs use them, under Pulumi's runtime mocks (no engine, no host)."""

from __future__ import annotations

import base64
from typing import Any

import pulumi
import pytest

from lm_provider import HostsEntries, HostsEntry, HostsLine

PASSWORD = "mock-winrm-Aa1!"
OVERRIDE = "per-resource-Bb2!"
recorded: list[pulumi.runtime.MockResourceArgs] = []


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        recorded.append(args)
        return "0123456789abcdef", {**args.inputs, "owner": "0123456789abcdef", "lines": [], "conflicts": []}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture(autouse=True)
def mocks() -> None:
    recorded.clear()
    pulumi.runtime.set_mocks(Mocks(), preview=False)
    pulumi.runtime.set_all_config({"lm:winrmUsername": "CORP\\svc", "lm:winrmPassword": PASSWORD},
                                  ["lm:winrmPassword"])


def provider_bytes(args: pulumi.runtime.MockResourceArgs) -> bytes:
    pickled = args.inputs["__provider"]
    return base64.b64decode(pickled["value"] if isinstance(pickled, dict) else pickled)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_a_hosts_entry_registers_typed_inputs_and_keeps_a_password_override_secret() -> Any:
    entry = HostsEntry("hv2-on-hv1", host="HV1", address="10.160.35.2", name="HV2", aliases=["hv2.corp.com"],
                       winrm_password=OVERRIDE)

    def verify(values: list[Any]) -> None:
        owner, name, aliases, password = values
        assert (owner, name, aliases) == ("0123456789abcdef", "HV2", ["hv2.corp.com"])
        assert password == OVERRIDE  # the value, for the program; the engine stores it encrypted
        (args,) = recorded
        assert args.typ == "pulumi-python:dynamic/lm:HostsEntry"
        assert args.inputs["host"] == "HV1" and args.inputs["address"] == "10.160.35.2"
        assert "fqdn" not in args.inputs and "winrm_endpoint" not in args.inputs
        provider = provider_bytes(args)
        assert b"HostsEntryProvider" in provider
        assert PASSWORD.encode() not in provider and OVERRIDE.encode() not in provider

    return pulumi.Output.all(entry.owner, entry.name, entry.aliases, entry.winrm_password).apply(verify)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_the_password_override_is_a_secret_output() -> Any:
    entry = HostsEntry("hv2-on-hv1", host="HV1", address="10.160.35.2", name="HV2", winrm_password=OVERRIDE)
    plain = HostsEntry("hv3-on-hv1", host="HV1", address="10.160.35.3", name="HV3")

    def verify(secret: list[bool]) -> None:
        assert secret == [True, False]

    return pulumi.Output.all(pulumi.Output.is_secret(entry.winrm_password),
                             pulumi.Output.is_secret(plain.address)).apply(verify)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_a_mesh_is_one_hosts_entries_per_host_with_typed_or_plain_lines() -> Any:
    lm_ip = {"HV1": "10.160.35.1", "HV2": "10.160.35.2", "HV3": "10.160.35.3"}
    sets = [HostsEntries(f"hosts-{host}", host=host, entries=[
        HostsLine(lm_ip[p], [p, f"{p.lower()}.corp.com"]) if p != "HV3" else {"address": lm_ip[p], "names": [p]}
        for p in lm_ip if p != host]) for host in lm_ip]

    def verify(entries: list[Any]) -> None:
        assert entries[0] == [{"address": "10.160.35.2", "names": ["HV2", "hv2.corp.com"]},
                              {"address": "10.160.35.3", "names": ["HV3"]}]
        assert [a.typ for a in recorded] == ["pulumi-python:dynamic/lm:HostsEntries"] * 3
        assert sorted(a.inputs["host"] for a in recorded) == ["HV1", "HV2", "HV3"]
        assert all(b"HostsEntriesProvider" in provider_bytes(a) for a in recorded)

    return pulumi.Output.all(*[s.entries for s in sets]).apply(verify)
