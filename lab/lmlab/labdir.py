"""The lab directory: where a lab's site, secrets, state, certificates and run files live.

Default ``$XDG_CACHE_HOME/lmlab`` (``~/.cache/lmlab``); override with ``--lab-dir`` or
``LMLAB_DIR``. Layout::

    site.yaml          the topology (copied from --site, or the reference site)
    secrets.json       WinRM/switch passwords and the control-API token (0600)
    ntlm_users         pyspnego's NTLM credential store (0600)
    tls/               the lab CA (ca.pem) and server certificates
    ssh/               switch host keys and known_hosts for clients
    state/<kind>/*.json   device state (survives lmlab down/up)
    ports.json         ports given out on first start, reused after
    knobs.json         latency/fault knobs per device
    endpoints.json     written while the lab runs: every endpoint and account name
    lmlab.pid, lmlab.log
    samba/             the AD DC's private directory
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .passwords import new_secrets
from .site import Site, dump_site, load_site, reference_site


def default_lab_dir() -> Path:
    """``$LMLAB_DIR``, else ``$XDG_CACHE_HOME/lmlab``, else ``~/.cache/lmlab``."""
    if os.environ.get("LMLAB_DIR"):
        return Path(os.environ["LMLAB_DIR"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "lmlab"


def _write_json(path: Path, data: Any, private: bool = False) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
    os.replace(tmp, path)


class LabDir:
    """Paths and small files of one lab."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site_file = root / "site.yaml"
        self.secrets_file = root / "secrets.json"
        self.ntlm_users = root / "ntlm_users"
        self.tls_dir = root / "tls"
        self.ssh_dir = root / "ssh"
        self.state_dir = root / "state"
        self.ports_file = root / "ports.json"
        self.knobs_file = root / "knobs.json"
        self.endpoints_file = root / "endpoints.json"
        self.pid_file = root / "lmlab.pid"
        self.log_file = root / "lmlab.log"
        self.samba_dir = root / "samba"

    def init(self, site_text: str | None = None, source: str = "site file") -> Site:
        """Create the directory on first use (site, secrets); return the site. A new site (``site_text``,
        read from ``source``) replaces the old one, unless it moves the lab to another domain."""
        if site_text is not None:
            site = load_site(site_text, source)
            self._refuse_domain_change(site, source)
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        if site_text is not None:
            self.site_file.write_text(dump_site(site), encoding="utf-8")
        elif not self.site_file.exists():
            self.site_file.write_text(dump_site(reference_site()), encoding="utf-8")
        if not self.secrets_file.exists():
            _write_json(self.secrets_file, new_secrets(), private=True)
        return self.site()

    def site(self) -> Site:
        """The lab's site."""
        return load_site(self.site_file.read_text(encoding="utf-8"), str(self.site_file))

    def _refuse_domain_change(self, site: Site, source: str) -> None:
        """ValueError when ``site`` names another domain than the one this directory's hosts and DC were
        made for (their state carries the domain; Samba cannot rename a provisioned domain)."""
        if not self.site_file.exists():
            return
        old = self.site()
        made = self.samba_dir.exists() or any(self.state_dir.glob("*/*.json"))
        if made and (old.domain, old.netbios_domain) != (site.domain, site.netbios_domain):
            raise ValueError(f"{source}: domain {site.domain} ({site.netbios_domain}) differs from "
                             f"{old.domain} ({old.netbios_domain}), for which the lab in {self.root} was made "
                             f"(host state, AD); use another --lab-dir, or delete {self.root} to start afresh")

    def secrets(self) -> dict[str, Any]:
        """Passwords and the control token (never printed by lmlab)."""
        secrets: dict[str, Any] = json.loads(self.secrets_file.read_text(encoding="utf-8"))
        return secrets

    def read_json(self, path: Path, default: Any) -> Any:
        """A JSON file of the lab directory, or ``default`` when absent."""
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default

    def write_json(self, path: Path, data: Any, private: bool = False) -> None:
        """Atomically write a JSON file of the lab directory."""
        _write_json(path, data, private)
