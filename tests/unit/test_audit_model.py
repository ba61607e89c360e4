"""The audit's pure evaluation: a site read as ready has no gap; each requirement broken alone is
exactly one gap (ok / missing / wrong) with the value found and the value expected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from lm_provider.models.audit import Account, HostReading, SiteReadings, evaluate
from lm_provider.models.audit_report import (
    HOST_REQUIREMENTS,
    MISSING,
    OK,
    PAIR_REQUIREMENTS,
    SWITCH_REQUIREMENTS,
    WRONG,
    AuditReport,
    Unreachable,
)
from lm_provider.models.fabric import FabricHost, FabricPlan, FabricSwitch, plan_fabric
from lm_provider.models.migration import MigrationNetwork, MigrationSettings
from lm_provider.models.nic import AdapterSettings, Ipv4
from lm_provider.models.switch import SwitchJumboMtuState

MVSMS = "Microsoft Virtual System Migration Service"
ADDRESSES = {"HV01": "10.160.35.60", "HV02": "10.160.35.61"}
OS = {"HV01": "6.3.9600", "HV02": "10.0.14393"}
"""HV01 runs 2012 R2 (no protocol transition needed), HV02 2016."""
OTHER = {"HV01": "HV02", "HV02": "HV01"}
A_TO_B, B_TO_A = "HV01 -> HV02", "HV02 -> HV01"


def plan(authentication: str = "Kerberos") -> FabricPlan:
    hosts = [FabricHost(n, f"{n}.corp.com", a, adapter_name="Ethernet 2", switch="SW1", port=f"Gi0/{i + 1}")
             for i, (n, a) in enumerate(ADDRESSES.items())]
    return plan_fabric("dc1", "10.160.35.0/24", hosts, [FabricSwitch("SW1", 9000, "if-needed")], authentication)


def adapter(name: str) -> AdapterSettings:
    return AdapterSettings(
        name="Ethernet 2", interface_description="HP NC373i", mac_address="00-1A-4B-00-00-02", if_index=12,
        dhcp=False, ipv4_addresses=[Ipv4(ADDRESSES[name], 24)], default_gateways=[], dns_servers=[],
        register_dns=False, bindings={"ms_tcpip": True, "ms_msclient": True, "ms_server": True, "ms_pacer": True,
                                      "ms_tcpip6": False, "ms_lldp": False},
        interface_metric=11, automatic_metric=False, forwarding=False, jumbo_packet=9014,
        jumbo_valid_values=[1514, 4088, 9014], netbios="Default")


def host(name: str) -> HostReading:
    peer = OTHER[name]
    settings = MigrationSettings(True, "Kerberos", False, 2, 2, None, [MigrationNetwork("10.160.35.0/24", 0)])
    text = f"127.0.0.1 localhost\r\n{ADDRESSES[peer]} {peer} {peer}.corp.com # lm-provider:0123456789abcdef\r\n"
    return HostReading([adapter(name)], 10, settings, [ADDRESSES[name]], OS[name], text)


def account(name: str) -> Account:
    peer = OTHER[name]
    delegations = [f"{s}/{peer}{suffix}" for s in (MVSMS, "cifs") for suffix in ("", ".corp.com")]
    spns = [f"{s}/{name}{suffix}" for s in ("HOST", MVSMS) for suffix in ("", ".corp.com")]
    return Account(delegations, 0x1000 | 0x1000000, spns)


def reply(name: str) -> list[dict[str, str]]:
    target = ADDRESSES[OTHER[name]]
    return [{"Target": target, "Output": f"Reply from {target}: bytes=8972 time<1ms TTL=128"}]


def ready() -> SiteReadings:
    switch = SwitchJumboMtuState(switch="SW1", mtu=9000, reload="if-needed", configured_mtu=9000,
                                 operational_mtu=9000, saved_mtu=9000)
    return SiteReadings({n: host(n) for n in ADDRESSES}, {n.lower(): account(n) for n in ADDRESSES},
                        {"SW1": switch}, {n: reply(n) for n in ADDRESSES})


def gaps(report: AuditReport) -> dict[tuple[str, str], str]:
    return {(g.subject, g.requirement): g.status for g in report.gaps()}


def test_a_ready_site_has_every_requirement_ok_and_no_gap() -> None:
    report = evaluate(plan(), ready())
    assert report.gaps() == []
    assert [f.requirement for f in report.host("HV02")] == [r.id for r in HOST_REQUIREMENTS]
    assert [f.requirement for f in report.host("HV01")] == [r.id for r in HOST_REQUIREMENTS][:-1]  # 2012 R2: no pt
    assert [f.requirement for f in report.pair("HV01", "HV02")] == [r.id for r in PAIR_REQUIREMENTS]
    assert [f.requirement for f in report.switch("sw1")] == [r.id for r in SWITCH_REQUIREMENTS]


def on_host(name: str, **changes: Any) -> Callable[[SiteReadings], SiteReadings]:
    def change(r: SiteReadings) -> SiteReadings:
        return replace(r, hosts={**r.hosts, name: replace(r.hosts[name], **changes)})
    return change


def on_adapter(host_name: str, **changes: Any) -> Callable[[SiteReadings], SiteReadings]:
    return on_host(host_name, adapters=[replace(adapter(host_name), **changes)])


def on_migration(name: str, **changes: Any) -> Callable[[SiteReadings], SiteReadings]:
    return on_host(name, migration=replace(host(name).migration, **changes))


def on_account(name: str, **changes: Any) -> Callable[[SiteReadings], SiteReadings]:
    def change(r: SiteReadings) -> SiteReadings:
        assert r.accounts is not None
        return replace(r, accounts={**r.accounts, name.lower(): replace(account(name), **changes)})
    return change


def without_delegation(name: str, value: str) -> Callable[[SiteReadings], SiteReadings]:
    return on_account(name, allowed_to_delegate_to=[v for v in account(name).allowed_to_delegate_to if v != value])


def ping(name: str, output: str, sent: bool = True) -> Callable[[SiteReadings], SiteReadings]:
    """``name``'s ping answered ``output`` (or, not ``sent``, could not run for that reason)."""
    def change(r: SiteReadings) -> SiteReadings:
        answer: Any = [{"Target": ADDRESSES[OTHER[name]], "Output": output}] if sent else output
        return replace(r, pings={**r.pings, name: answer})
    return change


def on_switch(**changes: Any) -> Callable[[SiteReadings], SiteReadings]:
    def change(r: SiteReadings) -> SiteReadings:
        return replace(r, switches={"SW1": replace(r.switches["SW1"], **changes)})
    return change


CASES: list[tuple[str, Callable[[SiteReadings], SiteReadings], str, str, str, str]] = [
    # (case, change, subject, requirement, status, found contains)
    ("no address", on_adapter("HV01", ipv4_addresses=[]), "HV01", "address", MISSING, "no IPv4 address"),
    ("other prefix", on_adapter("HV01", ipv4_addresses=[Ipv4("10.160.35.60", 16)]), "HV01", "address", WRONG,
     "10.160.35.60/16"),
    ("DHCP", on_adapter("HV01", dhcp=True), "HV01", "address", WRONG, "(DHCP)"),
    ("gateway", on_adapter("HV01", default_gateways=["10.160.35.1"]), "HV01", "no-gateway", WRONG, "10.160.35.1"),
    ("DNS registration", on_adapter("HV01", register_dns=True), "HV01", "dns-registration", WRONG,
     "registration on"),
    ("IPv6 bound", on_adapter("HV01", bindings={**adapter("HV01").bindings, "ms_tcpip6": True}), "HV01",
     "bindings", WRONG, "ms_tcpip6 on"),
    ("client unbound", on_adapter("HV01", bindings={**adapter("HV01").bindings, "ms_msclient": False}), "HV01",
     "bindings", WRONG, "ms_msclient off"),
    ("jumbo 1514", on_adapter("HV02", jumbo_packet=1514), "HV02", "jumbo-packet", WRONG, "1514"),
    ("no jumbo property", on_adapter("HV02", jumbo_packet=None), "HV02", "jumbo-packet", MISSING, "no Jumbo"),
    ("automatic metric", on_adapter("HV02", automatic_metric=True), "HV02", "interface-metric", WRONG, "automatic"),
    ("metric before management", on_adapter("HV02", interface_metric=5), "HV02", "interface-metric", WRONG, "5"),
    ("forwarding", on_adapter("HV02", forwarding=True), "HV02", "forwarding", WRONG, "on"),
    ("migration off", on_migration("HV01", enabled=False), "HV01", "migration-enabled", WRONG, "off"),
    ("CredSSP", on_migration("HV01", authentication="CredSSP"), "HV01", "authentication", WRONG, "CredSSP"),
    ("no network", on_migration("HV01", networks=[]), "HV01", "migration-network", MISSING, "none"),
    ("any network", on_migration("HV01", use_any_network=True), "HV01", "migration-network", WRONG,
     "use any network"),
    ("extra network", on_migration("HV01", networks=[MigrationNetwork("10.0.0.0/8", 1),
                                                     MigrationNetwork("10.160.35.0/24", 0)]),
     "HV01", "migration-network", WRONG, "10.0.0.0/8"),
    ("stale listener", on_host("HV02", listeners=["169.254.2.61"]), "HV02", "listener", MISSING, "169.254.2.61"),
    ("flag cleared on 2016", on_account("HV02", user_account_control=0x1000), "HV02", "protocol-transition",
     MISSING, "off"),
    ("no hosts line", on_host("HV01", hosts_file="127.0.0.1 localhost\r\n10.160.35.61 HV02.corp.com\r\n"), A_TO_B,
     "hosts-name", MISSING, "no line"),
    ("hosts line elsewhere", on_host("HV01", hosts_file="10.0.0.61 hv02\n10.160.35.61 HV02.corp.com\n"), A_TO_B,
     "hosts-name", WRONG, "maps hv02 to 10.0.0.61"),
    ("no FQDN line", on_host("HV02", hosts_file="10.160.35.60 HV01\n"), B_TO_A, "hosts-fqdn", MISSING, "no line"),
    ("mvsms fqdn", without_delegation("HV01", f"{MVSMS}/HV02.corp.com"), A_TO_B, "kcd-migration-fqdn", MISSING,
     "absent"),
    ("mvsms netbios", without_delegation("HV01", f"{MVSMS}/HV02"), A_TO_B, "kcd-migration-netbios", MISSING,
     "absent"),
    ("cifs fqdn", without_delegation("HV02", "cifs/HV01.corp.com"), B_TO_A, "kcd-cifs-fqdn", MISSING, "absent"),
    ("cifs netbios", without_delegation("HV02", "cifs/HV01"), B_TO_A, "kcd-cifs-netbios", MISSING, "absent"),
    ("no SPN", on_account("HV02", spns=["HOST/HV02", "HOST/HV02.corp.com"]), A_TO_B, "spn", MISSING,
     f"{MVSMS}/HV02.corp.com: not a servicePrincipalName"),
    ("ping timed out", ping("HV01", "Request timed out."), A_TO_B, "jumbo-ping", WRONG, "dropped the frame"),
    ("ping fragmented", ping("HV02", "Packet needs to be fragmented but DF set."), B_TO_A, "jumbo-ping", WRONG,
     "does not carry jumbo frames"),
    ("ping not run", ping("HV01", "10.160.35.60 is not an address of it (no ping sent)", sent=False), A_TO_B,
     "jumbo-ping", MISSING, "could not run the check on HV01"),
    ("switch saved 1500", on_switch(saved_mtu=1500), "SW1", "configured-mtu", WRONG, "(saved: 1500)"),
]


@pytest.mark.parametrize(("change", "subject", "requirement", "status", "found"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_broken_requirement_is_exactly_one_gap(change: Callable[[SiteReadings], SiteReadings], subject: str,
                                                   requirement: str, status: str, found: str) -> None:
    report = evaluate(plan(), change(ready()))
    assert gaps(report) == {(subject, requirement): status}
    gap = report.gaps()[0]
    assert found in gap.found, gap
    assert gap.expected and gap.expected != gap.found


def test_a_missing_adapter_makes_every_adapter_requirement_missing_and_names_the_adapters() -> None:
    report = evaluate(plan(), on_adapter("HV01", name="Ethernet 3")(ready()))
    nic = ["address", "no-gateway", "dns-registration", "bindings", "jumbo-packet", "interface-metric", "forwarding"]
    assert gaps(report) == {("HV01", r): MISSING for r in nic}
    assert "no adapter 'Ethernet 2' (adapters: Ethernet 3)" in report.gaps()[0].found


def test_a_pending_reload_is_a_gap_of_the_switch_and_the_reason_of_a_timed_out_ping() -> None:
    change = on_switch(configured_mtu=9000, operational_mtu=1500, saved_mtu=9000, pending_reload=True)
    report = evaluate(plan(), ping("HV01", "Request timed out.")(change(ready())))
    assert gaps(report) == {("SW1", "operational-mtu"): WRONG, ("SW1", "reload-pending"): WRONG,
                            (A_TO_B, "jumbo-ping"): WRONG}
    assert "a reload is pending on SW1" in report.pair("HV01", "HV02")[-1].found
    assert report.switch("SW1")[2].found == "pending: 9000 configured, 1500 live"


def test_a_host_without_a_computer_account_misses_every_delegation_and_its_peer_every_spn() -> None:
    readings = ready()
    assert readings.accounts is not None
    report = evaluate(plan(), replace(readings, accounts={**readings.accounts, "hv01": None}))
    kcd = ["kcd-migration-fqdn", "kcd-migration-netbios", "kcd-cifs-fqdn", "kcd-cifs-netbios"]
    assert gaps(report) == {**{(A_TO_B, r): MISSING for r in kcd}, (B_TO_A, "spn"): MISSING}
    assert report.pair("HV01", "HV02")[2].found == "no computer account HV01$"


def test_credssp_has_no_delegation_spn_or_protocol_transition_requirement() -> None:
    readings = ready()
    credssp = replace(readings, accounts=None, hosts={n: replace(h, migration=replace(h.migration,
                                                                                      authentication="CredSSP"))
                                                      for n, h in readings.hosts.items()})
    report = evaluate(plan("CredSSP"), credssp)
    assert report.gaps() == []
    assert [f.requirement for f in report.pair("HV02", "HV01")] == ["hosts-name", "hosts-fqdn", "jumbo-ping"]
    assert "protocol-transition" not in [f.requirement for f in report.host("HV02")]


def test_an_unreachable_host_has_no_findings_and_its_pairs_keep_what_others_can_tell() -> None:
    readings = ready()
    down = replace(readings, hosts={"HV02": readings.hosts["HV02"]}, pings={"HV02": readings.pings["HV02"]},
                   unreachable=[Unreachable("HV01", "HV01: host.facts: connection refused")])
    report = evaluate(plan(), down)
    assert report.host("HV01") == [] and report.unreachable == down.unreachable
    assert [f.requirement for f in report.pair("HV01", "HV02")] == [r.id for r in PAIR_REQUIREMENTS[2:7]]
    assert [f.requirement for f in report.pair("HV02", "HV01")] == [r.id for r in PAIR_REQUIREMENTS]


def test_pair_gaps_name_every_cause_of_a_failed_move_and_only_those() -> None:
    change = on_switch(operational_mtu=1500, pending_reload=True)
    readings = without_delegation("HV01", "cifs/HV02")(on_host("HV02", listeners=[])(change(ready())))
    report = evaluate(plan(), readings)
    causes = {(g.subject, g.requirement) for g in report.pair_gaps("hv01", "HV02")}
    assert causes == {("HV02", "listener"), (A_TO_B, "kcd-cifs-netbios"), ("SW1", "operational-mtu"),
                      ("SW1", "reload-pending")}
    assert (A_TO_B, "kcd-cifs-netbios") not in {(g.subject, g.requirement) for g in report.pair_gaps("HV02", "HV01")}
    with pytest.raises(KeyError, match="HV03 is not in the audited site"):
        report.host("HV03")


def test_the_json_has_every_finding_with_status_found_and_expected() -> None:
    report = evaluate(plan(), on_adapter("HV01", jumbo_packet=1514)(ready()))
    document = report.to_json()
    assert document["gaps"] == 1 and document["unreachable"] == []
    assert [h["name"] for h in document["hosts"]] == ["HV01", "HV02"]
    assert {"requirement": "jumbo-packet", "status": WRONG, "found": "1514", "expected": "9014"} in \
        document["hosts"][0]["findings"]
    assert [(p["source"], p["destination"]) for p in document["pairs"]] == [("HV01", "HV02"), ("HV02", "HV01")]
    assert document["switches"][0]["findings"][0] == {"requirement": "configured-mtu", "status": OK, "found": "9000",
                                                      "expected": "9000"}
