"""Vietnamese for the validator's reasons (app.signing.reasons) and the signature panel that shows them.

(a) The files of tests/signing/test_validation.py are made again with the same helpers (tests/signing/pdfs.py) and
validated; every reason of every report, and every note of every signature, must come out in Vietnamese. (b) The
values in a reason are kept. (c) English stays English, (d) an unknown sentence comes back as it is. (e) The
sentences the validator can write but no file here makes are produced by the validator's own helpers on stand-in
objects (or, for the few inside pyHanko-driven code, written out as validation.py writes them), so that every
expression in reasons.py is shown to be needed and right. Last, the document page after issuing, in Vietnamese.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask import Flask
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import add_validation_info
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from app.signing import pki, reasons, validation
from app.signing.reasons import COMPOSITIONS, MAX_LENGTH, SENTENCES, localise
from app.signing.validation import DocumentReport, UnreadablePdf, validate
from tests.signing import pdfs
from tests.signing.test_flow import _draft
from tests.signing.test_pages import _browser, _issue
from tests.signing.test_validation import CRL_URL, LEADER, NUMBER, ORGANISATION
from tests.support import make_pdf

# English that must not be left in a Vietnamese reason (names and values in the tests are Vietnamese or codes).
ENGLISH = (
    " the ",
    "the ",
    "signature",
    "certificate",
    "after this",
    "after the",
    "document",
    " was ",
    " were ",
    " is ",
    " are ",
    " not ",
    " no ",
    "trusted",
    "revoked",
    "expired",
    "valid",
    " and ",
    "changed",
    "timestamp",
    "form field",
)
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Where the validator quotes a message of pyHanko or of the PDF parser (English); it is carried over as it is.
QUOTED_DETAIL = re.compile(
    r"(?:could not be checked: (?P<checked>.*)|cannot be read \((?P<read>.*)\)|not a readable PDF \((?P<pdf>.*)\))$",
    re.DOTALL,
)


def assert_vietnamese(reason: str) -> str:
    """The reason in Vietnamese: changed, no English left (apart from a quoted library message), ISO dates gone."""
    vi = localise(reason, "vi")
    assert vi != reason, f"not translated: {reason!r}"
    checked = vi
    detail = QUOTED_DETAIL.search(reason)
    if detail is not None:
        quoted = next(value for value in detail.groups() if value is not None)
        checked = checked.replace(quoted, "")
    leftovers = [word for word in ENGLISH if word in checked]
    assert not leftovers, f"English left in {vi!r} (from {reason!r}): {leftovers}"
    assert not ISO_DAY.search(checked), vi
    return vi


def every_reason(report: DocumentReport) -> list[str]:
    return [*report.reasons, *(reason for s in report.signatures for reason in s.reasons)]


# --- (a) the files of test_validation.py -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenarios:
    reports: dict[str, DocumentReport]
    unreadable: dict[str, str]  # the reasons of UnreadablePdf


@pytest.fixture(scope="module")
def scenarios() -> Scenarios:
    """The files of test_validation.py, made the same way, validated as it validates them."""
    ca = pdfs.Authority.create()
    leader = ca.person(LEADER, crl_url=CRL_URL)
    organisation = ca.person(ORGANISATION, organisation=ORGANISATION, crl_url=CRL_URL)
    base = make_pdf()
    leader_signed = pdfs.sign(base, leader, "LanhDao", text_fields=[pdfs.NUMBER_FIELD])
    filled = pdfs.fill_text_field(leader_signed, pdfs.NUMBER_FIELD, NUMBER)
    dispatched = pdfs.sign(filled, organisation, "CoQuan")

    def check(pdf: bytes, **options: object) -> DocumentReport:
        return validate(pdf, [ca.cert], **options)  # type: ignore[arg-type]

    reports: dict[str, DocumentReport] = {}
    reports["unsigned"] = check(base)
    reports["unsigned-appended"] = check(base + b"\n" + b"x" * 5000)  # beyond pyHanko's window: reported
    reports["one-signature"] = check(pdfs.sign(base, leader, "LanhDao"))
    stranger = pdfs.Authority.create("CA Lạ", "Tổ chức không rõ").person("Trần Thị Bình")
    reports["untrusted-ca"] = check(pdfs.sign(base, stranger, "LanhDao"))
    reports["dispatched"] = check(dispatched)
    reports["filled-not-signed"] = check(filled)
    reports["page-overlay"] = check(pdfs.append_update(leader_signed, pdfs.overlay_page_content))
    reports["free-text-annotation"] = check(pdfs.append_update(dispatched, pdfs.add_free_text_annotation))
    reports["number-changed"] = check(pdfs.change_text_field(dispatched, pdfs.NUMBER_FIELD, "99/SCT-VP"))
    reports["appended-short"] = check(dispatched + b"\n% appended\n1 0 obj\n(not signed)\nendobj\n")
    reports["appended-long"] = check(dispatched + b"\n" + b"x" * 5000)
    reports["byte-range-short"] = check(
        pdfs.resign_with_byte_range(leader_signed, leader, lambda r: [r[0], r[1], r[2], r[3] - 60])
    )
    reports["byte-range-gap"] = check(
        pdfs.resign_with_byte_range(leader_signed, leader, lambda r: [r[0], r[1] - 40, r[2], r[3]])
    )
    reports["moved-dictionary"] = check(pdfs.move_signature_dictionary(leader_signed))
    reports["duplicated-dictionary"] = check(pdfs.duplicate_signature(leader_signed))

    person = ca.person("Lê Văn Cường", crl_url=CRL_URL)
    revoked_at = datetime.now(UTC) - timedelta(days=1)
    crl = ca.crl([pki.Revoked(person.cert.serial_number, revoked_at, x509.ReasonFlags.key_compromise)])
    reports["revoked"] = check(pdfs.sign(base, person, "LanhDao"), crls=[crl])
    expired = ca.person("Phạm Văn Dũng", not_before=datetime.now(UTC) - timedelta(days=400), days=30)
    reports["expired-at-signing"] = check(pdfs.sign(base, expired, "LanhDao"))

    year = dispatched.index(b"20", dispatched.rindex(b"/M (D"))
    reports["changed-byte"] = check(dispatched[:year] + b"19" + dispatched[year + 2 :])
    damaged = bytearray(dispatched)
    first_gap_end = int(list(pdfs.BYTE_RANGE.finditer(dispatched))[-1].group(2))
    damaged[first_gap_end + 1 : first_gap_end + 9] = b"3082ffff"
    reports["damaged-value"] = check(bytes(damaged))
    certified = pdfs.sign(
        base, leader, "LanhDao", text_fields=[pdfs.NUMBER_FIELD], certify=True, docmdp_permissions=MDPPerm.NO_CHANGES
    )
    reports["certified-then-filled"] = check(pdfs.fill_text_field(certified, pdfs.NUMBER_FIELD, NUMBER))

    reports["crl-good"] = check(dispatched, crls=[ca.crl([], number=2)])
    reports["crl-of-another-ca"] = check(dispatched, crls=[pdfs.Authority.create("CA khác").crl([])])

    short_lived = ca.person("Hoàng Văn Em", days=1, crl_url=CRL_URL)
    stamped = pdfs.sign(base, short_lived, "LanhDao", timestamper=ca.timestamper())
    plain = pdfs.sign(base, short_lived, "LanhDao")
    later = datetime.now(UTC) + timedelta(days=30)
    revocation = ca.crl([pki.Revoked(short_lived.cert.serial_number, datetime.now(UTC) + timedelta(hours=1))])
    soon = datetime.now(UTC) + timedelta(hours=2)
    reports["expired-since-stamped"] = check(stamped, now=later)
    reports["expired-since-plain"] = check(plain, now=later)
    reports["revoked-since-stamped"] = check(stamped, crls=[revocation], now=soon)
    reports["revoked-since-plain"] = check(plain, crls=[revocation], now=soon)
    tsa = pdfs.Authority.create("CA của TSA lạ").timestamper()
    reports["untrusted-tsa"] = check(pdfs.sign(base, leader, "LanhDao", timestamper=tsa))

    dss_crl = ca.crl([], number=3)
    reader = PdfFileReader(BytesIO(dispatched), strict=False)
    context = ValidationContext(
        trust_roots=[pdfs.asn1_cert(ca.cert)], crls=[dss_crl.public_bytes(serialization.Encoding.DER)]
    )
    with_dss = add_validation_info(reader.embedded_signatures[-1], context).getvalue()
    reports["dss"] = check(with_dss, crls=[dss_crl])
    reports["dss-appended"] = check(with_dss + b"appended", crls=[dss_crl])
    document_stamp = signers.PdfTimeStamper(ca.timestamper()).timestamp_pdf(pdfs.writer_for(dispatched), "sha256")
    reports["document-timestamp"] = check(document_stamp.getvalue())

    unreadable = {}
    damages = {
        "encrypted": pdfs.qpdf_encrypt(dispatched),
        "truncated": dispatched[:400],
        "empty": b"",
        "not-a-pdf": b"PK\x03\x04 a zip file, not a PDF",
        "no-xref": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        "cut-in-half": dispatched[: len(dispatched) // 2] + b"\n%%EOF\n",
    }
    for name, pdf in damages.items():
        with pytest.raises(UnreadablePdf) as caught:
            check(pdf)
        unreadable[name] = caught.value.reason
    return Scenarios(reports, unreadable)


def test_every_reason_of_every_file_is_in_vietnamese(scenarios: Scenarios) -> None:
    seen = set()
    for name, report in scenarios.reports.items():
        assert report.reasons, name
        for reason in every_reason(report):
            assert_vietnamese(reason)
            seen.add(reason)
    for reason in scenarios.unreadable.values():
        assert_vietnamese(reason)
    assert len(seen) > 30  # the files do give many different reasons


def test_a_whole_report_is_put_in_vietnamese_for_the_api(scenarios: Scenarios) -> None:
    body = scenarios.reports["dispatched"].to_json()
    vi = reasons.localise_report(body, "vi")
    assert vi["verdict"] == body["verdict"]
    assert vi["reasons"] == [localise(r, "vi") for r in body["reasons"]]
    assert vi["signatures"][0]["reasons"][0].startswith("sau chữ ký số này")
    assert vi["signatures"][0]["field_name"] == body["signatures"][0]["field_name"]
    assert reasons.localise_report(body, "en") == body
    assert body["signatures"][0]["reasons"][0].startswith("after this signature")  # the input is left as it was


def test_the_files_give_the_expected_vietnamese(scenarios: Scenarios) -> None:
    """A few translations in full, one of each way a reason is put together."""
    reports = scenarios.reports
    assert [localise(r, "vi") for r in reports["dispatched"].reasons] == [
        "cả 2 chữ ký số đều hợp lệ và tin cậy được, và văn bản đúng nguyên như khi người ký cuối cùng ký"
    ]
    assert localise(reports["dispatched"].signatures[0].reasons[0], "vi") == (
        "sau chữ ký số này, đã điền hoặc ký vào trường biểu mẫu; một chữ ký số sau đó đã bao trùm các thay đổi này"
    )
    assert [localise(r, "vi") for r in reports["unsigned"].reasons] == ["văn bản không có chữ ký số nào"]
    assert localise(reports["filled-not-signed"].reasons[-1], "vi") == (
        "sau chữ ký số cuối cùng, trường biểu mẫu đã được điền hoặc sửa mà không có chữ ký số nào bao trùm"
    )
    assert [localise(r, "vi") for r in reports["document-timestamp"].reasons] == [
        "cả 2 chữ ký số và dấu thời gian của văn bản đều hợp lệ và tin cậy được, "
        "và văn bản đúng nguyên như khi người ký cuối cùng ký"
    ]
    revoked = reports["revoked"]
    day = revoked.signatures[0].reasons[0].rsplit(" ", 1)[-1]
    yyyy, mm, dd = day.split("-")
    assert localise(revoked.reasons[0], "vi") == (
        f"chữ ký số 'LanhDao' của Lê Văn Cường: chứng thư số đã bị thu hồi ngày {dd}/{mm}/{yyyy}"
    )


# --- (b) (c) (d) --------------------------------------------------------------------------------------------------


def test_names_serials_and_dates_are_kept(scenarios: Scenarios) -> None:
    """A signer with Vietnamese diacritics, an issuer named by a distinguished name with a serial number (the
    validator names an issuer that way when it has no common name), a field name with a colon in it: all carried
    over; the dates become dd/mm/yyyy."""
    untrusted = localise(scenarios.reports["untrusted-ca"].reasons[0], "vi")
    assert untrusted.startswith("chữ ký số 'LanhDao' của Trần Thị Bình: chứng thư số do 'CA Lạ' cấp")
    issuer = "serialNumber=5400123456-001,CN=Cơ quan chứng thực số chuyên dùng Chính phủ,O=Ban Cơ yếu Chính phủ"
    reason = (
        f"signature 'Ký: Lãnh đạo' by Nguyễn Thị Ánh Tuyết: the certificate was issued by '{issuer}', "
        "which is not one of the trusted certificate authorities"
    )
    assert localise(reason, "vi") == (
        f"chữ ký số 'Ký: Lãnh đạo' của Nguyễn Thị Ánh Tuyết: chứng thư số do '{issuer}' cấp, "
        "tổ chức này không thuộc các tổ chức chứng thực được tin cậy"
    )
    expired = (
        "document timestamp 'Dấu thời gian 7f3a9c' by Trường Đại học Bách khoa: the certificate had expired on "
        "2026-11-20, before the document timestamp was made on 2026-12-01 03:04 UTC"
    )
    assert localise(expired, "vi") == (
        "dấu thời gian của văn bản 'Dấu thời gian 7f3a9c' của Trường Đại học Bách khoa: chứng thư số đã hết hạn "
        "ngày 20/11/2026, trước khi dấu thời gian của văn bản được tạo lúc 01/12/2026 03:04 UTC"
    )
    many = "all 12 signatures are valid and trusted, and the document is exactly what the last signer signed"
    assert localise(many, "vi").startswith("cả 12 chữ ký số đều hợp lệ và tin cậy được")
    unsupported = "the signature uses a format that cannot be checked (/adbe.x509.rsa_sha1)"
    assert localise(unsupported, "vi") == "chữ ký số dùng định dạng không kiểm tra được (/adbe.x509.rsa_sha1)"


@pytest.mark.parametrize("locale", ["en", "en_GB", "fr", ""])
def test_other_languages_get_the_reason_as_it_is(scenarios: Scenarios, locale: str) -> None:
    for report in scenarios.reports.values():
        for reason in every_reason(report):
            assert localise(reason, locale) == reason


@pytest.mark.parametrize("locale", ["vi", "vi_VN", "vi-VN", "VI"])
def test_every_vietnamese_locale_is_vietnamese(locale: str) -> None:
    assert localise("the document has no signatures", locale) == "văn bản không có chữ ký số nào"


@pytest.mark.parametrize(
    "reason",
    [
        "the moon is made of cheese",
        "",
        "the certificate was revoked on 20 November 2026",  # not a date the validator writes
        "signature 'LanhDao' by Nguyễn Văn An: something the validator never says",
        "after the last signature, the moon is made of cheese",
        "the certificate was revoked on 2026-11-20; and then something else",
        "The document has no signatures",
        "the document has no signatures.",
    ],
)
def test_an_unknown_sentence_comes_back_unchanged(reason: str) -> None:
    assert localise(reason, "vi") == reason


# --- (e) every sentence and every way of putting them together -----------------------------------------------------


def _certificate() -> validation._Certificate:
    ca = pdfs.Authority.create("CA Tỉnh Thử Nghiệm")
    start = datetime(2026, 1, 10, tzinfo=UTC)
    return validation._Certificate(ca.person("Đặng Thu Hà", not_before=start, days=300).cert)


def _assessed(kind: str = "signature") -> validation._Assessment:
    return validation._Assessment(kind)


def _trust_reasons() -> Iterator[str]:
    cert = _certificate()
    indications = [
        AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND,
        AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE,
        AdESIndeterminate.TRY_LATER,
        AdESIndeterminate.NO_POE,
        None,
        AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    ]
    for indic in indications:
        for who in (cert, None):
            yield from validation._trust_reasons(SimpleNamespace(trust_problem_indic=indic), who)


def _integrity_reasons() -> Iterator[str]:
    """_assess_integrity on stand-ins for pyHanko's statuses."""
    tsa = pdfs.asn1_cert(pdfs.Authority.create().person("TSA Đà Nẵng").cert)
    tokens = [
        SimpleNamespace(intact=False, valid=False, trusted=False, signing_cert=None),
        SimpleNamespace(intact=True, valid=True, trusted=False, signing_cert=None),
        SimpleNamespace(intact=True, valid=True, trusted=False, signing_cert=tsa),
    ]
    for kind in ("signature", "document timestamp"):
        for intact, valid in ((False, False), (True, False)):
            found = _assessed(kind)
            validation._assess_integrity(
                SimpleNamespace(intact=intact, valid=valid), validation._Timing(None, None, None, None), found
            )
            yield from found.reasons
    for token in tokens:
        found = _assessed()
        validation._assess_integrity(
            SimpleNamespace(intact=True, valid=True), validation._Timing(None, None, None, token), found
        )
        yield from found.reasons


def _validity_reasons() -> Iterator[str]:
    cert = _certificate()
    for kind in ("signature", "document timestamp"):
        for moment in (cert.not_after + timedelta(days=3), cert.not_before - timedelta(hours=5)):
            found = _assessed(kind)
            validation._assess_validity_period(cert, validation._Timing(moment, None, None, None), None, found)
            yield from found.reasons


def _trust_assessment_reasons(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """_assess_trust on stand-ins: revoked (of the signer or of its CA, with a claimed earlier time), expired or
    revoked before a time a trusted timestamp proves, expired since without proof, a rejected algorithm."""
    cert = _certificate()
    revoked_on = cert.not_before + timedelta(days=100)
    claimed = revoked_on - timedelta(days=2)
    proven = revoked_on - timedelta(days=1)

    async def trusted_then(*_args: object) -> bool:
        return True

    monkeypatch.setattr(validation, "_trusted_at", trusted_then)
    settings = validation._Settings((), (), (), False, None)
    emb = SimpleNamespace(sig_object_type="/Sig")

    def status(**values: object) -> SimpleNamespace:
        defaults = {
            "intact": True,
            "valid": True,
            "trusted": False,
            "revoked": False,
            "trust_problem_indic": None,
            "error_time_horizon": None,
            "revocation_details": None,
        }
        return SimpleNamespace(**{**defaults, **values})

    unproven = validation._Timing(claimed, None, None, None)
    stamped = validation._Timing(claimed, proven, proven, None)
    expired = AdESIndeterminate.OUT_OF_BOUNDS_NO_POE
    cases = [
        *(
            (
                status(revoked=True, revocation_details=SimpleNamespace(ca_revoked=ca, revocation_date=revoked_on)),
                unproven,
            )
            for ca in (False, True)
        ),
        (status(revoked=True, error_time_horizon=revoked_on), stamped),
        (status(trust_problem_indic=expired, error_time_horizon=revoked_on), stamped),
        (status(trust_problem_indic=expired), unproven),
        (status(trust_problem_indic=AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE), unproven),
    ]
    for kind in ("signature", "document timestamp"):
        for case, timing in cases:
            found = _assessed(kind)
            asyncio.run(validation._assess_trust(emb, case, cert, timing, True, settings, found))  # type: ignore[arg-type]
            yield from found.reasons


def _modification_reasons() -> Iterator[str]:
    for kind in ("signature", "document timestamp"):
        for coverage in (SignatureCoverageLevel.UNCLEAR, SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START):
            found = _assessed(kind)
            validation._assess_modifications(
                SimpleNamespace(coverage=coverage, modification_level=None, docmdp_ok=None), None, found
            )
            yield from found.reasons
        found = _assessed(kind)
        validation._assess_modifications(
            SimpleNamespace(coverage=None, modification_level=ModificationLevel.OTHER, docmdp_ok=None), None, found
        )
        yield from found.reasons
        for level in ModificationLevel:
            for permission in MDPPerm:
                found = _assessed(kind)
                status = SimpleNamespace(coverage=None, modification_level=level, docmdp_ok=False)
                validation._assess_modifications(status, permission, found)
                yield from found.reasons


def _written_out() -> list[str]:
    """The sentences written inside code that needs a real pyHanko signature object, as validation.py writes them
    (_check_signature, _collect), and the one reason of UnreadablePdf that no file here gives."""
    written = []
    for kind in ("signature", "document timestamp"):
        written += [
            f"the {kind} could not be checked: Mã lỗi 0x2A",
            f"the {kind} could not be checked: ",
            f"the {kind} uses a format that cannot be checked (none)",
            f"the {kind} uses a format that cannot be checked (/adbe.pkcs7.sha1)",
            f"the {kind} data is damaged and cannot be read (Mã lỗi 0x2A)",
        ]
    written.append("the form fields of the PDF cannot be read (Mã lỗi 0x2A)")
    return written


def _check(field: str, signer: str | None, is_timestamp: bool, notes: tuple[str, ...]) -> validation.SignatureCheck:
    return validation.SignatureCheck(
        field_name=field,
        signer_name=signer,
        signer_organisation=None,
        certificate_serial="4f2a",
        certificate_issuer=None,
        signing_time=None,
        timestamp_time=None,
        intact=True,
        trusted=True,
        revocation="not checked",
        cert_valid_at_signing=True,
        modification_level=None,
        coverage=None,
        docmdp_permissions=None,
        docmdp_ok=None,
        is_document_timestamp=is_timestamp,
        subfilter=None,
        verdict="valid",
        reasons=notes,
    )


def _reports() -> Iterator[DocumentReport]:
    """validation._report on made-up findings: every count, every clause after the last signature, the notes about
    changes a later signature covers, the labels with and without a signer."""
    P = validation._Problem  # noqa: N806
    entire_file, revision = SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION

    def finding(
        is_timestamp: bool = False,
        level: ModificationLevel | None = ModificationLevel.NONE,
        coverage: SignatureCoverageLevel | None = entire_file,
        problems: frozenset = frozenset(),
        signer: str | None = "Vũ Minh Khôi",
        notes: tuple[str, ...] = (),
    ) -> validation._Finding:
        check = _check("Ô ký 1", signer, is_timestamp, notes)
        return validation._Finding(check, problems, 1, coverage, level)

    for signatures in range(4):
        for stamps in range(3):
            if signatures or stamps:
                findings = [finding() for _ in range(signatures)] + [finding(True) for _ in range(stamps)]
                yield validation._report(findings, False)
    yield validation._report([finding(coverage=revision, level=ModificationLevel.LTA_UPDATES)], False)
    yield validation._report([], True)
    for is_timestamp in (False, True):
        for level in ModificationLevel:
            for appended in (False, True):
                yield validation._report([finding(is_timestamp, level, revision)], appended)
        for level in (ModificationLevel.FORM_FILLING, ModificationLevel.ANNOTATIONS):
            yield validation._report([finding(is_timestamp, level, revision), finding()], False)
        for signer in ("Vũ Minh Khôi", None):
            broken = frozenset({P.BROKEN})
            revoked = ("the certificate was revoked on 2026-11-20",)
            yield validation._report([finding(is_timestamp, problems=broken, signer=signer, notes=revoked)], False)


def _every_shape(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made = [
        *_trust_reasons(),
        *(validation._coverage_reason(c) for c in SignatureCoverageLevel if c < SignatureCoverageLevel.ENTIRE_REVISION),
        *_integrity_reasons(),
        *_validity_reasons(),
        *_trust_assessment_reasons(monkeypatch),
        *_modification_reasons(),
        *_written_out(),
    ]
    for report in _reports():
        made += every_reason(report)
    return made


def test_every_sentence_the_validator_can_write_is_in_vietnamese(
    scenarios: Scenarios, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_files = [r for report in scenarios.reports.values() for r in every_reason(report)]
    every = [*from_files, *scenarios.unreadable.values(), *_every_shape(monkeypatch)]
    used: set[str] = set()
    translate = reasons.Sentence.translate

    def recording(sentence: reasons.Sentence, text: str) -> str | None:
        translated = translate(sentence, text)
        if translated is not None:
            used.add(sentence.shape)
        return translated

    monkeypatch.setattr(reasons.Sentence, "translate", recording)
    for reason in every:
        assert_vietnamese(reason)
    # Every expression of reasons.py is needed: each one is what translates some reason of the validator.
    assert [s.shape for s in SENTENCES if s.shape not in used] == []
    heads = [c.shape for c in COMPOSITIONS if not any(c.pattern.fullmatch(r.split(c.separator)[0]) for r in every)]
    assert heads == []


def test_a_composed_reason_is_translated_clause_by_clause() -> None:
    """A label and a reason, a reason with "; " in it, and reasons joined with "; " (as a refusal quotes them)."""
    out_of_date = "the revocation information for the certificate is out of date; try again later"
    claims = (
        "the signer claims to have signed on 2026-11-19 10:00 UTC, before the revocation, "
        "but no trusted timestamp proves it"
    )
    joined = "; ".join(["the certificate was revoked on 2026-11-20", claims, out_of_date])
    assert localise(joined, "vi") == (
        "chứng thư số đã bị thu hồi ngày 20/11/2026; người ký cho biết đã ký lúc 19/11/2026 10:00 UTC, trước thời "
        "điểm thu hồi, nhưng không có dấu thời gian tin cậy nào chứng minh điều đó; thông tin thu hồi của chứng thư "
        "số đã cũ; hãy kiểm tra lại sau"
    )
    assert localise(f"signature 'LanhDao': {out_of_date}", "vi") == (
        "chữ ký số 'LanhDao': thông tin thu hồi của chứng thư số đã cũ; hãy kiểm tra lại sau"
    )
    # A colon or "by" in the field or signer name does not confuse the label.
    tricky = "signature 'Ô: ký' by Lý Thị: Bé by Nhà: the signature could not be checked: Mã lỗi: 7"
    assert localise(tricky, "vi") == "chữ ký số 'Ô: ký' của Lý Thị: Bé by Nhà: không kiểm tra được chữ ký số: Mã lỗi: 7"


def test_a_long_or_hostile_name_is_handled_quickly() -> None:
    """Field and signer names come from the PDF: many separators in them do not make the search blow up, and a
    text longer than the validator writes for an honest file is left alone."""
    field = ": signature 'x' by y; document timestamp 'z'" * 40
    reason = f"signature '{field}' by Ông Tư: the file was changed"
    started = time.perf_counter()
    assert localise(reason, "vi") == f"chữ ký số '{field}' của Ông Tư: tệp đã bị sửa đổi"
    assert localise(f"{reason}; the moon", "vi") == f"{reason}; the moon"
    assert time.perf_counter() - started < 2
    too_long = "signature '" + "x" * MAX_LENGTH + "': the file was changed"
    assert localise(too_long, "vi") == too_long


# --- the page -------------------------------------------------------------------------------------------------------


def test_the_document_page_shows_the_reasons_in_vietnamese(app: Flask, api, signing) -> None:  # type: ignore[no-untyped-def]
    """The leader signs, the clerk issues: the page in Vietnamese says that both signatures are valid, in
    Vietnamese, and no reason is left in English; in English the same reasons are shown as the validator wrote."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.signing.models import SignatureReport

    draft = _draft(api)
    doc_id = draft["id"]
    assert api("leader_a").post(f"/api/v1/documents/{doc_id}/sign", json={}).status_code == 200
    assert _issue(_browser(app, "clerk_a"), doc_id).status_code == 302
    report = api("clerk_a").get(f"/api/v1/documents/{doc_id}/signatures").get_json()
    assert report["verdict"] == "valid", report

    html = _browser(app, "clerk_a", lang="vi").get(f"/documents/{doc_id}").get_data(as_text=True)
    panel = html[html.index('id="signatures"') : html.index("</section>", html.index('id="signatures"'))]
    lists = re.findall(r'<ul class="reasons" lang="([^"]*)">(.*?)</ul>', panel, re.DOTALL)
    assert [lang for lang, _items in lists] == ["vi", "vi"]  # the document's reasons, the leader's note
    shown = [item for _lang, items in lists for item in re.findall(r"<li>(.*?)</li>", items, re.DOTALL)]
    assert shown == [
        "cả 2 chữ ký số đều hợp lệ và tin cậy được, và văn bản đúng nguyên như khi người ký cuối cùng ký",
        "sau chữ ký số này, đã điền hoặc ký vào trường biểu mẫu; một chữ ký số sau đó đã bao trùm các thay đổi này",
    ]
    assert "<li lang=" not in panel  # no reason was left in English
    for reason in [*report["reasons"], *(r for s in report["signatures"] for r in s["reasons"])]:
        assert reason not in html
    for item in shown:
        assert [word for word in ENGLISH if word in item] == []

    english_page = _browser(app, "clerk_a", lang="en").get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f'<ul class="reasons" lang="en"><li>{report["reasons"][0]}</li></ul>' in english_page

    # A reason this version does not know (a newer validator's, say) is shown as it is, marked as English.
    with app.app_context():
        row = db.session.scalars(sa.select(SignatureReport).order_by(SignatureReport.id.desc())).first()
        row.reasons = [*row.reasons, "a reason from a newer validator"]
        db.session.commit()
    html = _browser(app, "clerk_a", lang="vi").get(f"/documents/{doc_id}").get_data(as_text=True)
    assert '<li lang="en">a reason from a newer validator</li>' in html
    assert "<li>cả 2 chữ ký số đều hợp lệ" in html
