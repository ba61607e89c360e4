"""KcdDelegation against the lab's real Samba AD DC, through our logic, client and ldap3 transport.

Each test gets its own OU with fresh computer accounts; an independent ldap3 connection sets them up
and inspects them (uSNChanged proves when nothing was written).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import certifi
import pytest
from kcd_world import MVSMS, UAC_EXTRA_BITS, UAC_WORKSTATION, KcdWorld, make_world, settings_for
from ldap3 import MODIFY_ADD, MODIFY_DELETE
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from lm_provider.clients.directory import DirectoryClient
from lm_provider.dynamic.adapter import ProviderFailure
from lm_provider.dynamic.kcd import KcdDelegationProvider
from lm_provider.errors import RemoteCommandError, TransportError
from lm_provider.models.directory import DirectoryServer
from lm_provider.models.kcd import KcdDelegationArgs, Peer, check_kcd, diff_kcd
from lm_provider.resources.kcd import KcdDelegationLogic, get_hyperv_hosts
from lm_provider.transports.ldap import LdapTransport
from lmlab.testing import RunningLab

pytestmark = pytest.mark.ad
PT = 0x1000000


@pytest.fixture(scope="module")
def ad(ad_lab: RunningLab) -> dict[str, Any]:
    info = ad_lab.endpoints["ad"]
    assert "unavailable" not in info, f"the lab's AD DC did not start: {info.get('unavailable')}"
    return {**info, **ad_lab.dir.secrets()["ad"]}


@pytest.fixture
def world(ad: dict[str, Any]) -> Iterator[KcdWorld]:
    """KT-HV01 (the host) and peers KT-HV02, KT-HV03 with Hyper-V's SPNs, KT-HV04 without any SPN."""
    w = make_world(ad, "KCDTEST")
    for name in ("KT-HV01", "KT-HV02", "KT-HV03"):
        w.add_computer(name)
    w.add_computer("KT-HV04", spns=False)
    yield w
    w.remove()


def args(world: KcdWorld, *peers: str, **extra: Any) -> KcdDelegationArgs:
    checked = check_kcd({"computer": "KT-HV01", "peers": [world.peer(p) for p in peers], **extra})
    assert checked.args is not None, checked.failures
    return checked.args


def values_for(world: KcdWorld, *peers: str) -> list[str]:
    return sorted(f"{s}/{n}" for p in peers for s in ("cifs", MVSMS) for n in (p, world.fqdn(p)))


def test_create_adds_the_mesh_values_and_the_flag_and_owns_what_it_added(world: KcdWorld) -> None:
    logic, transport = world.logic()
    created = logic.create(args(world, "KT-HV02", "KT-HV03", "KT-HV04"))
    assert world.values("KT-HV01") == values_for(world, "KT-HV02", "KT-HV03", "KT-HV04")
    assert world.uac("KT-HV01") == UAC_WORKSTATION | UAC_EXTRA_BITS | PT
    state = created.state
    assert sorted(state.owned) == values_for(world, "KT-HV02", "KT-HV03", "KT-HV04")
    assert state.protocol_transition and not state.found_protocol_transition and state.missing == []
    assert state.dn == world.dn("KT-HV01") and state.sam_account_name == "KT-HV01$"
    fqdn4 = world.fqdn("KT-HV04")
    assert state.warnings == [f"{v}: not a servicePrincipalName of KT-HV04$; delegation to it cannot work"
                              for v in (f"cifs/{fqdn4}", "cifs/KT-HV04", f"{MVSMS}/{fqdn4}", f"{MVSMS}/KT-HV04")]
    assert transport.operations["modify"] == 1


def test_a_second_apply_and_a_read_change_nothing(world: KcdWorld) -> None:
    logic, transport = world.logic()
    wanted = args(world, "KT-HV02", "KT-HV03")
    created = logic.create(wanted)
    before = world.snapshot("KT-HV01")
    read = logic.read(created.id, created.state)
    assert read is not None and not diff_kcd(read, wanted).has_changes
    again = logic.update(created.id, read, wanted)
    assert again.owned == created.state.owned
    assert transport.operations["modify"] == 1
    assert world.snapshot("KT-HV01") == before  # uSNChanged included: nothing was written


def test_removing_a_peer_deletes_only_its_values(world: KcdWorld) -> None:
    logic, transport = world.logic()
    created = logic.create(args(world, "KT-HV02", "KT-HV03"))
    updated = logic.update(created.id, created.state, args(world, "KT-HV02"))
    assert world.values("KT-HV01") == values_for(world, "KT-HV02")
    assert sorted(updated.owned) == values_for(world, "KT-HV02")
    assert transport.operations["modify"] == 2


def test_drift_is_found_by_read_and_update_repairs_only_ours(world: KcdWorld) -> None:
    logic, _ = world.logic()
    wanted = args(world, "KT-HV02")
    created = logic.create(wanted)
    lost = f"cifs/{world.fqdn('KT-HV02')}"
    world.set_values("KT-HV01", MODIFY_DELETE, [lost])
    world.set_values("KT-HV01", MODIFY_ADD, ["http/web.holding.com"])
    read = logic.read(created.id, created.state)
    assert read is not None and read.missing == [lost] and read.foreign == ["http/web.holding.com"]
    assert diff_kcd(read, wanted).changes == ["peers"]
    repaired = logic.update(created.id, read, wanted)
    assert world.values("KT-HV01") == sorted([*values_for(world, "KT-HV02"), "http/web.holding.com"])
    assert repaired.missing == [] and sorted(repaired.owned) == values_for(world, "KT-HV02")
    logic.delete(created.id, repaired)
    assert world.values("KT-HV01") == ["http/web.holding.com"]


def test_foreign_and_case_variant_values_are_kept_never_duplicated_never_owned(world: KcdWorld) -> None:
    variant = f"CIFS/{world.fqdn('KT-HV02').upper()}"
    world.set_values("KT-HV01", MODIFY_ADD, [variant, "http/web.holding.com"])
    before = world.snapshot("KT-HV01")
    logic, _ = world.logic()
    created = logic.create(args(world, "KT-HV02"))
    values = world.values("KT-HV01")
    assert len([v for v in values if v.lower() == variant.lower()]) == 1
    assert variant in values and "http/web.holding.com" in values
    assert variant.lower() not in [v.lower() for v in created.state.owned]
    assert created.state.foreign == ["http/web.holding.com"]
    logic.delete(created.id, created.state)
    after = world.snapshot("KT-HV01")
    assert after["msDS-AllowedToDelegateTo"] == before["msDS-AllowedToDelegateTo"]
    assert after["userAccountControl"] == before["userAccountControl"]


def test_the_flag_is_toggled_alone_and_delete_restores_it_as_found(world: KcdWorld) -> None:
    world.set_uac("KT-HV01", UAC_WORKSTATION | UAC_EXTRA_BITS | PT)
    logic, _ = world.logic()
    created = logic.create(args(world, "KT-HV02", protocol_transition=False))
    assert world.uac("KT-HV01") == UAC_WORKSTATION | UAC_EXTRA_BITS
    assert created.state.found_protocol_transition and not created.state.protocol_transition
    updated = logic.update(created.id, created.state, args(world, "KT-HV02", protocol_transition=True))
    assert world.uac("KT-HV01") == UAC_WORKSTATION | UAC_EXTRA_BITS | PT
    updated = logic.update(created.id, updated, args(world, "KT-HV02", protocol_transition=False))
    logic.delete(created.id, updated)
    assert world.uac("KT-HV01") == UAC_WORKSTATION | UAC_EXTRA_BITS | PT
    assert world.values("KT-HV01") == []


def test_a_concurrent_change_of_user_account_control_is_retried_and_kept(world: KcdWorld) -> None:
    """Someone sets DONT_REQ_PREAUTH (0x400000) between our read and our write: our swap fails on its
    precondition, we read again and set our bit on top of theirs."""

    class Racing(DirectoryClient):
        raced = False

        def change_delegation(self, dn: str, add: Any, delete: Any, uac: tuple[int, int] | None) -> None:
            if not Racing.raced:
                Racing.raced = True
                world.set_uac("KT-HV01", world.uac("KT-HV01") | 0x400000)
            super().change_delegation(dn, add, delete, uac)

    transport = LdapTransport(settings_for(world.ad))
    logic = KcdDelegationLogic(Racing(transport))
    logic.create(args(world, "KT-HV02"))
    assert world.uac("KT-HV01") == UAC_WORKSTATION | UAC_EXTRA_BITS | 0x400000 | PT
    assert world.values("KT-HV01") == values_for(world, "KT-HV02")
    assert transport.operations["modify"] == 2


def test_a_non_admin_bind_fails_clearly_and_changes_nothing(world: KcdWorld) -> None:
    before = world.snapshot("KT-HV01")
    logic, _ = world.logic(user=world.ad["plain_user"], password=world.ad["user_password"])
    with pytest.raises(RemoteCommandError) as failure:
        logic.create(args(world, "KT-HV02"))
    message = str(failure.value)
    assert message.startswith(f"127.0.0.1:636: modify {world.dn('KT-HV01')}: insufficientAccessRights")
    assert (f"the bind account may not write msDS-AllowedToDelegateTo / userAccountControl on "
            f"{world.dn('KT-HV01')}") in message
    assert world.ad["user_password"] not in message
    assert world.snapshot("KT-HV01") == before


def test_the_computer_is_found_by_dn_and_fqdn_and_a_missing_one_is_named(world: KcdWorld) -> None:
    logic, _ = world.logic()
    by_dn = logic.create(args(world, "KT-HV02", computer=world.dn("KT-HV01")))
    by_fqdn = logic.create(args(world, "KT-HV02", computer=world.fqdn("KT-HV01")))
    assert by_dn.id == by_fqdn.id and by_fqdn.state.owned == []  # the second found everything in place
    with pytest.raises(RemoteCommandError, match="find computer KT-HV09: no such computer account"):
        logic.create(args(world, "KT-HV02", computer="KT-HV09"))


def test_an_account_deleted_behind_our_back_reads_as_gone_and_deletes_quietly(world: KcdWorld) -> None:
    logic, transport = world.logic()
    created = logic.create(args(world, "KT-HV02"))
    world.admin.delete(world.dn("KT-HV01"))
    assert logic.read(created.id, created.state) is None
    logic.delete(created.id, created.state)
    assert transport.operations["modify"] == 1


def test_discovery_excludes_disabled_and_cluster_objects(ad: dict[str, Any], ad_lab: RunningLab) -> None:
    transport = LdapTransport(settings_for(ad))
    hosts = get_hyperv_hosts(DirectoryClient(transport), ad["hosts_ou"], "KOM-AD01-VM*")
    assert [(h.name, h.fqdn, h.dn) for h in hosts] == [
        (n, f"{n.lower()}.holding.com", f"CN={n},{ad['hosts_ou']}") for n in ("KOM-AD01-VM01", "KOM-AD01-VM02")]
    everything = get_hyperv_hosts(DirectoryClient(transport), ad["hosts_ou"])
    assert [h.name for h in everything] == sorted(ad_lab.endpoints["hosts"], key=str.casefold)
    assert transport.operations["search"] == 2


def test_failover_takes_the_next_dc_and_a_dead_list_names_every_dc(ad: dict[str, Any]) -> None:
    dead = DirectoryServer("127.0.0.1", 6399)
    settings = settings_for(ad)
    transport = LdapTransport(replace(settings, servers=[dead, *settings.servers]))
    assert DirectoryClient(transport).find_computer("KOM-AD01-VM01") is not None
    assert transport.server == "127.0.0.1:636"
    nowhere = LdapTransport(replace(settings, servers=[dead, DirectoryServer("127.0.0.1", 6398)]))
    with pytest.raises(TransportError, match=r"127\.0\.0\.1:6399.*refused.*127\.0\.0\.1:6398.*refused"):
        DirectoryClient(nowhere).find_computer("KOM-AD01-VM01")


@pytest.mark.parametrize(("overrides", "message"), [
    ({"password": "Wrong-password-1"}, "bind as .*: invalidCredentials.*the user name or password is wrong"),
    ({"tls_name": "dc.example.com"}, r"^127\.0\.0\.1:636: connect: the DC's certificate \(LABDC\.holding\.com\) "
                                     r"matches none of \['127\.0\.0\.1', 'dc\.example\.com'\]; set lm:ldapTlsName"),
    ({"ca_file": certifi.where()}, "CERTIFICATE_VERIFY_FAILED.*set lm:ldapCaFile"),
    ({"auth": "ntlm", "user": "HOLDING\\Administrator"}, "Samba does not support ldap3's NTLM bind"),
])
def test_bind_and_tls_failures_are_clear_and_never_carry_the_password(ad: dict[str, Any], overrides: dict[str, Any],
                                                                      message: str) -> None:
    transport = LdapTransport(replace(settings_for(ad), **overrides))
    with pytest.raises(TransportError, match=message) as failure:
        DirectoryClient(transport).find_computer("KOM-AD01-VM01")
    assert ad["admin_password"] not in str(failure.value) and "Wrong-password-1" not in str(failure.value)


def test_starttls_on_389_works(ad: dict[str, Any]) -> None:
    transport = LdapTransport(replace(settings_for(ad), start_tls=True, servers=[DirectoryServer("127.0.0.1", 389)]))
    assert DirectoryClient(transport).find_computer("KOM-AD01-VM01") is not None


def test_peers_as_objects_are_accepted_from_discovery(world: KcdWorld) -> None:
    transport = LdapTransport(settings_for(world.ad))
    hosts = get_hyperv_hosts(DirectoryClient(transport), world.ou, "KT-HV*")
    assert [h.name for h in hosts] == ["KT-HV01", "KT-HV02", "KT-HV03", "KT-HV04"]
    peers = [h.as_peer() for h in hosts if h.name != "KT-HV01"]
    assert peers[0] == Peer("KT-HV02", world.fqdn("KT-HV02"))


def test_through_the_dynamic_provider_with_stack_configuration(world: KcdWorld) -> None:
    """What the provider host does: configure() with the decrypted stack config, then check/create/
    diff/read/delete on property maps; outputs carry no credentials."""
    ad = world.ad
    config = {"lm:ldapServers": "127.0.0.1", "lm:ldapUser": ad["admin_user"], "lm:ldapPassword": ad["admin_password"],
              "lm:ldapCaFile": ad["ca_file"], "lm:ldapTlsName": ad["tls_name"]}
    provider = KcdDelegationProvider()
    provider.configure(ConfigureRequest(Config(config, "test")))
    news = {"computer": "KT-HV01", "peers": [world.peer("KT-HV02")], "__provider": "pickled"}
    assert provider.check({}, news).failures == []
    created = provider.create(news)
    assert created.outs is not None
    assert world.values("KT-HV01") == values_for(world, "KT-HV02")
    assert ad["admin_password"] not in repr(created.outs)
    outs = {**created.outs, "__provider": "pickled"}
    assert not provider.diff(created.id, outs, news).changes
    assert provider.diff(created.id, outs, {**news, "protocol_transition": False}).changes
    read = provider.read(created.id, outs)
    assert read.id == created.id and read.outs == created.outs
    provider.delete(created.id, outs)
    assert world.values("KT-HV01") == []
    broken = KcdDelegationProvider()
    broken.configure(ConfigureRequest(Config({**config, "lm:ldapServers": ""}, "test")))
    with pytest.raises(ProviderFailure, match=r"^lm:ldapServers is not set"):
        broken.create(news)
