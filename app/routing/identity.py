"""This server's identity in the exchange: a key and a self-signed certificate, made once, and what a peer
learns at /api/v1/exchange/identity (the certificate, its fingerprint and the organisations hosted here).

Peers pin the certificate: an administrator adding a peer compares its fingerprint with the one the peer's
own administrator reads out (`flask peers identity`), as with SSH host keys. The key is sealed at rest like
every other private key (app/signing/keys.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import current_app, request

from ..auth.models import Organisation
from ..extensions import db
from ..signing import keys
from .models import ExchangeIdentity

PURPOSE = "exchange-identity"


def fingerprint(certificate_pem: str | bytes) -> str:
    """SHA-256 of the certificate's DER, in hex: what administrators compare."""
    data = certificate_pem.encode() if isinstance(certificate_pem, str) else certificate_pem
    cert = x509.load_pem_x509_certificate(data)
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def spaced(fingerprint_hex: str) -> str:
    """AB:CD:... as people read fingerprints aloud."""
    return ":".join(fingerprint_hex[i : i + 2] for i in range(0, len(fingerprint_hex), 2)).upper()


def server_name() -> str:
    configured = current_app.config.get("EXCHANGE_NAME")
    if configured:
        return str(configured)
    public = current_app.config.get("PUBLIC_URL") or ""
    return urlsplit(public).hostname or "e-office"


def _self_signed(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "E-office"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Máy chủ trao đổi văn bản {name}"[:64]),
        ]
    )
    start = datetime.now(UTC) - timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=10 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, cert


def own_identity() -> ExchangeIdentity:
    """This server's identity row, made on first use (in the caller's transaction)."""
    row = db.session.scalars(sa.select(ExchangeIdentity).order_by(ExchangeIdentity.id)).first()
    if row is not None:
        return row
    key, cert = _self_signed(server_name())
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    row = ExchangeIdentity(certificate_pem=pem, fingerprint=fingerprint(pem), key_sealed=b"")
    db.session.add(row)
    db.session.flush()
    row.key_sealed = keys.seal(keys.private_key_der(key), f"{PURPOSE}:{row.id}")
    db.session.flush()
    return row


@dataclass(frozen=True)
class SigningMaterial:
    key_pem: bytes
    certificate_pem: bytes


def signing_material() -> SigningMaterial:
    """The key (PEM, in memory only) and certificate that sign what this server sends."""
    row = own_identity()
    der = keys.unseal(row.key_sealed, f"{PURPOSE}:{row.id}")
    key = serialization.load_der_private_key(der, password=None)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SigningMaterial(key_pem, row.certificate_pem.encode())


def hosted_organisations() -> list[dict[str, str]]:
    rows = db.session.scalars(sa.select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.code))
    return [{"code": o.code, "name": o.name} for o in rows]


def identity_document() -> dict[str, object]:
    """What /api/v1/exchange/identity answers."""
    row = own_identity()
    return {
        "name": server_name(),
        "base_url": (current_app.config.get("PUBLIC_URL") or request.host_url).rstrip("/"),
        "certificate": row.certificate_pem,
        "fingerprint": row.fingerprint,
        "organisations": hosted_organisations(),
        "protocol": "edXML (QCVN 102:2016) envelopes over HTTP POST to /api/v1/exchange/messages",
    }
