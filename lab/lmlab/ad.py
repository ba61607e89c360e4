"""The lab's real Active Directory: a Samba AD DC from Debian's packages, loopback only.

Provisioned once per lab directory (``<lab>/samba``), run in the foreground as a child of the
lab process (``samba -F -M single``; ``-i`` would exit when stdin closes), seeded like the
reference site: ``OU=HOSTS`` with an enabled computer account per lab host (dNSHostName set),
one disabled host and one cluster object (so the field guide's filter has something to exclude),
and a plain domain user without delegation rights. LDAP/LDAPS/Kerberos ports are Samba's fixed
ones (389, 636, 88), so one lab DC runs per machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

from ldap3 import LEVEL, MODIFY_REPLACE, SIMPLE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPEntryAlreadyExistsResult

from .passwords import complex_password

PACKAGES = ("samba", "samba-ad-dc", "samba-ad-provision", "winbind", "krb5-user")
DC_NAME = "labdc"
READY_TIMEOUT = 60.0
LDAPS_PORT = 636
UAC_WORKSTATION = 0x1000
UAC_DISABLED = 0x2
UAC_NORMAL_USER = 0x200
HYPERV_HOST_SERVICES = ("HOST", "RestrictedKrbHost", "Microsoft Virtual Console Service",
                        "Microsoft Virtual System Migration Service")
"""The services a domain-joined Hyper-V host registers on its account (HOST and RestrictedKrbHost by
the domain join, the two Hyper-V ones by vmms), each as ``<service>/<NAME>`` and ``<service>/<fqdn>``."""


class LdapConnection(Protocol):
    """The part of ldap3's Connection the DC code uses, typed (ldap3's stubs leave these untyped)."""

    entries: list[Any]

    def add(self, dn: str, object_class: str, attributes: dict[str, Any] | None = None) -> bool:
        """Add an entry."""

    def modify(self, dn: str, changes: dict[str, Any]) -> bool:
        """Modify an entry's attributes."""

    def delete(self, dn: str) -> bool:
        """Delete an entry."""

    def search(self, search_base: str, search_filter: str, search_scope: str, attributes: list[str]) -> bool:
        """Search; the results land in ``entries``."""

    def unbind(self) -> bool:
        """Close the connection."""


def _accepts(port: int) -> bool:
    """True when something accepts TCP connections on 127.0.0.1:``port``."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _unicode_pwd(password: str) -> bytes:
    """The unicodePwd value that sets ``password`` (quoted, UTF-16LE; LDAPS only)."""
    return f'"{password}"'.encode("utf-16-le")


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


class AdUnavailable(Exception):
    """The DC cannot run here (not root, packages missing, ports taken); the message says which."""


@dataclass(frozen=True)
class AdSeed:
    """What to create in a fresh domain."""

    hosts: list[str]
    disabled_host: str = "KOM-AD01-VM99"
    cluster_object: str = "KOM-AD01-VMCL"


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
        self.throwaway_file = directory / "provision-password"
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
        """Provision the domain unless done before; True when it was provisioned now.

        The Administrator password given to samba-tool is a throwaway (argv is visible in ``ps``);
        :meth:`set_admin_password` replaces it over LDAPS once the DC runs. Until then the
        throwaway waits in a 0600 file, so an interrupted first start can still finish later.
        """
        if self.conf.exists():
            return False
        self.directory.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        throwaway = complex_password()
        _write_private(self.throwaway_file, throwaway)
        result = subprocess.run(self.provision_command(throwaway), check=False, capture_output=True,
                                text=True, timeout=300)
        if result.returncode != 0:
            shutil.rmtree(self.directory, ignore_errors=True)
            tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise AdUnavailable("samba-tool domain provision failed: " + " | ".join(tail).replace(throwaway, "***"))
        self.timings["provision"] = round(time.monotonic() - started, 2)
        return True

    def provision_command(self, admin_password: str) -> list[str]:
        """The samba-tool command line that provisions the domain with ``admin_password``."""
        options = ["interfaces = lo", "bind interfaces only = yes", "server services = ldap kdc",
                   f"pid directory = {self.directory / 'run'}", f"winbindd socket directory = {self.directory / 'run'}",
                   f"log file = {self.directory / 'log.samba'}"]
        return ["samba-tool", "domain", "provision", f"--realm={self.realm.upper()}",
                f"--domain={self.netbios_domain}", "--server-role=dc", "--dns-backend=NONE",
                f"--host-name={DC_NAME}", f"--adminpass={admin_password}",
                f"--targetdir={self.directory}"] + [f"--option={o}" for o in options]

    def set_admin_password(self) -> None:
        """Replace the provisioning throwaway with the lab's Administrator password (LDAPS, unicodePwd)."""
        if not self.throwaway_file.exists():
            return
        conn = self.connect(f"Administrator@{self.realm}", self.throwaway_file.read_text(encoding="utf-8"))
        try:
            conn.modify(f"CN=Administrator,CN=Users,{self.base_dn}",
                        {"unicodePwd": [(MODIFY_REPLACE, [_unicode_pwd(self.passwords["admin_password"])])]})
        finally:
            conn.unbind()
        self.throwaway_file.unlink()

    def start(self, log_path: Path) -> None:
        """Run samba in the foreground (our child) and wait until an LDAPS handshake verifies against the
        CA that Samba generates on its first start (the port may open before the certificates are ready)."""
        started = time.monotonic()
        if _accepts(LDAPS_PORT):
            raise AdUnavailable(f"port {LDAPS_PORT} is taken (another DC or slapd); one lab DC per machine")
        (self.directory / "run").mkdir(exist_ok=True)
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                ["samba", "-F", "--debug-stdout", "-M", "single", "-s", str(self.conf)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        deadline = time.monotonic() + READY_TIMEOUT
        while True:  # a readiness probe: the port accepts once the LDAP server task is up
            if self.process.poll() is not None:
                raise AdUnavailable(f"samba exited with {self.process.returncode} at start; see {log_path}")
            if self._ldaps_ready():
                break
            if time.monotonic() > deadline:
                self.stop()
                raise AdUnavailable(f"samba did not open LDAPS within {READY_TIMEOUT:.0f} s; see {log_path}")
            time.sleep(0.1)
        self.timings["ready"] = round(time.monotonic() - started, 2)

    def ca_written(self) -> bool:
        """Whether Samba's CA certificate is complete on disk (clients verify the DC against it)."""
        try:
            return self.ca_file.read_text().rstrip().endswith("-----END CERTIFICATE-----")
        except OSError:
            return False

    def _ldaps_ready(self) -> bool:
        """One TLS handshake with 636, verified against the CA: Samba opens the port before its
        self-generated certificates are complete."""
        if not self.ca_written():
            return False
        context = ssl.create_default_context(cafile=str(self.ca_file))
        context.check_hostname = False
        try:
            with socket.create_connection(("127.0.0.1", LDAPS_PORT), timeout=1) as raw, context.wrap_socket(raw):
                return True
        except OSError:
            return False

    def seed(self, seed: AdSeed) -> None:
        """Create whatever of the seed is missing (a new domain, or hosts added to the site); existing
        objects keep their state, as device state survives `lmlab down`/`up`."""
        started = time.monotonic()
        self._sync(seed, restore=False)
        self.timings["seed"] = round(time.monotonic() - started, 2)

    def reset(self, seed: AdSeed) -> None:
        """Back to the seed (`lmlab reset`): seeded objects get their seed attributes again (UAC,
        dNSHostName, description, SPNs, no msDS-AllowedToDelegateTo), missing ones are re-created, other
        objects in OU=HOSTS are deleted, and lmuser is enabled with the lab's password."""
        self._sync(seed, restore=True)

    def _sync(self, seed: AdSeed, restore: bool) -> None:
        conn = self.admin()
        try:
            with contextlib.suppress(LDAPEntryAlreadyExistsResult):
                conn.add(self.hosts_ou, "organizationalUnit")
            conn.search(self.hosts_ou, "(objectClass=*)", LEVEL, attributes=["cn"])
            present = {entry.entry_dn.lower(): entry.entry_dn for entry in conn.entries}
            wanted = self._seed_objects(seed)
            for dn, attributes in wanted.items():
                if dn.lower() not in present:
                    conn.add(dn, "computer", {k: v for k, v in attributes.items() if v != []})
                elif restore:
                    changes = {k: v for k, v in attributes.items() if k != "sAMAccountName"}
                    conn.modify(dn, {k: [(MODIFY_REPLACE, v if isinstance(v, list) else [v])]
                                     for k, v in changes.items()})
            if restore:
                for dn in set(present) - {d.lower() for d in wanted}:
                    conn.delete(present[dn])
            self._sync_user(conn, restore)
        finally:
            conn.unbind()

    def _seed_objects(self, seed: AdSeed) -> dict[str, dict[str, Any]]:
        """DN -> attributes of every seeded computer account ([] = attribute absent)."""
        objects: list[tuple[str, int, list[str]]] = [(h, UAC_WORKSTATION, []) for h in seed.hosts]
        objects += [(seed.disabled_host, UAC_WORKSTATION | UAC_DISABLED, []),
                    (seed.cluster_object, UAC_WORKSTATION, ["cluster name object"])]
        return {
            f"CN={name},{self.hosts_ou}": {
                "sAMAccountName": f"{name}$", "userAccountControl": uac,
                "dNSHostName": f"{name}.{self.realm}".lower(), "description": description,
                "msDS-AllowedToDelegateTo": [],
                "servicePrincipalName": [] if description else [
                    f"{service}/{host}" for service in HYPERV_HOST_SERVICES
                    for host in (name, f"{name}.{self.realm}".lower())],
            }
            for name, uac, description in objects
        }

    def _sync_user(self, conn: LdapConnection, restore: bool) -> None:
        """The plain user lmuser: created when missing; enabled with the lab's password on restore."""
        user_dn = f"CN=lmuser,CN=Users,{self.base_dn}"
        conn.search(f"CN=Users,{self.base_dn}", "(sAMAccountName=lmuser)", LEVEL, attributes=["cn"])
        if conn.entries and not restore:
            return
        if not conn.entries:
            conn.add(user_dn, "user", {"sAMAccountName": "lmuser", "userPrincipalName": f"lmuser@{self.realm}"})
        conn.modify(user_dn, {"unicodePwd": [(MODIFY_REPLACE, [_unicode_pwd(self.passwords["user_password"])])],
                              "userAccountControl": [(MODIFY_REPLACE, [UAC_NORMAL_USER])]})

    def connect(self, user: str, password: str) -> LdapConnection:
        """An ldap3 connection over LDAPS with CA verification (raises on failure)."""
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=str(self.ca_file), valid_names=[self.fqdn])
        server = Server("127.0.0.1", port=636, use_ssl=True, tls=tls)
        return cast(LdapConnection, Connection(server, user=user, password=password, authentication=SIMPLE,
                                               auto_bind=True, raise_exceptions=True))

    def admin(self) -> LdapConnection:
        """An LDAPS connection as the domain's Administrator (raises on failure)."""
        return self.connect(f"Administrator@{self.realm}", self.passwords["admin_password"])

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
