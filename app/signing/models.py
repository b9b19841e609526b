from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, utcnow


class SignatureLevel(enum.StrEnum):
    """PAdES baseline levels (ETSI EN 319 142-1)."""

    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


class CertificateKind(enum.StrEnum):
    CA = "ca"
    PERSON = "person"
    ORGANISATION = "organisation"
    TSA = "tsa"
    OCSP = "ocsp"
    IMPORTED = "imported"


class CredentialKind(enum.StrEnum):
    BUILTIN = "builtin"  # a key made by the built-in CA, sealed in the database
    PKCS12 = "pkcs12"  # a key imported from a PKCS#12 file, sealed in the database
    PKCS11 = "pkcs11"  # a key on a token; only where to find it is kept


class CertificateAuthority(db.Model):
    """The deployment's built-in CA (one row), for demos and small deployments."""

    __tablename__ = "certificate_authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id"))
    key_sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    crl_number: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    # The time-stamp authority the app runs itself (RFC 3161), with a key of its own.
    tsa_certificate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    tsa_key_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)

    certificate: Mapped[Certificate] = relationship(foreign_keys=[certificate_id])
    tsa_certificate: Mapped[Certificate | None] = relationship(foreign_keys=[tsa_certificate_id])


class Certificate(db.Model):
    """An X.509 certificate the deployment knows: issued by the built-in CA, or imported."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(sa.String(64), index=True)  # hex, as pdfsig and OpenSSL print it
    issuer: Mapped[str] = mapped_column(sa.String(500))
    subject: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[str] = mapped_column(sa.String(20))
    not_before: Mapped[datetime]
    not_after: Mapped[datetime]
    pem: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("issuer", "serial"),)


class Credential(db.Model):
    """What a user or an organisation signs with: a certificate and where its private key is."""

    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id"))
    chain_pem: Mapped[str] = mapped_column(sa.Text, default="")  # intermediates, leaf excluded
    key_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    pkcs11_module: Mapped[str | None] = mapped_column(sa.String(500))
    pkcs11_token_label: Mapped[str | None] = mapped_column(sa.String(100))
    pkcs11_key_label: Mapped[str | None] = mapped_column(sa.String(100))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    certificate: Mapped[Certificate] = relationship()

    __table_args__ = (
        sa.CheckConstraint("(user_id IS NULL) <> (organisation_id IS NULL)", name="one_owner"),
        sa.CheckConstraint("kind IN ('builtin', 'pkcs12', 'pkcs11')", name="kind"),
    )


class TrustRoot(db.Model):
    """A CA certificate that validation trusts (the built-in CA's, and any the admin adds)."""

    __tablename__ = "trust_roots"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    pem: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SigningProfile(db.Model):
    """An organisation's choices: the PAdES level, and its seal image (digital seal, con dấu)."""

    __tablename__ = "signing_profiles"

    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), primary_key=True)
    level: Mapped[str] = mapped_column(sa.String(10), default="B-B")
    seal_blob_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))

    __table_args__ = (sa.CheckConstraint("level IN ('B-B', 'B-T', 'B-LT', 'B-LTA')", name="level"),)


class SignatureImage(db.Model):
    """A user's handwritten-signature image (a transparent PNG)."""

    __tablename__ = "signature_images"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    blob_sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SignatureReport(db.Model):
    """The validation of one stored PDF: one verdict for the document and one entry per signature."""

    __tablename__ = "signature_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("document_files.id"), index=True)
    verdict: Mapped[str] = mapped_column(sa.String(20))
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    signatures: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    validated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("verdict IN ('valid', 'untrusted', 'modified', 'invalid', 'unsigned')", name="verdict"),
    )
