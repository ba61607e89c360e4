"""Which host a host resource works on, and how to reach it (pure).

Every host resource (MigrationNic, LiveMigrationSettings, HostsEntry, ...) takes these inputs:

- ``host``: the computer name (required; changing it replaces the resource);
- ``fqdn``: its DNS name, used for the default endpoint ``http(s)://<fqdn>:5985|5986/wsman``;
- ``winrm_endpoint``, ``winrm_username``, ``winrm_password``: per-resource overrides of the
  stack's ``lm:winrm*`` configuration (the resource classes always pass the password as a
  Pulumi secret, so it is encrypted in state).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .inputs import InputReader
from .validators import dns_name, netbios_name, no_control_characters

TARGET_KEYS = ("host", "fqdn", "winrm_endpoint", "winrm_username", "winrm_password")


@dataclass(frozen=True)
class HostTarget:
    """A host and the optional overrides of how to reach it. ``winrm_password`` never shows in repr."""

    host: str
    fqdn: str | None = None
    winrm_endpoint: str | None = None
    winrm_username: str | None = None
    winrm_password: str | None = field(default=None, repr=False)


def winrm_url(value: str) -> str | None:
    """A WinRM endpoint URL: ``http(s)://host:port/wsman``, one token, no control characters."""
    if not value.startswith(("http://", "https://")) or no_control_characters(value) or " " in value:
        return f"{value!r} is not a WinRM URL (http(s)://host:port/wsman)"
    return None


def read_target(reader: InputReader) -> HostTarget:
    """Read the target inputs (failures are recorded on ``reader``); UNKNOWN values pass through."""
    return HostTarget(
        host=reader.string("host", required=True, validator=netbios_name),
        fqdn=reader.string("fqdn", validator=dns_name),
        winrm_endpoint=reader.string("winrm_endpoint", validator=winrm_url),
        winrm_username=reader.string("winrm_username", validator=no_control_characters),
        winrm_password=reader.string("winrm_password"),
    )
