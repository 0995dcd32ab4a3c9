"""Demo signing keys: a root CA standing for the university's trust root, and a signing
certificate issued by it (the key that signs every result document).

Why: production keys come from the university's CA and are configured by path
(``RESULTS_SIGNING_KEY``/``RESULTS_SIGNING_CERT``/``RESULTS_TRUST_ROOTS``, docs/configuration.md),
never committed. ``make run`` and the tests need *some* key pair, so this module makes one that
has the same shape as the real thing (a chain: root → signer), and ``verify_document`` checks a
file against the root exactly as it would against the university's.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class KeyFiles:
    key: Path
    cert: Path
    root: Path


def _name(organisation: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, sign_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certs,
        content_commitment=not sign_certs,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certs,
        crl_sign=sign_certs,
        encipher_only=False,
        decipher_only=False,
    )


def key_pair_generate(
    files: KeyFiles, *, organisation: str, label: str = "Demo", years: int = 5
) -> KeyFiles:
    """Write a new root CA certificate, a signing key and its certificate (PEM) to ``files``.

    The private key file is created with mode 0600; the root CA's key is not kept (a demo
    root signs one certificate and is never needed again).
    """
    now = dt.datetime.now(dt.UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name(organisation, f"{organisation} {label} Root CA")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * (years + 5)))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign_certs=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(organisation, f"{organisation} 电子文书签名 ({label})"))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign_certs=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    for path in (files.key, files.cert, files.root):
        path.parent.mkdir(parents=True, exist_ok=True)
    _write(files.root, root.public_bytes(serialization.Encoding.PEM), mode=0o644)
    _write(files.cert, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write(files.key, key_pem, mode=0o600)
    return files


def _write(path: Path, data: bytes, *, mode: int) -> None:
    """Write through a temporary file and rename: a reader never sees half a PEM file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def key_pair_ensure(files: KeyFiles, *, organisation: str) -> bool:
    """Generate the demo key pair unless all three files exist; True when it generated one.

    Several processes may ask at once (test workers, ``make run`` twice): a lock file beside
    the key makes one of them generate and the others wait and reuse.
    """
    files.key.parent.mkdir(parents=True, exist_ok=True)
    with open(files.key.parent / ".results-keys.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all(path.exists() for path in (files.key, files.cert, files.root)):
            return False
        key_pair_generate(files, organisation=organisation)
        return True


def configured_key_files() -> KeyFiles:
    """The key files the settings name (the first trust root is the demo root's place)."""
    from django.conf import settings

    return KeyFiles(
        key=Path(settings.RESULTS_SIGNING_KEY),
        cert=Path(settings.RESULTS_SIGNING_CERT),
        root=Path(settings.RESULTS_TRUST_ROOTS[0]),
    )
