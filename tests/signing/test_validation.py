"""The PDF signature validator (app.signing.validation): real PAdES signatures made with plain pyHanko under the
built-in CA, the leader -> form filling -> organisation workflow, and tampered files built by hand.

Every tampered file must come out `modified` or `invalid`, never `valid`. Each test says how its file was made.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import add_validation_info
from pyhanko_certvalidator import ValidationContext

from app.signing import pki
from app.signing.validation import DocumentReport, SignatureCheck, UnreadablePdf, validate, validate_async
from tests.signing import pdfs
from tests.support import make_pdf

LEADER = "Nguyễn Văn An"
ORGANISATION = "Sở Công Thương"
NUMBER = "15/SCT-VP"
CRL_URL = "http://ca.example.vn/crl"


@dataclass(frozen=True)
class Cast:
    ca: pdfs.Authority
    leader: pdfs.Identity
    organisation: pdfs.Identity
    base: bytes
    leader_signed: bytes  # the leader's approval signature; the empty number field created in the same revision
    filled: bytes  # ... then the clerk fills the number field (incremental update, no signature)
    dispatched: bytes  # ... then the organisation signs: the document recipients get


@pytest.fixture(scope="module")
def cast() -> Cast:
    ca = pdfs.Authority.create()
    leader = ca.person(LEADER, crl_url=CRL_URL)
    organisation = ca.person(ORGANISATION, organisation=ORGANISATION, crl_url=CRL_URL)
    base = make_pdf()
    leader_signed = pdfs.sign(base, leader, "LanhDao", text_fields=[pdfs.NUMBER_FIELD])
    filled = pdfs.fill_text_field(leader_signed, pdfs.NUMBER_FIELD, NUMBER)
    dispatched = pdfs.sign(filled, organisation, "CoQuan")
    return Cast(ca, leader, organisation, base, leader_signed, filled, dispatched)


def check(cast: Cast, pdf: bytes, **options: object) -> DocumentReport:
    report = validate(pdf, [cast.ca.cert], **options)  # type: ignore[arg-type]
    json.dumps(report.to_json())  # always plain JSON
    return report


def only(report: DocumentReport) -> SignatureCheck:
    assert len(report.signatures) == 1, report
    return report.signatures[0]


def mentions(report: DocumentReport, *words: str) -> bool:
    text = " | ".join(report.reasons).lower()
    return all(word.lower() in text for word in words)


def assert_not_valid(report: DocumentReport, expected: str) -> None:
    assert report.verdict == expected, report
    assert report.reasons
    assert all(reason.strip() for reason in report.reasons)


# --- (a) (b) (c): the plain cases -----------------------------------------------------------------------------------


def test_a_pdf_without_signatures_is_unsigned(cast: Cast) -> None:
    report = check(cast, cast.base)
    assert report.verdict == "unsigned"
    assert report.signatures == ()
    assert mentions(report, "no signatures")


def test_one_trusted_signature_is_valid_and_every_field_is_filled(cast: Cast) -> None:
    """pyHanko signs the rendered PDF once (PAdES, SHA-256, ECDSA P-256 certificate from the built-in CA)."""
    pdf = pdfs.sign(cast.base, cast.leader, "LanhDao")
    report = check(cast, pdf)
    assert report.verdict == "valid", report
    signature = only(report)
    assert signature.verdict == "valid"
    assert signature.field_name == "LanhDao"
    assert signature.signer_name == LEADER
    assert signature.signer_organisation == ORGANISATION
    assert signature.certificate_serial == pki.serial_hex(cast.leader.cert)
    assert signature.certificate_issuer == cast.ca.cert.subject.rfc4514_string()
    assert signature.signing_time is not None
    assert abs(signature.signing_time - datetime.now(UTC)) < timedelta(minutes=5)
    assert signature.timestamp_time is None
    assert signature.intact and signature.trusted and signature.cert_valid_at_signing
    assert signature.coverage == "ENTIRE_FILE"
    assert signature.modification_level == "NONE"
    assert signature.revocation == "not checked"  # no CRL/OCSP given, no fetching
    assert signature.docmdp_permissions is None and signature.docmdp_ok is True
    assert signature.is_document_timestamp is False
    assert signature.subfilter == "/ETSI.CAdES.detached"
    assert signature.reasons == ()

    as_json = report.to_json()
    assert as_json["verdict"] == "valid"
    assert as_json["signatures"][0]["signing_time"] == signature.signing_time.isoformat()
    assert as_json["signatures"][0]["reasons"] == []


def test_trust_roots_may_be_asn1crypto_certificates(cast: Cast) -> None:
    report = validate(pdfs.sign(cast.base, cast.leader, "LanhDao"), [pdfs.asn1_cert(cast.ca.cert)])
    assert report.verdict == "valid", report


def test_a_certificate_from_a_ca_outside_the_trust_roots_is_untrusted(cast: Cast) -> None:
    """Same signing, but by a person whose certificate comes from another root ("CA Lạ") that is not trusted."""
    stranger = pdfs.Authority.create("CA Lạ", "Tổ chức không rõ").person("Trần Thị Bình")
    report = check(cast, pdfs.sign(cast.base, stranger, "LanhDao"))
    assert report.verdict == "untrusted", report
    signature = only(report)
    assert signature.verdict == "untrusted"
    assert signature.intact and not signature.trusted
    assert signature.certificate_issuer == stranger.authority.cert.subject.rfc4514_string()
    assert mentions(report, "CA Lạ", "not one of the trusted")


# --- (d) (e): the workflow --------------------------------------------------------------------------------------------


def test_leader_then_form_filling_then_organisation_is_valid(cast: Cast) -> None:
    """Revision 1: the rendered PDF. Revision 2: an empty text field and the leader's signature. Revision 3: the
    clerk fills the number (static appearance). Revision 4: the organisation's signature over everything."""
    report = check(cast, cast.dispatched)
    assert report.verdict == "valid", report
    leader, organisation = report.signatures
    assert (leader.signer_name, organisation.signer_name) == (LEADER, ORGANISATION)
    assert leader.verdict == organisation.verdict == "valid"
    assert leader.modification_level == "FORM_FILLING"
    assert leader.coverage == "ENTIRE_REVISION"
    assert organisation.modification_level == "NONE"
    assert organisation.coverage == "ENTIRE_FILE"
    assert any("later signature covers" in reason for reason in leader.reasons)

    poppler = pdfs.pdfsig(cast.dispatched)
    assert poppler.count("Signature is Valid.") == 2, poppler
    assert LEADER in poppler and ORGANISATION in poppler
    code, output = pdfs.qpdf_check(cast.dispatched)
    assert code == 0, output
    assert "No syntax or stream encoding errors" in output


def test_form_filling_after_the_last_signature_is_modified(cast: Cast) -> None:
    """The leader signs, the clerk fills the number, and nobody signs after that.

    Decision: `modified`. The leader's signature itself is fine (form filling is allowed after an approval
    signature), but what a recipient sees (the number) was signed by nobody, so the document is not what the
    last signer signed.
    """
    report = check(cast, cast.filled)
    assert report.verdict == "modified", report
    leader = only(report)
    assert leader.verdict == "valid"
    assert leader.modification_level == "FORM_FILLING"
    assert leader.coverage == "ENTIRE_REVISION"
    assert mentions(report, "after the last signature", "form fields")


# --- (f): tampering ----------------------------------------------------------------------------------------------


def test_page_content_changed_in_an_incremental_update_is_modified(cast: Cast) -> None:
    """After the leader signs, an incremental update appends a content stream to page 1 that paints a white box
    over the number line and writes another number. pyHanko's diff analysis cannot explain the changed page
    object: modification level OTHER."""
    pdf = pdfs.append_update(cast.leader_signed, pdfs.overlay_page_content)
    report = check(cast, pdf)
    assert_not_valid(report, "modified")
    leader = only(report)
    assert leader.intact and leader.trusted
    assert leader.modification_level == "OTHER"
    assert leader.verdict == "invalid"
    assert mentions(report, "changed after this signature")


def test_a_free_text_annotation_after_the_last_signature_is_modified(cast: Cast) -> None:
    """Shadow-attack style: on the dispatched document, an incremental update adds a FreeText annotation whose
    appearance covers the number line with another number. pyHanko's default policy allows only form filling
    and signatures, so both signatures see modification level OTHER."""
    pdf = pdfs.append_update(cast.dispatched, pdfs.add_free_text_annotation)
    report = check(cast, pdf)
    assert_not_valid(report, "modified")
    assert [s.modification_level for s in report.signatures] == ["OTHER", "OTHER"]
    assert all(s.intact and s.trusted for s in report.signatures)


def test_changing_the_filled_number_after_the_last_signature_is_modified(cast: Cast) -> None:
    """Shadow-attack style: on the dispatched document, an incremental update rewrites the number field's value
    and appearance. This is form filling to pyHanko (FORM_FILLING), which is allowed after an approval signature,
    but no signature covers it: what is shown is not what the organisation signed."""
    pdf = pdfs.change_text_field(cast.dispatched, pdfs.NUMBER_FIELD, "99/SCT-VP")
    report = check(cast, pdf)
    assert_not_valid(report, "modified")
    organisation = report.signatures[-1]
    assert organisation.modification_level == "FORM_FILLING"
    assert organisation.coverage == "ENTIRE_REVISION"
    assert mentions(report, "after the last signature", "form fields")


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(b"\n% appended\n1 0 obj\n(not signed)\nendobj\n", id="short"),
        pytest.param(b"\n" + b"x" * 5000, id="longer-than-pyHankos-EOF-window"),
    ],
)
def test_bytes_appended_after_the_last_eof_are_modified(cast: Cast, extra: bytes) -> None:
    """Bytes appended after the last %%EOF of a signed file. Short: pyHanko reads the file, the signature's
    coverage drops to ENTIRE_REVISION with no new revision. Longer than 1 KiB: pyHanko no longer finds %%EOF,
    so the validator reads the file up to its last %%EOF and reports the rest as appended."""
    report = check(cast, cast.dispatched + extra)
    assert_not_valid(report, "modified")
    assert all(s.intact and s.trusted for s in report.signatures)
    assert mentions(report, "appended after the end")


@pytest.mark.parametrize(
    ("adjust", "coverage"),
    [
        pytest.param(lambda r: [r[0], r[1], r[2], r[3] - 60], "CONTIGUOUS_BLOCK_FROM_START", id="stops-short"),
        pytest.param(lambda r: [r[0], r[1] - 40, r[2], r[3]], "UNCLEAR", id="gap-wider-than-contents"),
    ],
)
def test_a_signature_whose_byte_range_does_not_cover_its_revision_is_modified(cast: Cast, adjust, coverage) -> None:  # type: ignore[no-untyped-def]
    """A buggy or malicious signing tool: the leader's signature is re-made over a different /ByteRange (rewritten
    in place, digest recomputed, CMS signed afresh with the leader's key). stops-short: the last 60 bytes of the
    revision (trailer, startxref, %%EOF) are not signed. gap-wider-than-contents: 40 bytes before /Contents are
    left out. The signature is intact and trusted; only pyHanko's coverage level shows the problem."""
    pdf = pdfs.resign_with_byte_range(cast.leader_signed, cast.leader, adjust)
    report = check(cast, pdf)
    assert_not_valid(report, "modified")
    leader = only(report)
    assert leader.intact and leader.trusted
    assert leader.coverage == coverage
    assert leader.verdict == "invalid"
    assert mentions(report, "signature")


def test_a_signature_dictionary_moved_into_a_later_update_is_modified(cast: Cast) -> None:
    """Signature wrapping by moving: an incremental update writes the leader's signature dictionary again under its
    own object number (same /ByteRange and /Contents, so the hash still matches) and paints over the page. The
    signature now belongs to a revision its byte range does not reach: coverage CONTIGUOUS_BLOCK_FROM_START."""
    report = check(cast, pdfs.move_signature_dictionary(cast.leader_signed))
    assert_not_valid(report, "modified")
    leader = only(report)
    assert leader.intact
    assert leader.coverage == "CONTIGUOUS_BLOCK_FROM_START"
    assert mentions(report, "does not cover the whole revision")


def test_a_duplicated_signature_dictionary_is_modified(cast: Cast) -> None:
    """Signature wrapping by duplication: an incremental update adds a second signature field whose value is a
    copy of the leader's signature dictionary (intact: it hashes the old bytes) and paints over the page. The copy
    does not cover its own revision; the original sees changes it does not allow."""
    report = check(cast, pdfs.duplicate_signature(cast.leader_signed))
    assert_not_valid(report, "modified")
    original, copy = report.signatures
    assert original.intact and copy.intact
    assert original.modification_level == "OTHER"
    assert copy.coverage == "CONTIGUOUS_BLOCK_FROM_START"


def test_a_revoked_certificate_is_invalid(cast: Cast) -> None:
    """A person whose certificate names a CRL; the CRL (pki.build_crl) lists it as revoked yesterday, before the
    signature; the CRL is given to the validator, so revocation checking is hard-fail."""
    person = cast.ca.person("Lê Văn Cường", crl_url=CRL_URL)
    revoked_at = datetime.now(UTC) - timedelta(days=1)
    crl = cast.ca.crl([pki.Revoked(person.cert.serial_number, revoked_at, x509.ReasonFlags.key_compromise)])
    report = check(cast, pdfs.sign(cast.base, person, "LanhDao"), crls=[crl])
    assert_not_valid(report, "invalid")
    signature = only(report)
    assert signature.revocation == "revoked"
    assert signature.intact and not signature.trusted
    assert not signature.cert_valid_at_signing
    assert mentions(report, f"revoked on {revoked_at:%Y-%m-%d}")


def test_a_certificate_expired_at_signing_time_is_invalid(cast: Cast) -> None:
    """A certificate valid for 30 days from 400 days ago; pyHanko signs with it anyway (it does not check)."""
    person = cast.ca.person("Phạm Văn Dũng", not_before=datetime.now(UTC) - timedelta(days=400), days=30)
    report = check(cast, pdfs.sign(cast.base, person, "LanhDao"))
    assert_not_valid(report, "invalid")
    signature = only(report)
    assert not signature.cert_valid_at_signing
    assert mentions(report, "had expired", f"{person.cert.not_valid_after_utc:%Y-%m-%d}")


def test_a_changed_signed_byte_is_invalid(cast: Cast) -> None:
    """The year of the organisation's /M (signing time, inside its signed byte range) goes from 20xx to 19xx:
    same length, still a valid PDF date, but the hash no longer matches."""
    year = cast.dispatched.index(b"20", cast.dispatched.rindex(b"/M (D"))  # the colon may be written as \072
    pdf = cast.dispatched[:year] + b"19" + cast.dispatched[year + 2 :]
    report = check(cast, pdf)
    assert_not_valid(report, "invalid")
    leader, organisation = report.signatures
    assert leader.intact and not organisation.intact
    assert organisation.verdict == "invalid"
    assert mentions(report, "hash does not match")


def test_a_damaged_signature_value_is_invalid(cast: Cast) -> None:
    """The start of the organisation's /Contents hex is overwritten with a DER header that claims 64 KiB."""
    pdf = bytearray(cast.dispatched)
    first_gap_end = int(list(pdfs.BYTE_RANGE.finditer(cast.dispatched))[-1].group(2))
    pdf[first_gap_end + 1 : first_gap_end + 9] = b"3082ffff"
    report = check(cast, bytes(pdf))
    assert_not_valid(report, "invalid")
    leader, organisation = report.signatures
    assert leader.verdict == "valid" and organisation.verdict == "invalid"
    assert mentions(report, "damaged")


def test_form_filling_after_a_no_changes_certification_is_modified(cast: Cast) -> None:
    """The leader certifies (DocMDP P=1, no changes) instead of approving; the clerk then fills the number."""
    certified = pdfs.sign(
        cast.base,
        cast.leader,
        "LanhDao",
        text_fields=[pdfs.NUMBER_FIELD],
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    report = check(cast, pdfs.fill_text_field(certified, pdfs.NUMBER_FIELD, NUMBER))
    assert_not_valid(report, "modified")
    leader = only(report)
    assert leader.docmdp_permissions == "NO_CHANGES"
    assert leader.docmdp_ok is False
    assert mentions(report, "certification")


# --- revocation data, timestamps, validation data --------------------------------------------------------------------


def test_a_crl_that_does_not_list_the_certificate_makes_revocation_good(cast: Cast) -> None:
    report = check(cast, cast.dispatched, crls=[cast.ca.crl([], number=2)])
    assert report.verdict == "valid", report
    assert [s.revocation for s in report.signatures] == ["good", "good"]


def test_hard_fail_without_a_covering_crl_is_untrusted(cast: Cast) -> None:
    """Revocation data is supplied, but only another CA's CRL: the signers' declared CRL cannot be checked."""
    other = pdfs.Authority.create("CA khác")
    report = check(cast, cast.dispatched, crls=[other.crl([])])
    assert report.verdict == "untrusted", report
    assert all(s.revocation == "unknown" for s in report.signatures)
    assert mentions(report, "revocation status")


def test_a_trusted_timestamp_proves_the_signature_predates_expiry_and_revocation(cast: Cast) -> None:
    """A certificate valid for one day, signed now with a signature timestamp from a TSA under the same CA.
    Validated as of 30 days later it has expired, and after a revocation one hour from now: the timestamp proves
    the signature came first. The same signature without a timestamp is untrusted (expired) or invalid (revoked),
    since only the signer's own claim says when it was made."""
    person = cast.ca.person("Hoàng Văn Em", days=1, crl_url=CRL_URL)
    stamped = pdfs.sign(cast.base, person, "LanhDao", timestamper=cast.ca.timestamper())
    plain = pdfs.sign(cast.base, person, "LanhDao")
    later = datetime.now(UTC) + timedelta(days=30)
    crl = cast.ca.crl([pki.Revoked(person.cert.serial_number, datetime.now(UTC) + timedelta(hours=1))])
    soon = datetime.now(UTC) + timedelta(hours=2)

    expired = check(cast, stamped, now=later)
    assert expired.verdict == "valid", expired
    assert only(expired).timestamp_time is not None
    assert "trusted timestamp proves" in only(expired).reasons[0]
    assert check(cast, plain, now=later).verdict == "untrusted"

    revoked = check(cast, stamped, crls=[crl], now=soon)
    assert revoked.verdict == "valid", revoked
    assert only(revoked).revocation == "revoked"
    unproven = check(cast, plain, crls=[crl], now=soon)
    assert unproven.verdict == "invalid"
    assert mentions(unproven, "no trusted timestamp proves it")


def test_a_timestamp_from_an_untrusted_authority_is_untrusted(cast: Cast) -> None:
    tsa = pdfs.Authority.create("CA của TSA lạ").timestamper()
    report = check(cast, pdfs.sign(cast.base, cast.leader, "LanhDao", timestamper=tsa))
    assert report.verdict == "untrusted", report
    assert mentions(report, "TSA thử nghiệm", "not trusted")


def test_a_document_timestamp_or_validation_data_after_the_last_signature_is_not_a_modification(cast: Cast) -> None:
    """After the organisation signs: (1) pyHanko adds a DSS with the CRL in an incremental update (LTA_UPDATES);
    (2) pyHanko's PdfTimeStamper adds a document timestamp. Neither changes what is shown."""
    crl = cast.ca.crl([], number=3)
    reader = PdfFileReader(BytesIO(cast.dispatched), strict=False)
    context = ValidationContext(
        trust_roots=[pdfs.asn1_cert(cast.ca.cert)], crls=[crl.public_bytes(serialization.Encoding.DER)]
    )
    with_dss = add_validation_info(reader.embedded_signatures[-1], context).getvalue()
    report = check(cast, with_dss, crls=[crl])
    assert report.verdict == "valid", report
    assert report.signatures[-1].modification_level == "LTA_UPDATES"
    assert check(cast, with_dss + b"appended", crls=[crl]).verdict == "modified"

    stamped = signers.PdfTimeStamper(cast.ca.timestamper()).timestamp_pdf(pdfs.writer_for(cast.dispatched), "sha256")
    report = check(cast, stamped.getvalue())
    assert report.verdict == "valid", report
    assert [s.is_document_timestamp for s in report.signatures] == [False, False, True]
    assert report.signatures[-1].timestamp_time is not None
    assert report.signatures[-1].subfilter == "/ETSI.RFC3161"


# --- (g): unreadable input, and the API around the event loop ------------------------------------------------------


def test_an_encrypted_pdf_is_unreadable(cast: Cast) -> None:
    """qpdf encrypts the dispatched document with AES-256 (empty user password)."""
    with pytest.raises(UnreadablePdf, match="encrypted"):
        validate(pdfs.qpdf_encrypt(cast.dispatched), [cast.ca.cert])


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda pdf: pdf[:400], id="truncated"),
        pytest.param(lambda pdf: b"", id="empty"),
        pytest.param(lambda pdf: b"PK\x03\x04 a zip file, not a PDF", id="not-a-pdf"),
        pytest.param(lambda pdf: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", id="no-xref"),
        pytest.param(lambda pdf: pdf[: len(pdf) // 2] + b"\n%%EOF\n", id="cut-in-half"),
    ],
)
def test_a_corrupt_pdf_is_unreadable(cast: Cast, damage) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnreadablePdf) as caught:
        validate(damage(cast.dispatched), [cast.ca.cert])
    assert caught.value.reason


def test_validate_works_inside_and_outside_an_event_loop(cast: Cast) -> None:
    async def inside() -> tuple[DocumentReport, DocumentReport]:
        blocking = validate(cast.dispatched, [cast.ca.cert])  # on a thread of its own
        return blocking, await validate_async(cast.dispatched, [cast.ca.cert])

    blocking, awaited = asyncio.run(inside())
    assert blocking.verdict == awaited.verdict == "valid"


def test_now_must_be_timezone_aware_and_not_combined_with_fetching(cast: Cast) -> None:
    with pytest.raises(ValueError, match="timezone"):
        validate(cast.dispatched, [cast.ca.cert], now=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="fetch"):
        validate(cast.dispatched, [cast.ca.cert], now=datetime.now(UTC), allow_fetching=True)
