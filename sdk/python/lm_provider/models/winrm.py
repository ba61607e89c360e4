"""How to reach a host over WinRM: settings from stack configuration, per host, validated (pure).

Stack configuration keys (namespace ``lm:``):

- ``winrmUsername`` (e.g. ``HOLDING\\lmadmin``), ``winrmPassword`` (a secret);
- ``winrmTransport``: ``ntlm`` (HTTP, 5985, NTLM with message encryption; the default),
  ``https-basic`` or ``https-ntlm`` (HTTPS, 5986), ``kerberos`` (needs a ticket and pykerberos);
- ``winrmCaFile``: the CA bundle that signed the hosts' HTTPS certificates (else the system's);
- ``winrmEndpoints``: JSON object host name -> URL, for hosts not reachable at the default
  ``http(s)://<fqdn>:5985|5986/wsman`` (the lab writes one);
- ``winrmOperationTimeout`` (seconds a script may run, default 120).

TLS certificates are always verified: there is no setting to turn that off.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ConfigurationError

TRANSPORTS = ("ntlm", "https-basic", "https-ntlm", "kerberos")


@dataclass(frozen=True)
class WinRmSettings:
    """Everything needed to open a WinRM session to one host. ``password`` never appears in repr."""

    endpoint: str
    transport: str
    username: str
    password: str
    ca_file: str | None = None
    operation_timeout: float = 120.0

    def __repr__(self) -> str:
        return (f"WinRmSettings(endpoint={self.endpoint!r}, transport={self.transport!r}, "
                f"username={self.username!r}, password='***')")


@dataclass(frozen=True)
class WinRmConfig:
    """The stack's WinRM settings for every host; :meth:`for_host` resolves one."""

    username: str | None
    password: str | None
    transport: str = "ntlm"
    ca_file: str | None = None
    endpoints: tuple[tuple[str, str], ...] = ()
    operation_timeout: float = 120.0

    def __repr__(self) -> str:
        return f"WinRmConfig(username={self.username!r}, transport={self.transport!r}, password='***')"

    @classmethod
    def from_config(cls, get: Callable[[str], str | None]) -> WinRmConfig:
        """Read the ``lm:winrm*`` keys; ConfigurationError names a bad key (never a password)."""
        transport = (get("winrmTransport") or "ntlm").lower()
        if transport not in TRANSPORTS:
            raise ConfigurationError(f"lm:winrmTransport: {transport!r} is not one of {', '.join(TRANSPORTS)}")
        raw_endpoints = get("winrmEndpoints")
        endpoints: dict[str, str] = {}
        if raw_endpoints:
            try:
                endpoints = json.loads(raw_endpoints)
            except json.JSONDecodeError as exc:
                raise ConfigurationError(f"lm:winrmEndpoints: not JSON ({exc.msg})") from None
            if not isinstance(endpoints, dict) or not all(isinstance(v, str) for v in endpoints.values()):
                raise ConfigurationError("lm:winrmEndpoints: expected a JSON object of host name -> URL")
        timeout_text = get("winrmOperationTimeout") or "120"
        try:
            timeout = float(timeout_text)
        except ValueError:
            raise ConfigurationError(f"lm:winrmOperationTimeout: {timeout_text!r} is not a number of seconds") from None
        return cls(get("winrmUsername"), get("winrmPassword"), transport, get("winrmCaFile"),
                   tuple(sorted((k.lower(), v) for k, v in endpoints.items())), timeout)

    def for_host(self, name: str, fqdn: str | None = None) -> WinRmSettings:
        """Settings for host ``name`` (endpoint from ``winrmEndpoints`` or derived from the FQDN)."""
        if not self.username or self.password is None:
            raise ConfigurationError("WinRM credentials are not configured: set lm:winrmUsername and "
                                     "lm:winrmPassword (pulumi config set --secret lm:winrmPassword ...)")
        endpoint = dict(self.endpoints).get(name.lower())
        if endpoint is None:
            tls = self.transport.startswith("https")
            endpoint = f"{'https' if tls else 'http'}://{fqdn or name}:{5986 if tls else 5985}/wsman"
        return WinRmSettings(endpoint, self.transport, self.username, self.password, self.ca_file,
                             self.operation_timeout)
