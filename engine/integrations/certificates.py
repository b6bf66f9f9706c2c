"""Chứng thư số mẫu: a demo certification authority and a unit's signing certificate, as files.

For development and demonstrations only (`motcua demo load`): a real unit signs with the certificate a
licensed CA issued it. The CA's certificate is written as PEM (the verifier's trusted root); the unit's
key and certificate chain as PKCS#12 for `engine.integrations.signing.Pkcs12Signer`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

DEMO_PASSPHRASE = "demo-ky-so"


@dataclass(frozen=True)
class DemoKeys:
    """Where the demo CA's certificate and the unit's PKCS#12 file were written."""

    ca_pem: Path
    pkcs12: Path
    passphrase: str
    subject: str
    not_after: datetime


def _name(common_name: str, organisation: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, public_key, issuer_key, start: datetime, end: datetime, ca: bool):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                            crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


def make_demo_keys(folder: str | Path, unit_name: str, now: datetime, *, valid_days: int = 3 * 365,
                   passphrase: str = DEMO_PASSPHRASE, file_stem: str = "demo-signer") -> DemoKeys:
    """Write a demo CA (demo-ca.pem) and a signing certificate for `unit_name` (`file_stem`.p12) into `folder`.

    The certificate is valid from a day before `now` for `valid_days` (a negative number makes an
    expired one, for tests of the expired-key message).
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    ca_pem = target / "demo-ca.pem"
    ca_key_file = target / "demo-ca.key"
    if ca_pem.is_file() and ca_key_file.is_file():
        from cryptography import x509

        ca_cert = x509.load_pem_x509_certificate(ca_pem.read_bytes())
        ca_key = serialization.load_pem_private_key(ca_key_file.read_bytes(), None)
    else:
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca_name = _name("CA MÔ PHỎNG Một Cửa (chỉ dùng thử)", "Một Cửa - môi trường thử nghiệm")
        ca_cert = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, now - timedelta(days=2),
                               now + timedelta(days=10 * 365), ca=True)
        ca_key_file.write_bytes(ca_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))
        ca_key_file.chmod(0o600)
        ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = now - timedelta(days=1) if valid_days > 0 else now + timedelta(days=valid_days - 30)
    end = start + timedelta(days=abs(valid_days)) if valid_days > 0 else now - timedelta(days=1)
    cert = _certificate(_name(unit_name, unit_name), ca_cert.subject, key.public_key(), ca_key, start, end, ca=False)
    blob = pkcs12.serialize_key_and_certificates(
        b"chu-ky-so", key, cert, [ca_cert], serialization.BestAvailableEncryption(passphrase.encode()))
    pkcs12_path = target / f"{file_stem}.p12"
    pkcs12_path.write_bytes(blob)
    pkcs12_path.chmod(0o600)
    return DemoKeys(ca_pem, pkcs12_path, passphrase, cert.subject.rfc4514_string(), end)
