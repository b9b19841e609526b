"""The XML of the messages our servers exchange with other agencies: documents (envelopes) and statuses.

The structure is that of edXML, the message format of QCVN 102:2016/BTTTT (the national technical regulation on
the structure of messages exchanged between document-management systems), namespace
`http://www.mic.gov.vn/TBT/QCVN_102_2016`:

    <edXML xmlns="…QCVN_102_2016">
      <edXML:edXMLEnvelope xmlns:edXML="…QCVN_102_2016">
        <edXML:edXMLHeader>
          <edXML:MessageHeader> From, To…, Code, PromulgationInfo, DocumentType, Subject, SignerInfo, DueDate,
                                ToPlaces, OtherInfo, ResponseFor, SteeringType, DocumentId
          <edXML:TraceHeaderList> TraceHeader… (OrganId, Timestamp), Bussiness (BussinessDocType, BussinessDocReason)
          <ds:Signature>
        <edXML:edXMLBody>
          <edXML:edXMLManifest version="1.0"> Reference… (ContentId "cid:…", AttachmentName, ContentType, Description)
      <AttachmentEncoded> Attachment… (ContentId, AttachmentName, ContentType, Description, ContentTransferEncoded)

A status message has `Status` (ResponseFor, From, StatusCode, Description, Timestamp, StaffInfo) in place of
MessageHeader, and neither trace list nor body. The signature is an enveloped XML-DSig signature over the whole
document, placed last in edXMLHeader, where the standard's samples put it.

Where this departs from the standard, and why:

- Dates are ISO 8601 (`2024-03-15`) and times ISO 8601 with their UTC offset (`2024-03-15T08:30:00+07:00`). The
  standard's samples write `2024/03/15` and `2024/03/15 08:30:00` with no offset, which is ambiguous across time
  zones. The exchange id (DocumentId) keeps the standard's `OrganId,YYYY/MM/DD,number/notation`.
- What the standard has no element for is written in our own namespace (`EXT_NS`, prefix `eo`), so that a reader
  of plain edXML can skip it: the message id (`eo:MessageId`, last in edXMLHeader before the signature: a
  receiver uses it to take a message delivered twice once), each attachment's SHA-256 (`eo:Sha256` in its manifest
  Reference: checked before anything is stored), and each trace's business kind and reason (`eo:BusinessKind`,
  `eo:Reason` in TraceHeader; the message's own kind and reason are in Bussiness, as the standard has them).
- A message answers at most one document (one ResponseFor); the standard allows several.
- Not carried: OrganizationInCharge, Content (summary), DocumentType/TypeDetail, Bussiness's StaffInfo, Paper,
  DocumentId and ReplacementInfoList, and the SOAP-style attributes of TraceHeaderList. We have nothing to put in
  them; a message that has them is read all the same (unknown elements are skipped).
- Signatures use SHA-256 digests and ECDSA-SHA256 or RSA-SHA256 (older samples use RSA-SHA1, which is refused).
- Input must be UTF-8; it is parsed as UTF-8 whatever it declares, so no other encoding can hide a DOCTYPE from
  the check that refuses one before libxml2 reads the document.
- libxml2 refuses text nodes over 10 MB unless told to allow huge trees, and an attachment's base64 is one text
  node. Documents over 10 MB are therefore parsed with huge_tree=True. That is safe because the size limit is
  checked first and DOCTYPEs (hence entities) are refused before parsing; smaller documents keep huge_tree=False.

Reading a message does not authenticate it: a receiver verifies with `verify_xml` and parses only the bytes that
function returns (what was signed), never the input it was given.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum, StrEnum

import cryptography.exceptions
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key
from lxml import etree
from signxml import DigestAlgorithm, SignatureConfiguration, SignatureMethod, XMLSigner, XMLVerifier
from signxml.exceptions import SignXMLException

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
EXT_NS = "urn:eoffice:edxml-extension:1"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
XLINK_NS = "http://www.w3.org/1999/xlink"

DEFAULT_MAX_ENVELOPE_BYTES = 60 * 1024 * 1024
DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_STATUS_BYTES = 1024 * 1024

# libxml2's largest text node without huge_tree (XML_MAX_TEXT_LENGTH).
_LIBXML_TEXT_LIMIT = 10_000_000
_SIGNATURE_METHODS = frozenset({SignatureMethod.ECDSA_SHA256, SignatureMethod.RSA_SHA256})
_INT = re.compile(r"[0-9]{1,9}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class EnvelopeError(ValueError):
    """A message we refuse: `code` for programs (e.g. "bad_signature", "too_large"), `message` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class BusinessKind(IntEnum):
    """What a message does to the document (the standard's BussinessDocType)."""

    NEW = 0
    RECALL = 1
    UPDATE = 2
    REPLACE = 3


class StatusCode(StrEnum):
    """Where a received document is, as its recipient reports it to the sender."""

    ARRIVED = "01"
    REFUSED = "02"  # refused and returned to the sender
    REGISTERED = "03"  # received and registered
    ASSIGNED = "04"
    IN_PROGRESS = "05"
    COMPLETED = "06"
    RECALL_REQUESTED = "13"
    CHANGE_AGREED = "15"  # recall or update agreed
    CHANGE_REFUSED = "16"  # recall or update refused


# --- The messages -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    """An agency, by its national organisation code (e.g. 000.00.31.H57)."""

    organ_id: str
    organ_name: str
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Code:
    """A document's number and notation, as in `15/QĐ-UBND`."""

    number: str
    notation: str


@dataclass(frozen=True)
class Promulgation:
    place: str
    date: date


@dataclass(frozen=True)
class DocumentType:
    """type: 1 legal normative document, 2 administrative document."""

    type: int
    type_name: str


@dataclass(frozen=True)
class Signer:
    """competence: "TM.", "KT.", "TL." … or ""."""

    competence: str
    position: str
    full_name: str


@dataclass(frozen=True)
class OtherInfo:
    """priority: 0 normal, 1 urgent (khẩn), 2 very urgent (thượng khẩn), 3 express (hỏa tốc), 4 express at a set
    time (hỏa tốc hẹn giờ)."""

    priority: int = 0
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int = 0
    page_amount: int = 0
    appendixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseFor:
    """The document a message answers. code is "number/notation"; document_id its exchange id."""

    organ_id: str
    code: str
    promulgation_date: date
    document_id: str


@dataclass(frozen=True)
class Trace:
    """One step of the document's way: who handled it, when, doing what."""

    organ_id: str
    timestamp: datetime
    business_kind: BusinessKind = BusinessKind.NEW
    reason: str = ""


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    description: str
    content: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Envelope:
    """A document sent to other agencies, with its files. message_id is unique per message (a UUID);
    document_id is the document's exchange id (see `exchange_id`)."""

    message_id: str
    from_: Organisation
    to: tuple[Organisation, ...]
    code: Code
    promulgation: Promulgation
    document_type: DocumentType
    subject: str
    signer: Signer
    due_date: date | None = None
    to_places: tuple[str, ...] = ()
    other_info: OtherInfo = field(default_factory=OtherInfo)
    response_for: ResponseFor | None = None
    steering_type: int = 0
    document_id: str
    traces: tuple[Trace, ...] = ()
    business_kind: BusinessKind = BusinessKind.NEW
    business_reason: str = ""
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Staff:
    full_name: str
    department: str = ""
    email: str = ""
    mobile: str = ""


@dataclass(frozen=True, kw_only=True)
class StatusMessage:
    """A recipient's report on a document it was sent (status_code: a `StatusCode`)."""

    message_id: str
    response_for: ResponseFor
    from_: Organisation
    status_code: str
    description: str
    timestamp: datetime
    staff: Staff


def exchange_id(organ_id: str, date: date, number: str, notation: str) -> str:
    """A document's id in the exchange, as the standard writes it: `OrganId,YYYY/MM/DD,number/notation`."""
    return f"{organ_id},{date:%Y/%m/%d},{number}/{notation}"


# --- Writing ----------------------------------------------------------------------------------------------


def envelope_xml(env: Envelope) -> bytes:
    """The envelope as unsigned edXML (UTF-8). ValueError if it cannot be written (no recipient, a time without
    its UTC offset, a priority out of range, text XML cannot carry)."""
    _check_envelope(env)
    root, header = _skeleton(xlink=True)
    _write_message_header(header, env)
    _write_trace_list(header, env)
    _sub(header, "MessageId", env.message_id, ns=EXT_NS)
    content_ids = [_content_id(env.message_id, index) for index in range(len(env.attachments))]
    manifest = _sub(_sub(header.getparent(), "edXMLBody"), "edXMLManifest")
    manifest.set("version", "1.0")
    for content_id, attachment in zip(content_ids, env.attachments, strict=True):
        _write_reference(manifest, content_id, attachment)
    if env.attachments:
        encoded = _sub(root, "AttachmentEncoded")
        for content_id, attachment in zip(content_ids, env.attachments, strict=True):
            _write_encoded(encoded, content_id, attachment)
    return _serialize(root)


def status_xml(msg: StatusMessage) -> bytes:
    """The status as unsigned edXML (UTF-8). ValueError for an unknown status code or a time without offset."""
    code = StatusCode(msg.status_code)
    root, header = _skeleton(xlink=False)
    status = _sub(header, "Status")
    _write_response_for(status, msg.response_for)
    _write_organisation(status, "From", msg.from_)
    _sub(status, "StatusCode", code.value)
    _sub(status, "Description", msg.description)
    _sub(status, "Timestamp", _moment_text(msg.timestamp))
    staff = _sub(status, "StaffInfo")
    for tag, value in (
        ("Department", msg.staff.department),
        ("Staff", msg.staff.full_name),
        ("Mobile", msg.staff.mobile),
        ("Email", msg.staff.email),
    ):
        _sub(staff, tag, value)
    _sub(header, "MessageId", msg.message_id, ns=EXT_NS)
    return _serialize(root)


def _check_envelope(env: Envelope) -> None:
    if not env.to:
        raise ValueError("An envelope needs at least one recipient.")
    if not 0 <= env.other_info.priority <= 4:
        raise ValueError("The priority is 0 to 4.")
    for trace in env.traces:
        _moment_text(trace.timestamp)


def _skeleton(*, xlink: bool) -> tuple[etree._Element, etree._Element]:
    """The root and the empty edXMLHeader, with the prefixes the standard's samples use."""
    nsmap = {None: NS, "eo": EXT_NS}
    if xlink:
        nsmap["xlink"] = XLINK_NS
    root = etree.Element(_q("edXML"), nsmap=nsmap)
    envelope = etree.SubElement(root, _q("edXMLEnvelope"), nsmap={"edXML": NS})
    return root, _sub(envelope, "edXMLHeader")


def _write_message_header(header: etree._Element, env: Envelope) -> None:
    mh = _sub(header, "MessageHeader")
    _write_organisation(mh, "From", env.from_)
    for recipient in env.to:
        _write_organisation(mh, "To", recipient)
    code = _sub(mh, "Code")
    _sub(code, "CodeNumber", env.code.number)
    _sub(code, "CodeNotation", env.code.notation)
    promulgation = _sub(mh, "PromulgationInfo")
    _sub(promulgation, "Place", env.promulgation.place)
    _sub(promulgation, "PromulgationDate", env.promulgation.date.isoformat())
    document_type = _sub(mh, "DocumentType")
    _sub(document_type, "Type", str(env.document_type.type))
    _sub(document_type, "TypeName", env.document_type.type_name)
    _sub(mh, "Subject", env.subject)
    signer = _sub(mh, "SignerInfo")
    _sub(signer, "Competence", env.signer.competence)
    _sub(signer, "Position", env.signer.position)
    _sub(signer, "FullName", env.signer.full_name)
    if env.due_date is not None:
        _sub(mh, "DueDate", env.due_date.isoformat())
    places = _sub(mh, "ToPlaces")
    for place in env.to_places:
        _sub(places, "Place", place)
    _write_other_info(mh, env.other_info)
    if env.response_for is not None:
        _write_response_for(mh, env.response_for)
    _sub(mh, "SteeringType", str(env.steering_type))
    _sub(mh, "DocumentId", env.document_id)


def _write_organisation(parent: etree._Element, tag: str, org: Organisation) -> None:
    el = _sub(parent, tag)
    for child, value in (
        ("OrganId", org.organ_id),
        ("OrganName", org.organ_name),
        ("OrganAdd", org.organ_add),
        ("Email", org.email),
        ("Telephone", org.telephone),
        ("Fax", org.fax),
        ("Website", org.website),
    ):
        _sub(el, child, value)


def _write_other_info(parent: etree._Element, info: OtherInfo) -> None:
    el = _sub(parent, "OtherInfo")
    _sub(el, "Priority", str(info.priority))
    _sub(el, "SphereOfPromulgation", info.sphere_of_promulgation)
    _sub(el, "TyperNotation", info.typer_notation)
    _sub(el, "PromulgationAmount", str(info.promulgation_amount))
    _sub(el, "PageAmount", str(info.page_amount))
    appendixes = _sub(el, "Appendixes")
    for appendix in info.appendixes:
        _sub(appendixes, "Appendix", appendix)


def _write_response_for(parent: etree._Element, response: ResponseFor) -> None:
    el = _sub(parent, "ResponseFor")
    _sub(el, "OrganId", response.organ_id)
    _sub(el, "Code", response.code)
    _sub(el, "PromulgationDate", response.promulgation_date.isoformat())
    _sub(el, "DocumentId", response.document_id)


def _write_trace_list(header: etree._Element, env: Envelope) -> None:
    traces = _sub(header, "TraceHeaderList")
    for trace in env.traces:
        el = _sub(traces, "TraceHeader")
        _sub(el, "OrganId", trace.organ_id)
        _sub(el, "Timestamp", _moment_text(trace.timestamp))
        _sub(el, "BusinessKind", str(int(trace.business_kind)), ns=EXT_NS)
        _sub(el, "Reason", trace.reason, ns=EXT_NS)
    business = _sub(traces, "Bussiness")  # the standard's spelling
    _sub(business, "BussinessDocType", str(int(env.business_kind)))
    _sub(business, "BussinessDocReason", env.business_reason)


def _write_reference(manifest: etree._Element, content_id: str, attachment: Attachment) -> None:
    """The attachment's entry in the manifest: what it is, and the SHA-256 its content must have."""
    el = _sub(manifest, "Reference")
    el.set(f"{{{XLINK_NS}}}href", f"cid:{content_id}")
    el.set(f"{{{XLINK_NS}}}type", "simple")
    _sub(el, "ContentId", f"cid:{content_id}")
    _sub(el, "AttachmentName", attachment.name)
    _sub(el, "ContentType", attachment.content_type)
    _sub(el, "Description", attachment.description)
    _sub(el, "Sha256", attachment.sha256, ns=EXT_NS)


def _write_encoded(encoded: etree._Element, content_id: str, attachment: Attachment) -> None:
    el = _sub(encoded, "Attachment")
    _sub(el, "ContentType", attachment.content_type)
    _sub(el, "ContentId", content_id)
    _sub(el, "Description", attachment.description)
    _sub(el, "ContentTransferEncoded", base64.b64encode(attachment.content).decode("ascii"))
    _sub(el, "AttachmentName", attachment.name)


def _content_id(message_id: str, index: int) -> str:
    """The same attachment of the same message always gets the same content id (a UUID, as in the samples)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{EXT_NS}:{message_id}:{index}"))


def _moment_text(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"The time {moment} has no UTC offset.")
    return moment.isoformat()


def _q(tag: str, ns: str = NS) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, *, ns: str = NS) -> etree._Element:
    el = etree.SubElement(parent, _q(tag, ns))
    if text is not None:
        el.text = text
    return el


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- Signing and verifying --------------------------------------------------------------------------------


class _Signer(XMLSigner):
    """signxml's signer, reading the document again with our parser: its own parser refuses text nodes over
    10 MB, which a large attachment's base64 is. (`_parser` is what `XMLVerifier.verify(parser=…)` sets.)"""

    def __init__(self, parser: etree.XMLParser, signature_algorithm: SignatureMethod) -> None:
        super().__init__(signature_algorithm=signature_algorithm, digest_algorithm=DigestAlgorithm.SHA256)
        self._parser = parser


def sign_xml(xml: bytes, key_pem: bytes, cert_pem: bytes, *, max_bytes: int = DEFAULT_MAX_ENVELOPE_BYTES) -> bytes:
    """The message with an enveloped XML-DSig signature over the whole document (Reference URI ""), placed last in
    edXMLHeader: SHA-256 digest, ECDSA-SHA256 for an EC key, RSA-SHA256 for an RSA key, the certificate in
    KeyInfo. EnvelopeError if the key or certificate is unusable or the message is signed already."""
    key = _load_key(key_pem)
    cert = _load_cert(cert_pem)
    if _public_der(cert.public_key()) != _public_der(key.public_key()):
        raise EnvelopeError("bad_key", "The certificate is not the key's.")
    algorithm = (
        SignatureMethod.ECDSA_SHA256 if isinstance(key, ec.EllipticCurvePrivateKey) else SignatureMethod.RSA_SHA256
    )
    root = _load(xml, max_bytes, strip=False)
    header = _header(root)
    if root.find(f".//{_q('Signature', DS_NS)}") is not None:
        raise EnvelopeError("bad_signature", "The message is signed already.")
    etree.SubElement(header, _q("Signature", DS_NS), Id="placeholder", nsmap={"ds": DS_NS})
    signed = _Signer(_parser(len(xml), strip=False), algorithm).sign(root, key=key, cert=[cert])
    return _serialize(signed)


def verify_xml(xml: bytes, cert_pem: bytes, *, max_bytes: int = DEFAULT_MAX_ENVELOPE_BYTES) -> bytes:
    """Check the message's signature against exactly this certificate, and return what was signed: the whole
    document without its signature (canonical XML). Parse those bytes, never `xml`. EnvelopeError "bad_signature"
    if there is no signature, more than one, one elsewhere than in edXMLHeader, one by another key, one over part
    of the document only, or one that does not match the content."""
    cert = _load_cert(cert_pem)
    root = _load(xml, max_bytes, strip=False)
    _check_signature_place(root)
    config = SignatureConfiguration(
        location=f"./{_q('edXMLEnvelope')}/{_q('edXMLHeader')}/",
        expect_references=1,
        signature_methods=_SIGNATURE_METHODS,
        digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
    )
    try:
        result = XMLVerifier().verify(root, x509_cert=cert, parser=_parser(len(xml), strip=False), expect_config=config)
    except (SignXMLException, cryptography.exceptions.InvalidSignature, ValueError, TypeError) as exc:
        raise EnvelopeError("bad_signature", f"The signature does not hold: {exc}") from exc
    reference = result.signature_xml.find(f"{_q('SignedInfo', DS_NS)}/{_q('Reference', DS_NS)}")
    if reference is None or reference.get("URI") != "":
        raise EnvelopeError("bad_signature", "The signature covers only part of the message.")
    if result.signed_xml is None or result.signed_xml.tag != _q("edXML"):
        raise EnvelopeError("bad_signature", "What was signed is not an edXML message.")
    return result.signed_data


def _check_signature_place(root: etree._Element) -> None:
    signatures = list(root.iter(_q("Signature", DS_NS)))
    if not signatures:
        raise EnvelopeError("bad_signature", "The message is not signed.")
    if len(signatures) > 1:
        raise EnvelopeError("bad_signature", "The message has more than one signature.")
    if signatures[0].getparent() is not _header(root):
        raise EnvelopeError("bad_signature", "The signature is not in edXMLHeader.")


def _load_key(key_pem: bytes) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
    try:
        key = load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise EnvelopeError("bad_key", f"The private key cannot be read: {exc}") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise EnvelopeError("bad_key", "Only EC and RSA keys sign messages.")
    return key


def _load_cert(cert_pem: bytes) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(cert_pem)
    except ValueError as exc:
        raise EnvelopeError("bad_certificate", f"The certificate cannot be read: {exc}") from exc


def _public_der(public_key: CertificatePublicKeyTypes) -> bytes:
    return public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


# --- Reading ----------------------------------------------------------------------------------------------


def message_kind(xml: bytes, *, max_bytes: int = DEFAULT_MAX_ENVELOPE_BYTES) -> str:
    """Whether the message is an "envelope" or a "status", for a receiver to dispatch on. The message is parsed
    as safely as by parse_*; EnvelopeError "not_edxml" if it is neither."""
    header = _header(_load(xml, max_bytes, strip=True))
    envelope = bool(_children(header, "MessageHeader"))
    status = bool(_children(header, "Status"))
    if envelope != status:
        return "envelope" if envelope else "status"
    raise EnvelopeError("not_edxml", "The message is neither a document envelope nor a status.")


def peek(xml: bytes, *, max_bytes: int = DEFAULT_MAX_ENVELOPE_BYTES) -> tuple[str, str]:
    """(kind, the organisation code the message claims to come from), read without verifying anything: to
    know whose certificate to verify it with. Parsed as safely as by parse_*."""
    header = _header(_load(xml, max_bytes, strip=True))
    envelope, status = _children(header, "MessageHeader"), _children(header, "Status")
    if bool(envelope) == bool(status):
        raise EnvelopeError("not_edxml", "The message is neither a document envelope nor a status.")
    kind, part = ("envelope", envelope[0]) if envelope else ("status", status[0])
    path = "MessageHeader" if envelope else "Status"
    sender = _read_organisation(_one(part, "From", path), f"{path}/From")
    return kind, sender.organ_id


def parse_envelope(
    xml: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_ENVELOPE_BYTES,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
) -> Envelope:
    """The envelope in the message, signed or not (a signature is skipped, not checked: see verify_xml).
    Each attachment must have the SHA-256 its manifest entry declares and at most max_attachment_bytes."""
    root = _load(xml, max_bytes, strip=True)
    header = _header(root)
    mh = _one(header, "MessageHeader", "edXMLHeader")
    traces, business_kind, business_reason = _read_trace_list(header)
    path = "MessageHeader"
    return Envelope(
        message_id=_text(header, "MessageId", "edXMLHeader", ns=EXT_NS, nonempty=True),
        from_=_read_organisation(_one(mh, "From", path), f"{path}/From"),
        to=_read_recipients(mh),
        code=_read_code(_one(mh, "Code", path)),
        promulgation=_read_promulgation(_one(mh, "PromulgationInfo", path)),
        document_type=_read_document_type(_one(mh, "DocumentType", path)),
        subject=_text(mh, "Subject", path, nonempty=True),
        signer=_read_signer(_one(mh, "SignerInfo", path)),
        due_date=_optional_date(mh, "DueDate", path),
        to_places=_read_places(mh),
        other_info=_read_other_info(_maybe(mh, "OtherInfo", path)),
        response_for=_optional_response_for(mh, path),
        steering_type=_int(mh, "SteeringType", path, required=False),
        document_id=_text(mh, "DocumentId", path, nonempty=True),
        traces=traces,
        business_kind=business_kind,
        business_reason=business_reason,
        attachments=_read_attachments(root, max_attachment_bytes),
    )


def parse_status(xml: bytes, max_bytes: int = DEFAULT_MAX_STATUS_BYTES) -> StatusMessage:
    """The status in the message, signed or not (a signature is skipped, not checked: see verify_xml)."""
    header = _header(_load(xml, max_bytes, strip=True))
    status = _one(header, "Status", "edXMLHeader")
    path = "Status"
    code_text = _text(status, "StatusCode", path, nonempty=True).strip()
    try:
        code = StatusCode(code_text)
    except ValueError:
        raise EnvelopeError("bad_field", f"Status/StatusCode {code_text!r} is not a status code.") from None
    staff = _one(status, "StaffInfo", path)
    return StatusMessage(
        message_id=_text(header, "MessageId", "edXMLHeader", ns=EXT_NS, nonempty=True),
        response_for=_read_response_for(_one(status, "ResponseFor", path), f"{path}/ResponseFor"),
        from_=_read_organisation(_one(status, "From", path), f"{path}/From"),
        status_code=code,
        description=_text(status, "Description", path),
        timestamp=_moment(status, "Timestamp", path),
        staff=Staff(
            full_name=_text(staff, "Staff", f"{path}/StaffInfo"),
            department=_text(staff, "Department", f"{path}/StaffInfo", required=False),
            email=_text(staff, "Email", f"{path}/StaffInfo", required=False),
            mobile=_text(staff, "Mobile", f"{path}/StaffInfo", required=False),
        ),
    )


def _parser(size: int, *, strip: bool) -> etree.XMLParser:
    """A parser that resolves no entity, loads no DTD, touches no network and reads UTF-8 whatever the document
    declares. huge_tree only when the document is bigger than libxml2's text-node limit (see the module doc)."""
    return etree.XMLParser(
        encoding="utf-8",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=size > _LIBXML_TEXT_LIMIT,
        remove_comments=strip,
        remove_pis=strip,
    )


def _load(xml: bytes, max_bytes: int, *, strip: bool) -> etree._Element:
    """The root of a safely parsed edXML message: size checked first, UTF-8 only, no DOCTYPE, no entity."""
    if len(xml) > max_bytes:
        raise EnvelopeError("too_large", f"The message has {len(xml)} bytes; at most {max_bytes} are accepted.")
    try:
        xml.decode("utf-8")
    except UnicodeDecodeError:
        raise EnvelopeError("not_xml", "The message is not UTF-8 text.") from None
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise EnvelopeError("entity", "The message has a DOCTYPE or an entity declaration; neither is accepted.")
    try:
        root = etree.fromstring(xml, _parser(len(xml), strip=strip))
    except etree.XMLSyntaxError as exc:
        raise EnvelopeError("not_xml", f"The message is not well-formed XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or next(root.iter(etree.Entity), None) is not None:
        raise EnvelopeError("entity", "The message has a DOCTYPE or an entity; neither is accepted.")
    if root.tag != _q("edXML"):
        raise EnvelopeError("not_edxml", f"The message is not edXML (its root is {root.tag}).")
    return root


def _header(root: etree._Element) -> etree._Element:
    return _one(_one(root, "edXMLEnvelope", "edXML"), "edXMLHeader", "edXMLEnvelope")


def _children(parent: etree._Element, tag: str, *, ns: str = NS, loose: bool = False) -> list[etree._Element]:
    """The children with this name; loose: in no namespace too (some senders write AttachmentEncoded so)."""
    found = parent.findall(_q(tag, ns))
    return found + parent.findall(tag) if loose else found


def _maybe(parent: etree._Element, tag: str, path: str, *, ns: str = NS, loose: bool = False) -> etree._Element | None:
    """The child with this name, or None; refused if there are two."""
    found = _children(parent, tag, ns=ns, loose=loose)
    if len(found) > 1:
        raise EnvelopeError("bad_field", f"{path}/{tag} appears {len(found)} times; once is allowed.")
    return found[0] if found else None


def _one(parent: etree._Element, tag: str, path: str, *, ns: str = NS, loose: bool = False) -> etree._Element:
    """The child with this name, which must be there once."""
    el = _maybe(parent, tag, path, ns=ns, loose=loose)
    if el is None:
        raise EnvelopeError("missing_field", f"The message has no {path}/{tag}.")
    return el


def _text(
    parent: etree._Element,
    tag: str,
    path: str,
    *,
    ns: str = NS,
    required: bool = True,
    nonempty: bool = False,
    loose: bool = False,
) -> str:
    """A child's text ("" when it is optional and absent); nonempty: blank text counts as missing."""
    el = _one(parent, tag, path, ns=ns, loose=loose) if required else _maybe(parent, tag, path, ns=ns, loose=loose)
    if el is None:
        return ""
    if len(el):
        raise EnvelopeError("bad_field", f"{path}/{tag} holds elements where text belongs.")
    text = el.text or ""
    if nonempty and not text.strip():
        raise EnvelopeError("missing_field", f"{path}/{tag} is empty.")
    return text


def _int(parent: etree._Element, tag: str, path: str, *, required: bool = True) -> int:
    """A child's whole number (0 when it is optional and absent or empty)."""
    text = _text(parent, tag, path, required=required).strip()
    if not text and not required:
        return 0
    if not _INT.fullmatch(text):
        raise EnvelopeError("bad_field", f"{path}/{tag} {text!r} is not a whole number.")
    return int(text)


def _date(parent: etree._Element, tag: str, path: str) -> date:
    text = _text(parent, tag, path, nonempty=True).strip()
    try:
        if not _DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise EnvelopeError("bad_field", f"{path}/{tag} {text!r} is not a date (YYYY-MM-DD).") from None


def _optional_date(parent: etree._Element, tag: str, path: str) -> date | None:
    el = _maybe(parent, tag, path)
    return None if el is None or not (el.text or "").strip() else _date(parent, tag, path)


def _moment(parent: etree._Element, tag: str, path: str) -> datetime:
    text = _text(parent, tag, path, nonempty=True).strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise EnvelopeError("bad_field", f"{path}/{tag} {text!r} is not an ISO 8601 time.") from None
    if moment.utcoffset() is None:
        raise EnvelopeError("bad_field", f"{path}/{tag} {text!r} has no UTC offset.")
    return moment


def _read_organisation(el: etree._Element, path: str) -> Organisation:
    return Organisation(
        organ_id=_text(el, "OrganId", path, nonempty=True),
        organ_name=_text(el, "OrganName", path, nonempty=True),
        organ_add=_text(el, "OrganAdd", path, required=False),
        email=_text(el, "Email", path, required=False),
        telephone=_text(el, "Telephone", path, required=False),
        fax=_text(el, "Fax", path, required=False),
        website=_text(el, "Website", path, required=False),
    )


def _read_recipients(mh: etree._Element) -> tuple[Organisation, ...]:
    recipients = _children(mh, "To")
    if not recipients:
        raise EnvelopeError("missing_field", "The message has no MessageHeader/To.")
    return tuple(_read_organisation(el, "MessageHeader/To") for el in recipients)


def _read_code(el: etree._Element) -> Code:
    return Code(
        number=_text(el, "CodeNumber", "MessageHeader/Code"),
        notation=_text(el, "CodeNotation", "MessageHeader/Code"),
    )


def _read_promulgation(el: etree._Element) -> Promulgation:
    path = "MessageHeader/PromulgationInfo"
    return Promulgation(place=_text(el, "Place", path), date=_date(el, "PromulgationDate", path))


def _read_document_type(el: etree._Element) -> DocumentType:
    path = "MessageHeader/DocumentType"
    return DocumentType(type=_int(el, "Type", path), type_name=_text(el, "TypeName", path))


def _read_signer(el: etree._Element) -> Signer:
    path = "MessageHeader/SignerInfo"
    return Signer(
        competence=_text(el, "Competence", path, required=False),
        position=_text(el, "Position", path),
        full_name=_text(el, "FullName", path),
    )


def _read_places(mh: etree._Element) -> tuple[str, ...]:
    places = _maybe(mh, "ToPlaces", "MessageHeader")
    if places is None:
        return ()
    return tuple(el.text or "" for el in _children(places, "Place"))


def _read_other_info(el: etree._Element | None) -> OtherInfo:
    if el is None:
        return OtherInfo()
    path = "MessageHeader/OtherInfo"
    priority = _int(el, "Priority", path, required=False)
    if priority > 4:
        raise EnvelopeError("bad_field", f"{path}/Priority {priority} is not 0 to 4.")
    appendixes = _maybe(el, "Appendixes", path)
    return OtherInfo(
        priority=priority,
        sphere_of_promulgation=_text(el, "SphereOfPromulgation", path, required=False),
        typer_notation=_text(el, "TyperNotation", path, required=False),
        promulgation_amount=_int(el, "PromulgationAmount", path, required=False),
        page_amount=_int(el, "PageAmount", path, required=False),
        appendixes=() if appendixes is None else tuple(a.text or "" for a in _children(appendixes, "Appendix")),
    )


def _optional_response_for(mh: etree._Element, path: str) -> ResponseFor | None:
    el = _maybe(mh, "ResponseFor", path)
    return None if el is None else _read_response_for(el, f"{path}/ResponseFor")


def _read_response_for(el: etree._Element, path: str) -> ResponseFor:
    return ResponseFor(
        organ_id=_text(el, "OrganId", path, nonempty=True),
        code=_text(el, "Code", path),
        promulgation_date=_date(el, "PromulgationDate", path),
        document_id=_text(el, "DocumentId", path, nonempty=True),
    )


def _business_kind(parent: etree._Element, tag: str, path: str, *, ns: str = NS) -> BusinessKind:
    """A business kind, 0 (new) when absent."""
    text = _text(parent, tag, path, ns=ns, required=False).strip() or "0"
    if not _INT.fullmatch(text) or int(text) > max(BusinessKind):
        raise EnvelopeError("bad_field", f"{path}/{tag} {text!r} is not a business kind (0 to 3).")
    return BusinessKind(int(text))


def _read_trace_list(header: etree._Element) -> tuple[tuple[Trace, ...], BusinessKind, str]:
    """The traces, and the kind of business (new, recall, update, replace) with its reason."""
    path = "edXMLHeader/TraceHeaderList"
    trace_list = _one(header, "TraceHeaderList", "edXMLHeader")
    traces = tuple(_read_trace(el, f"{path}/TraceHeader") for el in _children(trace_list, "TraceHeader"))
    business = _one(trace_list, "Bussiness", path)
    kind = _business_kind(business, "BussinessDocType", f"{path}/Bussiness")
    return traces, kind, _text(business, "BussinessDocReason", f"{path}/Bussiness", required=False)


def _read_trace(el: etree._Element, path: str) -> Trace:
    return Trace(
        organ_id=_text(el, "OrganId", path, nonempty=True),
        timestamp=_moment(el, "Timestamp", path),
        business_kind=_business_kind(el, "BusinessKind", path, ns=EXT_NS),
        reason=_text(el, "Reason", path, ns=EXT_NS, required=False),
    )


def _read_attachments(root: etree._Element, max_bytes: int) -> tuple[Attachment, ...]:
    """Each manifest entry with its content from AttachmentEncoded, matched by content id; a content without
    an entry, or an entry without content, is refused."""
    body = _one(_one(root, "edXMLEnvelope", "edXML"), "edXMLBody", "edXMLEnvelope")
    manifest = _one(body, "edXMLManifest", "edXMLBody")
    contents = _encoded_by_id(root)
    attachments = []
    for reference in _children(manifest, "Reference"):
        path = "edXMLManifest/Reference"
        content_id = _text(reference, "ContentId", path, nonempty=True).strip().removeprefix("cid:")
        name = _text(reference, "AttachmentName", path, nonempty=True)
        encoded = contents.pop(content_id, None)
        if encoded is None:
            raise EnvelopeError("missing_field", f"The content of the attachment {name!r} is missing.")
        content = _decode(encoded, name, max_bytes)
        declared = _text(reference, "Sha256", path, ns=EXT_NS, nonempty=True).strip()
        if not _HEX_SHA256.fullmatch(declared):
            raise EnvelopeError("bad_field", f"The SHA-256 of the attachment {name!r} is not 64 hex digits.")
        if hashlib.sha256(content).hexdigest() != declared.lower():
            raise EnvelopeError("bad_digest", f"The attachment {name!r} does not have the SHA-256 it declares.")
        attachments.append(
            Attachment(
                name=name,
                content_type=_text(reference, "ContentType", path),
                description=_text(reference, "Description", path, required=False),
                content=content,
            )
        )
    if contents:
        raise EnvelopeError("bad_field", "AttachmentEncoded holds content that the manifest does not list.")
    return tuple(attachments)


def _encoded_by_id(root: etree._Element) -> dict[str, str]:
    """The base64 text of each encoded attachment, by content id."""
    encoded = _maybe(root, "AttachmentEncoded", "edXML", loose=True)
    if encoded is None:
        return {}
    contents: dict[str, str] = {}
    path = "AttachmentEncoded/Attachment"
    for el in _children(encoded, "Attachment", loose=True):
        content_id = _text(el, "ContentId", path, nonempty=True, loose=True).strip().removeprefix("cid:")
        if content_id in contents:
            raise EnvelopeError("bad_field", f"Two attachments have the content id {content_id!r}.")
        contents[content_id] = _text(el, "ContentTransferEncoded", path, loose=True)
    return contents


def _decode(text: str, name: str, max_bytes: int) -> bytes:
    """The attachment's content, refused before decoding when its base64 is too long for max_bytes."""
    compact = "".join(text.split())
    if len(compact) > 4 * -(-max_bytes // 3):
        raise EnvelopeError("too_large", f"The attachment {name!r} is larger than {max_bytes} bytes.")
    try:
        content = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise EnvelopeError("bad_field", f"The content of the attachment {name!r} is not base64.") from None
    if len(content) > max_bytes:
        raise EnvelopeError("too_large", f"The attachment {name!r} is larger than {max_bytes} bytes.")
    return content
