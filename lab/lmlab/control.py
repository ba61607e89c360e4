"""The lab's control plane: a small JSON API on loopback, apart from the devices' own protocols.

Routes (bearer token from secrets.json):
    GET  /status                        every device: endpoints, open sessions, knobs, call counts
    POST /reset                         every device back to the site's initial state (model, knobs,
                                        call counts) and the seeded AD objects re-seeded
    POST /calls/reset                   every device's call counts back to zero
    GET  /devices/<name>                a host's or switch's whole model
    PUT  /devices/<name>                replace the model (drift); validated first
    GET  /devices/<name>/calls          the device's call counts: {op: {"read": n, "changing": m}}
    POST /devices/<name>/knobs          change knobs, e.g. {"latency_ms": 20}
    POST /devices/<host>/restart-vmms   what Restart-Service vmms does to the listener list

Answers: 200 with JSON; 400 ``{"error": ...}`` for a refused value (ValueError); 404 for an
unknown device or route (:class:`NotFound`); 500 for a bug in the lab, logged with its traceback.
"""

from __future__ import annotations

import hmac
import json
import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from socketserver import BaseServer
from typing import Any, Protocol, cast
from urllib.parse import quote, unquote

log = logging.getLogger("lmlab.control")


class ControlError(Exception):
    """The control API refused a request (bad name, bad value, lab not running)."""


class NotFound(LookupError):
    """No such device or route; the control API answers 404 with the message."""


class ControlApi(Protocol):
    """What the control handler serves: a token and one routing function (the lab server has both)."""

    control_token: str

    def control(self, method: str, parts: list[str], body: dict[str, Any]) -> Any:
        """Serve one route; NotFound = 404, ValueError = 400."""


class ControlHandler(BaseHTTPRequestHandler):
    """Serves the control routes of one :class:`ControlApi` (bind it with :func:`bind_handler`)."""

    protocol_version = "HTTP/1.1"
    api: ControlApi

    def log_message(self, format: str, *args: object) -> None:
        """No access log."""

    def do_GET(self) -> None:
        """Read routes."""
        self._dispatch("GET")

    def do_PUT(self) -> None:
        """Replace routes."""
        self._dispatch("PUT")

    def do_POST(self) -> None:
        """Action routes."""
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if not hmac.compare_digest(token.encode(), self.api.control_token.encode()):
            self._send(401, {"error": "bad or missing control token"})
            return
        try:
            body = json.loads(raw) if raw else {}
        except ValueError as exc:
            self._send(400, {"error": f"the request body is not JSON: {exc}"})
            return
        if not isinstance(body, dict):
            self._send(400, {"error": "the request body must be a JSON object"})
            return
        try:
            parts = [unquote(p) for p in self.path.strip("/").split("/")]
            self._send(200, self.api.control(method, parts, body))
        except NotFound as exc:
            self._send(404, {"error": f"not found: {exc}"})
        except ValueError as exc:
            self._send(400, {"error": str(exc)})
        except Exception as exc:  # a bug in the lab: answer, never drop the connection
            log.exception("control %s %s failed", method, self.path)
            self._send(500, {"error": f"the lab failed on {method} {self.path} ({type(exc).__name__}: {exc}); "
                                      "the traceback is in lmlab.log"})

    def _send(self, status: int, data: Any) -> None:
        payload = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def connection_handler(api: ControlApi) -> Callable[[socket.socket, tuple[str, int]], None]:
    """What the acceptor calls for each control connection: serve ``api`` on it (HTTP keep-alive)."""
    handler = type("BoundControlHandler", (ControlHandler,), {"api": api})

    def serve(conn: socket.socket, peer: tuple[str, int]) -> None:
        handler(conn, peer, cast(BaseServer, None))  # the handler never uses its server
    return serve


def one_line(text: str) -> str:
    """``text`` with its lines joined by "; " (what the CLI prints for an error)."""
    return "; ".join(line.strip().rstrip(";") for line in text.splitlines() if line.strip())


class ControlClient:
    """Talks to a running lab's control API (used by the CLI and tests)."""

    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One request; ControlError carries the lab's error message as one line."""
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.base + quote(path), data=data, method=method,
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                message = str(json.loads(exc.read() or b"{}").get("error", exc))
            except ValueError:
                message = f"HTTP {exc.code} {exc.reason}"
            raise ControlError(one_line(message)) from None
        except urllib.error.URLError as exc:
            raise ControlError(f"the lab is not answering on {self.base}: {exc.reason}") from None
