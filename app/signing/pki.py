"""The built-in certificate authority, as plain functions over `cryptography` objects (no Flask, no database).

Keys are ECDSA P-256: small, fast to sign with, and accepted by poppler and Acrobat. Subjects carry the
organisation code (QCVN 102 agency identifier) as organizationIdentifier (2.5.4.97).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

ORGANIZATION_IDENTIFIER = ObjectIdentifier("2.5.4.97")
PrivateKey = ec.EllipticCurvePrivateKey


def new_key() -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@dataclass(frozen=True)
class Subject:
    common_name: str
    organisation: str | None = None
    organisation_code: str | None = None
    unit: str | None = None
    title: str | None = None
    country: str = "VN"

    def name(self) -> x509.Name:
        parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, self.country)]
        if self.organisation:
            parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.organisation[:64]))
        if self.organisation_code:
            parts.append(x509.NameAttribute(ORGANIZATION_IDENTIFIER, self.organisation_code))
        if self.unit:
            parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, self.unit[:64]))
        if self.title:
            parts.append(x509.NameAttribute(NameOID.TITLE, self.title[:64]))
        parts.append(x509.NameAttribute(NameOID.COMMON_NAME, self.common_name[:64]))
        return x509.Name(parts)


def make_ca(subject: Subject, key: PrivateKey | None = None, years: int = 20) -> tuple[PrivateKey, x509.Certificate]:
    """A self-signed root: CA, may sign certificates and CRLs."""
    key = key or new_key()
    now = datetime.now(UTC)
    name = subject.name()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


@dataclass(frozen=True)
class Endpoints:
    """Where relying parties fetch revocation data (served by the app itself)."""

    crl_url: str | None = None
    ocsp_url: str | None = None
    issuer_url: str | None = None


def issue(
    ca_key: PrivateKey,
    ca_cert: x509.Certificate,
    subject: Subject,
    public_key: object,
    *,
    purpose: str = "signing",
    days: int = 3 * 365,
    not_before: datetime | None = None,
    endpoints: Endpoints = Endpoints(),
) -> x509.Certificate:
    """A leaf certificate. `purpose`: "signing" (documents), "tsa" (RFC 3161) or "ocsp" (responses)."""
    start = not_before or datetime.now(UTC) - timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject.name())
        .issuer_name(ca_cert.subject)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=purpose == "signing",
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)  # type: ignore[arg-type]
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    if purpose == "tsa":
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    elif purpose == "ocsp":
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
        builder = builder.add_extension(x509.OCSPNoCheck(), critical=False)
    if endpoints.crl_url and purpose != "ocsp":
        point = x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(endpoints.crl_url)],
            relative_name=None,
            reasons=None,
            crl_issuer=None,
        )
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    access = []
    if endpoints.ocsp_url and purpose != "ocsp":
        access.append(
            x509.AccessDescription(
                x509.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(endpoints.ocsp_url)
            )
        )
    if endpoints.issuer_url:
        access.append(
            x509.AccessDescription(
                x509.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(endpoints.issuer_url)
            )
        )
    if access:
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


@dataclass(frozen=True)
class Revoked:
    serial: int
    at: datetime
    reason: x509.ReasonFlags = x509.ReasonFlags.unspecified


def build_crl(
    ca_key: PrivateKey, ca_cert: x509.Certificate, revoked: Iterable[Revoked], number: int, hours: int = 24
) -> x509.CertificateRevocationList:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - timedelta(minutes=1))
        .next_update(now + timedelta(hours=hours))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    for item in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(item.serial)
            .revocation_date(item.at)
            .add_extension(x509.CRLReason(item.reason), critical=False)
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(ca_key, hashes.SHA256())


@dataclass(frozen=True)
class CertStatus:
    """What the CA knows of a serial: None when it never issued it."""

    known: bool
    revoked_at: datetime | None = None
    reason: x509.ReasonFlags | None = None
    certificate: x509.Certificate | None = None


def ocsp_response(
    request_der: bytes,
    ca_key: PrivateKey,
    ca_cert: x509.Certificate,
    lookup: Callable[[int], CertStatus],
) -> bytes:
    """Answer one OCSP request (RFC 6960), signed by the CA itself."""
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(
            serialization.Encoding.DER
        )
    status = lookup(request.serial_number)
    if not status.known or status.certificate is None:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
            serialization.Encoding.DER
        )
    now = datetime.now(UTC)
    cert_status = ocsp.OCSPCertStatus.REVOKED if status.revoked_at else ocsp.OCSPCertStatus.GOOD
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=status.certificate,
            issuer=ca_cert,
            algorithm=hashes.SHA1(),  # noqa: S303 - the CertID hash RFC 6960 clients send
            cert_status=cert_status,
            this_update=now - timedelta(minutes=1),
            next_update=now + timedelta(hours=1),
            revocation_time=status.revoked_at,
            revocation_reason=status.reason if status.revoked_at else None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, ca_cert)
    )
    nonce = next((e for e in request.extensions if isinstance(e.value, x509.OCSPNonce)), None)
    if nonce is not None:
        builder = builder.add_extension(nonce.value, critical=False)
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def load_pem(text: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(text.encode())


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")
