"""The KcdDelegation resource class as a program uses it, under Pulumi's runtime mocks (no engine, no LDAP)."""

from __future__ import annotations

import base64
from typing import Any

import pulumi
import pytest

import lm_provider
from lm_provider import HyperVHost, KcdDelegation, Peer

PASSWORD = "mock-secret-Aa1!"
recorded: list[pulumi.runtime.MockResourceArgs] = []


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        recorded.append(args)
        return f"{args.name}-id", {**args.inputs, "dn": f"CN={args.inputs['computer']},OU=HOSTS,DC=corp,DC=com"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture(autouse=True)
def mocks() -> None:
    recorded.clear()
    pulumi.runtime.set_mocks(Mocks(), preview=False)
    pulumi.runtime.set_all_config({"lm:ldapServers": "dc1.corp.com", "lm:ldapPassword": PASSWORD},
                                  ["lm:ldapPassword"])


def test_the_public_api_is_pinned() -> None:
    assert sorted(lm_provider.__all__) == ["FabricHost", "FabricSwitch", "HostsEntries", "HostsEntry", "HostsLine",
                                           "HyperVHost", "JumboPathCheck", "KcdDelegation", "KerberosTicketPurge",
                                           "LiveMigrationFabric", "LiveMigrationSettings", "MigrationNic",
                                           "MigrationRingTest", "Peer", "SwitchJumboMtu",
                                           "export_fabric_summary", "fabric_from_config", "get_hyperv_hosts",
                                           "get_hyperv_hosts_output"]
    assert all(hasattr(lm_provider, name) for name in lm_provider.__all__)


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_a_mesh_from_discovered_hosts_registers_typed_inputs_without_credentials() -> Any:
    hosts = [HyperVHost("HV01", "hv01.corp.com", "CN=HV01,OU=HOSTS,DC=corp,DC=com"),
             HyperVHost("HV02", "hv02.corp.com", "CN=HV02,OU=HOSTS,DC=corp,DC=com")]
    kcd = KcdDelegation("kcd-HV01", computer="HV01", peers=[h for h in hosts if h.name != "HV01"] + [
        Peer("HV03", "hv03.corp.com"), {"name": "HV04", "fqdn": "hv04.corp.com"}], protocol_transition=False)

    def verify(values: list[Any]) -> None:
        dn, peers = values
        assert dn == "CN=HV01,OU=HOSTS,DC=corp,DC=com"
        assert peers == [{"name": "HV02", "fqdn": "hv02.corp.com"}, {"name": "HV03", "fqdn": "hv03.corp.com"},
                         {"name": "HV04", "fqdn": "hv04.corp.com"}]
        (args,) = recorded
        assert args.typ == "pulumi-python:dynamic/lm:KcdDelegation"
        assert args.inputs["protocol_transition"] is False
        assert "services" not in args.inputs and "forms" not in args.inputs
        pickled = args.inputs["__provider"]  # the engine stores it as a secret: {<sig>: <secret sig>, "value": ...}
        provider = base64.b64decode(pickled["value"] if isinstance(pickled, dict) else pickled)
        assert b"KcdDelegationProvider" in provider
        assert PASSWORD.encode() not in provider and b"dc1.corp.com" not in provider

    return pulumi.Output.all(kcd.dn, kcd.peers).apply(verify)
