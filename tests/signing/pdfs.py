"""Test helpers for signed PDFs: keys and certificates from the built-in CA, signing with plain pyHanko,
form filling after a signature, hand-made tampering, and the outside tools (poppler's pdfsig, qpdf --check).

Everything here produces bytes; nothing touches Flask or the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.form_tools import TextFieldContent, populate_static_text_field
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.signing import pki

NUMBER_FIELD = "SoKyHieu"
NUMBER_FIELD_RECT = (60, 700, 260, 720)


def asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def asn1_key(key: object) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return asn1_keys.PrivateKeyInfo.load(der)


@dataclass(frozen=True)
class Authority:
    """A root CA of the built-in kind (pki.make_ca)."""

    key: pki.PrivateKey
    cert: x509.Certificate

    @classmethod
    def create(
        cls, name: str = "Cơ quan chứng thực thử nghiệm", organisation: str = "Ban Cơ yếu Chính phủ"
    ) -> Authority:
        key, cert = pki.make_ca(pki.Subject(common_name=name, organisation=organisation))
        return cls(key, cert)

    def person(
        self,
        common_name: str,
        organisation: str = "Sở Công Thương",
        *,
        not_before: datetime | None = None,
        days: int = 365,
        crl_url: str | None = None,
    ) -> Identity:
        key = pki.new_key()
        subject = pki.Subject(common_name=common_name, organisation=organisation, organisation_code="000.00.31.H99")
        cert = pki.issue(
            self.key,
            self.cert,
            subject,
            key.public_key(),
            not_before=not_before,
            days=days,
            endpoints=pki.Endpoints(crl_url=crl_url),
        )
        return Identity(key, cert, self)

    def timestamper(self, at: datetime | None = None) -> DummyTimeStamper:
        """A time-stamp authority under this CA. pyHanko's DummyTimeStamper signs with RSA only."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        start = (at or datetime.now(UTC)) - timedelta(days=30)
        cert = pki.issue(
            self.key, self.cert, pki.Subject("TSA thử nghiệm"), key.public_key(), purpose="tsa", not_before=start
        )
        return DummyTimeStamper(
            tsa_cert=asn1_cert(cert),
            tsa_key=asn1_key(key),
            certs_to_embed=SimpleCertificateStore.from_certs([asn1_cert(self.cert)]),
            fixed_dt=at,
        )

    def crl(self, revoked: Iterable[pki.Revoked], number: int = 1) -> x509.CertificateRevocationList:
        return pki.build_crl(self.key, self.cert, revoked, number)


@dataclass(frozen=True)
class Identity:
    """A signer: a P-256 key and the certificate the CA issued for it."""

    key: pki.PrivateKey
    cert: x509.Certificate
    authority: Authority

    @cached_property
    def signer(self) -> signers.SimpleSigner:
        return signers.SimpleSigner(
            signing_cert=asn1_cert(self.cert),
            signing_key=asn1_key(self.key),
            cert_registry=SimpleCertificateStore.from_certs([asn1_cert(self.authority.cert)]),
        )


# --- building and signing -------------------------------------------------------------------------------------------


def writer_for(pdf: bytes) -> IncrementalPdfFileWriter:
    return IncrementalPdfFileWriter(BytesIO(pdf), strict=False)


def written(writer: IncrementalPdfFileWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def add_text_field(
    writer: IncrementalPdfFileWriter, name: str, rect: tuple[int, int, int, int] = NUMBER_FIELD_RECT
) -> generic.IndirectObject:
    """An empty text field merged with its widget on page 1, listed in /AcroForm /Fields and in the page's /Annots."""
    page_ref, _resources = writer.find_page_for_modification(0)
    widget = generic.DictionaryObject(
        {
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): pdf_string(name),
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(v) for v in rect),
            pdf_name("/F"): generic.NumberObject(4),  # print
            pdf_name("/P"): page_ref,
            pdf_name("/DA"): pdf_string("/Helv 10 Tf 0 g"),
        }
    )
    field_ref = writer.add_object(widget)
    root = writer.root
    if "/AcroForm" in root:
        form_ref = root.raw_get("/AcroForm")
        form = form_ref.get_object()
        form["/Fields"].append(field_ref)
        if isinstance(form_ref, generic.IndirectObject):
            writer.mark_update(form_ref)
        else:
            writer.update_root()
    else:
        helvetica = generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/Type1"),
                pdf_name("/BaseFont"): pdf_name("/Helvetica"),
            }
        )
        form = generic.DictionaryObject(
            {
                pdf_name("/Fields"): generic.ArrayObject([field_ref]),
                pdf_name("/DA"): pdf_string("/Helv 0 Tf 0 g"),
                pdf_name("/DR"): generic.DictionaryObject(
                    {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/Helv"): writer.add_object(helvetica)})}
                ),
            }
        )
        root[pdf_name("/AcroForm")] = writer.add_object(form)
        writer.update_root()
    writer.register_annotation(page_ref, field_ref)
    return field_ref


def signature_meta(field_name: str, **extra: object) -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256", **extra
    )


def sign(
    pdf: bytes,
    identity: Identity,
    field_name: str,
    *,
    text_fields: Iterable[str] = (),
    timestamper: DummyTimeStamper | None = None,
    **meta: object,
) -> bytes:
    """Sign in a new incremental update. `text_fields` are created (empty) in that same revision, before the
    signature, so that filling them later is form filling after this signature."""
    writer = writer_for(pdf)
    for name in text_fields:
        add_text_field(writer, name)
    out = signers.sign_pdf(writer, signature_meta(field_name, **meta), identity.signer, timestamper=timestamper)
    return out.getvalue()


def fill_text_field(pdf: bytes, name: str, value: str) -> bytes:
    """Fill an existing empty text field in an incremental update (static appearance, read-only afterwards)."""
    writer = writer_for(pdf)
    populate_static_text_field(writer, name, TextBoxStyle(), value)
    return written(writer)


# --- tampering -------------------------------------------------------------------------------------------------------


def append_update(pdf: bytes, edit: Callable[[IncrementalPdfFileWriter], object]) -> bytes:
    writer = writer_for(pdf)
    edit(writer)
    return written(writer)


def _helvetica_resources(writer: IncrementalPdfFileWriter, name: str) -> generic.DictionaryObject:
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Helvetica"),
        }
    )
    return generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name(name): writer.add_object(font)})}
    )


def _overlay_ops(text: str, font: str) -> bytes:
    """A white box over the number line and new text on it."""
    return f"q 1 g 55 695 300 30 re f Q BT /{font} 12 Tf 60 705 Td ({text}) Tj ET".encode("latin-1")


def overlay_page_content(writer: IncrementalPdfFileWriter, text: str = "So: 99/SCT-VP") -> None:
    """Change what page 1 shows: append a content stream that paints over the number line."""
    resources = _helvetica_resources(writer, "/FTamper")
    stream = writer.add_object(generic.StreamObject(stream_data=_overlay_ops(text, "FTamper")))
    writer.add_stream_to_page(0, stream, resources=resources)


def add_free_text_annotation(writer: IncrementalPdfFileWriter, text: str = "So: 99/SCT-VP") -> None:
    """A FreeText annotation with its own appearance stream that covers the number line (shadow-attack style)."""
    page_ref, _resources = writer.find_page_for_modification(0)
    appearance = generic.StreamObject(
        {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): generic.ArrayObject(generic.FloatObject(v) for v in (0, 0, 300, 30)),
            pdf_name("/Resources"): _helvetica_resources(writer, "/FA"),
        },
        stream_data=b"q 1 g 0 0 300 30 re f Q BT /FA 12 Tf 5 10 Td (" + text.encode("latin-1") + b") Tj ET",
    )
    annot = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/FreeText"),
            pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(v) for v in (55, 695, 355, 725)),
            pdf_name("/Contents"): pdf_string(text),
            pdf_name("/DA"): pdf_string("/Helv 12 Tf 0 g"),
            pdf_name("/F"): generic.NumberObject(4),
            pdf_name("/P"): page_ref,
            pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): writer.add_object(appearance)}),
        }
    )
    writer.register_annotation(page_ref, writer.add_object(annot))


def change_text_field(pdf: bytes, name: str, value: str) -> bytes:
    """Overwrite an already filled text field (value and appearance) in an incremental update: the field on the
    page now shows `value`, although the signer saw something else."""

    def edit(writer: IncrementalPdfFileWriter) -> None:
        for field_ref in writer.root["/AcroForm"]["/Fields"]:
            widget = field_ref.get_object()
            if widget.get("/T") != name:
                continue
            x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
            box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
            TextFieldContent(writer=writer, text_content=value, text_style=TextBoxStyle(), box=box).apply_appearance(
                widget
            )
            widget[pdf_name("/V")] = pdf_string(value)
            writer.update_container(widget)
            writer.mark_update(field_ref)
            return
        raise KeyError(name)

    return append_update(pdf, edit)


def _signature_refs(pdf: bytes) -> list[tuple[generic.Reference, generic.Reference]]:
    """(field, signature dictionary) references of the filled signature fields."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    found = []
    for _name, value_ref, field_ref in fields.enumerate_sig_fields(reader, filled_status=True):
        found.append((field_ref.reference, value_ref.reference))
    return found


def move_signature_dictionary(pdf: bytes) -> bytes:
    """Signature wrapping by moving: an incremental update writes the signature dictionary again under its own
    object number (so it now lives in the new revision, after the signed bytes) and changes the page in the same
    update. The /ByteRange and /Contents are copied unchanged, so the hash over the old bytes still matches."""

    def edit(writer: IncrementalPdfFileWriter) -> None:
        _field_ref, sig_ref = _signature_refs(pdf)[-1]
        writer.mark_update(generic.IndirectObject(sig_ref.idnum, sig_ref.generation, writer))
        overlay_page_content(writer)

    return append_update(pdf, edit)


def duplicate_signature(pdf: bytes, new_field: str = "Copy") -> bytes:
    """Signature wrapping by duplication: an incremental update adds a second signature field whose value is a
    fresh copy of the existing signature dictionary (same /ByteRange and /Contents), and changes the page."""

    def edit(writer: IncrementalPdfFileWriter) -> None:
        _field_ref, sig_ref = _signature_refs(pdf)[-1]
        original = generic.IndirectObject(sig_ref.idnum, sig_ref.generation, writer).get_object()
        copy = generic.DictionaryObject({key: value for key, value in original.items()})
        copy_ref = writer.add_object(copy)
        page_ref, _resources = writer.find_page_for_modification(0)
        widget = generic.DictionaryObject(
            {
                pdf_name("/FT"): pdf_name("/Sig"),
                pdf_name("/T"): pdf_string(new_field),
                pdf_name("/Type"): pdf_name("/Annot"),
                pdf_name("/Subtype"): pdf_name("/Widget"),
                pdf_name("/Rect"): generic.ArrayObject(generic.NumberObject(0) for _ in range(4)),
                pdf_name("/F"): generic.NumberObject(132),
                pdf_name("/P"): page_ref,
                pdf_name("/V"): copy_ref,
            }
        )
        widget_ref = writer.add_object(widget)
        form_ref = writer.root.raw_get("/AcroForm")
        form_ref.get_object()["/Fields"].append(widget_ref)
        writer.mark_update(form_ref)
        writer.register_annotation(page_ref, widget_ref)
        overlay_page_content(writer)

    return append_update(pdf, edit)


BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\] *")


def resign_with_byte_range(pdf: bytes, identity: Identity, adjust: Callable[[list[int]], list[int]]) -> bytes:
    """Re-sign the last signature over a different /ByteRange, as a buggy or malicious signing tool would.

    The /ByteRange text is rewritten in place (same length), the SHA-256 over the new ranges is signed afresh
    with the same key, and the new CMS goes into the existing /Contents placeholder. The result is intact and
    trusted; only its coverage of the file is wrong.
    """
    match = list(BYTE_RANGE.finditer(pdf))[-1]
    old = [int(v) for v in match.groups()]
    new = adjust(old)
    text = b"/ByteRange [" + b" ".join(str(v).encode() for v in new) + b"]"
    original_text = match.group(0)
    if len(text) > len(original_text):
        raise ValueError("the new /ByteRange does not fit")
    data = bytearray(pdf)
    data[match.start() : match.end()] = text + b" " * (len(original_text) - len(text))
    digest = hashlib.sha256()
    digest.update(bytes(data[new[0] : new[0] + new[1]]))
    digest.update(bytes(data[new[2] : new[2] + new[3]]))
    cms = asyncio.run(identity.signer.async_sign(digest.digest(), "sha256", use_pades=True))
    contents_hex = cms.dump().hex().encode()
    start = old[1]  # the '<' of the original /Contents
    end = old[2]  # just past the '>'
    room = end - start - 2
    if len(contents_hex) > room:
        raise ValueError("the new signature does not fit")
    data[start:end] = b"<" + contents_hex + b"0" * (room - len(contents_hex)) + b">"
    return bytes(data)


def append_bytes(pdf: bytes, extra: bytes = b"\n% appended after signing\n1 0 obj\n(not signed)\nendobj\n") -> bytes:
    return pdf + extra


# --- outside tools ---------------------------------------------------------------------------------------------------


def _run_on_file(pdf: bytes, command: list[str]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=60, check=False)


def pdfsig(pdf: bytes) -> str:
    """poppler's report of every signature (stdout and stderr together)."""
    done = _run_on_file(pdf, ["pdfsig"])
    return done.stdout + done.stderr


def qpdf_check(pdf: bytes) -> tuple[int, str]:
    """qpdf --check: (exit code, output). 0 is clean, 3 is warnings only, 2 is errors."""
    done = _run_on_file(pdf, ["qpdf", "--check"])
    return done.returncode, done.stdout + done.stderr


def qpdf_encrypt(pdf: bytes, user: str = "", owner: str = "chu-so-huu") -> bytes:
    """AES-256 encryption by qpdf (an empty user password still makes the file encrypted)."""
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["qpdf", "--encrypt", user, owner, "256", "--", str(source), str(target)],
            capture_output=True,
            check=True,
            timeout=60,
        )
        return target.read_bytes()
