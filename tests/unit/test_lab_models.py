"""Pure parts of the lab: site files, host model, drift paths, command lines, IOS parsing."""

from __future__ import annotations

import base64
from pathlib import Path
from types import SimpleNamespace

import pytest

from lmlab import drift
from lmlab.ad import AdUnavailable, SambaDC, check_available
from lmlab.hosts.cmdline import CMD_LINE_LIMIT, interpret
from lmlab.hosts.model import Host, MigrationNetwork
from lmlab.hosts.ops import parse_script
from lmlab.knobs import HOST_FAULTS, FaultPlan, Knobs
from lmlab.passwords import new_secrets
from lmlab.server import LabServer
from lmlab.site import dump_site, generated_site, load_site, reference_site
from lmlab.switches.ios import INCOMPLETE, INVALID, IosSession, interface_name
from lmlab.switches.model import Switch


def test_reference_site_matches_the_field_guide() -> None:
    site = reference_site()
    assert [h.name for h in site.hosts] == ["KOM-AD01-VM01", "KOM-AD01-VM02"]
    assert [(s.name, s.platform) for s in site.switches] == [("KOM-SW01", "c3560g")]
    host = site.initial_host(0)
    gateways = [a.name for a in host.adapters if a.routes]
    assert gateways == ["Ethernet 3"]  # only the management port has a default gateway
    assert load_site(dump_site(site)) == site


@pytest.mark.parametrize("text,message", [
    ("hosts: [{name: 'bad name!'}]", "not a valid computer name"),
    ("hosts: [{name: A, os: 2008}]", "unknown os '2008'"),
    ("hosts: [{name: A}, {name: a}]", "must be unique"),
    ("hosts: [{name: A}]\nswitches: [{name: S, platform: nexus}]", "platform must be one of"),
    ("hosts: [{name: A}]\nfoo: 1", "unknown key(s) foo"),
])
def test_bad_site_files_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_site(text)


def test_generated_site_cables_every_lm_port_once() -> None:
    site = generated_site(64)
    assert len(site.hosts) == 64
    ports = {(c.switch, c.port) for c in site.cabling}
    assert len(ports) == len(site.cabling) == 128


def test_listeners_only_inside_migration_networks_and_only_when_enabled() -> None:
    host = reference_site().initial_host(0)
    host.adapters[1].ipv4_addresses[0].ip_address = "10.160.35.60"
    host.adapters[1].ipv4_addresses[0].prefix_length = 24
    host.migration.networks = [MigrationNetwork("10.160.35.0/24", 0)]
    assert host.expected_listeners() == []
    host.migration.enabled = True
    assert host.expected_listeners() == ["10.160.35.60"]
    host.migration.use_any_network = True
    assert len(host.expected_listeners()) == 3  # every address the host has
    assert Host.from_dict(host.to_dict()) == host


def test_drift_paths_walk_names_and_indexes() -> None:
    model = reference_site().initial_host(0).to_dict()
    changed = drift.apply(model, ["adapters.ethernet 2.ipv4_addresses.0.ip_address=10.160.35.9",
                                  "migration.enabled=true"])
    assert changed["adapters"][1]["ipv4_addresses"][0]["ip_address"] == "10.160.35.9"
    assert changed["migration"]["enabled"] is True
    assert model["migration"]["enabled"] is False  # the original is untouched
    with pytest.raises(ValueError, match="no field 'nope'"):
        drift.apply(model, ["migration.nope=1"])


def test_command_lines_follow_cmd_exe_and_powershell_rules() -> None:
    script = "# lm-provider-op: host.facts\n"
    encoded = base64.b64encode(script.encode("utf-16-le")).decode()
    assert interpret(f"powershell -encodedcommand {encoded}", "H").script == script
    assert interpret(f"PowerShell.exe -NoProfile -ExecutionPolicy Bypass -enc {encoded}", "H").script == script
    assert interpret("powershell -Command -", "H").script_from_stdin
    too_long = interpret("powershell -encodedcommand " + "A" * CMD_LINE_LIMIT, "H").result
    assert too_long is not None and too_long.stderr == b"The command line is too long.\r\n"
    bad = interpret("powershell -encodedcommand !!!", "H").result
    assert bad is not None and b"not properly encoded" in bad.stderr


def test_op_marker_and_parameters_are_found_anywhere_in_the_script() -> None:
    parsed = parse_script("Set-StrictMode -Version 2\r\n# lm-provider-op: diag.echo\r\n"
                          "$LmParams = @'\r\n{\"text\": \"a\"}\r\n'@\r\n")
    assert (parsed.op, parsed.params) == ("diag.echo", {"text": "a"})
    assert parse_script("Get-Date").op is None


def ios(platform: str = "c3560g") -> IosSession:
    session = IosSession(Switch.new("SW", platform), "secret", lambda: None)
    session.feed("enable")
    session.feed("secret")
    return session


def test_ios_abbreviations_modes_and_errors() -> None:
    session = ios()
    assert session.prompt == "SW#"
    assert session.feed("conf t").startswith("Enter configuration commands")
    assert session.prompt == "SW(config)#"
    session.feed("int gi0/3")
    assert session.prompt == "SW(config-if)#"
    session.feed("desc uplink to core")
    session.feed("end")
    assert "description uplink to core" in session.feed("sh run")
    assert session.feed("show system") == INCOMPLETE
    assert session.feed("show bogus").endswith(INVALID)
    assert interface_name(["Gi", "1/0/48"]) == "GigabitEthernet1/0/48"


def test_ios_enable_with_a_wrong_secret_is_denied() -> None:
    session = IosSession(Switch.new("SW", "c9300"), "secret", lambda: None)
    session.feed("enable")
    assert not session.echo  # the secret is not echoed
    assert session.feed("wrong") == "% Access denied"
    assert session.prompt == "SW>"


def test_ios_mtu_ranges_per_platform() -> None:
    classic, xe = ios("c3560g"), ios("c9300")
    classic.feed("configure terminal")
    xe.feed("configure terminal")
    assert "Invalid input" in classic.feed("system mtu jumbo 9198")  # 3560G tops out at 9000
    assert "next reload" in classic.feed("system mtu jumbo 9000")
    assert xe.feed("system mtu 9198").startswith("Global Ethernet MTU is set to 9198 bytes.")  # IOS-XE says so
    assert xe.switch.mtu_operational == 9198 and xe.switch.modified


def test_fault_plans_repeat_for_a_seed_and_fire_once_on_the_nth_call() -> None:
    rate = Knobs(fault="http500", fault_rate=0.5, seed=7)
    plan_a, plan_b = FaultPlan(rate), FaultPlan(rate)
    fired = [plan_a.next_fault() for _ in range(50)]
    assert fired == [plan_b.next_fault() for _ in range(50)]
    assert 10 < fired.count("http500") < 40
    nth = FaultPlan(Knobs(fault="drop", fault_on_call=3))
    assert [nth.next_fault() for _ in range(5)] == [None, None, "drop", None, None]
    with pytest.raises(ValueError, match="fault_rate must be between 0 and 1"):
        Knobs().updated({"fault_rate": 2}, HOST_FAULTS)


def test_ad_is_reported_unavailable_without_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    with pytest.raises(AdUnavailable, match="needs root"):
        check_available()


def test_ios_do_runs_exec_commands_from_config_mode() -> None:
    session = ios("c9300")
    session.feed("configure terminal")
    assert "Global Ethernet MTU is 1500 bytes." in session.feed("do show system mtu")
    assert session.prompt == "SW(config)#"


def test_the_dc_is_ready_only_once_its_ca_certificate_is_complete(tmp_path: Path) -> None:
    """Samba may open 636 before it has written the CA it generates on first start; clients built
    before that fail with ldap3's "invalid CA public key file"."""
    dc = SambaDC(tmp_path, "holding.com", "HOLDING", new_secrets()["ad"])
    assert not dc.ca_written()
    dc.ca_file.parent.mkdir(parents=True)
    dc.ca_file.write_text("-----BEGIN CERTIFICATE-----\nMIIB")
    assert not dc.ca_written()
    dc.ca_file.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    assert dc.ca_written()


def test_a_dc_that_fails_after_starting_is_stopped_not_orphaned(tmp_path: Path) -> None:
    """A failure while seeding (e.g. an ldap3 error) used to leave samba running with the ports taken."""
    events: list[str] = []

    class FailingDC:
        def provision(self) -> None:
            events.append("provision")

        def start(self, log_path: Path) -> None:
            events.append("start")

        def set_admin_password(self) -> None:
            events.append("password")

        def seed(self, seed: object) -> None:
            raise RuntimeError("seed failed")

        def stop(self) -> None:
            events.append("stop")

    lab = SimpleNamespace(dc=FailingDC(), labdir=SimpleNamespace(root=tmp_path), ad_seed=None)
    with pytest.raises(RuntimeError, match="seed failed"):
        LabServer._start_ad(lab)  # type: ignore[arg-type]
    assert events == ["provision", "start", "password", "stop"]
