"""Output texts of the simulated switch's show commands (see docs/lab.md for unverified lines)."""

from __future__ import annotations

from .model import PLATFORMS, Config, Switch


def show_version(switch: Switch) -> str:
    """`show version`, shortened to the lines tools parse."""
    p = PLATFORMS[switch.platform]
    return "\n".join([
        f"Cisco IOS Software, {p.software}",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
        "",
        f"{switch.running.hostname} uptime is 2 weeks, 3 days, 4 hours, 5 minutes",
        "System returned to ROM by reload" if switch.reload_count else "System returned to ROM by power-on",
        "",
        f"Model number                    : {p.model}",
        "Configuration register is 0xF",
    ])


def running_config(switch: Switch, config: Config, heading: str) -> str:
    """`show running-config` / `show startup-config` (the startup one starts with "Using N out of ...")."""
    lines = ["!", "version 12.2" if switch.platform == "c3560g" else "version 17.9"]
    lines += [line for line in config.other_lines if not line.startswith(("vlan", " name"))]
    lines += ["!", f"hostname {config.hostname}", "!"]
    if switch.platform == "c3560g":
        lines.append("system mtu routing 1500")
    elif config.system_mtu:
        lines.append(f"system mtu {config.system_mtu}")
    lines += [line for line in config.other_lines if line.startswith(("vlan", " name"))] + ["!"]
    for name, iface in config.interfaces.items():
        lines.append(f"interface {name}")
        if iface.description:
            lines.append(f" description {iface.description}")
        if iface.shutdown:
            lines.append(" shutdown")
        lines.append("!")
    lines += ["line vty 0 4", " login local", " transport input ssh", "!", "end"]
    body = "\n".join(lines)
    if heading == "Using":
        return f"Using {len(body)} out of 524288 bytes\n{body}"
    return f"Building configuration...\n\nCurrent configuration : {len(body)} bytes\n{body}"


def show_system_mtu(switch: Switch) -> str:
    """`show system mtu`: classic IOS shows the jumbo value and, pending a reload, the next one."""
    if switch.platform == "c9300":
        return f"\nGlobal Ethernet MTU is {switch.mtu_operational} bytes."
    lines = ["", f"System MTU size is {switch.system_mtu_operational} bytes",
             f"System Jumbo MTU size is {switch.jumbo_operational} bytes", "Routing MTU size is 1500 bytes"]
    if switch.system_mtu_next_reload != switch.system_mtu_operational:
        lines.append(f"On next reload, System MTU size will be {switch.system_mtu_next_reload} bytes")
    if switch.jumbo_next_reload != switch.jumbo_operational:
        lines.append(f"On next reload, System Jumbo MTU size will be {switch.jumbo_next_reload} bytes")
    return "\n".join(lines)


def show_interface(switch: Switch, name: str) -> str:
    """`show interfaces X`: status line, hardware, MTU (the operational one)."""
    iface = switch.running.interfaces[name]
    index = list(switch.running.interfaces).index(name) + 1
    mac = f"001a.2b3c.{index:04x}"
    state = ("administratively down, line protocol is down (disabled)" if iface.shutdown
             else "up, line protocol is up (connected)")
    lines = [f"{name} is {state}", f"  Hardware is Gigabit Ethernet, address is {mac} (bia {mac})"]
    if iface.description:
        lines.append(f"  Description: {iface.description}")
    if switch.platform == "c3560g":  # 12.2-era: "Kbit," and a trailing space (a captured Catalyst jumbo port)
        lines.append(f"  MTU {switch.port_mtu} bytes, BW 1000000 Kbit, DLY 10 usec, ")
    else:
        lines.append(f"  MTU {switch.port_mtu} bytes, BW 1000000 Kbit/sec, DLY 10 usec,")
    lines += ["     reliability 255/255, txload 1/255, rxload 1/255", "  Encapsulation ARPA, loopback not set"]
    return "\n".join(lines)
