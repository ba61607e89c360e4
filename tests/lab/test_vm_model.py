"""The host model's virtual machines and ticket cache: seeded, validated, drift-able (pure, no lab)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lmlab import drift
from lmlab.hosts.convert import ModelError
from lmlab.hosts.model import Host, TicketCache
from lmlab.site import generated_site


def model(index: int = 0) -> dict[str, Any]:
    return generated_site(3).initial_host(index).to_dict()


def validated(data: dict[str, Any]) -> Host:
    host = Host.from_dict(data)
    host.validate()
    return host


def test_every_host_starts_with_one_running_user_vm_and_an_empty_ticket_cache() -> None:
    hosts = [generated_site(3).initial_host(i) for i in range(3)]
    assert [[(vm.name, vm.state, vm.notes) for vm in h.vms] for h in hosts] == [
        [("APP-01", "Running", "")], [("APP-02", "Running", "")], [("APP-03", "Running", "")]]
    assert len({h.vms[0].id for h in hosts}) == 3
    assert all(h.ticket_cache == TicketCache([], False) for h in hosts)
    assert hosts[0].vm("app-01") is hosts[0].vms[0] and hosts[0].vm("APP-02") is None


def test_vms_and_ticket_cache_drift_like_other_fields() -> None:
    changed = drift.apply(model(), ["vms.APP-01.state=Off", "vms.APP-01.memory_startup_bytes=4294967296",
                                    'ticket_cache.allowed_to_delegate_to=["cifs/kom-ad01-vm02.holding.com"]',
                                    "ticket_cache.trusted_to_auth=true",
                                    'listener_addresses=["10.160.35.60"]'])
    host = validated(changed)
    assert (host.vms[0].state, host.vms[0].memory_startup_bytes) == ("Off", 4294967296)
    assert host.ticket_cache == TicketCache(["cifs/kom-ad01-vm02.holding.com"], True)
    assert host.listener_addresses == ["10.160.35.60"]


@pytest.mark.parametrize("assignment,message", [
    ("vms.APP-01.state=Starting", "vms[APP-01].state: 'Starting' is not a valid value; valid: Running, Off, Saved, "
                                  "Paused"),
    ("vms.APP-01.id=not-a-guid", "vms[APP-01].id: 'not-a-guid' is not a VM Id"),
    ("vms.APP-01.generation=3", "vms[APP-01].generation: 3 is not a valid value; valid: 1, 2"),
    ("vms.APP-01.memory_startup_bytes=1000", "vms[APP-01].memory_startup_bytes: 1000 is not a startup memory"),
    ("vms.APP-01.name=", "vms[0].name: '' is not a VM name (1-100 characters)"),
    ('vms.APP-01.vhd_paths=[""]', "vms[APP-01].vhd_paths[0]: must not be empty"),
    ("ticket_cache.trusted_to_auth=maybe", "ticket_cache.trusted_to_auth: 'maybe' is not a boolean"),
    ('ticket_cache.allowed_to_delegate_to=["cifs"]', "ticket_cache.allowed_to_delegate_to[0]: 'cifs' is not a "
                                                     "service principal name"),
])
def test_impossible_vm_and_ticket_values_are_refused_naming_the_path(assignment: str, message: str) -> None:
    with pytest.raises(ModelError, match="^" + re.escape(message)):
        validated(drift.apply(model(), [assignment]))


def test_vm_names_any_case_and_ids_are_unique_on_a_host() -> None:
    data = model()
    twin = dict(data["vms"][0], name="app-01")
    data["vms"].append(twin)
    with pytest.raises(ModelError) as error:
        validated(data)
    assert str(error.value) == ("vms[1].name: 'app-01' is already used by vms[APP-01]; "
                                f"vms[1].id: '{twin['id']}' is already used by vms[APP-01]")
