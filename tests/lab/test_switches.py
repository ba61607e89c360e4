"""The lab's simulated Catalyst switches, driven only by netmiko's unmodified cisco_ios driver."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import (
    ConfigInvalidException,
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadTimeout,
)
from paramiko.ssh_exception import SSHException

from lmlab.testing import RunningLab

pytestmark = pytest.mark.lab
ERRORS = r"% (Invalid input|Incomplete command|Ambiguous command)"


def connect(lab: RunningLab, name: str, known_hosts: str | None = None, **extra: Any) -> Any:
    info = lab.endpoints["switches"][name]
    creds = lab.dir.secrets()["switch"]
    return ConnectHandler(device_type="cisco_ios", host=info["host"], port=info["port"], username=creds["username"],
                          password=creds["password"], secret=creds["enable_secret"], ssh_strict=True,
                          system_host_keys=False, alt_host_keys=True,
                          alt_key_file=known_hosts or lab.endpoints["known_hosts"], **extra)


def reconnect_after_reload(lab: RunningLab, name: str) -> Any:
    """What a client does after `reload`: retry until the box answers again (bounded)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return connect(lab, name, conn_timeout=2)
        except (NetmikoTimeoutException, SSHException, OSError, EOFError):  # refused, or closed during the handshake
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def reload(conn: Any, save_answer: str | None) -> None:
    """Reload and confirm, then wait until the switch closes the session (end of file on the channel) and
    close our end of the socket: netmiko's disconnect() would try to log out of the dead session (~10 s)."""
    output = conn.send_command("reload", expect_string=r"\[yes/no\]|\[confirm\]")
    if save_answer is not None:
        assert "System configuration has been modified. Save? [yes/no]:" in output
        output = conn.send_command(save_answer, expect_string=r"\[confirm\]")
    assert "Proceed with reload? [confirm]" in output
    conn.write_channel("\n")
    conn.remote_conn.settimeout(10)
    try:
        while conn.remote_conn.recv(4096):
            pass
    except EOFError:  # paramiko's transport saw the TCP close before the channel's EOF
        pass
    conn.paramiko_cleanup()


FAST_RELOAD = "reload_seconds=0.3"


def test_connect_enable_and_host_key_verification(lab: RunningLab, tmp_path: Path) -> None:
    conn = connect(lab, "KOM-SW01")
    conn.enable()
    assert conn.find_prompt() == "KOM-SW01#"
    assert "WS-C3560G-24TS-S" in conn.send_command("show version")
    conn.disconnect()
    other = Path(lab.endpoints["known_hosts"]).read_text().splitlines()
    port = lab.endpoints["switches"]["KOM-SW01"]["port"]
    c9300_key = next(line for line in other if f":{port} " not in line).split(" ", 1)[1]
    wrong = tmp_path / "known_hosts"
    wrong.write_text(f"[127.0.0.1]:{port} {c9300_key}\n")
    with pytest.raises(SSHException):
        connect(lab, "KOM-SW01", known_hosts=str(wrong))


def test_bad_commands_get_ios_error_texts(lab: RunningLab) -> None:
    conn = connect(lab, "KOM-SW01")
    conn.enable()
    bad = conn.send_command("show foo")
    assert bad.splitlines() == [" " * len("KOM-SW01#show ") + "^", "% Invalid input detected at '^' marker."]
    assert conn.send_command("show system") == "% Incomplete command."
    with pytest.raises(ConfigInvalidException):
        conn.send_config_set(["interface gi0/1", "mtu 9000"], error_pattern=ERRORS)  # no per-port MTU on 3560
    conn.disconnect()


def test_c3560g_jumbo_mtu_needs_a_reload(clean_lab: RunningLab) -> None:
    clean_lab.cli("drift", "KOM-SW01", FAST_RELOAD)
    conn = connect(clean_lab, "KOM-SW01")
    conn.enable()
    conn.send_config_set(["system mtu jumbo 9000", "int gi0/1", "description KOM-AD01-VM01 LM"], error_pattern=ERRORS)
    mtu = conn.send_command("show system mtu")
    assert "System Jumbo MTU size is 1500 bytes" in mtu
    assert "On next reload, System Jumbo MTU size will be 9000 bytes" in mtu
    assert "MTU 1500 bytes" in conn.send_command("show interfaces GigabitEthernet0/1")
    assert "system mtu jumbo" not in conn.send_command("show running-config")
    reload(conn, save_answer="yes")
    back = reconnect_after_reload(clean_lab, "KOM-SW01")
    back.enable()
    mtu = back.send_command("sh system mtu")
    assert "System Jumbo MTU size is 9000 bytes" in mtu and "On next reload" not in mtu
    assert "MTU 9000 bytes" in back.send_command("show interfaces gi0/1")
    assert "description KOM-AD01-VM01 LM" in back.send_command("sh run")  # saved before reload
    back.disconnect()
    assert clean_lab.control.call("GET", "/devices/KOM-SW01")["reload_count"] == 1


def test_c3560g_system_mtu_sets_the_10_100_mtu_after_a_reload(clean_lab: RunningLab) -> None:
    clean_lab.cli("drift", "KOM-SW01", FAST_RELOAD)
    conn = connect(clean_lab, "KOM-SW01")
    conn.enable()
    output = conn.send_config_set(["system mtu 1998"], error_pattern=ERRORS)
    assert "Changes to the system MTU will not take effect until the next reload is done." in output
    with pytest.raises(ConfigInvalidException):
        conn.send_config_set(["system mtu 1999"], error_pattern=ERRORS)  # 10/100 range: 1500-1998
    conn.exit_config_mode()  # netmiko raised while still in config mode
    mtu = conn.send_command("show system mtu")
    assert "System MTU size is 1500 bytes" in mtu and "On next reload, System MTU size will be 1998 bytes" in mtu
    assert "system mtu 1998" not in conn.send_command("show running-config")
    conn.send_command("write memory")
    assert "system mtu 1998" not in conn.send_command("show startup-config")  # NVRAM, not the config file
    reload(conn, save_answer=None)
    back = reconnect_after_reload(clean_lab, "KOM-SW01")
    mtu = back.send_command("show system mtu")
    assert "System MTU size is 1998 bytes" in mtu and "System Jumbo MTU size is 1500 bytes" in mtu
    assert "On next reload" not in mtu
    back.disconnect()


def test_switch_commands_are_counted_by_op_and_whether_they_changed_it(clean_lab: RunningLab) -> None:
    conn = connect(clean_lab, "LAB-C9300")
    conn.enable()
    clean_lab.control.call("POST", "/calls/reset", {})
    conn.send_command("sh sys mtu")
    conn.send_command("show system mtu")
    conn.send_config_set(["system mtu 9198", "int gi1/0/1", "desc LM"], error_pattern=ERRORS)
    conn.send_command("show bogus")
    conn.disconnect()
    calls = clean_lab.control.call("GET", "/devices/LAB-C9300/calls")
    assert calls["show system mtu"] == {"read": 2, "changing": 0}
    assert calls["configure terminal"] == {"read": 1, "changing": 0}
    assert calls["system mtu"] == {"read": 0, "changing": 1}
    assert calls["description"] == {"read": 0, "changing": 1}
    assert "show" not in calls and "show bogus" not in calls  # rejected input is not an op


def test_c9300_system_mtu_is_lost_on_reload_unless_written(clean_lab: RunningLab) -> None:
    clean_lab.cli("drift", "LAB-C9300", FAST_RELOAD)
    conn = connect(clean_lab, "LAB-C9300")
    conn.enable()
    conn.send_config_set(["system mtu 9198"], error_pattern=ERRORS)
    assert conn.send_command("show system mtu").strip() == "Global Ethernet MTU is 9198 bytes."
    assert "system mtu 9198" in conn.send_command("show running-config")
    assert "system mtu 9198" not in conn.send_command("show startup-config")
    reload(conn, save_answer="no")
    conn = reconnect_after_reload(clean_lab, "LAB-C9300")
    conn.enable()
    assert conn.send_command("show system mtu").strip() == "Global Ethernet MTU is 1500 bytes."
    conn.send_config_set(["system mtu 9198"], error_pattern=ERRORS)
    output = conn.send_command("copy running-config startup-config", expect_string=r"\?")
    assert "Destination filename [startup-config]?" in output
    assert "[OK]" in conn.send_command("\n", expect_string=r"#")
    reload(conn, save_answer=None)
    conn = reconnect_after_reload(clean_lab, "LAB-C9300")
    assert "Global Ethernet MTU is 9198 bytes." in conn.send_command("show system mtu")
    conn.disconnect()


def test_logins_are_refused_while_reloading(clean_lab: RunningLab) -> None:
    clean_lab.cli("drift", "KOM-SW01", "reload_seconds=30")
    conn = connect(clean_lab, "KOM-SW01")
    conn.enable()
    reload(conn, save_answer=None)
    with pytest.raises((NetmikoTimeoutException, EOFError)):  # refused, or closed during the handshake
        connect(clean_lab, "KOM-SW01", conn_timeout=2)


def test_fault_knobs_refuse_login_and_drop_sessions(clean_lab: RunningLab) -> None:
    clean_lab.control.call("POST", "/devices/KOM-SW01/knobs", {"fault": "refuse-login", "fault_on_call": 1})
    with pytest.raises(NetmikoAuthenticationException):
        connect(clean_lab, "KOM-SW01")
    connect(clean_lab, "KOM-SW01").disconnect()  # only the first login was refused
    conn = connect(clean_lab, "KOM-SW01")
    clean_lab.control.call("POST", "/devices/KOM-SW01/knobs", {"fault": "drop", "fault_on_call": 1})
    with pytest.raises((ReadTimeout, OSError)):  # netmiko's view of a session cut mid-command
        conn.send_command("show system mtu", read_timeout=2)


def test_switch_state_survives_down_up_and_drift_is_visible(clean_lab: RunningLab) -> None:
    clean_lab.cli("drift", "KOM-SW01", "running.interfaces.GigabitEthernet0/2.description=changed by hand")
    clean_lab.down()
    clean_lab.up()
    conn = connect(clean_lab, "KOM-SW01")
    conn.enable()
    assert "description changed by hand" in conn.send_command("show running-config")
    conn.disconnect()
