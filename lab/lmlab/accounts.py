"""Lab accounts: who may log on to the simulated hosts (WinRM) and with which password.

Passwords are generated at first `lmlab up` and kept in the lab directory (mode 0600); NTLM
validation reads them through pyspnego's ``NTLM_USER_FILE`` credential store.
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path


class Accounts:
    """Domain accounts known to every simulated host."""

    def __init__(self, netbios_domain: str, dns_domain: str, passwords: dict[str, str]) -> None:
        self.netbios_domain = netbios_domain.upper()
        self.dns_domain = dns_domain.lower()
        self._passwords = {name.lower(): pw for name, pw in passwords.items()}

    def _user_part(self, principal: str) -> str | None:
        """The bare user name if ``principal`` names one of ours (DOMAIN\\user, user@domain, user)."""
        name = principal.strip()
        if "\\" in name:
            domain, _, name = name.partition("\\")
            if domain.upper() not in (self.netbios_domain, self.dns_domain.upper()):
                return None
        elif "@" in name:
            name, _, domain = name.partition("@")
            if domain.lower() != self.dns_domain:
                return None
        return name.lower() if name.lower() in self._passwords else None

    def canonical(self, principal: str) -> str:
        """``DOMAIN\\user`` for a principal (used as the shell owner)."""
        user = self._user_part(principal) or principal.partition("\\")[2] or principal
        return f"{self.netbios_domain}\\{user.lower()}"

    def check_password(self, principal: str, password: str) -> str | None:
        """The canonical user when the password matches (constant-time), else None."""
        user = self._user_part(principal)
        if user is None:
            return None
        if not hmac.compare_digest(self._passwords[user].encode(), password.encode()):
            return None
        return self.canonical(user)

    def write_ntlm_user_file(self, path: Path) -> None:
        """Write the Heimdal-format store pyspnego's NTLM acceptor reads (mode 0600)."""
        lines = []
        for user, password in self._passwords.items():
            for domain in (self.netbios_domain, self.dns_domain.upper(), ""):
                lines.append(f"{domain}:{user}:{password}")
            lines.append(f":{user}@{self.dns_domain.upper()}:{password}")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("\n".join(lines) + "\n")
