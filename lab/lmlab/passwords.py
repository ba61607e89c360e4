"""Generated lab secrets: passwords that pass AD's complexity rules, and tokens (stdlib only).

Kept apart from ad.py so that writing a lab directory never imports the Samba/ldap3 code.
"""

from __future__ import annotations

import secrets


def complex_password(prefix: str = "Aa1!") -> str:
    """A random password with upper, lower, digit and symbol (AD's complexity rules), 28 characters."""
    return f"{prefix}{secrets.token_urlsafe(18)}"


def new_secrets() -> dict[str, object]:
    """Every secret of a new lab directory (the layout of secrets.json)."""
    return {
        "winrm": {"username": "lmadmin", "password": secrets.token_urlsafe(18)},
        "switch": {"username": "netadmin", "password": secrets.token_urlsafe(18),
                   "enable_secret": secrets.token_urlsafe(18)},
        "ad": {"admin_password": complex_password(), "user_password": complex_password("Bb2!")},
        "control_token": secrets.token_urlsafe(24),
    }
