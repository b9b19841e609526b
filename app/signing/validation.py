"""Validation of signed PDFs (PAdES, also plain PKCS#7 and document timestamps) as a library.

Bytes and trust roots in, a `DocumentReport` out; no Flask, no database, no network unless `allow_fetching`.
pyHanko does the cryptography, the coverage checks and the difference analysis between revisions; this module
turns its findings into one verdict per signature and one for the document, with reasons in plain English.

Per signature, `verdict` is
  * "invalid" when the signature itself cannot be relied on: its hash or signature value does not match, the CMS
    cannot be read, the certificate was revoked (and no trusted timestamp proves the signature came first) or was
    not valid at the signing time, it uses a rejected algorithm, its byte range does not cover its own revision,
    or the document was changed after it in a way signing and form filling do not explain;
  * "untrusted" when it is intact but the certificate does not chain to the trust roots (or the chain could not
    be validated, e.g. the certificate expired since and no timestamp proves when the signature was made);
  * "valid" otherwise. Form filling or new signatures after it are allowed; whether something later covers them
    is a question for the document verdict.

The document verdict, in order of precedence:
  * "unsigned": no signatures at all;
  * "invalid": some signature is broken (hash mismatch, unreadable CMS, revoked, expired at signing time...);
  * "modified": something changed after a signature that it does not allow, a signature does not cover its
    revision, or what is shown is not exactly what the last signer signed: bytes or revisions after the last
    signature (form filling included). The one exception: updates that pyHanko classifies as LTA_UPDATES
    (validation data in the DSS, document timestamps, invisible signature fields) do not change what is shown
    and are accepted after the last signature;
  * "untrusted": everything is intact but some chain does not reach the trust roots;
  * "valid".
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from io import BytesIO
from typing import Any, Literal

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID, ObjectIdentifier
from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    SignatureStatus,
    TimestampSignatureStatus,
)
from pyhanko_certvalidator import ValidationContext

from . import aio

__all__ = [
    "DocumentReport",
    "SignatureCheck",
    "UnreadablePdf",
    "validate",
    "validate_async",
]

SignatureVerdict = Literal["valid", "untrusted", "invalid"]
DocumentVerdict = Literal["valid", "untrusted", "modified", "invalid", "unsigned"]
Revocation = Literal["good", "revoked", "unknown", "not checked"]

ORGANIZATION_IDENTIFIER = ObjectIdentifier("2.5.4.97")
NAME_OVERRIDES = {ORGANIZATION_IDENTIFIER: "organizationIdentifier"}

# A document signature needs digitalSignature or nonRepudiation (one is enough).
SIGNING_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)

# What pyHanko's PDF parser, stream filters and CMS handling raise on hostile or damaged input (NotImplementedError:
# features pyHanko refuses, e.g. some seed-value constraints or stream filters).
READ_ERRORS = (
    misc.PdfError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    RecursionError,
    OverflowError,
    NotImplementedError,
    zlib.error,
)


class UnreadablePdf(Exception):
    """The bytes cannot be validated at all: not a PDF, damaged beyond reading, or encrypted."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


@dataclass(frozen=True)
class SignatureCheck:
    """What one signature (or document timestamp) vouches for, and whether it can be relied on."""

    field_name: str
    signer_name: str | None
    signer_organisation: str | None
    certificate_serial: str | None
    certificate_issuer: str | None
    signing_time: datetime | None
    timestamp_time: datetime | None
    intact: bool
    trusted: bool
    revocation: Revocation
    cert_valid_at_signing: bool
    modification_level: str | None
    coverage: str | None
    docmdp_permissions: str | None
    docmdp_ok: bool | None
    is_document_timestamp: bool
    subfilter: str | None
    verdict: SignatureVerdict
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {f.name: _json_value(getattr(self, f.name)) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class DocumentReport:
    verdict: DocumentVerdict
    reasons: tuple[str, ...]
    signatures: tuple[SignatureCheck, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "signatures": [s.to_json() for s in self.signatures],
        }


class _Problem(Enum):
    BROKEN = "broken"  # the signature cannot be relied on at all -> document "invalid"
    ALTERED = "altered"  # changes it does not allow, or bad coverage -> document "modified"
    UNTRUSTED = "untrusted"  # intact, but no trusted chain -> document "untrusted"


@dataclass(frozen=True)
class _Finding:
    check: SignatureCheck
    problems: frozenset[_Problem]
    revision: int
    coverage: SignatureCoverageLevel | None
    level: ModificationLevel | None


@dataclass(frozen=True)
class _Settings:
    trust_roots: tuple[asn1_x509.Certificate, ...]
    crls: tuple[asn1_crl.CertificateList, ...]
    ocsps: tuple[bytes, ...]
    allow_fetching: bool
    now: datetime | None

    @property
    def revocation_data(self) -> bool:
        return bool(self.crls or self.ocsps)

    @property
    def revocation_mode(self) -> str:
        return "hard-fail" if self.revocation_data else "soft-fail"

    @property
    def checks_revocation(self) -> bool:
        return self.revocation_data or self.allow_fetching

    def context(self, moment: datetime | None = None) -> ValidationContext:
        """A fresh context per signature: contexts keep state (paths, soft-fail errors, fetched data).

        With `moment` (validation at a time in the past, proven by a timestamp) revocation data is only what was
        supplied, and is taken as valid for that moment even when issued later.
        """
        past = moment is not None
        return ValidationContext(
            trust_roots=list(self.trust_roots),
            crls=list(self.crls),
            ocsps=list(self.ocsps),
            allow_fetching=self.allow_fetching and not past and self.now is None,
            moment=moment if past else self.now,
            revocation_mode=self.revocation_mode,
            retroactive_revinfo=past,
        )


# --- inputs ----------------------------------------------------------------------------------------------------------


def _asn1_certificate(cert: object) -> asn1_x509.Certificate:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, x509.Certificate):
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    if isinstance(cert, bytes):
        return asn1_x509.Certificate.load(cert)
    raise TypeError(f"a trust root must be a certificate, not {type(cert).__name__}")


def _crl_der(item: object) -> bytes:
    if isinstance(item, x509.CertificateRevocationList):
        return item.public_bytes(serialization.Encoding.DER)
    if isinstance(item, asn1_crl.CertificateList):
        return item.dump()
    if isinstance(item, bytes):
        return item
    raise TypeError(f"a CRL must be a certificate revocation list or DER bytes, not {type(item).__name__}")


def _ocsp_der(item: object) -> bytes:
    if isinstance(item, ocsp.OCSPResponse):
        return item.public_bytes(serialization.Encoding.DER)
    if isinstance(item, asn1_ocsp.OCSPResponse):
        return item.dump()
    if isinstance(item, bytes):
        return item
    raise TypeError(f"an OCSP response must be a response object or DER bytes, not {type(item).__name__}")


def _end_of_last_revision(pdf: bytes) -> int | None:
    """Offset just past the last %%EOF marker and the end-of-line after it, or None when there is none."""
    at = pdf.rfind(b"%%EOF")
    if at < 0:
        return None
    end = at + 5
    if pdf[end : end + 2] == b"\r\n":
        return end + 2
    if pdf[end : end + 1] in (b"\n", b"\r"):
        return end + 1
    return end


def _appended_data(pdf: bytes) -> bool:
    """True when something other than the end-of-line follows the last %%EOF."""
    end = _end_of_last_revision(pdf)
    return end is not None and end < len(pdf)


def _reader(pdf: bytes) -> PdfFileReader:
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        if reader.encrypted:
            return reader
        reader.root  # noqa: B018 - parse the catalogue now, so a damaged one fails here
    except READ_ERRORS as e:
        raise UnreadablePdf(f"the file is not a readable PDF ({e})") from e
    return reader


def _open(pdf: bytes) -> tuple[PdfFileReader, bool]:
    """The reader, and whether data after the last %%EOF had to be cut off to read the file at all.

    pyHanko only looks for %%EOF in the last kilobyte; viewers look further. When the file cannot be read
    whole but can be without what follows its last %%EOF, it is read that way and reported as modified.
    """
    try:
        reader, truncated = _reader(pdf), False
    except UnreadablePdf:
        end = _end_of_last_revision(pdf)
        if end is None or end == len(pdf):
            raise
        reader, truncated = _reader(pdf[:end]), True
    if reader.encrypted:
        raise UnreadablePdf("the PDF is encrypted; its signatures cannot be checked without decrypting it")
    return reader, truncated


# --- one signature ---------------------------------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _day(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d}"


def _first(name: x509.Name, oid: ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _display_name(name: x509.Name) -> str:
    return _first(name, NameOID.COMMON_NAME) or name.rfc4514_string(NAME_OVERRIDES)


@dataclass(frozen=True)
class _Certificate:
    cert: x509.Certificate

    @classmethod
    def load(cls, cert: asn1_x509.Certificate | None) -> _Certificate | None:
        if cert is None:
            return None
        try:
            return cls(x509.load_der_x509_certificate(cert.dump()))
        except ValueError:
            return None

    @property
    def common_name(self) -> str | None:
        return _first(self.cert.subject, NameOID.COMMON_NAME)

    @property
    def organisation(self) -> str | None:
        return _first(self.cert.subject, NameOID.ORGANIZATION_NAME)

    @property
    def serial(self) -> str:
        return format(self.cert.serial_number, "x")

    @property
    def issuer(self) -> str:
        return self.cert.issuer.rfc4514_string(NAME_OVERRIDES)

    @property
    def not_before(self) -> datetime:
        return self.cert.not_valid_before_utc

    @property
    def not_after(self) -> datetime:
        return self.cert.not_valid_after_utc


def _kind(is_timestamp: bool) -> str:
    return "document timestamp" if is_timestamp else "signature"


def _broken_finding(
    field_name: str,
    revision: int,
    reason: str,
    *,
    cert: asn1_x509.Certificate | None = None,
    subfilter: str | None = None,
    is_timestamp: bool = False,
) -> _Finding:
    """A signature that could not be checked at all: unreadable CMS, unsupported format, structural errors."""
    info = _Certificate.load(cert)
    check = SignatureCheck(
        field_name=field_name,
        signer_name=info.common_name if info else None,
        signer_organisation=info.organisation if info else None,
        certificate_serial=info.serial if info else None,
        certificate_issuer=info.issuer if info else None,
        signing_time=None,
        timestamp_time=None,
        intact=False,
        trusted=False,
        revocation="unknown",
        cert_valid_at_signing=False,
        modification_level=None,
        coverage=None,
        docmdp_permissions=None,
        docmdp_ok=None,
        is_document_timestamp=is_timestamp,
        subfilter=subfilter,
        verdict="invalid",
        reasons=(reason,),
    )
    return _Finding(check, frozenset({_Problem.BROKEN}), revision, None, None)


def _declares_revocation_service(cert: asn1_x509.Certificate) -> bool:
    return bool(cert.crl_distribution_points or cert.ocsp_urls)


def _revocation(status: SignatureStatus, settings: _Settings, context: ValidationContext) -> Revocation:
    if status.revoked:
        return "revoked"
    if not settings.checks_revocation:
        return "not checked"
    if not status.trusted or not _declares_revocation_service(status.signing_cert):
        return "unknown"
    if settings.revocation_mode == "hard-fail" or not context.soft_fail_exceptions:
        # hard-fail: a declared CRL/OCSP service had to answer for the path to validate
        return "good"
    return "unknown"


def _trust_reasons(status: SignatureStatus, cert: _Certificate | None) -> list[str]:
    """Why an intact signature is not trusted, from pyHanko's AdES sub-indication."""
    indic = status.trust_problem_indic
    issuer = _display_name(cert.cert.issuer) if cert else "an unknown issuer"
    if indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        return [f"the certificate was issued by '{issuer}', which is not one of the trusted certificate authorities"]
    if indic == AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE:
        return ["the certificate is not allowed to sign documents (its key usage does not permit it)"]
    if indic == AdESIndeterminate.TRY_LATER:
        return ["the revocation information for the certificate is out of date; try again later"]
    if indic == AdESIndeterminate.NO_POE:
        return ["there is no proof that the signature existed while its certificate was valid"]
    if indic is None:
        return [f"the certificate issued by '{issuer}' could not be traced to a trusted certificate authority"]
    return [
        f"the certificate chain from '{issuer}' to a trusted certificate authority could not be validated "
        "(for example, its revocation status could not be established)"
    ]


def _coverage_reason(coverage: SignatureCoverageLevel) -> str:
    if coverage == SignatureCoverageLevel.UNCLEAR:
        return "the signed byte ranges leave out more than the signature value, so part of the file is not signed"
    return "the signature does not cover the whole revision it belongs to"


async def _validate_once(
    emb: EmbeddedPdfSignature, context: ValidationContext, is_timestamp: bool, *, skip_diff: bool = False
) -> PdfSignatureStatus | DocumentTimestampStatus:
    if is_timestamp:
        return await async_validate_pdf_timestamp(emb, context, skip_diff=skip_diff)
    return await async_validate_pdf_signature(emb, context, key_usage_settings=SIGNING_KEY_USAGE, skip_diff=skip_diff)


async def _trusted_at(emb: EmbeddedPdfSignature, settings: _Settings, is_timestamp: bool, moment: datetime) -> bool:
    """Whether the certificate validates at a past moment (one that a trusted timestamp proves)."""
    context = settings.context(moment)
    try:
        status = await _validate_once(emb, context, is_timestamp, skip_diff=True)
    except READ_ERRORS:
        return False
    finally:
        await context.aclose()
    return status.trusted


@dataclass
class _Assessment:
    """Problems and reasons collected for one signature."""

    kind: str
    problems: set[_Problem] = dataclasses.field(default_factory=set)
    reasons: list[str] = dataclasses.field(default_factory=list)

    def add(self, problem: _Problem | None, reason: str) -> None:
        if problem is not None:
            self.problems.add(problem)
        self.reasons.append(reason)

    @property
    def verdict(self) -> SignatureVerdict:
        if self.problems & {_Problem.BROKEN, _Problem.ALTERED}:
            return "invalid"
        return "untrusted" if _Problem.UNTRUSTED in self.problems else "valid"


@dataclass(frozen=True)
class _Timing:
    claimed: datetime | None  # what the signer says (signed attributes, else the signed /M)
    timestamp: datetime | None  # the signature timestamp token's time, trusted or not
    proven: datetime | None  # the timestamp's time, when the token is intact and trusted
    token: TimestampSignatureStatus | None

    @classmethod
    def of(cls, status: PdfSignatureStatus | DocumentTimestampStatus) -> _Timing:
        if isinstance(status, DocumentTimestampStatus):
            # the token is the signature itself: its time is the authority's claim, proven by nothing else
            return cls(None, status.timestamp, None, None)
        token = status.timestamp_validity
        if token is None:
            return cls(status.signer_reported_dt, None, None, None)
        trusted = token.intact and token.valid and token.trusted
        return cls(status.signer_reported_dt, token.timestamp, token.timestamp if trusted else None, token)

    @property
    def signed_at(self) -> datetime | None:
        return self.proven or self.claimed or self.timestamp


def _assess_integrity(status: SignatureStatus, timing: _Timing, found: _Assessment) -> None:
    if not status.intact:
        found.add(
            _Problem.BROKEN, "the signed bytes were changed after signing: their hash does not match the signature"
        )
    elif not status.valid:
        found.add(_Problem.BROKEN, f"the {found.kind} value does not verify against the signer's certificate")
    token = timing.token
    if token is not None and not (token.intact and token.valid):
        found.add(_Problem.BROKEN, "the timestamp on the signature is damaged: it does not match the signature")
    elif token is not None and not token.trusted:
        tsa = _Certificate.load(token.signing_cert)
        name = tsa.common_name if tsa else "an unknown authority"
        found.add(_Problem.UNTRUSTED, f"the timestamp on the signature comes from '{name}', which is not trusted")


def _assess_validity_period(
    cert: _Certificate | None, timing: _Timing, validation_time: datetime | None, found: _Assessment
) -> bool:
    """Whether the certificate was within its validity period when the signature was made."""
    if cert is None:
        return False
    signed_at = timing.signed_at
    if signed_at is None:  # nothing says when: judge by the validation time, and let the chain check speak
        moment = validation_time or datetime.now(UTC)
        return cert.not_before <= moment <= cert.not_after
    if signed_at > cert.not_after:
        found.add(
            _Problem.BROKEN,
            f"the certificate had expired on {_day(cert.not_after)}, before the {found.kind} was made "
            f"on {_when(signed_at)}",
        )
        return False
    if signed_at < cert.not_before:
        found.add(
            _Problem.BROKEN,
            f"the certificate only became valid on {_day(cert.not_before)}, after the {found.kind} "
            f"was made on {_when(signed_at)}",
        )
        return False
    return True


async def _assess_trust(
    emb: EmbeddedPdfSignature,
    status: SignatureStatus,
    cert: _Certificate | None,
    timing: _Timing,
    in_period: bool,
    settings: _Settings,
    found: _Assessment,
) -> tuple[bool, bool]:
    """(trusted, certificate valid at signing time) after revocation and chain checks.

    A revocation or expiry after a time proven by a trusted timestamp is not held against the signature when the
    certificate validates at that time. Without such proof, a revocation invalidates the signature (the signer's
    own claim of an earlier time is what a holder of a compromised key would also claim), while an expiry after
    the claimed time only leaves it untrusted.
    """
    if not (status.intact and status.valid):
        return False, True  # pyHanko did not get as far as the chain
    indic = status.trust_problem_indic
    proven, horizon = timing.proven, status.error_time_horizon
    expired_since = indic == AdESIndeterminate.OUT_OF_BOUNDS_NO_POE
    if (
        (status.revoked or expired_since)
        and in_period
        and proven is not None
        and horizon is not None
        and proven < horizon
        and await _trusted_at(emb, settings, emb.sig_object_type == "/DocTimeStamp", proven)
    ):
        what = "was revoked" if status.revoked else "expired"
        found.add(
            None,
            f"the certificate {what} on {_day(horizon)}, but a trusted timestamp proves the {found.kind} "
            f"was made earlier, on {_when(proven)}",
        )
        return True, True
    details = status.revocation_details
    if details is not None:
        whose = "the certificate of its issuing authority" if details.ca_revoked else "the certificate"
        found.add(_Problem.BROKEN, f"{whose} was revoked on {_day(details.revocation_date)}")
        signed_at = timing.signed_at
        claimed = timing.claimed
        if claimed is not None and proven is None and claimed < details.revocation_date:
            found.add(
                None,
                f"the signer claims to have signed on {_when(claimed)}, before the revocation, "
                "but no trusted timestamp proves it",
            )
        return False, signed_at is not None and signed_at < details.revocation_date
    if indic in (AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE, AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE):
        found.add(_Problem.BROKEN, f"the {found.kind} uses an algorithm or key size that is no longer accepted")
        return False, True
    if status.trusted:
        return True, True
    if expired_since and not in_period:
        return False, True  # already reported: the certificate had expired when the signature was made
    if expired_since and cert is not None and timing.signed_at is not None:
        found.add(
            _Problem.UNTRUSTED,
            f"the certificate expired on {_day(cert.not_after)}; the {found.kind} claims to have been made on "
            f"{_when(timing.signed_at)}, but no trusted timestamp proves it",
        )
    else:
        for reason in _trust_reasons(status, cert):
            found.add(_Problem.UNTRUSTED, reason)
    return False, True


def _assess_modifications(
    status: PdfSignatureStatus | DocumentTimestampStatus, docmdp: MDPPerm | None, found: _Assessment
) -> None:
    coverage, level = status.coverage, status.modification_level
    if coverage is not None and coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        found.add(_Problem.ALTERED, _coverage_reason(coverage))
    elif level == ModificationLevel.OTHER:
        found.add(
            _Problem.ALTERED,
            f"the document was changed after this {found.kind} in a way that adding signatures or filling in "
            "form fields does not explain",
        )
    elif status.docmdp_ok is False and docmdp is not None and level is not None:
        found.add(
            _Problem.ALTERED,
            f"the document was changed after this {found.kind} ({_level_words(level)}), which its certification "
            f"({_docmdp_words(docmdp)}) does not permit",
        )


async def _check_signature(field_name: str, emb: EmbeddedPdfSignature, settings: _Settings) -> _Finding:
    is_timestamp = emb.sig_object_type == "/DocTimeStamp"
    subfilter = emb.sig_object.get("/SubFilter")
    subfilter_text = str(subfilter) if subfilter is not None else None
    kind = _kind(is_timestamp)
    context = settings.context()
    try:
        status = await _validate_once(emb, context, is_timestamp)
        revocation = _revocation(status, settings, context)
    except READ_ERRORS as e:  # SignatureValidationError included: structural CMS errors, unsupported formats
        detail = e.failure_message if isinstance(e, SignatureValidationError) else str(e)
        return _broken_finding(
            field_name,
            emb.signed_revision,
            f"the {kind} could not be checked: {detail}",
            cert=_signer_cert_or_none(emb),
            subfilter=subfilter_text,
            is_timestamp=is_timestamp,
        )
    finally:
        await context.aclose()

    cert = _Certificate.load(status.signing_cert)
    timing = _Timing.of(status)
    found = _Assessment(kind)
    _assess_integrity(status, timing, found)
    in_period = _assess_validity_period(cert, timing, status.validation_time, found)
    trusted, not_revoked_then = await _assess_trust(emb, status, cert, timing, in_period, settings, found)
    docmdp = emb.docmdp_level
    _assess_modifications(status, docmdp, found)

    coverage, level = status.coverage, status.modification_level
    check = SignatureCheck(
        field_name=field_name,
        signer_name=cert.common_name if cert else None,
        signer_organisation=cert.organisation if cert else None,
        certificate_serial=cert.serial if cert else None,
        certificate_issuer=cert.issuer if cert else None,
        signing_time=timing.claimed,
        timestamp_time=timing.timestamp,
        intact=status.intact,
        trusted=trusted,
        revocation=revocation,
        cert_valid_at_signing=in_period and not_revoked_then,
        modification_level=level.name if level is not None else None,
        coverage=coverage.name if coverage is not None else None,
        docmdp_permissions=docmdp.name if docmdp is not None else None,
        docmdp_ok=status.docmdp_ok,
        is_document_timestamp=is_timestamp,
        subfilter=subfilter_text,
        verdict=found.verdict,
        reasons=tuple(found.reasons),
    )
    return _Finding(check, frozenset(found.problems), emb.signed_revision, coverage, level)


def _signer_cert_or_none(emb: EmbeddedPdfSignature) -> asn1_x509.Certificate | None:
    try:
        return emb.signer_cert
    except READ_ERRORS:
        return None


def _level_words(level: ModificationLevel) -> str:
    return {
        ModificationLevel.NONE: "no changes",
        ModificationLevel.LTA_UPDATES: "validation data or document timestamps were added",
        ModificationLevel.FORM_FILLING: "form fields were filled in or signed",
        ModificationLevel.ANNOTATIONS: "annotations were added or changed",
        ModificationLevel.OTHER: "other changes",
    }[level]


def _docmdp_words(permission: MDPPerm) -> str:
    return {
        MDPPerm.NO_CHANGES: "no changes allowed",
        MDPPerm.FILL_FORMS: "only form filling and signing allowed",
        MDPPerm.ANNOTATE: "only form filling, signing and annotations allowed",
    }[permission]


# --- the document ----------------------------------------------------------------------------------------------------


def _signature_value_ref(field_ref: generic.IndirectObject) -> generic.IndirectObject | None:
    try:
        value = field_ref.get_object().raw_get("/V")
    except READ_ERRORS:
        return None
    return value if isinstance(value, generic.IndirectObject) else None


async def _collect(reader: PdfFileReader, settings: _Settings) -> list[_Finding]:
    try:
        filled = list(enumerate_sig_fields(reader, filled_status=True))
    except READ_ERRORS as e:
        raise UnreadablePdf(f"the form fields of the PDF cannot be read ({e})") from e
    last_revision = reader.xrefs.total_revisions - 1
    findings = []
    for field_name, raw_value, field_ref in filled:
        value_ref = _signature_value_ref(field_ref)
        revision = reader.xrefs.get_last_change(value_ref.reference) if value_ref is not None else last_revision
        try:
            value = raw_value.get_object()
        except READ_ERRORS:
            value = None
        is_dict = isinstance(value, generic.DictionaryObject)
        subfilter = value.get("/SubFilter") if is_dict else None
        subfilter_text = str(subfilter) if subfilter is not None else None
        is_timestamp = is_dict and value.get("/Type") == "/DocTimeStamp"
        try:
            SigSeedSubFilter(subfilter)
        except ValueError:
            findings.append(
                _broken_finding(
                    field_name,
                    revision,
                    f"the {_kind(is_timestamp)} uses a format that cannot be checked ({subfilter_text or 'none'})",
                    subfilter=subfilter_text,
                    is_timestamp=is_timestamp,
                )
            )
            continue
        try:
            emb = EmbeddedPdfSignature(reader, field_ref, field_name)
        except READ_ERRORS as e:
            findings.append(
                _broken_finding(
                    field_name,
                    revision,
                    f"the {_kind(is_timestamp)} data is damaged and cannot be read ({e})",
                    subfilter=subfilter_text,
                    is_timestamp=is_timestamp,
                )
            )
            continue
        findings.append(await _check_signature(field_name, emb, settings))
    # In the order they were applied; a stable sort keeps the form's order for ties.
    return sorted(findings, key=lambda f: f.revision)


def _after_last(last: _Finding, appended: bool) -> list[str]:
    """What happened after the last signature that it does not cover, as clauses; empty when nothing did.

    A last signature that already reports changes it does not allow (or bad coverage) says it itself.
    """
    clauses = []
    if appended:
        clauses.append("data was appended after the end of the document")
    coverage, level = last.coverage, last.level
    if coverage is None or coverage == SignatureCoverageLevel.ENTIRE_FILE or _Problem.ALTERED in last.problems:
        return clauses  # coverage None: the last signature could not be read at all; the document is invalid
    if level == ModificationLevel.FORM_FILLING:
        clauses.append("form fields were filled in or changed, and no signature covers them")
    elif level == ModificationLevel.ANNOTATIONS:
        clauses.append("annotations were added or changed, and no signature covers them")
    elif level != ModificationLevel.LTA_UPDATES and not clauses:
        clauses.append("the file was changed")
    # LTA_UPDATES alone (DSS, document timestamps, invisible signature fields) leave what is shown unchanged.
    return clauses


def _with_notes(findings: list[_Finding], after_last: list[str]) -> list[SignatureCheck]:
    """Per-signature notes about later changes: covered by a later signature, or not (after the last one)."""
    checks = []
    for index, finding in enumerate(findings):
        check = finding.check
        notes: list[str] = []
        if index == len(findings) - 1:
            notes.extend(f"after this {_kind(check.is_document_timestamp)}, {clause}" for clause in after_last)
        elif (
            finding.level in (ModificationLevel.FORM_FILLING, ModificationLevel.ANNOTATIONS)
            and _Problem.ALTERED not in finding.problems
        ):
            notes.append(
                f"after this {_kind(check.is_document_timestamp)}, {_level_words(finding.level)}; "
                "a later signature covers these changes"
            )
        if notes:
            check = dataclasses.replace(check, reasons=(*check.reasons, *notes))
        checks.append(check)
    return checks


def _count(findings: list[_Finding]) -> str:
    stamps = sum(1 for f in findings if f.check.is_document_timestamp)
    signatures = len(findings) - stamps
    parts = []
    if signatures:
        parts.append("the signature" if signatures == 1 else f"all {signatures} signatures")
    if stamps:
        parts.append("the document timestamp" if stamps == 1 else f"all {stamps} document timestamps")
    verb = "is" if len(findings) == 1 else "are"
    return f"{' and '.join(parts)} {verb}"


def _report(findings: list[_Finding], appended: bool) -> DocumentReport:
    if not findings:
        reasons = ["the document has no signatures"]
        if appended:
            reasons.append("data was appended after the end of the document")
        return DocumentReport("unsigned", tuple(reasons), ())
    after_last = _after_last(findings[-1], appended)
    problems = frozenset().union(*(f.problems for f in findings))

    reasons: list[str] = []
    for finding in findings:
        if finding.problems:
            check = finding.check
            who = f" by {check.signer_name}" if check.signer_name else ""
            label = f"{_kind(check.is_document_timestamp)} '{check.field_name}'{who}"
            reasons.extend(f"{label}: {reason}" for reason in check.reasons)
    reasons.extend(f"after the last signature, {clause}" for clause in after_last)

    verdict: DocumentVerdict
    if _Problem.BROKEN in problems:
        verdict = "invalid"
    elif _Problem.ALTERED in problems or after_last:
        verdict = "modified"
    elif _Problem.UNTRUSTED in problems:
        verdict = "untrusted"
    else:
        verdict = "valid"
        reasons.append(f"{_count(findings)} valid and trusted, and the document is exactly what the last signer signed")
        if findings[-1].coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            reasons.append("only validation data (no visible change) was added after the last signature")
    return DocumentReport(verdict, tuple(reasons), tuple(_with_notes(findings, after_last)))


async def validate_async(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate | asn1_x509.Certificate],
    *,
    crls: Iterable[x509.CertificateRevocationList | asn1_crl.CertificateList | bytes] = (),
    ocsps: Iterable[ocsp.OCSPResponse | asn1_ocsp.OCSPResponse | bytes] = (),
    allow_fetching: bool = False,
    now: datetime | None = None,
) -> DocumentReport:
    """Validate every signature and document timestamp in `pdf` against `trust_roots`.

    `crls`/`ocsps`: revocation data; when any is given, revocation checking is hard-fail (a certificate that names
    a CRL or OCSP service must be covered by it). `allow_fetching`: fetch CRLs/OCSP (and missing intermediate
    certificates) over the network, soft-fail. `now`: validate as of this (timezone-aware) time instead of the
    present; it cannot be combined with fetching.

    Raises `UnreadablePdf` for bytes that are not a readable PDF, or an encrypted one.
    """
    if now is not None and now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    if now is not None and allow_fetching:
        raise ValueError("revocation data cannot be fetched for a validation time in the past; pass crls/ocsps")
    settings = _Settings(
        trust_roots=tuple(_asn1_certificate(c) for c in trust_roots),
        crls=tuple(
            c if isinstance(c, asn1_crl.CertificateList) else asn1_crl.CertificateList.load(_crl_der(c)) for c in crls
        ),  # parsed once per call (or not at all), not once per signature
        ocsps=tuple(_ocsp_der(o) for o in ocsps),
        allow_fetching=allow_fetching,
        now=now,
    )
    data = bytes(pdf)
    reader, truncated = _open(data)
    findings = await _collect(reader, settings)
    appended = truncated or (
        bool(findings) and findings[-1].coverage != SignatureCoverageLevel.ENTIRE_FILE and _appended_data(data)
    )
    return _report(findings, appended)


def validate(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate | asn1_x509.Certificate],
    *,
    crls: Iterable[x509.CertificateRevocationList | asn1_crl.CertificateList | bytes] = (),
    ocsps: Iterable[ocsp.OCSPResponse | asn1_ocsp.OCSPResponse | bytes] = (),
    allow_fetching: bool = False,
    now: datetime | None = None,
) -> DocumentReport:
    """Synchronous `validate_async`, for code without an event loop (it runs one of its own)."""
    return aio.run(
        lambda: validate_async(pdf, trust_roots, crls=crls, ocsps=ocsps, allow_fetching=allow_fetching, now=now)
    )
