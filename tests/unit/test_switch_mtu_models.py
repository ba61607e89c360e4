"""SwitchJumboMtu's pure parts: input checks, diff with a pending reload, apply plans, IOS texts, settings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from lm_provider.clients.switch import parse_config_mtu, parse_interface_mtu, parse_system_mtu, parse_version
from lm_provider.errors import ConfigurationError
from lm_provider.models.inputs import UNKNOWN
from lm_provider.models.switch import (
    MtuReading,
    SwitchJumboMtuArgs,
    check_switch_mtu,
    diff_switch_mtu,
    plan_apply,
    state_of,
)
from lm_provider.models.switch_settings import SwitchConfig, SwitchSettings
from lm_provider.transports.ios import refusal


def failures(inputs: dict[str, Any]) -> list[str]:
    checked = check_switch_mtu(inputs)
    assert checked.args is None
    return [str(f) for f in checked.failures]


@pytest.mark.parametrize("inputs,expected", [
    ({"switch": "KOM-SW01", "mtu": 9198, "platform": "classic"},
     ["mtu: 9198 is out of range for classic; allowed 1500-9000 bytes (`system mtu jumbo` on classic IOS, "
      "Catalyst 3560/3750)"]),
    ({"switch": "KOM-SW01", "mtu": 9216}, ["mtu: 9216 is out of range 1500..9198"]),
    ({"switch": "KOM-SW01", "mtu": 9000.5}, ["mtu: must be a whole number, got 9000.5"]),
    ({"switch": "KOM-SW01\nreload", "mtu": 9000}, ["switch: 'KOM-SW01\\nreload' is not a switch name (letters, "
                                                   "digits, '-' and '.')"]),
    ({"switch": "SW", "mtu": 9000, "interfaces": ["Gi1/0/1\nend", "Gi 1/0/1", "GigabitEthernet1/0/1; reload"]},
     [f"interfaces[{i}]: {v!r} is not an interface name (an interface type and its numbers, no spaces: "
      "GigabitEthernet1/0/1, Te1/1/1, Port-channel1)" for i, v in
      enumerate(["Gi1/0/1\nend", "Gi 1/0/1", "GigabitEthernet1/0/1; reload"])]),
    ({"switch": "SW", "mtu": 9000, "interfaces": ["Gi1/0/1", "gi1/0/1"]}, ["interfaces: lists an interface twice"]),
    ({"switch": "SW", "mtu": 9000, "reload": "always", "platform": "nexus"},
     ["platform: 'nexus' is not one of classic, ios-xe", "reload: 'always' is not one of never, if-needed"]),
    ({"mtu": 9000, "vlan": 35}, ["vlan: unknown property; properties: switch, mtu, platform, reload, interfaces",
                                "switch: is required"]),
])
def test_bad_inputs_are_refused_with_the_property_and_what_is_allowed(inputs: dict[str, Any],
                                                                      expected: list[str]) -> None:
    assert failures(inputs) == expected


def test_good_inputs_become_typed_args_and_unknowns_leave_them_incomplete() -> None:
    checked = check_switch_mtu({"switch": "LAB-C9300", "mtu": 9198.0, "platform": "IOS-XE",
                                "interfaces": ["GigabitEthernet1/0/1", "Port-channel1", "Te1/1/1.35"]})
    assert checked.args == SwitchJumboMtuArgs("LAB-C9300", 9198, "ios-xe", "never",
                                              ["GigabitEthernet1/0/1", "Port-channel1", "Te1/1/1.35"])
    preview = check_switch_mtu({"switch": "SW", "mtu": UNKNOWN, "platform": "classic"})
    assert preview.args is None and preview.failures == []


CLASSIC = MtuReading("classic", "WS-C3560G-24TS-S", configured=1500, operational=1500, saved=1500)
XE = MtuReading("ios-xe", "C9300-48T", configured=1500, operational=1500, saved=1500)


@pytest.mark.parametrize("reading,mtu,reload,expected", [
    (CLASSIC, 9000, "never", (True, False, False)),
    (CLASSIC, 9000, "if-needed", (True, False, True)),
    (replace(CLASSIC, configured=9000, saved=9000), 9000, "never", (False, False, False)),  # pending: left
    (replace(CLASSIC, configured=9000, saved=9000), 9000, "if-needed", (False, False, True)),
    (replace(CLASSIC, configured=9000, operational=9000, saved=9000), 9000, "if-needed", (False, False, False)),
    (XE, 9198, "if-needed", (True, True, False)),  # live at once: no reload
    (replace(XE, configured=9198, operational=9198), 9198, "never", (False, True, False)),  # unsaved: save only
    (replace(XE, configured=9198, operational=9198, saved=9198), 9198, "if-needed", (False, False, False)),
])
def test_apply_plans_configure_save_and_reload_only_when_needed_and_allowed(
        reading: MtuReading, mtu: int, reload: str, expected: tuple[bool, bool, bool]) -> None:
    actions = plan_apply(reading, mtu, reload)
    assert (actions.configure, actions.save, actions.reload) == expected


def pending_state(reload: str = "never") -> Any:
    args = SwitchJumboMtuArgs("KOM-SW01", 9000, reload=reload)
    return state_of(args, replace(CLASSIC, configured=9000, saved=9000), found_mtu=1500)


def test_a_pending_reload_is_no_change_under_never_but_says_so() -> None:
    state = pending_state()
    assert state.pending_reload and state.warnings == [
        "KOM-SW01: a reload is pending: the system MTU is set to 9000 bytes but the switch runs 1500 until it "
        "reloads (reload: never)"]
    plan = diff_switch_mtu(state, SwitchJumboMtuArgs("KOM-SW01", 9000))
    assert not plan.has_changes
    assert plan.notes == ["KOM-SW01: a reload is pending: system MTU 9000 takes effect when the switch reloads "
                          "(it runs 1500); reload: never leaves it pending"]


def test_a_pending_reload_is_a_change_once_a_reload_is_allowed_and_back() -> None:
    assert diff_switch_mtu(pending_state(), SwitchJumboMtuArgs("KOM-SW01", 9000, reload="if-needed")).changes == [
        "reload"]
    assert diff_switch_mtu(pending_state("if-needed"), SwitchJumboMtuArgs("KOM-SW01", 9000, reload="if-needed")
                           ).changes == ["reload"]
    back = diff_switch_mtu(pending_state("if-needed"), SwitchJumboMtuArgs("KOM-SW01", 9000))
    assert back.changes == ["reload"] and back.notes  # recorded so that destroy follows the new rule


def test_drift_unsaved_config_another_switch_and_report_only_inputs() -> None:
    args = SwitchJumboMtuArgs("LAB-C9300", 9198)
    live = state_of(args, replace(XE, configured=9198, operational=9198, saved=9198), found_mtu=1500)
    assert not diff_switch_mtu(live, args).has_changes
    unsaved = state_of(args, replace(XE, configured=9198, operational=9198), found_mtu=1500)
    assert diff_switch_mtu(unsaved, args).changes == ["mtu"]
    assert unsaved.warnings == ["LAB-C9300: the running-config has system mtu 9198 but the startup-config has 1500: "
                                "a reload would bring 1500 back"]
    drifted = state_of(args, XE, found_mtu=1500)
    assert diff_switch_mtu(drifted, args).changes == ["mtu"]
    assert diff_switch_mtu(live, replace(args, interfaces=["Gi1/0/1"])).changes == ["interfaces"]
    moved = diff_switch_mtu(live, replace(args, switch="OTHER-SW"))
    assert moved.replaces == ["switch"]


def test_interfaces_not_running_the_system_mtu_are_warned_about() -> None:
    reading = replace(XE, configured=9198, operational=9198, saved=9198,
                      interfaces={"GigabitEthernet1/0/1": 9198, "Port-channel1": 1500})
    state = state_of(SwitchJumboMtuArgs("LAB-C9300", 9198), reading, found_mtu=1500)
    assert state.warnings == ["LAB-C9300: Port-channel1 runs MTU 1500 bytes, not the system's 9198"]


CLASSIC_VERSION = """Cisco IOS Software, C3560 Software (C3560-IPBASEK9-M), Version 12.2(55)SE12, RELEASE SOFTWARE (fc2)
Model number                    : WS-C3560G-24TS-S
"""
XE_VERSION = """Cisco IOS XE Software, Version 17.09.04a
Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)
Model Number                       : C9300-48T
"""


def test_show_version_tells_the_platform_and_model() -> None:
    assert (parse_version(CLASSIC_VERSION).platform, parse_version(CLASSIC_VERSION).model) == (
        "classic", "WS-C3560G-24TS-S")
    assert (parse_version(XE_VERSION).platform, parse_version(XE_VERSION).model) == ("ios-xe", "C9300-48T")
    nexus = parse_version("Cisco Nexus Operating System (NX-OS) Software\nModel number : N9K-C93180YC-EX\n")
    assert nexus.platform is None and nexus.model == "N9K-C93180YC-EX"


def test_show_system_mtu_with_and_without_a_next_reload_line() -> None:
    shown = ("\nSystem MTU size is 1500 bytes\nSystem Jumbo MTU size is 1500 bytes\nRouting MTU size is 1500 bytes\n"
             "On next reload, System Jumbo MTU size will be 9000 bytes")
    assert parse_system_mtu("classic", shown) == parse_system_mtu("classic", shown.replace(
        "System Jumbo MTU size will be", "Jumbo MTU will be"))
    values = parse_system_mtu("classic", shown)
    assert values is not None and (values.operational, values.next_reload) == (1500, 9000)
    plain = parse_system_mtu("classic", shown.rsplit("\n", 1)[0])
    assert plain is not None and plain.next_reload is None
    xe = parse_system_mtu("ios-xe", "\nGlobal Ethernet MTU is 9198 bytes.")
    assert xe is not None and xe.operational == 9198
    assert parse_system_mtu("ios-xe", shown) is None


def test_config_and_interface_texts() -> None:
    assert parse_config_mtu("!\nhostname SW\n!\nsystem mtu 9198\nvlan 35\n") == 9198
    assert parse_config_mtu("!\nsystem mtu routing 1500\n!\n") == 1500  # default: no line
    assert parse_interface_mtu("Gi0/1 is up\n  MTU 9000 bytes, BW 1000000 Kbit, DLY 10 usec, \n") == 9000
    assert parse_interface_mtu("% Invalid input") is None


def config(values: dict[str, str]) -> SwitchConfig:
    return SwitchConfig.from_config(values.get)


BASE = {"switchUsername": "netadmin", "switchPassword": "pw-Secret-1", "switchKnownHosts": "/etc/lm/known_hosts"}


def test_settings_come_from_defaults_overridden_per_switch() -> None:
    cfg = config({**BASE, "switchEnableSecret": "en-Secret-2", "switchCommandTimeout": "5", "switches": (
        '{"KOM-SW01": {"host": "10.0.0.2", "port": 2222, "hostKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==",'
        ' "password": "sw01-Secret-3", "reloadTimeout": 60}}')})
    sw01 = cfg.for_switch("kom-sw01")
    assert (sw01.host, sw01.port, sw01.username, sw01.password, sw01.enable_secret) == (
        "10.0.0.2", 2222, "netadmin", "sw01-Secret-3", "en-Secret-2")
    assert (sw01.host_key, sw01.command_timeout, sw01.reload_timeout, sw01.connect_timeout) == (
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==", 5.0, 60.0, 10.0)
    other = cfg.for_switch("core-sw.corp.com")
    assert (other.host, other.port, other.password, other.known_hosts) == (
        "core-sw.corp.com", 22, "pw-Secret-1", "/etc/lm/known_hosts")
    assert "Secret" not in repr(sw01) + repr(cfg)


@pytest.mark.parametrize("values,message", [
    ({"switchPort": "70000"}, "lm:switchPort: '70000' is not a TCP port (1-65535)"),
    ({"switchCommandTimeout": "soon"}, "lm:switchCommandTimeout: 'soon' is not a number of seconds in 0..3600"),
    ({"switchHostKeyVerify": "maybe"}, "lm:switchHostKeyVerify: 'maybe' is not true or false"),
    ({"switches": "{"}, "lm:switches: not JSON"),
    ({"switches": '{"SW": {"hostname": "x"}}'}, "lm:switches.SW.hostname: unknown setting; allowed: host, port"),
    ({"switches": '{"SW": {"hostKey": "ssh-dss AAAA"}}'}, "lm:switches.SW.hostKey: is not a host key"),
    ({"switches": '{"SW": {"host": "bad host"}}'}, "lm:switches.SW.host: 'bad host' is not a host name"),
])
def test_bad_settings_are_refused_naming_the_key(values: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        config({**BASE, **values}).for_switch("SW")
    assert str(caught.value).startswith(message)
    assert "pw-Secret-1" not in str(caught.value)


def test_missing_credentials_or_host_keys_are_named_when_a_switch_is_used() -> None:
    with pytest.raises(ConfigurationError, match="no SSH credentials for switch SW: set lm:switchUsername"):
        config({}).for_switch("SW")
    with pytest.raises(ConfigurationError, match="no host key for switch SW: set lm:switchKnownHosts"):
        config({"switchUsername": "u", "switchPassword": "p"}).for_switch("SW")
    unverified = config({"switchUsername": "u", "switchPassword": "p", "switchHostKeyVerify": "false"})
    assert unverified.for_switch("SW") == SwitchSettings("SW", "SW", "u", "p", verify_host_key=False)


def test_a_refusal_is_a_short_percent_answer_not_a_percent_line_in_a_configuration() -> None:
    assert refusal("       ^\n% Invalid input detected at '^' marker.") == "% Invalid input detected at '^' marker."
    assert refusal('Translating "ls"\n% Unknown command or computer name, or unable to find computer address') == (
        "% Unknown command or computer name, or unable to find computer address")
    config = "!\nhostname SW\nbanner motd ^C\n% Invalid access is prosecuted\n^C\nsystem mtu 9198\nend"
    assert refusal(config) is None and refusal("Global Ethernet MTU is 1500 bytes.") is None
