"""Directory (LDAP) connection settings, read from the ``lm:`` stack configuration. Pure: no I/O.

=====================  ==========================================================================
key                    meaning
=====================  ==========================================================================
``ldapServers``        domain controllers, comma-separated, tried in this order (``dc1.corp.com,
                       dc2.corp.com:3269``); port 636 (LDAPS) or 389 with ``ldapStartTls``
``ldapUser``           simple bind: a UPN (``svc-lm@corp.com``) or a DN; NTLM: ``DOMAIN\\user``
``ldapPassword``       its password; set it with ``pulumi config set --secret``
``ldapAuth``           ``simple`` (default), ``ntlm`` (real AD only) or ``gssapi`` (a Kerberos ticket)
``ldapStartTls``       ``true``: plain LDAP upgraded with StartTLS instead of LDAPS (default false)
``ldapCaFile``         PEM file of the CA that issued the DCs' certificates (default: system store)
``ldapTlsName``        the name the certificates must carry (default: the server name as listed)
``ldapTlsVerify``      ``false`` turns certificate verification off (default true; never in production)
``ldapBaseDn``         where computers are searched (default: the DC's defaultNamingContext)
``ldapTimeout``        seconds for connecting and for each answer (default 10)
=====================  ==========================================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import ConfigurationError
from .validators import dns_name, ipv4_address, no_control_characters

AUTH_METHODS = ("simple", "ntlm", "gssapi")
LDAPS_PORT = 636
LDAP_PORT = 389


@dataclass(frozen=True)
class DirectoryServer:
    """One domain controller: host name or address and port."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class DirectorySettings:
    """How to reach and bind to the directory. The password never appears in ``repr``."""

    servers: list[DirectoryServer]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "simple"
    start_tls: bool = False
    ca_file: str | None = None
    tls_name: str | None = None
    tls_verify: bool = True
    base_dn: str | None = None
    timeout_s: float = 10.0


def _key(name: str) -> str:
    return f"lm:{name}"


def _flag(get: Callable[[str], str | None], name: str, default: bool) -> bool:
    value = get(name)
    if value is None or not value.strip():
        return default
    lowered = value.strip().lower()
    if lowered not in ("true", "false"):
        raise ConfigurationError(f"{_key(name)}: {value!r} is not true or false")
    return lowered == "true"


def _server(entry: str, default_port: int) -> DirectoryServer:
    host, _, port_text = entry.partition(":")
    allowed = "a host name or IPv4 address, optionally with :port (dc1.corp.com,dc2.corp.com:636)"
    if not host or (dns_name(host) and ipv4_address(host)):
        raise ConfigurationError(f"{_key('ldapServers')}: {entry!r} is not {allowed}")
    if not port_text:
        return DirectoryServer(host, default_port)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigurationError(f"{_key('ldapServers')}: {entry!r} has no valid port; expected {allowed}")
    return DirectoryServer(host, int(port_text))


def directory_settings(get: Callable[[str], str | None]) -> DirectorySettings:
    """Settings from ``lm:`` configuration keys (``get`` takes the key without namespace).

    Raises ConfigurationError naming the key, the reason and what is allowed.
    """
    start_tls = _flag(get, "ldapStartTls", False)
    servers_text = (get("ldapServers") or "").strip()
    if not servers_text:
        raise ConfigurationError(f"{_key('ldapServers')} is not set; set it to the domain controllers to use, "
                                 "comma-separated (pulumi config set lm:ldapServers dc1.corp.com,dc2.corp.com)")
    default_port = LDAP_PORT if start_tls else LDAPS_PORT
    servers = [_server(entry.strip(), default_port) for entry in servers_text.split(",") if entry.strip()]
    auth = (get("ldapAuth") or "simple").strip().lower()
    if auth not in AUTH_METHODS:
        raise ConfigurationError(f"{_key('ldapAuth')}: {auth!r} is not one of {', '.join(AUTH_METHODS)}")
    user = (get("ldapUser") or "").strip() or None
    password = get("ldapPassword") or None
    if auth != "gssapi" and (user is None or password is None):
        missing = _key("ldapUser") if user is None else _key("ldapPassword")
        raise ConfigurationError(f"{missing} is not set; {auth} bind needs lm:ldapUser and lm:ldapPassword "
                                 "(pulumi config set --secret lm:ldapPassword ...)")
    if user is not None and no_control_characters(user):
        raise ConfigurationError(f"{_key('ldapUser')}: must not contain control characters")
    if auth == "ntlm" and user is not None and "\\" not in user:
        raise ConfigurationError(f"{_key('ldapUser')}: {user!r}: an NTLM bind needs DOMAIN\\user")
    timeout_text = (get("ldapTimeout") or "10").strip()
    try:
        timeout = float(timeout_text)
    except ValueError:
        timeout = math.nan
    if not math.isfinite(timeout) or not 0 < timeout <= 600:
        raise ConfigurationError(f"{_key('ldapTimeout')}: {timeout_text!r} is not a number of seconds in 0..600")
    return DirectorySettings(
        servers=servers, user=user, password=password, auth=auth, start_tls=start_tls,
        ca_file=(get("ldapCaFile") or "").strip() or None, tls_name=(get("ldapTlsName") or "").strip() or None,
        tls_verify=_flag(get, "ldapTlsVerify", True), base_dn=(get("ldapBaseDn") or "").strip() or None,
        timeout_s=timeout,
    )
