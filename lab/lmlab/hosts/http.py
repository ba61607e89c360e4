"""The WS-Management HTTP endpoint of a simulated host: authentication, MS-WSMV encryption, faults.

- HTTP listener: Negotiate only (pyspnego acceptor, so raw NTLM from pywinrm/requests_ntlm and
  SPNEGO from pypsrp both work); after authentication every message must be encrypted
  (``multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted"``), and so is every
  answer, faults included. An unencrypted message gets 401, as with AllowUnencrypted=false.
- HTTPS listener (lab CA): Basic and Negotiate, no message encryption (TLS protects it).
- 401 answers carry ``Content-Length: 0`` so the client can keep the connection.
"""

from __future__ import annotations

import base64
import binascii
import logging
import socket
import struct
from http.server import BaseHTTPRequestHandler
from typing import Protocol

import spnego
import spnego.exceptions

from ..accounts import Accounts
from . import soap
from .winrs import WinrsService

log = logging.getLogger(__name__)

BOUNDARY = b"--Encrypted Boundary"
ENCRYPTED_PROTOCOL = "application/HTTP-SPNEGO-session-encrypted"
ENCRYPTED_CONTENT_TYPE = f'multipart/encrypted;protocol="{ENCRYPTED_PROTOCOL}";boundary="Encrypted Boundary"'


class InjectedFault(Exception):
    """Raised below the HTTP layer (by a fault targeted at one op) to make this request fail with ``fault``."""

    def __init__(self, fault: str) -> None:
        super().__init__(fault)
        self.fault = fault


class WsmanBackend(Protocol):
    """What the endpoint needs from the host behind it (HostRuntime provides it)."""

    @property
    def name(self) -> str:
        """The host's computer name (in faults)."""

    @property
    def accounts(self) -> Accounts:
        """Who may log on."""

    @property
    def winrs(self) -> WinrsService:
        """The shell service requests go to."""

    def simulate_latency(self) -> None:
        """Wait the latency knob's time."""

    def request_fault(self) -> str | None:
        """The fault to inject into this request (untargeted faults count requests), or None."""

    def endpoint_url(self, tls: bool) -> str:
        """The listener's URL (shell EPRs carry it)."""


class WsmanHandler(BaseHTTPRequestHandler):
    """One client connection to one host's /wsman endpoint (HTTP/1.1 keep-alive)."""

    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-HTTPAPI/2.0"
    sys_version = ""
    backend: WsmanBackend
    tls: bool

    def setup(self) -> None:
        """Per-connection state: the NTLM/Negotiate context lives as long as the TCP connection."""
        super().setup()
        self.auth_context: spnego.ContextProxy | None = None
        self.user: str | None = None
        self.final_token: str | None = None

    def log_message(self, format: str, *args: object) -> None:  # "format": the stdlib signature
        """Silence the default stderr access log (request lines can be long)."""

    def do_POST(self) -> None:  # the stdlib names it
        """Authenticate, decrypt, dispatch to the host's WinRS service, encrypt the answer."""
        rt = self.backend
        rt.simulate_latency()
        fault = rt.request_fault()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if fault == "drop":
            self._drop()
            return
        if self.path.split("?")[0].rstrip("/").lower() != "/wsman":
            self._reply(404, b"")
            return
        user = self._authenticate()
        if user is None:
            return
        encrypted = self.headers.get("Content-Type", "").startswith("multipart/encrypted")
        if not self.tls and body and not encrypted:
            self._unauthorized()
            return
        if encrypted:
            try:
                body = self._decrypt(body)
            except (ValueError, IndexError, spnego.exceptions.SpnegoError, struct.error):
                self._unauthorized()
                return
        if fault == "http500":
            self._reply(500, b"", encrypt=False)
            return
        if not body:
            self._reply(200, b"", encrypt=False)
            return
        self._serve_soap(body, user, encrypted, fault)

    def _serve_soap(self, body: bytes, user: str, encrypted: bool, fault: str | None) -> None:
        """One SOAP request; every failure below this point is a WS-Man fault, never a dropped connection
        (except an injected ``drop``)."""
        rt = self.backend
        relates_to = "uuid:unknown"
        try:
            request = soap.parse(body)
            relates_to = request.message_id
            if fault == "timeout":
                raise soap.timed_out()
            action, payload = rt.winrs.handle(request, user, rt.endpoint_url(self.tls))
            status, answer = 200, soap.envelope(action, relates_to, payload)
        except InjectedFault as exc:
            if exc.fault == "drop":
                self._drop()
                return
            if exc.fault == "http500":
                self._reply(500, b"", encrypt=False)
                return
            status, answer = 500, soap.fault_envelope(soap.timed_out(), relates_to, rt.name)
        except soap.Fault as exc:
            status, answer = 500, soap.fault_envelope(exc, relates_to, rt.name)
        except Exception:  # a lab bug is answered as a fault and logged
            log.exception("host %s: the WS-Management service failed inside the lab", rt.name)
            status, answer = 500, soap.fault_envelope(soap.internal_error(), relates_to, rt.name)
        self._reply(status, answer, encrypt=encrypted)

    def _drop(self) -> None:
        """The ``drop`` fault: close the connection without an answer."""
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    def _authenticate(self) -> str | None:
        """Return the authenticated user, or answer 401 (a challenge or a refusal) and return None."""
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if not header and self.user is not None:
            return self.user
        if scheme.lower() == "basic" and self.tls:
            try:
                name, _, password = base64.b64decode(token).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                name, password = "", ""
            self.user = self.backend.accounts.check_password(name, password)
            if self.user is None:
                self._unauthorized()
            return self.user
        if scheme.lower() in ("negotiate", "ntlm") and token:
            return self._negotiate(scheme, token)
        self._unauthorized()
        return None

    def _negotiate(self, scheme: str, token: str) -> str | None:
        try:
            in_token = base64.b64decode(token)
            if self.auth_context is None or self.auth_context.complete:
                self.auth_context = spnego.server(protocol="negotiate")
            out_token = self.auth_context.step(in_token)
        except (binascii.Error, spnego.exceptions.SpnegoError, ValueError):
            self.auth_context, self.user = None, None
            self._unauthorized()
            return None
        if not self.auth_context.complete:
            challenge = f"{scheme} {base64.b64encode(out_token or b'').decode()}"
            self._reply(401, b"", encrypt=False, authenticate=[challenge])
            return None
        if out_token:  # SPNEGO's mechListMIC: the client must see it, or its sequence numbers drift
            self.final_token = f"{scheme} {base64.b64encode(out_token).decode()}"
        self.user = self.backend.accounts.canonical(self.auth_context.client_principal or "")
        return self.user

    def _unauthorized(self) -> None:
        self.auth_context, self.user = None, None
        offers = ["Negotiate", 'Basic realm="WSMAN"'] if self.tls else ["Negotiate"]
        self._reply(401, b"", encrypt=False, authenticate=offers)

    def _decrypt(self, body: bytes) -> bytes:
        """Undo MS-WSMV 2.2.9.1.1 framing and NTLM sealing; the stated length must match."""
        if self.auth_context is None or not self.auth_context.complete:
            raise ValueError("no security context on this connection")
        parts = [p for p in body.split(BOUNDARY + b"\r\n") if p]
        header, payload = parts[0].strip(), parts[1]
        expected = int(header.split(b"Length=")[1])
        payload = payload.removesuffix(BOUNDARY + b"--\r\n")
        payload = payload.replace(b"\tContent-Type: application/octet-stream\r\n", b"", 1)
        sig_len = struct.unpack("<i", payload[:4])[0]
        message = self.auth_context.unwrap(payload[4:4 + sig_len] + payload[4 + sig_len:]).data
        if len(message) != expected:
            raise ValueError("encrypted length does not match")
        return message

    def _encrypt(self, message: bytes) -> bytes:
        assert self.auth_context is not None
        wrapped = self.auth_context.wrap(message, encrypt=True).data
        signature, sealed = wrapped[:16], wrapped[16:]
        return (
            BOUNDARY + b"\r\n\tContent-Type: " + ENCRYPTED_PROTOCOL.encode() + b"\r\n"
            b"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" + str(len(message)).encode()
            + b"\r\n" + BOUNDARY + b"\r\n\tContent-Type: application/octet-stream\r\n"
            + struct.pack("<i", len(signature)) + signature + sealed + BOUNDARY + b"--\r\n"
        )

    def _reply(self, status: int, payload: bytes, encrypt: bool = False, authenticate: list[str] | None = None) -> None:
        if encrypt and payload:
            payload = self._encrypt(payload)
            content_type = ENCRYPTED_CONTENT_TYPE
        else:
            content_type = "application/soap+xml;charset=UTF-8"
        self.send_response(status)
        if self.final_token and status != 401:
            authenticate = [self.final_token]
            self.final_token = None
        for offer in authenticate or []:
            self.send_header("WWW-Authenticate", offer)
        if payload:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
