"""The edXML mapping: round trips, the standard's structure, signatures and what is refused."""

from __future__ import annotations

import base64
import copy
import hashlib
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import SignatureMethod, XMLSigner

from app.routing.edxml import (
    DS_NS,
    EXT_NS,
    NS,
    Attachment,
    BusinessKind,
    Code,
    DocumentType,
    Envelope,
    EnvelopeError,
    Organisation,
    OtherInfo,
    Promulgation,
    ResponseFor,
    Signer,
    Staff,
    StatusCode,
    StatusMessage,
    Trace,
    envelope_xml,
    exchange_id,
    message_kind,
    parse_envelope,
    parse_status,
    peek,
    sign_xml,
    status_xml,
    verify_xml,
)

VN = timezone(timedelta(hours=7))
NSMAP = {"e": NS, "eo": EXT_NS, "ds": DS_NS}
PDF_LIKE = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
SENDER = Organisation(
    "000.00.31.H57",
    "Ủy ban nhân dân tỉnh Thừa Thiên Huế",
    organ_add="16 Lê Lợi, phường Vĩnh Ninh, thành phố Huế",
    email="ubnd@thuathienhue.gov.vn",
    telephone="0234 3822 123",
    fax="0234 3822 456",
    website="https://thuathienhue.gov.vn",
)
ANSWERED = ResponseFor("000.00.00.G22", "1234/VPCP-NN", date(2024, 2, 1), "000.00.00.G22,2024/02/01,1234/VPCP-NN")


def full_envelope(**changes: object) -> Envelope:
    """An envelope with every field set, Vietnamese text everywhere."""
    env = Envelope(
        message_id="6f1c2a9e-4b7d-4e1a-9c3f-2d8b5e7a1c04",
        from_=SENDER,
        to=(
            Organisation("000.00.12.H57", "Sở Tài chính tỉnh Thừa Thiên Huế", email="stc@thuathienhue.gov.vn"),
            Organisation("000.00.15.H57", "Sở Kế hoạch và Đầu tư"),
            Organisation("000.00.00.G22", "Văn phòng Chính phủ", organ_add="Số 1 Hoàng Hoa Thám, Ba Đình, Hà Nội"),
        ),
        code=Code("15", "QĐ-UBND"),
        promulgation=Promulgation("Thừa Thiên Huế", date(2024, 3, 15)),
        document_type=DocumentType(1, "Quyết định"),
        subject="Về việc phê duyệt kế hoạch phòng, chống thiên tai năm 2024 — “đợt 1” & <khẩn>",
        signer=Signer("KT.", "Phó Chủ tịch", "Nguyễn Thị Hồng Nhung"),
        due_date=date(2024, 3, 30),
        to_places=("Như trên", "Chủ tịch, các Phó Chủ tịch UBND tỉnh", "Lưu: VT, TH"),
        other_info=OtherInfo(
            priority=3,
            sphere_of_promulgation="Lưu hành nội bộ",
            typer_notation="Đỗ Văn Tùng",
            promulgation_amount=25,
            page_amount=4,
            appendixes=("Phụ lục I: Danh mục công trình", "Phụ lục II: Kinh phí thực hiện"),
        ),
        response_for=ANSWERED,
        steering_type=1,
        document_id=exchange_id("000.00.31.H57", date(2024, 3, 15), "15", "QĐ-UBND"),
        traces=(
            Trace("000.00.31.H57", datetime(2024, 3, 15, 8, 30, tzinfo=VN), BusinessKind.NEW, "Văn bản mới"),
            Trace("000.00.31.H57", datetime(2024, 3, 16, 9, 5, 7, 250000, tzinfo=VN), BusinessKind.RECALL, "Thu hồi"),
            Trace("000.00.12.H57", datetime(2024, 3, 16, 2, 0, tzinfo=UTC), BusinessKind.UPDATE, "Cập nhật phụ lục"),
            Trace("000.00.31.H57", datetime(2024, 3, 17, 14, 0, tzinfo=VN), BusinessKind.REPLACE, "Thay thế số 14"),
        ),
        business_kind=BusinessKind.REPLACE,
        business_reason="Thay thế Quyết định số 14/QĐ-UBND ngày 10/3/2024 do sai sót số liệu",
        attachments=(
            Attachment("quyet-dinh-15.pdf", "application/pdf", "Văn bản chính", PDF_LIKE),
            Attachment(
                "Phụ lục kinh phí – năm 2024.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "Phụ lục đính kèm: kinh phí",
                "Nội dung phụ lục: Đồng ý chi 1.500.000 đồng".encode() + b"\x00\xff\x10",
            ),
        ),
    )
    return replace(env, **changes)


def full_status(code: str = StatusCode.REGISTERED, **changes: object) -> StatusMessage:
    msg = StatusMessage(
        message_id="0b5f7c1e-3a2d-4c9b-8e6f-1a2b3c4d5e6f",
        response_for=ResponseFor(
            "000.00.31.H57", "15/QĐ-UBND", date(2024, 3, 15), "000.00.31.H57,2024/03/15,15/QĐ-UBND"
        ),
        from_=Organisation("000.00.12.H57", "Sở Tài chính tỉnh Thừa Thiên Huế", organ_add="24 Lý Thường Kiệt, Huế"),
        status_code=code,
        description="Văn thư – Phòng Hành chính: đã tiếp nhận, vào sổ văn bản đến số 327",
        timestamp=datetime(2024, 3, 15, 10, 45, 12, tzinfo=VN),
        staff=Staff("Trần Thị Ngọc Trâm", department="Văn thư", email="vanthu@stc.gov.vn", mobile="0912 000 001"),
    )
    return replace(msg, **changes)


# --- Keys -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    key_pem: bytes
    cert_pem: bytes
    algorithm: str  # the SignatureMethod URI its signatures carry


def _key_pair(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, name: str, algorithm: str) -> KeyPair:
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    return KeyPair(key_pem, cert.public_bytes(Encoding.PEM), algorithm)


@pytest.fixture(scope="module")
def ec_pair() -> KeyPair:
    return _key_pair(ec.generate_private_key(ec.SECP256R1()), "Máy chủ UBND tỉnh", SignatureMethod.ECDSA_SHA256.value)


@pytest.fixture(scope="module")
def rsa_pair() -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _key_pair(key, "Máy chủ Sở Tài chính", SignatureMethod.RSA_SHA256.value)


@pytest.fixture(scope="module")
def stranger() -> KeyPair:
    return _key_pair(ec.generate_private_key(ec.SECP256R1()), "Kẻ giả mạo", SignatureMethod.ECDSA_SHA256.value)


@pytest.fixture(params=["ec", "rsa"])
def pair(request: pytest.FixtureRequest, ec_pair: KeyPair, rsa_pair: KeyPair) -> KeyPair:
    return ec_pair if request.param == "ec" else rsa_pair


# --- Helpers ----------------------------------------------------------------------------------------------


def tree(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def edited(xml: bytes, path: str, change: object) -> bytes:
    """xml with the element at path (from the root) changed: change(element) edits it in place."""
    root = tree(xml)
    element = root.find(path, NSMAP)
    assert element is not None, path
    change(element)  # type: ignore[operator]
    return to_bytes(root)


def removed(xml: bytes, path: str) -> bytes:
    return edited(xml, path, lambda el: el.getparent().remove(el))


def refused(code: str, call: object, *args: object, **kwargs: object) -> EnvelopeError:
    with pytest.raises(EnvelopeError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    assert caught.value.code == code, caught.value
    return caught.value


HEADER = "e:edXMLEnvelope/e:edXMLHeader"
MH = f"{HEADER}/e:MessageHeader"


# --- Round trips ------------------------------------------------------------------------------------------


def test_full_envelope_round_trip() -> None:
    env = full_envelope()
    parsed = parse_envelope(envelope_xml(env))
    assert parsed == env
    assert [a.content for a in parsed.attachments] == [a.content for a in env.attachments]
    assert [t.timestamp.isoformat() for t in parsed.traces] == [t.timestamp.isoformat() for t in env.traces]
    assert [t.business_kind for t in parsed.traces] == list(BusinessKind)


@pytest.mark.parametrize("response_for", [ANSWERED, None])
@pytest.mark.parametrize("due_date", [date(2024, 4, 1), None])
def test_optional_parts_round_trip(response_for: ResponseFor | None, due_date: date | None) -> None:
    env = full_envelope(response_for=response_for, due_date=due_date)
    assert parse_envelope(envelope_xml(env)) == env


def test_bare_envelope_round_trip() -> None:
    env = full_envelope(
        to=(Organisation("000.00.12.H57", "Sở Tài chính"),),
        to_places=(),
        other_info=OtherInfo(),
        response_for=None,
        due_date=None,
        traces=(),
        business_kind=BusinessKind.NEW,
        business_reason="",
        attachments=(),
        signer=Signer("", "Chủ tịch", "Lê Văn Bình"),
    )
    assert parse_envelope(envelope_xml(env)) == env


@pytest.mark.parametrize("code", list(StatusCode))
def test_status_round_trip(code: StatusCode) -> None:
    msg = full_status(code.value)
    parsed = parse_status(status_xml(msg))
    assert parsed == msg
    assert parsed.status_code is code
    assert parsed.timestamp.isoformat() == "2024-03-15T10:45:12+07:00"


def test_exchange_id_is_organ_date_number_notation() -> None:
    assert exchange_id("000.00.31.H57", date(2024, 3, 5), "15", "QĐ-UBND") == "000.00.31.H57,2024/03/05,15/QĐ-UBND"


# --- The standard's structure -----------------------------------------------------------------------------


def test_envelope_has_the_edxml_structure() -> None:
    env = full_envelope()
    xml = envelope_xml(env)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = tree(xml)
    assert root.tag == f"{{{NS}}}edXML"
    assert root.findtext(f"{MH}/e:Subject", namespaces=NSMAP) == env.subject
    assert root.findtext(f"{MH}/e:From/e:OrganId", namespaces=NSMAP) == "000.00.31.H57"
    assert [el.text for el in root.findall(f"{MH}/e:To/e:OrganName", NSMAP)] == [o.organ_name for o in env.to]
    assert root.findtext(f"{MH}/e:Code/e:CodeNotation", namespaces=NSMAP) == "QĐ-UBND"
    assert root.findtext(f"{MH}/e:PromulgationInfo/e:PromulgationDate", namespaces=NSMAP) == "2024-03-15"
    assert root.findtext(f"{MH}/e:DocumentId", namespaces=NSMAP) == "000.00.31.H57,2024/03/15,15/QĐ-UBND"
    assert root.findtext(f"{MH}/e:OtherInfo/e:Priority", namespaces=NSMAP) == "3"
    traces = f"{HEADER}/e:TraceHeaderList"
    assert root.findtext(f"{traces}/e:TraceHeader/e:Timestamp", namespaces=NSMAP) == "2024-03-15T08:30:00+07:00"
    assert root.findtext(f"{traces}/e:Bussiness/e:BussinessDocType", namespaces=NSMAP) == "3"
    assert root.findtext(f"{HEADER}/eo:MessageId", namespaces=NSMAP) == env.message_id
    references = root.findall("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest/e:Reference", NSMAP)
    encoded = root.findall("e:AttachmentEncoded/e:Attachment", NSMAP)
    assert len(references) == len(encoded) == 2
    for reference, attachment, original in zip(references, encoded, env.attachments, strict=True):
        assert reference.findtext("e:ContentId", namespaces=NSMAP) == "cid:" + attachment.findtext(
            "e:ContentId", namespaces=NSMAP
        )
        assert reference.findtext("eo:Sha256", namespaces=NSMAP) == hashlib.sha256(original.content).hexdigest()
        assert reference.findtext("e:AttachmentName", namespaces=NSMAP) == original.name
        assert base64.b64decode(attachment.findtext("e:ContentTransferEncoded", namespaces=NSMAP)) == original.content


def test_status_has_the_edxml_structure() -> None:
    root = tree(status_xml(full_status(StatusCode.REFUSED)))
    status = f"{HEADER}/e:Status"
    assert root.findtext(f"{status}/e:StatusCode", namespaces=NSMAP) == "02"
    assert (
        root.findtext(f"{status}/e:ResponseFor/e:DocumentId", namespaces=NSMAP) == "000.00.31.H57,2024/03/15,15/QĐ-UBND"
    )
    assert root.findtext(f"{status}/e:StaffInfo/e:Staff", namespaces=NSMAP) == "Trần Thị Ngọc Trâm"
    assert root.find(f"{HEADER}/e:MessageHeader", NSMAP) is None


def test_a_time_without_offset_cannot_be_written() -> None:
    naive = Trace("000.00.31.H57", datetime(2024, 3, 15, 8, 30))  # no offset: the point of the test
    with pytest.raises(ValueError, match="UTC offset"):
        envelope_xml(full_envelope(traces=(naive,)))
    with pytest.raises(ValueError, match="UTC offset"):
        status_xml(full_status(timestamp=datetime(2024, 3, 15, 10, 45)))


def test_an_unknown_status_code_cannot_be_written() -> None:
    with pytest.raises(ValueError, match="99"):
        status_xml(full_status("99"))


# --- Signing ----------------------------------------------------------------------------------------------


def test_sign_and_verify_an_envelope(pair: KeyPair) -> None:
    env = full_envelope()
    signed = sign_xml(envelope_xml(env), pair.key_pem, pair.cert_pem)

    signature = tree(signed).find(f"{HEADER}/ds:Signature", NSMAP)
    assert signature is not None
    assert signature.getparent()[-1] is signature  # last in edXMLHeader
    assert signature.find("ds:SignedInfo/ds:SignatureMethod", NSMAP).get("Algorithm") == pair.algorithm
    assert signature.find("ds:SignedInfo/ds:Reference", NSMAP).get("URI") == ""
    digest = signature.find("ds:SignedInfo/ds:Reference/ds:DigestMethod", NSMAP).get("Algorithm")
    assert digest == "http://www.w3.org/2001/04/xmlenc#sha256"
    der = x509.load_pem_x509_certificate(pair.cert_pem).public_bytes(Encoding.DER)
    assert base64.b64decode(signature.findtext("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NSMAP)) == der

    verified = verify_xml(signed, pair.cert_pem)
    assert b"Signature" not in verified
    assert parse_envelope(verified) == env
    assert parse_envelope(signed) == env  # a signed message reads as an unsigned one


def test_sign_and_verify_a_status(pair: KeyPair) -> None:
    msg = full_status(StatusCode.CHANGE_AGREED)
    signed = sign_xml(status_xml(msg), pair.key_pem, pair.cert_pem)
    assert parse_status(verify_xml(signed, pair.cert_pem)) == msg
    assert parse_status(signed) == msg


def test_an_attachment_over_libxml2s_text_limit_signs_verifies_and_reads(ec_pair: KeyPair) -> None:
    content = random.Random(102).randbytes(8 * 1024 * 1024)  # base64: 11.2 MB in one text node
    env = full_envelope(attachments=(Attachment("bản đồ.tif", "image/tiff", "Bản đồ vùng ngập", content),))
    signed = sign_xml(envelope_xml(env), ec_pair.key_pem, ec_pair.cert_pem)
    assert len(signed) > 10_000_000
    assert parse_envelope(verify_xml(signed, ec_pair.cert_pem)).attachments[0].content == content


def test_signing_refuses_a_certificate_of_another_key(ec_pair: KeyPair, stranger: KeyPair) -> None:
    refused("bad_key", sign_xml, envelope_xml(full_envelope()), ec_pair.key_pem, stranger.cert_pem)


# --- What verification refuses ----------------------------------------------------------------------------


@pytest.fixture
def signed(ec_pair: KeyPair) -> bytes:
    return sign_xml(envelope_xml(full_envelope()), ec_pair.key_pem, ec_pair.cert_pem)


def test_verify_refuses_a_changed_byte_in_an_attachment(signed: bytes, ec_pair: KeyPair) -> None:
    marker = b"<ContentTransferEncoded>"
    at = signed.index(marker) + len(marker) + 40
    tampered = signed[:at] + (b"B" if signed[at : at + 1] != b"B" else b"C") + signed[at + 1 :]
    assert tampered != signed
    refused("bad_signature", verify_xml, tampered, ec_pair.cert_pem)


def test_verify_refuses_a_changed_subject(signed: bytes, ec_pair: KeyPair) -> None:
    tampered = edited(signed, f"{MH}/e:Subject", lambda el: setattr(el, "text", "Về việc chuyển tiền gấp"))
    refused("bad_signature", verify_xml, tampered, ec_pair.cert_pem)


def test_verify_refuses_another_signer(ec_pair: KeyPair, stranger: KeyPair) -> None:
    by_stranger = sign_xml(envelope_xml(full_envelope()), stranger.key_pem, stranger.cert_pem)
    assert verify_xml(by_stranger, stranger.cert_pem)  # a good signature, by someone else
    refused("bad_signature", verify_xml, by_stranger, ec_pair.cert_pem)


def test_verify_refuses_an_unsigned_message(ec_pair: KeyPair) -> None:
    assert "not signed" in refused("bad_signature", verify_xml, envelope_xml(full_envelope()), ec_pair.cert_pem).message
    refused("bad_signature", verify_xml, status_xml(full_status()), ec_pair.cert_pem)


def test_verify_refuses_a_message_whose_signature_was_removed(signed: bytes, ec_pair: KeyPair) -> None:
    refused("bad_signature", verify_xml, removed(signed, f"{HEADER}/ds:Signature"), ec_pair.cert_pem)


def test_verify_refuses_a_signature_over_part_of_the_message(ec_pair: KeyPair) -> None:
    """A signature over MessageHeader only would let anyone swap the attachments."""
    root = tree(envelope_xml(full_envelope()))
    root.find(MH, NSMAP).set("Id", "chi-phan-dau")
    root.find(HEADER, NSMAP).append(etree.Element(f"{{{DS_NS}}}Signature", Id="placeholder", nsmap={"ds": DS_NS}))
    partial = XMLSigner(signature_algorithm=SignatureMethod.ECDSA_SHA256).sign(
        root, key=ec_pair.key_pem, cert=ec_pair.cert_pem.decode(), reference_uri="chi-phan-dau"
    )
    partial.find("e:AttachmentEncoded/e:Attachment/e:AttachmentName", NSMAP).text = "thay-the.exe"
    error = refused("bad_signature", verify_xml, to_bytes(partial), ec_pair.cert_pem)
    assert "part" in error.message


def _forged_header(signed_root: etree._Element) -> etree._Element:
    header = copy.deepcopy(signed_root.find(HEADER, NSMAP))
    header.remove(header.find("ds:Signature", NSMAP))
    header.find("e:MessageHeader/e:Subject", NSMAP).text = "GIẢ MẠO: chuyển ngay 5 tỷ đồng"
    return header


def _verified_subject_or_refusal(xml: bytes, cert_pem: bytes) -> str | None:
    """The subject of what verify_xml returns, or None if it refuses the message."""
    try:
        verified = verify_xml(xml, cert_pem)
    except EnvelopeError as exc:
        assert exc.code == "bad_signature"
        return None
    return parse_envelope(verified).subject


def test_verify_never_yields_a_header_wrapped_around_the_signed_message(signed: bytes, ec_pair: KeyPair) -> None:
    """The signed message moved under a new root, beside a forged header."""
    original = tree(signed)
    wrapper = etree.Element(f"{{{NS}}}edXML", nsmap={None: NS})
    envelope = etree.SubElement(wrapper, f"{{{NS}}}edXMLEnvelope")
    envelope.append(_forged_header(original))
    etree.SubElement(wrapper, "{urn:ke-gia-mao}Goc").append(original)
    subject = _verified_subject_or_refusal(to_bytes(wrapper), ec_pair.cert_pem)
    assert subject in (None, full_envelope().subject)


def test_verify_never_yields_a_forged_header_beside_the_moved_signature(signed: bytes, ec_pair: KeyPair) -> None:
    """The signature moved into a forged header, the signed content kept aside under the new root."""
    original = tree(signed)
    forged = _forged_header(original)
    forged.append(copy.deepcopy(original.find(f"{HEADER}/ds:Signature", NSMAP)))
    wrapper = etree.Element(f"{{{NS}}}edXML", nsmap={None: NS})
    etree.SubElement(wrapper, f"{{{NS}}}edXMLEnvelope").append(forged)
    etree.SubElement(wrapper, "{urn:ke-gia-mao}Goc").append(original.find("e:edXMLEnvelope", NSMAP))
    subject = _verified_subject_or_refusal(to_bytes(wrapper), ec_pair.cert_pem)
    assert subject in (None, full_envelope().subject)


def test_verify_refuses_a_second_signature(signed: bytes, ec_pair: KeyPair) -> None:
    root = tree(signed)
    signature = root.find(f"{HEADER}/ds:Signature", NSMAP)
    root.find(MH, NSMAP).append(copy.deepcopy(signature))
    error = refused("bad_signature", verify_xml, to_bytes(root), ec_pair.cert_pem)
    assert "more than one" in error.message


def test_verify_refuses_a_signature_outside_the_header(signed: bytes, ec_pair: KeyPair) -> None:
    root = tree(signed)
    root.append(root.find(f"{HEADER}/ds:Signature", NSMAP))  # last child of the root, signxml's default place
    error = refused("bad_signature", verify_xml, to_bytes(root), ec_pair.cert_pem)
    assert "edXMLHeader" in error.message


# --- What parsing refuses ---------------------------------------------------------------------------------

XXE = '<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _laughs(levels: int = 9) -> str:
    """A billion laughs: each entity is ten of the one before."""
    entities = ['<!ENTITY lol0 "lol">']
    for n in range(1, levels + 1):
        reference = f"&lol{n - 1};"
        entities.append(f'<!ENTITY lol{n} "{reference * 10}">')
    return "<!DOCTYPE edXML [" + "".join(entities) + "]>"


def with_entity(xml: bytes, doctype: str, old_text: str, reference: str) -> bytes:
    """xml with a DOCTYPE after its declaration and old_text replaced by an entity reference."""
    text = xml.decode()
    assert f">{old_text}<" in text
    text = text.replace("?>", "?>" + doctype, 1).replace(f">{old_text}<", f">{reference}<", 1)
    return text.encode()


PLAIN_SUBJECT = "Báo cáo tình hình"


def _xxe_envelope() -> bytes:
    return with_entity(envelope_xml(full_envelope(subject=PLAIN_SUBJECT)), XXE, PLAIN_SUBJECT, "&xxe;")


@pytest.mark.parametrize("read", ["parse_envelope", "message_kind", "verify_xml"])
def test_an_external_entity_is_refused(read: str, ec_pair: KeyPair) -> None:
    readers = {
        "parse_envelope": parse_envelope,
        "message_kind": message_kind,
        "verify_xml": lambda xml: verify_xml(xml, ec_pair.cert_pem),
    }
    error = refused("entity", readers[read], _xxe_envelope())
    assert "root:" not in str(error)


def test_an_external_entity_in_a_status_is_refused() -> None:
    xml = with_entity(status_xml(full_status()), XXE, "Trần Thị Ngọc Trâm", "&xxe;")
    refused("entity", parse_status, xml)


def test_an_entity_bomb_is_refused() -> None:
    xml = with_entity(envelope_xml(full_envelope(subject=PLAIN_SUBJECT)), _laughs(), PLAIN_SUBJECT, "&lol9;")
    assert b"<!ENTITY lol9" in xml
    refused("entity", parse_envelope, xml)


def test_a_doctype_in_another_encoding_is_refused() -> None:
    xml = _xxe_envelope().decode().replace("encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16")
    error = refused("not_xml", parse_envelope, xml)
    assert "UTF-8" in error.message


def test_oversize_input_is_refused_before_parsing() -> None:
    xml = envelope_xml(full_envelope())
    assert parse_envelope(xml, max_bytes=len(xml)) == full_envelope()
    refused("too_large", parse_envelope, xml, max_bytes=len(xml) - 1)
    refused("too_large", parse_envelope, b"<" * 101, max_bytes=100)  # not even XML: the size is checked first


def test_a_status_over_the_default_limit_is_refused() -> None:
    xml = status_xml(full_status(description="Ý kiến xử lý. " * 70_000))
    assert len(xml) > 1024 * 1024
    refused("too_large", parse_status, xml)


def test_an_oversize_attachment_is_refused() -> None:
    xml = envelope_xml(full_envelope())
    error = refused("too_large", parse_envelope, xml, max_attachment_bytes=len(PDF_LIKE) - 1)
    assert "quyet-dinh-15.pdf" in error.message
    assert parse_envelope(xml, max_attachment_bytes=len(PDF_LIKE)) == full_envelope()


def test_an_oversize_attachment_is_refused_before_decoding() -> None:
    """Base64 too long for the limit is refused as too large, not decoded (this is not even base64)."""
    path = "e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded"
    xml = edited(envelope_xml(full_envelope()), path, lambda el: setattr(el, "text", "!" * 10_000))
    refused("too_large", parse_envelope, xml, max_attachment_bytes=7_000)
    refused("bad_field", parse_envelope, xml, max_attachment_bytes=8_000)


def test_an_attachment_with_another_digest_is_refused() -> None:
    xml = envelope_xml(full_envelope())
    path = "e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest/e:Reference/eo:Sha256"
    wrong = edited(xml, path, lambda el: setattr(el, "text", hashlib.sha256(b"khac").hexdigest()))
    error = refused("bad_digest", parse_envelope, wrong)
    assert "quyet-dinh-15.pdf" in error.message


def test_an_attachment_whose_content_changed_is_refused() -> None:
    xml = envelope_xml(full_envelope())
    path = "e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded"
    other = base64.b64encode(PDF_LIKE.replace(b"%%EOF", b"%%EOG")).decode()
    refused("bad_digest", parse_envelope, edited(xml, path, lambda el: setattr(el, "text", other)))


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"{MH}/e:Subject", "Subject"),
        (f"{HEADER}/eo:MessageId", "MessageId"),
        (f"{MH}/e:DocumentId", "DocumentId"),
        (f"{MH}/e:From/e:OrganId", "OrganId"),
    ],
)
def test_a_missing_field_is_named(path: str, field: str) -> None:
    error = refused("missing_field", parse_envelope, removed(envelope_xml(full_envelope()), path))
    assert field in error.message


def test_a_blank_subject_counts_as_missing() -> None:
    xml = edited(envelope_xml(full_envelope()), f"{MH}/e:Subject", lambda el: setattr(el, "text", "  "))
    assert "Subject" in refused("missing_field", parse_envelope, xml).message


@pytest.mark.parametrize(
    ("path", "field"), [(f"{HEADER}/eo:MessageId", "MessageId"), (f"{HEADER}/e:Status/e:StatusCode", "StatusCode")]
)
def test_a_status_missing_a_field_is_refused(path: str, field: str) -> None:
    error = refused("missing_field", parse_status, removed(status_xml(full_status()), path))
    assert field in error.message


def test_a_time_without_offset_is_refused() -> None:
    xml = edited(
        status_xml(full_status()),
        f"{HEADER}/e:Status/e:Timestamp",
        lambda el: setattr(el, "text", "2024-03-15T10:45:12"),
    )
    refused("bad_field", parse_status, xml)


def test_a_duplicated_subject_is_refused() -> None:
    xml = edited(envelope_xml(full_envelope()), MH, lambda el: el.append(copy.deepcopy(el.find("e:Subject", NSMAP))))
    refused("bad_field", parse_envelope, xml)


def test_what_is_not_edxml_is_refused() -> None:
    refused("not_xml", parse_envelope, b"khong phai XML")
    refused("not_edxml", parse_envelope, b"<edXML/>")
    refused("missing_field", parse_envelope, status_xml(full_status()))


# --- Telling the kinds apart ------------------------------------------------------------------------------


def test_message_kind(ec_pair: KeyPair) -> None:
    envelope, status = envelope_xml(full_envelope()), status_xml(full_status())
    assert message_kind(envelope) == "envelope"
    assert message_kind(status) == "status"
    assert message_kind(sign_xml(envelope, ec_pair.key_pem, ec_pair.cert_pem)) == "envelope"
    assert message_kind(sign_xml(status, ec_pair.key_pem, ec_pair.cert_pem)) == "status"
    neither = removed(status, f"{HEADER}/e:Status")
    refused("not_edxml", message_kind, neither)


def test_peek_names_the_kind_and_the_claimed_sender_without_verifying() -> None:
    assert peek(envelope_xml(full_envelope())) == ("envelope", full_envelope().from_.organ_id)
    assert peek(status_xml(full_status())) == ("status", "000.00.12.H57")
    with pytest.raises(EnvelopeError) as err:
        peek(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><edXML>&e;</edXML>')
    assert err.value.code == "entity"
    with pytest.raises(EnvelopeError) as err:
        peek(b"<edXML/>")
    assert err.value.code in {"not_edxml", "missing_field"}
