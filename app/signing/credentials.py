"""Credentials: the built-in CA's certificates, imported PKCS#12 keys, PKCS#11 tokens, trust roots and revocation.

Private keys are sealed (app/signing/keys.py) before they reach the database; they are unsealed only to sign,
and the loaded key objects are kept in memory so that a signature does not pay for parsing them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache

import sqlalchemy as sa
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from flask import current_app
from flask_babel import gettext
from pyhanko.sign import signers
from pyhanko.sign.timestamps import TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from sqlalchemy.orm import aliased

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Organisation, User
from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import db, utcnow
from . import keys, pki
from .models import Certificate, CertificateAuthority, CertificateKind, Credential, CredentialKind, TrustRoot
from .tsa import TimeStampAuthority


class CertificateUnusable(InvalidState):
    code = "certificate_unusable"


# --- The built-in CA ------------------------------------------------------------------------------------


def authority_row() -> CertificateAuthority | None:
    return db.session.scalars(sa.select(CertificateAuthority).order_by(CertificateAuthority.id)).first()


def init_authority(name: str = "E-office Root CA") -> CertificateAuthority:
    """Create the deployment's CA once; the existing one is returned on later calls."""
    existing = authority_row()
    if existing is not None:
        return existing
    key, cert = pki.make_ca(pki.Subject(name, organisation="E-office"))
    cert_row = _certificate_row(cert, CertificateKind.CA)
    db.session.add(cert_row)
    db.session.flush()
    ca = CertificateAuthority(name=name, certificate_id=cert_row.id, key_sealed=b"")
    db.session.add(ca)
    db.session.flush()
    ca.key_sealed = keys.seal(keys.private_key_der(key), f"authority:{ca.id}")
    tsa_key = pki.new_key()
    tsa_cert = pki.issue(
        key,
        cert,
        pki.Subject(f"{name} Time-Stamp Authority", organisation="E-office"),
        tsa_key.public_key(),
        purpose="tsa",
        days=10 * 365,
        endpoints=_endpoints(),
    )
    tsa_row = _certificate_row(tsa_cert, CertificateKind.TSA)
    db.session.add(tsa_row)
    db.session.flush()
    ca.tsa_certificate_id = tsa_row.id
    ca.tsa_key_sealed = keys.seal(keys.private_key_der(tsa_key), f"tsa:{ca.id}")
    add_trust_root(None, pki.pem(cert), name)
    db.session.flush()
    record(AuditAction.PKI_AUTHORITY_CREATED, obj=("certificate", cert_row.id), serial=cert_row.serial)
    return ca


def _loaded_authority() -> tuple[pki.PrivateKey, x509.Certificate]:
    ca = authority_row()
    if ca is None:
        raise InvalidState(gettext("The built-in certificate authority is not set up: run `flask pki init`."))
    return _load_authority(ca.id, ca.key_sealed, ca.certificate.pem)


@lru_cache(maxsize=4)
def _load_authority(ca_id: int, sealed: bytes, cert_pem: str) -> tuple[pki.PrivateKey, x509.Certificate]:
    key = serialization.load_der_private_key(keys.unseal(sealed, f"authority:{ca_id}"), password=None)
    return key, pki.load_pem(cert_pem)  # type: ignore[return-value]


def time_stamp_authority() -> TimeStampAuthority:
    """The app's own RFC 3161 authority (for the demo and small deployments; production may use TSA_URL)."""
    ca = authority_row()
    if ca is None or ca.tsa_certificate is None or not ca.tsa_key_sealed:
        raise InvalidState(gettext("The built-in certificate authority is not set up: run `flask pki init`."))
    return _load_tsa(ca.id, ca.tsa_key_sealed, ca.tsa_certificate.pem, ca.certificate.pem)


@lru_cache(maxsize=4)
def _load_tsa(ca_id: int, sealed: bytes, cert_pem: str, ca_pem: str) -> TimeStampAuthority:
    key = serialization.load_der_private_key(keys.unseal(sealed, f"tsa:{ca_id}"), password=None)
    return TimeStampAuthority(key, pki.load_pem(cert_pem), [pki.load_pem(ca_pem)])  # type: ignore[arg-type]


class InProcessTimeStamper(TimeStamper):
    """Timestamps from the app's own authority without an HTTP round trip to itself (which would deadlock a
    single sync worker)."""

    def __init__(self, authority: TimeStampAuthority) -> None:
        super().__init__()
        self.authority = authority

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        return tsp.TimeStampResp.load(self.authority.respond(req.dump()))


def _endpoints() -> pki.Endpoints:
    base = (current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/")
    return pki.Endpoints(crl_url=f"{base}/pki/crl", ocsp_url=f"{base}/pki/ocsp", issuer_url=f"{base}/pki/ca.crt")


def _certificate_row(
    cert: x509.Certificate, kind: str, user_id: int | None = None, organisation_id: int | None = None
) -> Certificate:
    return Certificate(
        serial=pki.serial_hex(cert),
        issuer=cert.issuer.rfc4514_string(),
        subject=cert.subject.rfc4514_string(),
        kind=str(kind),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        pem=pki.pem(cert),
        sha256=pki.fingerprint(cert),
        user_id=user_id,
        organisation_id=organisation_id,
    )


def _retire(owner_filter: sa.ColumnElement[bool]) -> None:
    for old in db.session.scalars(sa.select(Credential).where(owner_filter, Credential.active)):
        old.active = False


def issue_for_user(user: User, *, days: int = 3 * 365, not_before: datetime | None = None) -> Credential:
    """A personal signing certificate from the built-in CA: the person's name and position, their organisation
    and its code in the subject. It replaces the user's active credential."""
    ca_key, ca_cert = _loaded_authority()
    key = pki.new_key()
    subject = pki.Subject(
        user.full_name,
        organisation=user.organisation.name,
        organisation_code=user.organisation.code,
        title=user.position,
        unit=user.unit.name if user.unit else None,
    )
    cert = pki.issue(
        ca_key, ca_cert, subject, key.public_key(), days=days, not_before=not_before, endpoints=_endpoints()
    )
    return _store_builtin(cert, key, CertificateKind.PERSON, user_id=user.id)


def issue_for_organisation(org: Organisation, *, days: int = 3 * 365) -> Credential:
    """The organisation's certificate, for its digital seal."""
    ca_key, ca_cert = _loaded_authority()
    key = pki.new_key()
    subject = pki.Subject(org.name, organisation=org.name, organisation_code=org.code)
    cert = pki.issue(ca_key, ca_cert, subject, key.public_key(), days=days, endpoints=_endpoints())
    return _store_builtin(cert, key, CertificateKind.ORGANISATION, organisation_id=org.id)


def _store_builtin(
    cert: x509.Certificate,
    key: pki.PrivateKey,
    kind: str,
    *,
    user_id: int | None = None,
    organisation_id: int | None = None,
) -> Credential:
    row = _certificate_row(cert, kind, user_id, organisation_id)
    db.session.add(row)
    db.session.flush()
    _retire(Credential.user_id == user_id if user_id else Credential.organisation_id == organisation_id)
    cred = Credential(
        kind=CredentialKind.BUILTIN,
        user_id=user_id,
        organisation_id=organisation_id,
        certificate_id=row.id,
        key_sealed=b"",
    )
    db.session.add(cred)
    db.session.flush()
    cred.key_sealed = keys.seal(keys.private_key_der(key), f"credential:{cred.id}")
    record(
        AuditAction.PKI_CERTIFICATE_ISSUED,
        obj=("certificate", row.id),
        serial=row.serial,
        kind=str(kind),
        user_id=user_id,
        organisation_id=organisation_id,
    )
    return cred


def _imported_certificate(actor: User, cert: x509.Certificate) -> Certificate:
    """The row of a certificate the user brings (known ones are reused); their active credential is retired."""
    row = db.session.scalars(sa.select(Certificate).where(Certificate.sha256 == pki.fingerprint(cert))).first()
    if row is None:
        row = _certificate_row(cert, CertificateKind.IMPORTED, user_id=actor.id)
        db.session.add(row)
        db.session.flush()
    _retire(Credential.user_id == actor.id)
    return row


def import_pkcs12(actor: User, data: bytes, password: str) -> Credential:
    """Import a user's key and certificate from a password-protected PKCS#12 file; the key is sealed at once."""
    if not data:
        raise InvalidInput({"file": gettext("The file is empty.")})
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, (password or "").encode() or None)
    except ValueError:
        raise InvalidInput({"password": gettext("The password is wrong, or the file is not a PKCS#12 file.")}) from None
    if key is None or cert is None:
        raise InvalidInput({"file": gettext("The PKCS#12 file holds no private key and certificate.")})
    row = _imported_certificate(actor, cert)
    cred = Credential(
        kind=CredentialKind.PKCS12,
        user_id=actor.id,
        certificate_id=row.id,
        key_sealed=b"",
        chain_pem="".join(pki.pem(c) for c in (extra or [])),
    )
    db.session.add(cred)
    db.session.flush()
    cred.key_sealed = keys.seal(keys.private_key_der(key), f"credential:{cred.id}")
    record(AuditAction.PKI_CREDENTIAL_IMPORTED, actor=actor, obj=("certificate", row.id), serial=row.serial)
    return cred


def register_token(actor: User, *, module: str, token_label: str, key_label: str, certificate_pem: str) -> Credential:
    """Remember where a user's USB token keeps their key; only the certificate and the labels are stored."""
    try:
        cert = pki.load_pem(certificate_pem)
    except ValueError:
        raise InvalidInput({"certificate": gettext("Not a PEM certificate.")}) from None
    errors = {k: gettext("Required.") for k, v in (("token_label", token_label), ("key_label", key_label)) if not v}
    modules = current_app.config.get("PKCS11_MODULES", {})
    if module not in modules:
        errors["module"] = gettext(
            "Choose one of the token drivers this server offers: %(names)s.", names=", ".join(sorted(modules)) or "-"
        )
    if errors:
        raise InvalidInput(errors)
    row = _imported_certificate(actor, cert)
    cred = Credential(
        kind=CredentialKind.PKCS11,
        user_id=actor.id,
        certificate_id=row.id,
        pkcs11_module=module,
        pkcs11_token_label=token_label,
        pkcs11_key_label=key_label,
    )
    db.session.add(cred)
    db.session.flush()
    record(
        AuditAction.PKI_CREDENTIAL_IMPORTED,
        actor=actor,
        obj=("certificate", row.id),
        serial=row.serial,
        token=token_label,
    )
    return cred


def credential_of_user(user_id: int) -> Credential | None:
    return db.session.scalars(
        sa.select(Credential).where(Credential.user_id == user_id, Credential.active).order_by(Credential.id.desc())
    ).first()


def credential_of_organisation(organisation_id: int) -> Credential | None:
    return db.session.scalars(
        sa.select(Credential)
        .where(Credential.organisation_id == organisation_id, Credential.active)
        .order_by(Credential.id.desc())
    ).first()


def check_usable(cert_row: Certificate, at: datetime | None = None) -> None:
    """A revoked, expired or not-yet-valid certificate cannot sign: 409 naming the reason."""
    at = at or utcnow()
    if cert_row.revoked_at is not None:
        raise CertificateUnusable(
            gettext(
                "The certificate %(serial)s was revoked on %(date)s.",
                serial=cert_row.serial,
                date=cert_row.revoked_at.date().isoformat(),
            ),
            reason="revoked",
        )
    if at < cert_row.not_before:
        raise CertificateUnusable(
            gettext(
                "The certificate %(serial)s is not valid before %(date)s.",
                serial=cert_row.serial,
                date=cert_row.not_before.date().isoformat(),
            ),
            reason="not_yet_valid",
        )
    if at > cert_row.not_after:
        raise CertificateUnusable(
            gettext(
                "The certificate %(serial)s expired on %(date)s.",
                serial=cert_row.serial,
                date=cert_row.not_after.date().isoformat(),
            ),
            reason="expired",
        )


@lru_cache(maxsize=256)
def _simple_signer(cred_id: int, sealed: bytes, cert_pem: str, chain_pem: str) -> signers.SimpleSigner:
    """One pyHanko signer per credential and process: the key is unsealed and parsed once."""
    key_der = keys.unseal(sealed, f"credential:{cred_id}")
    cert = pki.load_pem(cert_pem)
    chain = x509.load_pem_x509_certificates(chain_pem.encode()) if chain_pem.strip() else []
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in chain]
            + [_as_asn1(r.pem) for r in _root_rows()]
        ),
    )


def trust_root_rows() -> list[TrustRoot]:
    return _root_rows()


def add_trust_root_as_admin(actor: User, pem_text: str, name: str | None = None) -> TrustRoot:
    """Trust roots are the deployment's: only an administrator of a top-level organisation adds one."""
    from ..auth.models import Role

    if not actor.has_role(Role.ADMIN) or actor.organisation.parent_id is not None:
        raise Forbidden(gettext("Only an administrator of a top-level organisation adds trust roots."))
    return add_trust_root(actor, pem_text, name)


def _root_rows() -> list[TrustRoot]:
    return list(db.session.scalars(sa.select(TrustRoot).order_by(TrustRoot.id)))


@contextmanager
def signer_for(cred: Credential, pin: str | None = None) -> Iterator[signers.Signer]:
    """A pyHanko signer for a credential: a sealed key, or a session on the PKCS#11 token (PIN needed)."""
    if cred.kind == CredentialKind.PKCS11:
        from .tokens import TokenError, open_token_signer

        if not pin:
            raise InvalidInput({"pin": gettext("Enter the PIN of your token.")})
        try:
            library = current_app.config.get("PKCS11_MODULES", {}).get(cred.pkcs11_module or "", "")
            with open_token_signer(
                library,
                cred.pkcs11_token_label or "",
                cred.pkcs11_key_label or "",
                pin,
                certificate=pki.load_pem(cred.certificate.pem),
            ) as signer:
                yield signer
        except TokenError as err:
            raise InvalidInput({"pin" if "pin" in err.code else "token": str(err)}, code="token_error") from None
        return
    if not cred.key_sealed:
        raise InvalidState(gettext("This credential has no key."))
    yield _simple_signer(cred.id, cred.key_sealed, cred.certificate.pem, cred.chain_pem or "")


# --- Trust roots and revocation ---------------------------------------------------------------------------


def add_trust_root(actor: User | None, pem_text: str, name: str | None = None) -> TrustRoot:
    try:
        cert = pki.load_pem(pem_text)
    except ValueError:
        raise InvalidInput({"certificate": gettext("Not a PEM certificate.")}) from None
    constraints = _basic_constraints(cert)
    if constraints is None or not constraints.ca:
        raise InvalidInput({"certificate": gettext("This is not a CA certificate.")})
    existing = db.session.scalars(sa.select(TrustRoot).where(TrustRoot.sha256 == pki.fingerprint(cert))).first()
    if existing is not None:
        return existing
    root = TrustRoot(
        name=name or cert.subject.rfc4514_string()[:300],
        pem=pki.pem(cert),
        sha256=pki.fingerprint(cert),
        added_by_id=actor.id if actor else None,
    )
    db.session.add(root)
    db.session.flush()
    record(AuditAction.PKI_TRUST_ROOT_ADDED, actor=actor, obj=("trust_root", root.id), sha256=root.sha256)
    return root


def _basic_constraints(cert: x509.Certificate) -> x509.BasicConstraints | None:
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return None


def trust_roots() -> list[x509.Certificate]:
    return [_parsed(r.pem) for r in _root_rows()]


@lru_cache(maxsize=64)
def _parsed(pem_text: str) -> x509.Certificate:
    return pki.load_pem(pem_text)


def validation_material() -> tuple[list[asn1_x509.Certificate], list[asn1_crl.CertificateList]]:
    """The trust roots and the built-in CA's current CRL, as pyHanko takes them, for every validation.

    Two light queries tell whether anything changed; the parsed certificates and list are kept in memory.
    """
    pems = db.session.scalars(sa.select(TrustRoot.pem).order_by(TrustRoot.id))
    roots = [_as_asn1(pem) for pem in pems]
    state = _authority_state()
    crls = [_parsed_crl(_crl_entry(state)[1])] if state is not None else []
    return roots, crls


@lru_cache(maxsize=64)
def _as_asn1(pem_text: str) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(pki.load_pem(pem_text).public_bytes(serialization.Encoding.DER))


def current_crl_der() -> bytes:
    return _crl_entry()[1]


@lru_cache(maxsize=2)
def _parsed_crl(der: bytes) -> asn1_crl.CertificateList:
    return asn1_crl.CertificateList.load(der)


def revoke(actor: User | None, serial: str, reason: str = "unspecified") -> Certificate:
    """Revoke a certificate of the built-in CA by its serial (hex); its credentials stop signing at once."""
    serial = serial.strip().lower().removeprefix("0x").lstrip("0") or "0"
    ca = authority_row()
    issuer = ca.certificate.subject if ca else None
    row = db.session.scalars(
        sa.select(Certificate).where(Certificate.serial == serial, Certificate.issuer == issuer)
    ).first()
    if row is None or row.kind == CertificateKind.CA:
        raise NotFound(gettext("The built-in CA issued no certificate with serial %(serial)s.", serial=serial))
    flag = x509.ReasonFlags.__members__.get(reason) or next((f for f in x509.ReasonFlags if f.value == reason), None)
    if flag is None:
        raise InvalidInput({"reason": gettext("Unknown revocation reason.")})
    reason = flag.value
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        row.revocation_reason = reason
        record(
            AuditAction.PKI_CERTIFICATE_REVOKED, actor=actor, obj=("certificate", row.id), serial=serial, reason=reason
        )
    return row


def _revoked_entries(ca: CertificateAuthority) -> list[pki.Revoked]:
    rows = db.session.scalars(
        sa.select(Certificate).where(Certificate.issuer == ca.certificate.subject, Certificate.revoked_at.is_not(None))
    )
    return [
        pki.Revoked(int(r.serial, 16), r.revoked_at, x509.ReasonFlags(r.revocation_reason or "unspecified"))
        for r in rows
        if r.revoked_at is not None
    ]


_CRL_CACHE: dict[tuple, tuple[float, x509.CertificateRevocationList, bytes]] = {}
CRL_REFRESH_SECONDS = 3600


def current_crl() -> x509.CertificateRevocationList:
    """The CA's CRL. It is made again as soon as a revocation changes the list (one query tells), and at
    least every hour; in between the signed list is kept in memory."""
    return _crl_entry()[0]


def _authority_state() -> tuple[str, int, datetime | None] | None:
    """(the CA certificate's SHA-256, how many certificates it revoked, the last revocation), in one query;
    None without a built-in CA."""
    row = db.session.execute(_authority_state_query()).first()
    return (row[0], row[1], row[2]) if row is not None else None


@lru_cache(maxsize=1)
def _authority_state_query() -> sa.Select:
    # Built once: putting a statement with aliases together costs more than running it.
    ca_cert, revoked = aliased(Certificate), aliased(Certificate)
    return (
        sa.select(ca_cert.sha256, sa.func.count(revoked.id), sa.func.max(revoked.revoked_at))
        .select_from(CertificateAuthority)
        .join(ca_cert, ca_cert.id == CertificateAuthority.certificate_id)
        .outerjoin(revoked, sa.and_(revoked.issuer == ca_cert.subject, revoked.revoked_at.is_not(None)))
        .group_by(CertificateAuthority.id, ca_cert.sha256)
        .order_by(CertificateAuthority.id)
        .limit(1)
    )


def _crl_entry(state: tuple[str, int, datetime | None] | None = None) -> tuple[x509.CertificateRevocationList, bytes]:
    state = state if state is not None else _authority_state()
    if state is None:
        raise NotFound(gettext("No certificate authority."))
    now = datetime.now(UTC).timestamp()
    cached = _CRL_CACHE.get(state)
    if cached is not None and now - cached[0] < CRL_REFRESH_SECONDS:
        return cached[1], cached[2]
    ca = authority_row()
    assert ca is not None  # the state above came from it
    key, cert = _loaded_authority()
    crl = pki.build_crl(key, cert, _revoked_entries(ca), int(now))
    der = crl.public_bytes(serialization.Encoding.DER)
    _CRL_CACHE.clear()
    _CRL_CACHE[state] = (now, crl, der)
    return crl, der


def ocsp_answer(request_der: bytes) -> bytes:
    ca = authority_row()
    if ca is None:
        raise NotFound(gettext("No certificate authority."))
    key, cert = _loaded_authority()

    def lookup(serial: int) -> pki.CertStatus:
        row = db.session.scalars(
            sa.select(Certificate).where(
                Certificate.serial == format(serial, "x"), Certificate.issuer == ca.certificate.subject
            )
        ).first()
        if row is None:
            return pki.CertStatus(known=False)
        reason = x509.ReasonFlags(row.revocation_reason) if row.revocation_reason else None
        return pki.CertStatus(True, row.revoked_at, reason, pki.load_pem(row.pem))

    return pki.ocsp_response(request_der, key, cert, lookup)


def fingerprint_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
