"""KcdDelegation's pure parts: check (with zero LDAP calls), value logic, diff, settings, discovery input."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lm_provider.clients.directory import pattern_filter_value
from lm_provider.dynamic.kcd import KcdDelegationProvider
from lm_provider.errors import ConfigurationError
from lm_provider.models.directory import DirectoryServer, directory_settings
from lm_provider.models.inputs import UNKNOWN
from lm_provider.models.kcd import (
    MIGRATION_SERVICE,
    KcdDelegationArgs,
    KcdDelegationState,
    Peer,
    check_kcd,
    delegation_values,
    diff_kcd,
    plan_values,
    removal_of,
    unregistered_targets,
    value_status,
    with_protocol_transition,
)
from lm_provider.resources.kcd import KcdDelegationLogic, get_hyperv_hosts

HV02 = {"name": "HV02", "fqdn": "hv02.corp.com"}
HV03 = {"name": "HV03", "fqdn": "hv03.corp.com"}


class NoDirectory:
    """A directory client that fails the test if anything touches it."""

    calls = 0

    def __getattr__(self, name: str) -> Any:
        NoDirectory.calls += 1
        raise AssertionError(f"LDAP was used: {name}")


def failures(inputs: dict[str, Any]) -> dict[str, str]:
    return {f.property: f.reason for f in check_kcd(inputs).failures}


def test_valid_inputs_get_the_documented_defaults() -> None:
    args = check_kcd({"computer": "HV01", "peers": [HV02, HV03]}).args
    assert args == KcdDelegationArgs("HV01", [Peer("HV02", "hv02.corp.com"), Peer("HV03", "hv03.corp.com")],
                                     ["cifs", MIGRATION_SERVICE], ["fqdn", "netbios"], True)
    spelled = check_kcd({"computer": "CN=HV01,OU=HOSTS,DC=corp,DC=com", "peers": [HV02],
                         "services": ["CIFS", "microsoft virtual system migration service"], "forms": ["NetBIOS"],
                         "protocol_transition": False}).args
    assert spelled is not None
    assert spelled.services == ["cifs", MIGRATION_SERVICE] and spelled.forms == ["netbios"]


BAD_INPUTS = [
    ({"computer": "HV01", "peers": []}, "peers", "must not be empty"),
    ({"computer": "HV01", "peers": [{"name": "HV01", "fqdn": "other.corp.com"}]}, "peers[0]", "the computer itself"),
    ({"computer": "hv01.corp.com", "peers": [{"name": "X", "fqdn": "HV01.corp.com"}]}, "peers[0]", "itself"),
    ({"computer": "CN=HV01,OU=H,DC=corp,DC=com", "peers": [{"name": "hv01", "fqdn": "a.b"}]}, "peers[0]", "itself"),
    ({"computer": "HV01", "peers": [HV02, HV02]}, "peers[1]", "listed twice"),
    ({"computer": "HV*", "peers": [HV02]}, "computer", "is not a computer"),
    ({"computer": "HV(1)", "peers": [HV02]}, "computer", "is not a computer"),
    ({"computer": "HV\\01", "peers": [HV02]}, "computer", "is not a computer"),
    ({"computer": "HV\x0001", "peers": [HV02]}, "computer", "is not a computer"),
    ({"computer": "HV 01", "peers": [HV02]}, "computer", "is not a computer"),
    ({"computer": "CN=HV*,OU=H,DC=corp,DC=com", "peers": [HV02]}, "computer", "distinguished name"),
    ({"computer": "CN=HV01,,", "peers": [HV02]}, "computer", "distinguished name"),
    ({"computer": "HV01", "peers": [{"name": "HV*", "fqdn": "hv.corp.com"}]}, "peers[0].name", "computer name"),
    ({"computer": "HV01", "peers": [{"name": "HV)", "fqdn": "hv.corp.com"}]}, "peers[0].name", "computer name"),
    ({"computer": "HV01", "peers": [{"name": "H V", "fqdn": "hv.corp.com"}]}, "peers[0].name", "computer name"),
    ({"computer": "HV01", "peers": [{"name": "HV\x00", "fqdn": "hv.corp.com"}]}, "peers[0].name", "computer name"),
    ({"computer": "HV01", "peers": [{"name": "HV02", "fqdn": "hv02"}]}, "peers[0].fqdn", "fully qualified"),
    ({"computer": "HV01", "peers": [{"name": "HV02", "fqdn": "hv02..corp"}]}, "peers[0].fqdn", "not a DNS name"),
    ({"computer": "HV01", "peers": [{"name": "HV02", "fqdn": "hv_02.corp.com"}]}, "peers[0].fqdn", "not a DNS name"),
    ({"computer": "HV01", "peers": [{"name": "HV02", "fqdn": "hv02.corp.com*"}]}, "peers[0].fqdn", "not a DNS name"),
    ({"computer": "HV01", "peers": [{"name": "HV02"}]}, "peers[0].fqdn", "is required"),
    ({"computer": "HV01", "peers": [HV02], "services": ["http"]}, "services[0]", "is not one of"),
    ({"computer": "HV01", "peers": [HV02], "services": ["cifs", "CIFS"]}, "services", "twice"),
    ({"computer": "HV01", "peers": [HV02], "forms": ["short"]}, "forms[0]", "is not one of"),
    ({"computer": "HV01", "peers": [HV02], "protocol_transition": "yes"}, "protocol_transition", "true or false"),
    ({"peers": [HV02]}, "computer", "is required"),
]


@pytest.mark.parametrize(("inputs", "prop", "reason"), BAD_INPUTS)
def test_bad_input_is_rejected_by_check_with_zero_ldap_calls(inputs: dict[str, Any], prop: str, reason: str) -> None:
    NoDirectory.calls = 0
    logic = KcdDelegationLogic(NoDirectory())  # type: ignore[arg-type]
    checked = logic.check(inputs)
    assert checked.args is None
    assert reason in {f.property: f.reason for f in checked.failures}.get(prop, ""), checked.failures
    assert NoDirectory.calls == 0


def test_the_dynamic_provider_reports_failures_by_property_without_ldap() -> None:
    class Provider(KcdDelegationProvider):
        def build_logic(self, config: Any) -> KcdDelegationLogic:
            return KcdDelegationLogic(NoDirectory())  # type: ignore[arg-type]

    NoDirectory.calls = 0
    result = Provider().check({}, {"computer": "HV01", "peers": [{"name": "HV 2", "fqdn": "x"}]})
    assert [(f.property, f.reason) for f in result.failures] == [
        ("peers[0].name", "'HV 2' is not a computer name (1-15 letters, digits and inner hyphens)"),
        ("peers[0].fqdn", "'x' is not a fully qualified name (host.domain)")]
    assert NoDirectory.calls == 0


def test_unknown_values_during_preview_are_not_failures() -> None:
    checked = check_kcd({"computer": UNKNOWN, "peers": [HV02, UNKNOWN]})
    assert checked.args is None and checked.failures == []


def test_values_cover_every_peer_service_and_form() -> None:
    args = KcdDelegationArgs("HV01", [Peer("HV02", "hv02.corp.com")])
    assert delegation_values(args) == ["cifs/hv02.corp.com", "cifs/HV02", f"{MIGRATION_SERVICE}/hv02.corp.com",
                                       f"{MIGRATION_SERVICE}/HV02"]
    assert delegation_values(KcdDelegationArgs("HV01", [Peer("HV02", "hv02.corp.com")], ["cifs"], ["netbios"])) == [
        "cifs/HV02"]


def test_a_case_variant_counts_as_present_and_foreign_values_are_never_touched() -> None:
    current = ["CIFS/HV02.CORP.COM", "http/web.corp.com"]
    change = plan_values(["cifs/hv02.corp.com", "cifs/HV02"], current, owned=[])
    assert change.add == ["cifs/HV02"] and change.delete == [] and change.owned == ["cifs/HV02"]
    status = value_status(["cifs/hv02.corp.com", "cifs/HV02"], current)
    assert status.present == ["CIFS/HV02.CORP.COM"] and status.missing == ["cifs/HV02"]
    assert status.foreign == ["http/web.corp.com"]


def test_only_owned_values_no_longer_desired_are_deleted_as_the_directory_spells_them() -> None:
    current = ["cifs/HV02", "CIFS/HV03", "cifs/HV04"]
    change = plan_values(["cifs/HV02"], current, owned=["cifs/HV02", "cifs/hv03", "cifs/HV09"])
    assert change.add == [] and change.delete == ["CIFS/HV03"] and change.owned == ["cifs/HV02"]
    assert removal_of(["cifs/hv02", "cifs/HV09"], current) == ["cifs/HV02"]


def test_an_owned_value_removed_behind_our_back_is_added_again_and_stays_owned() -> None:
    change = plan_values(["cifs/HV02", "cifs/HV03"], ["cifs/HV03"], owned=["cifs/HV02", "cifs/HV03"])
    assert change.add == ["cifs/HV02"] and change.owned == ["cifs/HV03", "cifs/HV02"]


def test_the_protocol_transition_bit_changes_alone() -> None:
    uac = 0x1000 | 0x80000 | 0x2
    assert with_protocol_transition(uac, True) == uac | 0x1000000
    assert with_protocol_transition(uac | 0x1000000, False) == uac


def test_unregistered_targets_are_warned_and_cifs_is_covered_by_host() -> None:
    peers = [Peer("HV02", "hv02.corp.com"), Peer("HV03", "hv03.corp.com")]
    values = ["cifs/hv02.corp.com", f"{MIGRATION_SERVICE}/HV02", "cifs/HV03"]
    spns = {"hv02": ["HOST/HV02.corp.com", f"{MIGRATION_SERVICE}/hv02"]}
    assert unregistered_targets(values, spns, peers) == [
        "HV03: no computer account HV03$ found; delegation to it cannot work"]
    assert unregistered_targets(["cifs/HV02"], {"hv02": []}, peers) == [
        "cifs/HV02: not a servicePrincipalName of HV02$; delegation to it cannot work"]


def state_of(args: KcdDelegationArgs, **extra: Any) -> KcdDelegationState:
    return KcdDelegationState(args.computer, args.peers, args.services, args.forms, args.protocol_transition, **extra)


def test_diff_updates_peers_and_flag_replaces_the_computer_and_sees_drift() -> None:
    args = KcdDelegationArgs("HV01", [Peer("HV02", "hv02.corp.com")])
    assert not diff_kcd(state_of(args), args).has_changes
    assert not diff_kcd(state_of(args), KcdDelegationArgs("hv01", [Peer("hv02", "HV02.corp.com")])).has_changes
    more = KcdDelegationArgs("HV01", [Peer("HV02", "hv02.corp.com"), Peer("HV03", "hv03.corp.com")])
    assert diff_kcd(state_of(args), more).changes == ["peers"]
    flag = KcdDelegationArgs("HV01", args.peers, protocol_transition=False)
    assert diff_kcd(state_of(args), flag).changes == ["protocol_transition"]
    other = diff_kcd(state_of(args), KcdDelegationArgs("HV09", args.peers))
    assert other.replaces == ["computer"] and other.delete_before_replace
    drift = diff_kcd(state_of(args, missing=["cifs/HV02"]), args)
    assert drift.changes == ["peers"] and "cifs/HV02" in drift.notes[0]


def test_directory_settings_have_safe_defaults_and_keep_the_password_out_of_repr() -> None:
    config = {"ldapServers": "dc1.corp.com, dc2.corp.com:3269", "ldapUser": "svc@corp.com", "ldapPassword": "pw-123"}
    settings = directory_settings(config.get)
    assert settings.servers == [DirectoryServer("dc1.corp.com", 636), DirectoryServer("dc2.corp.com", 3269)]
    assert settings.tls_verify and not settings.start_tls and settings.auth == "simple"
    assert "pw-123" not in repr(settings)
    assert directory_settings({**config, "ldapStartTls": "true"}.get).servers[0].port == 389


@pytest.mark.parametrize(("config", "message"), [
    ({}, "lm:ldapServers is not set"),
    ({"ldapServers": "dc 1"}, "lm:ldapServers: 'dc 1' is not a host name"),
    ({"ldapServers": "dc1:99999"}, "lm:ldapServers: 'dc1:99999' has no valid port"),
    ({"ldapServers": "dc1", "ldapUser": "u"}, "lm:ldapPassword is not set"),
    ({"ldapServers": "dc1", "ldapUser": "u", "ldapPassword": "p", "ldapAuth": "kerberos"}, "lm:ldapAuth: 'kerberos'"),
    ({"ldapServers": "dc1", "ldapUser": "u@x", "ldapPassword": "p", "ldapAuth": "ntlm"},
     "lm:ldapUser: 'u@x': an NTLM bind needs DOMAIN\\user"),
    ({"ldapServers": "dc1", "ldapUser": "u", "ldapPassword": "p", "ldapStartTls": "yes"}, "lm:ldapStartTls: 'yes'"),
    ({"ldapServers": "dc1", "ldapUser": "u", "ldapPassword": "p", "ldapTimeout": "nan"}, "lm:ldapTimeout"),
])
def test_bad_directory_settings_name_the_key(config: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match="^" + re.escape(message)):
        directory_settings(config.get)


def test_discovery_input_is_checked_before_ldap_and_patterns_are_escaped() -> None:
    for base, pattern in (("not a dn", "HV*"), ("OU=H,DC=corp", "HV)(cn=*"), ("OU=H,DC=corp", "")):
        with pytest.raises(ValueError, match=r"^(search_base|name_pattern): "):
            get_hyperv_hosts(NoDirectory(), base, pattern)  # type: ignore[arg-type]
    assert pattern_filter_value("KOM-AD01-VM*") == "KOM-AD01-VM*"
    assert pattern_filter_value("a(b)*c\\") == "a\\28b\\29*c\\5c"
