"""The lab's control plane: a small JSON API on loopback, apart from the devices' own protocols.

Routes (bearer token from secrets.json):
    GET  /status                        every device, its endpoints and open sessions
    GET  /devices/<name>                a host's or switch's whole model
    PUT  /devices/<name>                replace the model (drift); validated first
    POST /devices/<name>/knobs          change knobs, e.g. {"latency_ms": 20}
    POST /devices/<host>/restart-vmms   what Restart-Service vmms does to the listener list
    POST /reset                       every device back to the site's initial state
"""

from __future__ import annotations

import hmac
import json
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from .server import LabServer


class ControlError(Exception):
    """The control API refused a request (bad name, bad value, lab not running)."""


class ControlHandler(BaseHTTPRequestHandler):
    """Serves the control routes for one LabServer."""

    protocol_version = "HTTP/1.1"
    lab: LabServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """No access log."""

    def do_GET(self) -> None:  # noqa: N802
        """Read routes."""
        self._dispatch("GET")

    def do_PUT(self) -> None:  # noqa: N802
        """Replace routes."""
        self._dispatch("PUT")

    def do_POST(self) -> None:  # noqa: N802
        """Action routes."""
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if not hmac.compare_digest(token.encode(), self.lab.control_token.encode()):
            self._send(401, {"error": "bad or missing control token"})
            return
        try:
            body = json.loads(raw) if raw else {}
            parts = [unquote(p) for p in self.path.strip("/").split("/")]
            self._send(200, self.lab.control(method, parts, body))
        except KeyError as exc:
            self._send(404, {"error": f"not found: {exc.args[0]}"})
        except (ValueError, TypeError) as exc:
            self._send(400, {"error": str(exc)})

    def _send(self, status: int, data: Any) -> None:
        payload = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class ControlClient:
    """Talks to a running lab's control API (used by the CLI and tests)."""

    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One request; ControlError carries the lab's error message."""
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.base + urllib.request.quote(path), data=data, method=method,
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise ControlError(json.loads(exc.read() or b"{}").get("error", str(exc))) from None
        except urllib.error.URLError as exc:
            raise ControlError(f"the lab is not answering on {self.base}: {exc.reason}") from None
