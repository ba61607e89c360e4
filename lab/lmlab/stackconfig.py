"""A ready Pulumi stack configuration for the running lab: from `lmlab up` to `pulumi up` with no
hand copying.

The ``lm:`` keys lm-provider reads (WinRM, LDAP, switches) are set on a stack with the Pulumi CLI
itself, so secrets are encrypted by the stack's own secrets provider: plain values go on the
command line, passwords only through stdin (never in argv, where ``ps`` would show them).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One configuration key and its value; ``secret`` values are encrypted by Pulumi."""

    key: str
    value: str
    secret: bool = False


def settings(endpoints: dict[str, Any], secrets: dict[str, Any]) -> list[Setting]:
    """Every ``lm:`` key for a lab with these endpoints and secrets (AD keys only when its DC runs)."""
    winrm = {name: host["winrm_http"] for name, host in endpoints["hosts"].items()}
    switches = {name: {"host": sw["host"], "port": sw["port"]} for name, sw in endpoints["switches"].items()}
    found = [
        Setting("lm:winrmUsername", endpoints["winrm_username"]),
        Setting("lm:winrmPassword", secrets["winrm"]["password"], secret=True),
        Setting("lm:winrmTransport", "ntlm"),
        Setting("lm:winrmCaFile", endpoints["ca_file"]),
        Setting("lm:winrmEndpoints", json.dumps(winrm, sort_keys=True)),
        Setting("lm:switchUsername", secrets["switch"]["username"]),
        Setting("lm:switchPassword", secrets["switch"]["password"], secret=True),
        Setting("lm:switchEnableSecret", secrets["switch"]["enable_secret"], secret=True),
        Setting("lm:switchKnownHosts", endpoints["known_hosts"]),
        Setting("lm:switches", json.dumps(switches, sort_keys=True)),
    ]
    ad = endpoints.get("ad", {})
    if "unavailable" not in ad:
        found += [
            Setting("lm:ldapServers", "127.0.0.1:636"),
            Setting("lm:ldapUser", ad["admin_user"]),
            Setting("lm:ldapPassword", secrets["ad"]["admin_password"], secret=True),
            Setting("lm:ldapCaFile", ad["ca_file"]),
            Setting("lm:ldapTlsName", ad["tls_name"]),
            Setting("lm:ldapBaseDn", ad["base_dn"]),
        ]
    return found


def apply(found: list[Setting], stack: str, project_dir: Path, pulumi: str = "pulumi") -> None:
    """Set every key on ``stack`` of the project in ``project_dir`` with the Pulumi CLI.

    ValueError names the key and carries Pulumi's own message (never a value)."""
    for setting in found:
        argv = [pulumi, "config", "set", "--stack", stack, setting.key]
        if setting.secret:
            argv.insert(3, "--secret")
        else:
            argv += ["--", setting.value]
        result = subprocess.run(argv, cwd=project_dir, input=setting.value if setting.secret else None,
                                capture_output=True, text=True, check=False, timeout=60)
        if result.returncode != 0:
            lines = (result.stderr or result.stdout).strip().splitlines()
            reason = lines[-1] if lines else f"exit code {result.returncode}"
            raise ValueError(f"pulumi config set {setting.key} failed: {reason}")
