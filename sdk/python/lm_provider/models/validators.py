"""Validators shared by resource models: each returns None when fine, else the reason."""

from __future__ import annotations

import ipaddress
import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DNS_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_NETBIOS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!@#$%^&'()._~-]{0,14}$")


def no_control_characters(value: str) -> str | None:
    """Refuse control characters (newlines included): they would break a command or a file."""
    return "must not contain control characters" if _CONTROL.search(value) else None


def non_blank(value: str) -> str | None:
    """Refuse an empty or all-space string."""
    return "must not be empty" if not value.strip() else None


def ipv4_address(value: str) -> str | None:
    """A dotted-quad IPv4 address."""
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return f"{value!r} is not an IPv4 address"
    return None


def ipv4_network(value: str) -> str | None:
    """An IPv4 network in CIDR form with no host bits set (``10.160.35.0/24``)."""
    try:
        ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        return f"{value!r} is not an IPv4 network in CIDR form ({exc})"
    return None


def dns_name(value: str) -> str | None:
    """A host name or FQDN: dot-separated labels of letters, digits and inner hyphens."""
    labels = value.rstrip(".").split(".")
    if len(value) > 253 or not all(_DNS_LABEL.match(label) for label in labels):
        return f"{value!r} is not a DNS name (labels of letters, digits and inner hyphens, at most 63 each)"
    return None


def netbios_name(value: str) -> str | None:
    """A NetBIOS computer name: at most 15 characters, no spaces, quotes or backslashes."""
    if not _NETBIOS.match(value):
        return f"{value!r} is not a NetBIOS name (1-15 characters, no spaces, quotes, slashes or backslashes)"
    return None
