"""LDAP over ldap3: domain controllers tried in order, TLS verified, one bound connection at a time.

- LDAPS (636) or StartTLS on 389; certificates verified against ``ca_file`` (else the system
  store) for ``tls_name`` (else the server name as configured).
- Simple bind (UPN or DN), NTLM (real AD; Samba closes the connection on ldap3's NTLM bind) or
  SASL GSSAPI with a Kerberos ticket (needs the ``gssapi`` package).
- Failover happens only when (re)connecting, first DC first; once bound, every operation goes to
  that DC, so a read after a write sees the write (AD replicates asynchronously). A connection
  that breaks is dropped; a reused one that fails is retried once on a fresh connection.
- ldap3's exceptions end here: they become :mod:`lm_provider.errors` naming the DC, the operation,
  the object and the LDAP result in words. The password never appears in a message.
- Thread-safe (the dynamic provider host runs 4 workers on one provider): one lock per transport.

Values in filters are escaped with :func:`filter_value` / :func:`binary_filter_value` (ldap3's
helpers); callers never paste raw text into a filter.
"""

from __future__ import annotations

import contextlib
import math
import re
import ssl
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ldap3 import BASE, KERBEROS, MODIFY_ADD, MODIFY_DELETE, NONE, NTLM, SASL, SIMPLE, SUBTREE, Connection, Server, Tls
from ldap3.core import exceptions as ldap_errors
from ldap3.utils.conv import escape_bytes, escape_filter_chars

from ..errors import ConfigurationError, RemoteCommandError, TransientError, TransportError
from ..models.directory import DirectoryServer, DirectorySettings

ADD = MODIFY_ADD
DELETE = MODIFY_DELETE
PAGE_SIZE = 500
T = TypeVar("T")

Changes = Mapping[str, Sequence[tuple[str, Sequence[str]]]]
"""attribute -> [(ADD or DELETE, exact values)], applied atomically in one modify request."""


def filter_value(text: str) -> str:
    """``text`` escaped for use as an assertion value in a filter (``*``, ``(``, ``)``, ``\\``, NUL)."""
    return str(escape_filter_chars(text))


def binary_filter_value(data: bytes) -> str:
    """Bytes (e.g. an objectGUID) escaped for a filter, every byte as ``\\xx``."""
    return str(escape_bytes(data))


@dataclass(frozen=True)
class LdapEntry:
    """One search result: its DN and raw attribute values (keys in lower case)."""

    dn: str
    raw: Mapping[str, list[bytes]]

    def strings(self, attribute: str) -> list[str]:
        """Every value of ``attribute`` as text (empty when absent)."""
        return [v.decode("utf-8") for v in self.raw.get(attribute.lower(), [])]

    def first(self, attribute: str) -> str | None:
        """The first value as text, None when absent."""
        values = self.strings(attribute)
        return values[0] if values else None

    def first_raw(self, attribute: str) -> bytes | None:
        """The first value's bytes, None when absent."""
        values = self.raw.get(attribute.lower(), [])
        return values[0] if values else None


class LdapResultError(RemoteCommandError):
    """The DC answered with an LDAP result other than success; ``result`` is its name
    (``noSuchAttribute``, ``insufficientAccessRights``...)."""

    def __init__(self, target: str, operation: str, detail: str, result: str) -> None:
        super().__init__(target, operation, detail)
        self.result = result


class _BindRefused(Exception):
    """Bind failures that another DC would refuse too (wrong password): no failover."""

    def __init__(self, error: TransportError) -> None:
        self.error = error


def _words(exc: ldap_errors.LDAPOperationResult) -> str:
    message = (exc.message or "").strip().replace("\n", " ")
    return f"{exc.description}" + (f" ({message})" if message else "")


def _connect_words(exc: BaseException) -> str:
    """ldap3's socket/TLS failure in a line: a name mismatch names the certificate's subject and the fix."""
    text = str(exc).strip() or type(exc).__name__
    if "doesn't match any name in" in text:
        subject = re.search(r"'commonName', '([^']+)'", text)
        names = text.rsplit("doesn't match any name in", 1)[1].strip()
        return (f"the DC's certificate ({subject.group(1) if subject else 'its subject'}) matches none of {names}; "
                "set lm:ldapTlsName to the name the certificate carries")
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return f"{text}: the DC's certificate is not trusted; set lm:ldapCaFile to the CA that issued it"
    return text


class LdapTransport:
    """A connection to the first reachable DC of ``settings`` and the operations over it."""

    def __init__(self, settings: DirectorySettings) -> None:
        self.settings = settings
        self.operations: Counter[str] = Counter()
        """LDAP requests sent, by kind (bind, search, modify); for tests and benchmarks."""
        self.server: str | None = None
        """The DC of the current connection (host:port), None when not connected."""
        self._connection: Connection | None = None
        self._lock = threading.RLock()

    def _tls(self, server: DirectoryServer) -> Tls:
        names = [self.settings.tls_name] if self.settings.tls_name else None
        return Tls(validate=ssl.CERT_REQUIRED if self.settings.tls_verify else ssl.CERT_NONE,
                   ca_certs_file=self.settings.ca_file, valid_names=names)

    def _bind_kwargs(self) -> dict[str, Any]:
        auth = self.settings.auth
        if auth == "gssapi":
            return {"authentication": SASL, "sasl_mechanism": KERBEROS}
        return {"authentication": NTLM if auth == "ntlm" else SIMPLE, "user": self.settings.user,
                "password": self.settings.password}

    def _open(self, server: DirectoryServer) -> Connection:
        where = str(server)
        ldap_server = Server(server.host, port=server.port, use_ssl=not self.settings.start_tls, tls=self._tls(server),
                             get_info=NONE, connect_timeout=self.settings.timeout_s)
        # ldap3 packs receive_timeout into SO_RCVTIMEO as a whole number of seconds
        connection = Connection(ldap_server, raise_exceptions=True, receive_timeout=math.ceil(self.settings.timeout_s),
                                auto_referrals=False, **self._bind_kwargs())
        try:
            connection.open()
            if self.settings.start_tls:
                connection.start_tls()
            self.operations["bind"] += 1
            connection.bind()
        except ldap_errors.LDAPInvalidCredentialsResult as exc:
            connection.unbind()
            raise _BindRefused(TransportError(where, f"bind as {self.settings.user}", _words(exc) + (
                ": the user name or password is wrong, or the account is disabled or locked"))) from None
        except ldap_errors.LDAPStrongerAuthRequiredResult as exc:
            connection.unbind()
            raise _BindRefused(TransportError(where, "bind", _words(exc) + (
                ": the DC requires a protected connection; use LDAPS or lm:ldapStartTls=true"))) from None
        except ldap_errors.LDAPPackageUnavailableError:
            raise ConfigurationError("lm:ldapAuth=gssapi needs the Python package gssapi (pip install gssapi) "
                                     "and a Kerberos ticket (kinit)") from None
        except ldap_errors.LDAPSessionTerminatedByServerError:
            connection.unbind()
            hint = (": Samba does not support ldap3's NTLM bind; use lm:ldapAuth=simple or gssapi"
                    if self.settings.auth == "ntlm" else "")
            raise TransportError(where, f"{self.settings.auth} bind", "the DC closed the connection" + hint) from None
        except ldap_errors.LDAPOperationResult as exc:
            connection.unbind()
            raise TransportError(where, f"{self.settings.auth} bind", _words(exc)) from None
        except (ldap_errors.LDAPException, OSError) as exc:
            connection.unbind()
            raise TransportError(where, "connect", _connect_words(exc)) from None
        return connection

    def _connect(self) -> Connection:
        if self._connection is not None and not self._connection.closed:
            return self._connection
        failures: list[TransportError] = []
        for server in self.settings.servers:
            try:
                self._connection = self._open(server)
            except _BindRefused as refused:
                raise refused.error from None
            except TransportError as exc:
                failures.append(exc)
                continue
            self.server = str(server)
            return self._connection
        if len(failures) == 1:
            raise failures[0]
        servers = ", ".join(str(s) for s in self.settings.servers)
        raise TransportError(servers, "connect", "no domain controller answered: " + "; ".join(map(str, failures)))

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(ldap_errors.LDAPException, OSError):
                self._connection.unbind()
        self._connection = None
        self.server = None

    def _run(self, operation: str, obj: str, action: Callable[[Connection], T],
             on_result: Callable[[ldap_errors.LDAPOperationResult], str] | None = None) -> T:
        with self._lock:
            reused = self._connection is not None and not self._connection.closed
            for attempt in (1, 2):
                connection = self._connect()
                where = self.server or "?"
                try:
                    self.operations[operation] += 1
                    return action(connection)
                except ldap_errors.LDAPOperationResult as exc:
                    detail = on_result(exc) if on_result else _words(exc)
                    raise LdapResultError(where, f"{operation} {obj}", detail, str(exc.description)) from None
                except (ldap_errors.LDAPCommunicationError, ldap_errors.LDAPResponseTimeoutError, OSError) as exc:
                    self._drop()
                    if not reused or attempt == 2:
                        detail = str(exc).strip() or type(exc).__name__
                        raise TransientError(where, f"{operation} {obj}", detail) from None
                    reused = False
            raise AssertionError("unreachable")

    def search(self, base: str, filter_: str, attributes: Sequence[str], *, subtree: bool = True) -> list[LdapEntry]:
        """Entries under (``subtree``) or at ``base`` matching ``filter_``; an absent base gives []."""
        def action(connection: Connection) -> list[LdapEntry]:
            try:
                if subtree:
                    responses = connection.extend.standard.paged_search(
                        base, filter_, SUBTREE, attributes=list(attributes), paged_size=PAGE_SIZE, generator=False)
                else:
                    connection.search(base, filter_, BASE, attributes=list(attributes))
                    responses = connection.response
            except ldap_errors.LDAPNoSuchObjectResult:
                return []
            return [LdapEntry(r["dn"], {k.lower(): list(v) for k, v in r["raw_attributes"].items()})
                    for r in responses or [] if r.get("type") == "searchResEntry"]

        return self._run("search", base, action)

    def modify(self, dn: str, changes: Changes) -> None:
        """Apply ``changes`` to ``dn`` in one modify request (all or nothing)."""
        attributes = " / ".join(changes)

        def explain(exc: ldap_errors.LDAPOperationResult) -> str:
            if isinstance(exc, ldap_errors.LDAPInsufficientAccessRightsResult):
                return f"{_words(exc)}: the bind account may not write {attributes} on {dn}"
            return _words(exc)

        def action(connection: Connection) -> None:
            connection.modify(dn, {name: [(op, list(values)) for op, values in ops] for name, ops in changes.items()})

        self._run("modify", dn, action, explain)

    def close(self) -> None:
        """Unbind (harmless when not connected)."""
        with self._lock:
            self._drop()
