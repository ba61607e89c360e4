"""Run this repository's Pulumi projects (the main job, examples, the template) with the real CLI on
the lab, as a user would: a copy of the project, the repository's virtualenv, a file backend,
`lmlab pulumi-config` for the lab's keys; and what the tests compare afterwards
(device models, call counts, AD attributes)."""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ldap3 import BASE, Connection, Server, Tls

from lm_provider.engine import OfflineEngine
from lmlab.testing import RunningLab

REPO = Path(__file__).resolve().parents[2]
AD_ATTRIBUTES = ["msDS-AllowedToDelegateTo", "userAccountControl", "servicePrincipalName", "description",
                 "uSNChanged"]


def copy_project(source: Path, dest: Path, *names: str) -> Path:
    """``names`` (files or directories) of the project in ``source`` copied to ``dest``, whose
    ``.venv`` is the repository's virtualenv."""
    dest.mkdir(parents=True)
    for name in names:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source / name, dest / name)
    (dest / ".venv").symlink_to(REPO / ".venv")
    return dest


@dataclass
class StackCli:
    """The Pulumi CLI for one project directory, on the offline engine's file backend under ``state``."""

    project: Path
    state: Path
    passphrase: str = "stack-cli-test-passphrase"

    @property
    def env(self) -> dict[str, str]:
        """The environment of every run (lm_provider.engine's offline settings, an isolated PULUMI_HOME)."""
        return {**os.environ, **OfflineEngine(self.state, passphrase=self.passphrase).env}

    def __call__(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """``pulumi ARGS --color never`` in the project; with ``check``, fail the test unless it succeeds."""
        return run(["pulumi", *args, "--color", "never"], self.project, self.env, check, timeout)

    def outputs(self, stack: str) -> dict[str, Any]:
        """The stack's outputs (secrets shown)."""
        found: dict[str, Any] = json.loads(self("stack", "output", "--json", "--show-secrets", "--stack", stack).stdout)
        return found

    def new_stack(self, stack: str, lab: RunningLab) -> None:
        """Create ``stack`` and set the lab's ``lm:`` keys on it with `lmlab pulumi-config`."""
        self("stack", "init", stack)
        run([*lab.cli_argv(), "pulumi-config", "--stack", stack], self.project, self.env, True, 120)


def run(argv: list[str], cwd: Path, env: dict[str, str], check: bool,
        timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``argv``; with ``check``, fail the test (showing its output) unless it exits with 0."""
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(argv)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def models(lab: RunningLab, devices: Iterable[str]) -> dict[str, Any]:
    """Each device's whole model, from the control API."""
    return {name: lab.control.call("GET", f"/devices/{name}") for name in devices}


def changing_calls(lab: RunningLab) -> dict[str, dict[str, int]]:
    """Every device's changing invocations per op since the counts were last reset (zeros left out)."""
    status = lab.control.call("GET", "/status")
    devices = {**status["hosts"], **status["switches"]}
    return {name: {op: row["changing"] for op, row in device["calls"].items() if row["changing"]}
            for name, device in devices.items() if any(row["changing"] for row in device["calls"].values())}


def ad_admin(lab: RunningLab) -> tuple[Connection, str]:
    """An ldap3 connection of the test's own to the lab's DC (as administrator, LDAPS verified) and
    the DN of the OU holding the hosts' computer accounts; unbind it when done."""
    ad = {**lab.endpoints["ad"], **lab.dir.secrets()["ad"]}
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ad["ca_file"], valid_names=[ad["tls_name"]])
    conn = Connection(Server("127.0.0.1", port=636, use_ssl=True, tls=tls), ad["admin_user"], ad["admin_password"],
                      auto_bind=True, raise_exceptions=True)
    return conn, ad["hosts_ou"]


def modify_account(lab: RunningLab, computer: str, changes: dict[str, Any]) -> None:
    """One ldap3 modify of a host's computer account, behind lm-provider's back."""
    conn, hosts_ou = ad_admin(lab)
    try:
        conn.modify(f"CN={computer},{hosts_ou}", changes)
    finally:
        conn.unbind()


def ad_accounts(lab: RunningLab, names: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    """The watched attributes of each computer account in the lab's OU=HOSTS (an ldap3 connection of the test's own)."""
    conn, hosts_ou = ad_admin(lab)
    ad = {"hosts_ou": hosts_ou}
    try:
        found = {}
        for name in names:
            conn.search(f"CN={name},{ad['hosts_ou']}", "(objectClass=*)", BASE, attributes=AD_ATTRIBUTES)
            found[name] = {a: sorted(str(v) for v in conn.entries[0][a].values) for a in AD_ATTRIBUTES}
        return found
    finally:
        conn.unbind()


def without(snapshot: dict[str, dict[str, Any]], *fields: str) -> dict[str, dict[str, Any]]:
    """A snapshot without ``fields`` (counters that legitimately move, like ``uSNChanged``)."""
    return {name: {k: v for k, v in entry.items() if k not in fields} for name, entry in snapshot.items()}


def differences(old: Any, new: Any, path: str = "") -> list[str]:
    """Where two JSON-like values differ: ``path: old -> new`` per differing leaf (maps walked key by key)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [line for key in sorted({*old, *new}, key=str)
                for line in differences(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))]
    return [] if old == new else [f"{path}: {old!r} -> {new!r}"]
