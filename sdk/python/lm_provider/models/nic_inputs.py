"""Reading MigrationNic's raw inputs into :class:`~lm_provider.models.nic.MigrationNicArgs` (pure):
every failure at once, named by property, before any remote call."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

from .host_target import TARGET_KEYS, read_target
from .inputs import UNKNOWN, Checked, InputReader
from .nic import (
    AFTER_MANAGEMENT,
    JUMBO_RANGE,
    METRIC_RANGE,
    MIGRATION_PROFILE,
    NAME_MAX,
    NETBIOS_SETTINGS,
    SELECTORS,
    MigrationNicArgs,
)

_MAC = re.compile(r"^[0-9A-Fa-f]{2}([-:]?[0-9A-Fa-f]{2}){5}$")
_COMPONENT = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_QUOTES = "'\"`\u2018\u2019\u201c\u201d"


def mac_address(value: str) -> str | None:
    """A MAC address: six hex pairs, separated by ``-`` or ``:`` or not at all."""
    return None if _MAC.match(value) else f"{value!r} is not a MAC address (like 00-1A-4B-00-00-02)"


def normal_mac(value: str) -> str:
    """The MAC as Get-NetAdapter shows it: upper case, dash-separated."""
    digits = re.sub(r"[-:]", "", value).upper()
    return "-".join(digits[i:i + 2] for i in range(0, 12, 2))


def adapter_text(value: str) -> str | None:
    """An adapter name or description: no control characters or quotes, no outer spaces, at most 256."""
    if not value.strip():
        return "must not be empty"
    if re.search(r"[\x00-\x1f\x7f]", value):
        return "must not contain control characters"
    if any(q in value for q in _QUOTES):
        return "must not contain quotes"
    if value != value.strip():
        return "must not start or end with a space"
    if len(value) > NAME_MAX:
        return f"is longer than {NAME_MAX} characters"
    return None


def usable_address(address: str, prefix: int) -> str | None:
    """Why ``address``/``prefix`` cannot be a host's unicast address (None when it can)."""
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return f"{address!r} is not an IPv4 address"
    if ip.is_loopback or ip.is_multicast or ip.is_unspecified or ip.is_link_local or ip.is_reserved:
        return f"{address} is not a unicast host address (loopback, link-local, multicast or reserved)"
    network = ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)
    if prefix <= 30 and ip == network.network_address:
        return f"{address} is the network address of {network}"
    if prefix <= 30 and ip == network.broadcast_address:
        return f"{address} is the broadcast address of {network}"
    return None


def _bindings(reader: InputReader) -> Any:
    value = reader.value("bindings")
    if value is UNKNOWN:
        return UNKNOWN
    if value is None:
        return MIGRATION_PROFILE
    if isinstance(value, str):
        if value.lower() != MIGRATION_PROFILE:
            reader.fail("bindings", f"{value!r} is not a profile; use \"migration\" or a map ComponentID -> true/false")
        return MIGRATION_PROFILE
    if not isinstance(value, Mapping):
        reader.fail("bindings", "must be \"migration\" or a map ComponentID -> true/false")
        return MIGRATION_PROFILE
    if not value:
        reader.fail("bindings", "must not be empty")
    result: dict[str, bool] = {}
    for component, enabled in value.items():
        if not _COMPONENT.match(str(component)):
            reader.fail(f"bindings.{component}", "is not a ComponentID (letters, digits, underscore: ms_tcpip6)")
        elif enabled is UNKNOWN:
            reader.complete = False
        elif not isinstance(enabled, bool):
            reader.fail(f"bindings.{component}", f"must be true or false, got {enabled!r}")
        else:
            result[str(component).lower()] = enabled
    return result


def _metric(reader: InputReader) -> Any:
    value = reader.inputs.get("interface_metric")
    if isinstance(value, str):
        if value.lower() != AFTER_MANAGEMENT:
            reader.fail("interface_metric", f"{value!r} is neither a number {METRIC_RANGE[0]}..{METRIC_RANGE[1]} "
                                            f"nor \"{AFTER_MANAGEMENT}\"")
        return AFTER_MANAGEMENT
    if value is None:
        return AFTER_MANAGEMENT
    return reader.integer("interface_metric", minimum=METRIC_RANGE[0], maximum=METRIC_RANGE[1])


def _selector(reader: InputReader) -> tuple[Any, Any, Any]:
    name = reader.string("adapter_name", validator=adapter_text)
    mac = reader.string("mac_address", validator=mac_address)
    description = reader.string("interface_description", validator=adapter_text)
    given = [s for s, v in zip(SELECTORS, (name, mac, description), strict=True) if v is not None]
    if len(given) != 1 and UNKNOWN not in (name, mac, description):
        reader.fail("adapter_name", f"give exactly one of {', '.join(SELECTORS)} (got "
                                    f"{', '.join(given) if given else 'none'})")
    if isinstance(mac, str) and mac_address(mac) is None:
        mac = normal_mac(mac)
    return name, mac, description


def check_nic(inputs: Mapping[str, Any]) -> Checked[MigrationNicArgs]:
    """Validate raw inputs: every failure at once, named by property; no I/O."""
    keys = [*TARGET_KEYS, *SELECTORS, "new_name", "ip_address", "prefix_length", "bindings", "interface_metric",
            "forwarding", "jumbo_packet", "netbios", "retain_on_delete"]
    reader = InputReader(inputs, keys)
    target = read_target(reader)
    name, mac, description = _selector(reader)
    new_name = reader.string("new_name", validator=adapter_text)
    prefix = reader.integer("prefix_length", required=True, minimum=1, maximum=32)
    address = reader.string("ip_address", required=True)
    if isinstance(address, str):
        reason = usable_address(address, prefix if isinstance(prefix, int) and 1 <= prefix <= 32 else 32)
        if reason:
            reader.fail("ip_address", reason)
    bindings = _bindings(reader)
    metric = _metric(reader)
    forwarding = reader.boolean("forwarding", default=False)
    jumbo = reader.integer("jumbo_packet", default=9014, minimum=JUMBO_RANGE[0], maximum=JUMBO_RANGE[1])
    netbios = reader.choice("netbios", NETBIOS_SETTINGS)
    retain = reader.boolean("retain_on_delete", default=False)
    return reader.checked(lambda: MigrationNicArgs(
        target, ip_address=address, prefix_length=prefix, adapter_name=name, mac_address=mac,
        interface_description=description, new_name=new_name, bindings=bindings, interface_metric=metric,
        forwarding=forwarding, jumbo_packet=jumbo, netbios=netbios, retain_on_delete=retain))
