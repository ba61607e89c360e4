"""The lab's real Active Directory: a Samba AD DC from Debian's packages, loopback only.

Provisioned once per lab directory (``<lab>/samba``), run in the foreground as a child of the
lab process (``samba -F -M single``; ``-i`` would exit when stdin closes), seeded like the
reference site: ``OU=HOSTS`` with an enabled computer account per lab host (dNSHostName set),
one disabled host and one cluster object (so the field guide's filter has something to exclude),
and a plain domain user without delegation rights. LDAP/LDAPS/Kerberos ports are Samba's fixed
ones (389, 636, 88), so one lab DC runs per machine.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldap3 import MODIFY_REPLACE, SIMPLE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPEntryAlreadyExistsResult

PACKAGES = ("samba", "samba-ad-dc", "samba-ad-provision", "winbind", "krb5-user")
DC_NAME = "labdc"
READY_TIMEOUT = 60.0
UAC_WORKSTATION = 0x1000
UAC_DISABLED = 0x2
UAC_NORMAL_USER = 0x200


class AdUnavailable(Exception):
    """The DC cannot run here (not root, packages missing, ports taken); the message says which."""


@dataclass(frozen=True)
class AdSeed:
    """What to create in a fresh domain."""

    hosts: list[str]
    disabled_host: str = "KOM-AD01-VM99"
    cluster_object: str = "KOM-AD01-VMCL"


def new_passwords() -> dict[str, str]:
    """Passwords that pass AD's complexity rules."""
    return {"admin_password": f"Aa1!{secrets.token_urlsafe(18)}", "user_password": f"Bb2!{secrets.token_urlsafe(18)}"}


def check_available() -> None:
    """Raise AdUnavailable unless samba can be provisioned and run here."""
    if os.geteuid() != 0:
        raise AdUnavailable("the Samba AD DC needs root (it binds ports 88/389/636 and runs as root)")
    missing = [p for p in ("samba", "samba-tool") if shutil.which(p) is None]
    if missing:
        raise AdUnavailable(f"Samba is not installed; run scripts/bootstrap or apt-get install {' '.join(PACKAGES)}")


class SambaDC:
    """Provision (once), start, seed and stop the lab's DC."""

    def __init__(self, directory: Path, realm: str, netbios_domain: str, passwords: dict[str, str]) -> None:
        self.directory = directory
        self.realm = realm.lower()
        self.netbios_domain = netbios_domain.upper()
        self.passwords = passwords
        self.base_dn = ",".join(f"DC={part}" for part in self.realm.split("."))
        self.hosts_ou = f"OU=HOSTS,{self.base_dn}"
        self.fqdn = f"{DC_NAME}.{self.realm}"
        self.conf = directory / "etc" / "smb.conf"
        self.ca_file = directory / "private" / "tls" / "ca.pem"
        self.process: subprocess.Popen[bytes] | None = None
        self.timings: dict[str, float] = {}

    def endpoints(self) -> dict[str, Any]:
        """What clients need (no passwords)."""
        return {
            "ldaps_url": "ldaps://127.0.0.1:636", "ldap_url": "ldap://127.0.0.1:389", "tls_name": self.fqdn,
            "ca_file": str(self.ca_file), "base_dn": self.base_dn, "hosts_ou": self.hosts_ou,
            "admin_user": f"Administrator@{self.realm}", "plain_user": f"lmuser@{self.realm}",
            "pid": self.process.pid if self.process else None, "timings_s": self.timings,
        }

    def provision(self) -> bool:
        """Provision the domain unless done before; True when it was provisioned now."""
        if self.conf.exists():
            return False
        self.directory.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        options = ["interfaces = lo", "bind interfaces only = yes", "server services = ldap kdc",
                   f"pid directory = {self.directory / 'run'}", f"winbindd socket directory = {self.directory / 'run'}",
                   f"log file = {self.directory / 'log.samba'}"]
        command = ["samba-tool", "domain", "provision", f"--realm={self.realm.upper()}",
                   f"--domain={self.netbios_domain}", "--server-role=dc", "--dns-backend=NONE",
                   f"--host-name={DC_NAME}", f"--adminpass={self.passwords['admin_password']}",
                   f"--targetdir={self.directory}"] + [f"--option={o}" for o in options]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            shutil.rmtree(self.directory, ignore_errors=True)
            tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise AdUnavailable("samba-tool domain provision failed: " + " | ".join(tail).replace(
                self.passwords["admin_password"], "***"))
        self.timings["provision"] = round(time.monotonic() - started, 2)
        return True

    def start(self, log_path: Path) -> None:
        """Run samba in the foreground (our child) and wait until an LDAPS handshake verifies against the
        CA that Samba generates on its first start (the port may open before the certificates are ready)."""
        started = time.monotonic()
        (self.directory / "run").mkdir(exist_ok=True)
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                ["samba", "-F", "--debug-stdout", "-M", "single", "-s", str(self.conf)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        deadline = time.monotonic() + READY_TIMEOUT
        while True:  # a readiness probe: the port accepts once the LDAP server task is up
            if self.process.poll() is not None:
                raise AdUnavailable(f"samba exited with {self.process.returncode} at start; see {log_path}")
            try:
                self._probe_ldaps()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise AdUnavailable(f"samba did not open LDAPS within {READY_TIMEOUT:.0f} s; see {log_path}") from None
                time.sleep(0.1)
        self.timings["ready"] = round(time.monotonic() - started, 2)

    def ca_written(self) -> bool:
        """Whether Samba's CA certificate is complete on disk (clients verify the DC against it)."""
        try:
            return self.ca_file.read_text().rstrip().endswith("-----END CERTIFICATE-----")
        except OSError:
            return False

    def _probe_ldaps(self) -> None:
        """One TLS handshake with 636, verified against the CA; raises OSError (ssl.SSLError) if not ready."""
        if not self.ca_written():
            raise OSError("the CA certificate is not written yet")
        context = ssl.create_default_context(cafile=str(self.ca_file))
        context.check_hostname = False
        with socket.create_connection(("127.0.0.1", 636), timeout=1) as raw, context.wrap_socket(raw):
            pass

    def seed(self, seed: AdSeed) -> None:
        """Create the OU, computer accounts and the plain user, unless present already."""
        started = time.monotonic()
        conn = self.connect(f"Administrator@{self.realm}", self.passwords["admin_password"])
        try:
            try:
                conn.add(self.hosts_ou, "organizationalUnit")
            except LDAPEntryAlreadyExistsResult:
                return
            for name, uac, description in (
                [(h, UAC_WORKSTATION, None) for h in seed.hosts]
                + [(seed.disabled_host, UAC_WORKSTATION | UAC_DISABLED, None),
                   (seed.cluster_object, UAC_WORKSTATION, "cluster name object")]
            ):
                attributes: dict[str, Any] = {
                    "sAMAccountName": f"{name}$", "userAccountControl": uac,
                    "dNSHostName": f"{name}.{self.realm}".lower(),
                }
                if description:
                    attributes["description"] = description
                conn.add(f"CN={name},{self.hosts_ou}", "computer", attributes)
            user_dn = f"CN=lmuser,CN=Users,{self.base_dn}"
            conn.add(user_dn, "user", {"sAMAccountName": "lmuser", "userPrincipalName": f"lmuser@{self.realm}"})
            password = f'"{self.passwords["user_password"]}"'.encode("utf-16-le")
            conn.modify(user_dn, {"unicodePwd": [(MODIFY_REPLACE, [password])],
                                  "userAccountControl": [(MODIFY_REPLACE, [UAC_NORMAL_USER])]})
        finally:
            conn.unbind()
        self.timings["seed"] = round(time.monotonic() - started, 2)

    def connect(self, user: str, password: str) -> Connection:
        """An ldap3 connection over LDAPS with CA verification (raises on failure)."""
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=str(self.ca_file), valid_names=[self.fqdn])
        server = Server("127.0.0.1", port=636, use_ssl=True, tls=tls)
        return Connection(server, user=user, password=password, authentication=SIMPLE, auto_bind=True,
                          raise_exceptions=True)

    def stop(self) -> None:
        """SIGTERM samba and wait for it."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
