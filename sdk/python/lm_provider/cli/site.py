"""The site description the ``lm-provider`` command reads: a YAML file in the shape of a stack file,
or a stack's configuration through the Pulumi CLI; either way every value as Pulumi hands it over
(text; lists and maps as JSON), keyed by the full key (``lm-fabric:hosts``, ``lm:winrmUsername``).

Passwords are never read from a file in plain text: in a file, they come from environment variables
(:data:`PASSWORD_VARIABLES`); a ``secure:`` value (encrypted by Pulumi) is refused with a pointer to
``--stack``. Every problem is one line naming the file (and line) or the key.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..pulumi_cli import pulumi_root

PASSWORD_VARIABLES = {
    "lm:winrmPassword": "LM_WINRM_PASSWORD",
    "lm:ldapPassword": "LM_LDAP_PASSWORD",
    "lm:switchPassword": "LM_SWITCH_PASSWORD",
    "lm:switchEnableSecret": "LM_SWITCH_ENABLE_SECRET",
}
"""Secret ``lm:`` keys and the environment variables that give them (when the site does not)."""
SWITCH_SECRETS = {"password": "lm:switchPassword", "enableSecret": "lm:switchEnableSecret"}
"""Secret settings of an ``lm:switches`` entry and the stack-wide key they override."""
PLAIN_TEXT = "a password must not be in a file in plain text"
PULUMI_TIMEOUT = 120.0


class SiteError(Exception):
    """The site description cannot be used: ``problems`` lists each one as one line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Site:
    """The configuration values (full key -> text) and where they came from (for messages and names)."""

    values: Mapping[str, str]
    origin: str
    name: str

    def namespace(self, namespace: str) -> dict[str, str]:
        """The values of ``namespace`` by their key without it (``hosts`` for ``lm-fabric:hosts``)."""
        prefix = f"{namespace}:"
        return {key[len(prefix):]: value for key, value in self.values.items() if key.startswith(prefix)}

    def get(self, key: str) -> str | None:
        """An ``lm:`` key (given without ``lm:``), else its password variable from the environment."""
        full = f"lm:{key}"
        value = self.values.get(full)
        if value is None and full in PASSWORD_VARIABLES:
            value = os.environ.get(PASSWORD_VARIABLES[full]) or None
        return value


def _text(value: Any) -> str:
    """A YAML value as Pulumi hands it over: text, ``true``/``false``, numbers as written, the rest as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value)


def _plain_secrets(origin: str, key: str, value: Any) -> list[str]:
    """Problems for passwords written in plain text (the key, never the value)."""
    if key in PASSWORD_VARIABLES and not isinstance(value, dict):
        return [f"{origin}: {key}: {PLAIN_TEXT}; remove it and set {PASSWORD_VARIABLES[key]} in the environment "
                "(or use --stack NAME, where it is a secret)"]
    if key != "lm:switches":
        return []
    entries = value if isinstance(value, dict) else _json_object(value)
    return [f"{origin}: lm:switches.{name}.{setting}: {PLAIN_TEXT}; remove it and set "
            f"{PASSWORD_VARIABLES[stack_key]} (for every switch) or use --stack NAME"
            for name, entry in entries.items() if isinstance(entry, dict)
            for setting, stack_key in SWITCH_SECRETS.items() if entry.get(setting) not in (None, "")]


def _json_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, str):
        return {}
    try:
        parsed = json.loads(value)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def read_site_file(path: Path) -> Site:
    """The ``config:`` map of a stack-shaped YAML file; SiteError names the file, line and reason."""
    origin = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SiteError([f"{origin}: cannot read it ({exc.strerror or exc})"]) from None
    except UnicodeDecodeError:
        raise SiteError([f"{origin}: is not UTF-8 text"]) from None
    try:
        document = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{origin}:{mark.line + 1}:{mark.column + 1}" if mark else origin
        raise SiteError([f"{where}: not valid YAML: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise SiteError([f"{origin}: not valid YAML: {exc}"]) from None
    config = document.get("config") if isinstance(document, dict) else None
    if not isinstance(config, dict):
        raise SiteError([f"{origin}: expected a map with a config: map of keys (the shape of Pulumi.<stack>.yaml)"])
    problems: list[str] = []
    values: dict[str, str] = {}
    for key, value in config.items():
        key = str(key)
        if isinstance(value, dict) and "secure" in value:
            problems.append(f"{origin}: {key}: an encrypted (secure:) value can only be read by Pulumi; use "
                            "--stack NAME [--cwd DIR] with PULUMI_CONFIG_PASSPHRASE, or leave it out and set "
                            f"{PASSWORD_VARIABLES.get(key, 'the value in plain text')}")
            continue
        problems += _plain_secrets(origin, key, value)
        if value is not None:
            values[key] = _text(value)
    if problems:
        raise SiteError(problems)
    return Site(values, origin, path.stem.removeprefix("Pulumi."))


def read_stack(stack: str, cwd: Path) -> Site:
    """A stack's configuration (secrets decrypted) from ``pulumi config --json --show-secrets``."""
    origin = f"stack {stack}"
    try:
        command = str(pulumi_root() / "bin" / "pulumi")
    except FileNotFoundError as exc:
        raise SiteError([str(exc)]) from None
    if not cwd.is_dir():
        raise SiteError([f"--cwd {cwd}: no such directory (the Pulumi project's directory)"])
    try:
        result = subprocess.run([command, "config", "--json", "--show-secrets", "--stack", stack], cwd=cwd,
                                capture_output=True, text=True, timeout=PULUMI_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SiteError([f"{origin}: pulumi config did not run: {exc}"]) from None
    if result.returncode != 0:
        lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit code {result.returncode}"
        raise SiteError([f"{origin}: pulumi config --stack {stack} failed in {cwd}: {reason}"])
    try:
        parsed = json.loads(result.stdout)
    except ValueError:
        raise SiteError([f"{origin}: pulumi config printed no JSON"]) from None
    values = {str(key): _text(entry["value"]) for key, entry in parsed.items()
              if isinstance(entry, dict) and entry.get("value") is not None}
    return Site(values, origin, stack)
