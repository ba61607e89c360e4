"""The lab's certificate authority and the server certificates it issues (cryptography).

Clients verify the lab's HTTPS endpoints against ``<lab>/tls/ca.pem``, as they would verify a
real host against an enterprise CA. Certificates name 127.0.0.1 and the host's names as SANs.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALIDITY = datetime.timedelta(days=3650)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def dns_names(cert: x509.Certificate) -> list[str]:
    """The DNS names among a certificate's SANs."""
    return cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class LabCA:
    """A CA kept in ``directory`` (ca.pem, ca.key), created on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.cert_path = directory / "ca.pem"
        key_path = directory / "ca.key"
        if self.cert_path.exists() and key_path.exists():
            key = serialization.load_pem_private_key(key_path.read_bytes(), None)
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                raise ValueError(f"{key_path}: not the EC key lmlab writes; delete {directory} to start a new CA")
            self.key = key
            self.cert = x509.load_pem_x509_certificate(self.cert_path.read_bytes())
            return
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lmlab CA")])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        _write_private(key_path, _key_pem(self.key))
        self.cert_path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def server_cert(self, name: str, dns_names: list[str]) -> tuple[Path, Path]:
        """(cert chain path, key path) for ``name``: reused while it names exactly ``dns_names`` and
        was issued by this CA, issued anew otherwise (e.g. the site's hosts changed)."""
        cert_path = self.directory / f"{name}.pem"
        key_path = self.directory / f"{name}.key"
        if cert_path.exists() and key_path.exists() and self._current(cert_path, dns_names):
            return cert_path, key_path
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        sans: list[x509.GeneralName] = [x509.DNSName(d) for d in dns_names]
        sans.append(x509.IPAddress(ipaddress.IPv4Address("127.0.0.1")))
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns_names[0] if dns_names else name)]))
            .issuer_name(self.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + VALIDITY)
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        _write_private(key_path, _key_pem(key))
        chain = cert.public_bytes(serialization.Encoding.PEM) + self.cert.public_bytes(serialization.Encoding.PEM)
        cert_path.write_bytes(chain)
        return cert_path, key_path

    def _current(self, cert_path: Path, names: list[str]) -> bool:
        """True when the certificate at ``cert_path`` names exactly ``names`` and chains to this CA."""
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        return cert.issuer == self.cert.subject and set(dns_names(cert)) == set(names)
