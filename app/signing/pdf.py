"""PAdES signing of PDFs, the way officials sign (Decree 30/2020, appendix I), as functions over bytes.

No Flask and no database here: a signer (a key file, a PKCS#11 token, any pyHanko `Signer`) and options
go in, the signed bytes come out. Each function writes one incremental update, so every earlier revision
and signature stays intact:

1. `sign_as_leader`: the competent signer's approval signature. In the same revision it adds two empty
   text fields for the register number and the date, so that the clerk can fill them later as *form
   filling*, a change the leader's signature permits.
2. `issue_with_seal`: fills the number and the date, and applies the organisation's signature with its
   seal image, overlapping the left third of the leader's signature image.
3. `sign_attachment`: the organisation's signature on an attachment: no image, a few lines of text at
   the top right of page 1.
"""

from __future__ import annotations

import binascii
import io
import logging
import os
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.form_tools import populate_static_text_field
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext

from ..documents.rendering import find_font
from . import aio

logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset": harmless, and noisy

MM = 72 / 25.4
A4_HEIGHT = 297 * MM
VIETNAM = timezone(timedelta(hours=7))
NUMBER_FIELD = "eoffice_number"
DATE_FIELD = "eoffice_date"
LEADER_FIELD = "eoffice_leader"
SEAL_FIELD = "eoffice_seal"
ATTACHMENT_FIELD = "eoffice_org"
SIGNATURE_BLUE = (0, 51, 153)
SEAL_DIAMETER_MM = 36  # a typical round seal (con dấu) of a provincial agency


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in PDF points from the lower left corner; page -1 is the last page."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return abs(self.x2 - self.x1)

    @property
    def height(self) -> float:
        return abs(self.y2 - self.y1)

    def rect(self) -> tuple[float, float, float, float]:
        return (min(self.x1, self.x2), min(self.y1, self.y2), max(self.x1, self.x2), max(self.y1, self.y2))


@dataclass(frozen=True)
class SigningOptions:
    """How far a signature goes: PAdES B-B, B-T (timestamp), B-LT (revocation data), B-LTA (archive timestamp)."""

    level: str = "B-B"
    timestamper: TimeStamper | None = None
    validation_context: ValidationContext | None = None  # for B-LT and B-LTA: trust roots and revocation data
    reason: str | None = None
    location: str | None = None
    signed_at: datetime | None = None  # the time shown on the appearance; now, in Vietnam, by default

    def signing_time(self) -> datetime:
        return self.signed_at or datetime.now(VIETNAM)

    def metadata(self, field_name: str) -> signers.PdfSignatureMetadata:
        long_term = self.level in {"B-LT", "B-LTA"}
        if self.level != "B-B" and self.timestamper is None:
            raise ValueError(f"PAdES {self.level} needs a timestamp authority")
        if long_term and self.validation_context is None:
            raise ValueError(f"PAdES {self.level} needs a validation context with revocation data")
        return signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=self.reason,
            location=self.location,
            embed_validation_info=long_term,
            use_pades_lta=self.level == "B-LTA",
            validation_context=self.validation_context if long_term else None,
        )


# --- Appearances, drawn with fpdf2 as one small page and imported into the signature widget --------------


def _font_pair() -> tuple[str, str]:
    regular = find_font()
    bold = regular.with_name(regular.name.replace("-Regular", "-Bold").replace("Serif.ttf", "Serif-Bold.ttf"))
    return str(regular), str(bold if bold.is_file() else regular)


def _page(width: float, height: float) -> FPDF:
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    regular, bold = _font_pair()
    pdf.add_font("f", "", regular)
    pdf.add_font("f", "B", bold)
    pdf.add_page()
    return pdf


def local_time_text(moment: datetime) -> str:
    """dd/mm/yyyy HH:MM:SS +07:00, as the signing time is shown to a Vietnamese reader."""
    return moment.strftime("%d/%m/%Y %H:%M:%S ") + moment.strftime("%z")[:3] + ":" + moment.strftime("%z")[3:]


@lru_cache(maxsize=256)
def signer_appearance(
    width: float, height: float, *, position: str, name: str, organisation: str, image_png: bytes | None = None
) -> bytes:
    """The competent signer's block (Decree 30, appendix I): the title, the handwritten-signature image in the
    middle (a transparent PNG, shown in blue), the name, and who signed digitally.

    The signing time is not drawn here: `sign_as_leader` writes it on the last line when it signs, so this
    part is the same for every signature of a signer and is made once (typesetting with an embedded font
    costs more than the signature itself).
    """
    pdf = _page(width, height)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("f", "B", 11)
    pdf.set_xy(0, 2)
    pdf.multi_cell(width, 13, position.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y() + 2
    footer = 13 + 3 * 8 + 3
    image_height = max(height - top - footer, 10)
    if image_png:
        pdf.image(io.BytesIO(image_png), x=width * 0.2, y=top, w=width * 0.6, h=image_height, keep_aspect_ratio=True)
    pdf.set_xy(0, top + image_height + 1)
    pdf.set_font("f", "B", 11)
    pdf.multi_cell(width, 13, name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("f", "", 6.5)
    pdf.set_text_color(*SIGNATURE_BLUE)
    pdf.multi_cell(width, 8, f"Ký số bởi: {name} - {organisation}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(width, 8, "Thời gian ký:", align="C")
    return bytes(pdf.output())


@lru_cache(maxsize=64)
def seal_appearance(diameter: float, seal_png: bytes) -> bytes:
    """The organisation's seal at its real size: a transparent PNG (shown in red)."""
    pdf = _page(diameter, diameter)
    pdf.image(io.BytesIO(seal_png), x=0, y=0, w=diameter, h=diameter, keep_aspect_ratio=True)
    return bytes(pdf.output())


def text_appearance(width: float, height: float, lines: list[str]) -> bytes:
    """Plain lines of text (the organisation's signature on an attachment)."""
    pdf = _page(width, height)
    pdf.set_font("f", "", 7.5)
    pdf.set_text_color(*SIGNATURE_BLUE)
    for line in lines:
        pdf.multi_cell(width, 9.5, line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


class _PageFromBytes(ImportedPdfPage):
    """pyHanko imports a page from a file name; ours is in memory."""

    def __init__(self, data: bytes) -> None:
        super().__init__(file_name="<memory>")
        self.data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/Sig" + binascii.hexlify(uuid.uuid4().bytes).decode()
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode() + b" Do"


def _style(appearance: bytes) -> StaticStampStyle:
    return StaticStampStyle(background=_PageFromBytes(appearance), border_width=0, background_opacity=1.0)


# --- Reading what a PDF already has -----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    name: str
    kind: str  # "/Sig", "/Tx", ...
    filled: bool
    box: Box | None


def form_fields(pdf: bytes) -> dict[str, FieldInfo]:
    """The terminal form fields of a PDF with their widget's page and rectangle."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    try:
        top = reader.root["/AcroForm"]["/Fields"]
    except KeyError:
        return {}
    pages = {reader.find_page_for_modification(i)[0].idnum: i for i in range(int(reader.root["/Pages"]["/Count"]))}
    found: dict[str, FieldInfo] = {}

    def walk(items: generic.ArrayObject, prefix: str) -> None:
        for ref in items:
            node = ref.get_object()
            name = prefix + str(node.get("/T", ""))
            if "/Kids" in node and "/T" in node.get("/Kids")[0].get_object():
                walk(node["/Kids"], name + ".")
                continue
            widget = node["/Kids"][0].get_object() if "/Kids" in node else node
            box = None
            if "/Rect" in widget:
                page_ref = widget.get("/P")
                page = pages.get(page_ref.idnum, 0) if isinstance(page_ref, generic.IndirectObject) else 0
                x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
                box = Box(page, x1, y1, x2, y2)
            found[name] = FieldInfo(name, str(node.get("/FT", "")), "/V" in node, box)

    walk(top, "")
    return found


def page_size(pdf: bytes, page: int) -> tuple[float, float]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    count = int(reader.root["/Pages"]["/Count"])
    page_obj = reader.find_page_for_modification(page % count)[0].get_object()
    x1, y1, x2, y2 = (float(v) for v in page_obj.get("/MediaBox", [0, 0, 595.28, 841.89]))
    return abs(x2 - x1), abs(y2 - y1)


def page_count(pdf: bytes) -> int:
    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


# --- The three signatures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueFields:
    """Where the clerk will write the register number and the date on page 1 of an A4 document laid out as
    Decree 30 lays it out: the number line under the issuing organisation's name (left), the place and date
    on the same line (right). Each is centred in its box."""

    number: Box = field(default_factory=lambda: Box(0, 30 * MM, A4_HEIGHT - 44.5 * MM, 96 * MM, A4_HEIGHT - 36.5 * MM))
    date: Box = field(default_factory=lambda: Box(0, 96 * MM, A4_HEIGHT - 44.5 * MM, 195 * MM, A4_HEIGHT - 36.5 * MM))


def default_leader_box(pdf: bytes) -> Box:
    """The last page, lower right: where Decree 30 puts the competent signer's block."""
    width, _height = page_size(pdf, -1)
    return Box(-1, width - 15 * MM - 85 * MM, 25 * MM, width - 15 * MM, 72 * MM)


def _add_text_field(writer: IncrementalPdfFileWriter, name: str, box: Box) -> None:
    """An empty, read-only-to-be text field whose filling later counts as form filling."""
    page_ref = writer.find_page_for_modification(box.page)[0]
    root = writer.root
    if "/AcroForm" not in root:
        root[pdf_name("/AcroForm")] = writer.add_object(
            generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()})
        )
        writer.update_root()
    form_ref = root.raw_get("/AcroForm")
    form = form_ref.get_object()
    if "/Fields" not in form:
        form[pdf_name("/Fields")] = generic.ArrayObject()
    fields_array = form["/Fields"]
    x1, y1, x2, y2 = box.rect()
    widget = generic.DictionaryObject(
        {
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): generic.TextStringObject(name),
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (x1, y1, x2, y2)]),
            pdf_name("/F"): generic.NumberObject(4),
            pdf_name("/P"): page_ref,
            pdf_name("/DA"): generic.TextStringObject("/Helv 0 Tf 0 g"),
        }
    )
    widget_ref = writer.add_object(widget)
    fields_array.append(widget_ref)
    if isinstance(form_ref, generic.IndirectObject):
        writer.mark_update(form_ref)
    else:
        writer.update_root()
    page = page_ref.get_object()
    annots = page.get("/Annots")
    if annots is None:
        page[pdf_name("/Annots")] = generic.ArrayObject([widget_ref])
        writer.mark_update(page_ref)
    else:
        annots.append(widget_ref)
        raw = page.raw_get("/Annots")
        if isinstance(raw, generic.IndirectObject):
            writer.mark_update(raw)
        else:
            writer.mark_update(page_ref)


# Room for the signature container in the PDF, learnt from the first signature of each signer and level.
# Without it pyHanko builds and measures a dummy container before every signature: a fifth of the time of
# a one-page signature. The learnt room is pyHanko's own estimate, with its margin of a half.
_ROOM: dict[tuple[object, ...], int] = {}
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _room_key(signer: signers.Signer, options: SigningOptions) -> tuple[object, ...] | None:
    cert = signer.signing_cert
    if cert is None:
        return None
    stamper = options.timestamper
    return (cert.sha256, options.level, type(stamper).__name__, getattr(stamper, "url", None))


def _room_taken(signed: bytes, source_length: int) -> int | None:
    """The hex digits reserved for the signature written after `source_length` (its /Contents, without < >)."""
    found = _BYTE_RANGE.search(signed, source_length)
    if found is None:
        return None
    gap = int(found.group(3)) - int(found.group(2)) - 2
    return gap if gap > 0 and gap % 2 == 0 else None


def _sign(
    make_writer: Callable[[], IncrementalPdfFileWriter],
    source_length: int,
    signer: signers.Signer,
    field_name: str,
    options: SigningOptions,
    appearance: bytes | None,
    box: Box | None,
    time_line: bool = False,
) -> bytes:
    spec = None
    if box is not None:
        spec = SigFieldSpec(field_name, on_page=box.page, box=tuple(round(v) for v in box.rect()))
    style = None
    text_params = None
    if appearance is not None and time_line:
        # The appearance with the signing time on its last line (digits in a standard font: nothing to embed).
        style = TextStampStyle(
            stamp_text="%(signed_at)s",
            background=_PageFromBytes(appearance),
            background_opacity=1.0,
            border_width=0,
            text_box_style=TextBoxStyle(font_size=7, text_color=tuple(c / 255 for c in SIGNATURE_BLUE)),
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins(bottom=2),
            ),
        )
        text_params = {"signed_at": local_time_text(options.signing_time())}
    elif appearance is not None:
        style = _style(appearance)
    key = _room_key(signer, options)
    room = _ROOM.get(key) if key is not None else None
    pdf_signer = signers.PdfSigner(
        options.metadata(field_name),
        signer=signer,
        timestamper=options.timestamper,
        stamp_style=style,
        new_field_spec=spec,
    )
    try:
        output = aio.run(
            lambda: pdf_signer.async_sign_pdf(
                make_writer(), in_place=False, bytes_reserved=room, appearance_text_params=text_params
            )
        )
    except SigningError:
        if room is None:
            raise
        # The container outgrew the room learnt earlier (a timestamp authority's answer grew): measure again.
        _ROOM.pop(key, None)
        return _sign(make_writer, source_length, signer, field_name, options, appearance, box, time_line)
    signed = output.getvalue()
    if key is not None and room is None and (taken := _room_taken(signed, source_length)) is not None:
        _ROOM[key] = taken
    return signed


def sign_as_leader(
    pdf: bytes,
    signer: signers.Signer,
    appearance: bytes,
    *,
    box: Box | None = None,
    field_name: str = LEADER_FIELD,
    issue_fields: IssueFields | None = None,
    options: SigningOptions = SigningOptions(),
) -> bytes:
    """The competent signer's approval signature, visible, with the fields the clerk fills at issue.

    Into an existing empty signature field of that name when the PDF has one; else at `box` (by default
    the last page, lower right). `appearance` is a one-page PDF of the box's size (`signer_appearance`).
    """
    current = form_fields(pdf)
    existing = current.get(field_name)
    if existing is not None and (existing.kind != "/Sig" or existing.filled):
        raise ValueError(f"the field {field_name} is not an empty signature field")
    # pyHanko signs into an existing field where it is; otherwise the field is made at the box.
    box = None if existing is not None and existing.box is not None else box or default_leader_box(pdf)
    places = issue_fields or IssueFields()

    def writer() -> IncrementalPdfFileWriter:
        made = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        for name, where in ((NUMBER_FIELD, places.number), (DATE_FIELD, places.date)):
            if name not in current:
                _add_text_field(made, name, where)
        return made

    return _sign(writer, len(pdf), signer, field_name, options, appearance, box, time_line=True)


def seal_box_for(leader_box: Box, diameter: float) -> Box:
    """Decree 30, appendix I: the seal overlaps about a third of the signer's image, on its left."""
    image_left = leader_box.rect()[0] + leader_box.width * 0.2
    image_width = leader_box.width * 0.6
    right = image_left + image_width / 3
    centre_y = (leader_box.rect()[1] + leader_box.rect()[3]) / 2
    return Box(leader_box.page, right - diameter, centre_y - diameter / 2, right, centre_y + diameter / 2)


@lru_cache(maxsize=1)
def _font_for_pyhanko() -> str:
    """The text font with 1000 units per em.

    pyHanko 0.38 writes a CID font's glyph widths in the font's own units, which PDF reads as thousandths
    of an em; a TrueType font with 2048 units per em (DejaVu, Liberation) comes out twice as wide. A copy
    scaled to 1000 units (fontTools) is made once per process.
    """
    source = find_font()
    folder = Path(tempfile.gettempdir()) / "eoffice-fonts"
    folder.mkdir(exist_ok=True)
    target = folder / f"{source.stem}-{int(source.stat().st_mtime)}-upm1000.ttf"
    if not target.exists():
        font = TTFont(str(source))
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(partial))
        os.replace(partial, target)
    return str(target)


def _text_style(size: int = 12) -> TextBoxStyle:
    return TextBoxStyle(
        font=GlyphAccumulatorFactory(_font_for_pyhanko(), font_size=size),
        font_size=size,
        border_width=0,
        box_layout_rule=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID
        ),
    )


def issue_with_seal(
    pdf: bytes,
    signer: signers.Signer,
    *,
    number_text: str,
    date_text: str,
    seal_png: bytes | None,
    seal_diameter: float = SEAL_DIAMETER_MM * MM,
    field_name: str = SEAL_FIELD,
    leader_field: str = LEADER_FIELD,
    options: SigningOptions = SigningOptions(),
) -> bytes:
    """Fill the number and the date, then apply the organisation's signature with its seal image.

    The filling is form filling, which the leader's signature permits; the organisation's signature covers it.
    """
    current = form_fields(pdf)
    leader = current.get(leader_field)
    if leader is None or not leader.filled or leader.box is None:
        raise ValueError("the document has no signature of its competent signer to issue")
    filling = ((NUMBER_FIELD, number_text), (DATE_FIELD, date_text))
    for name, _text in filling:
        info = current.get(name)
        if info is None or info.filled:
            raise ValueError(f"the field {name} is missing or already filled")

    def writer() -> IncrementalPdfFileWriter:
        made = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        for name, text in filling:
            populate_static_text_field(made, name, _text_style(), text)
        return made

    if seal_png:
        return _sign(
            writer,
            len(pdf),
            signer,
            field_name,
            options,
            seal_appearance(seal_diameter, seal_png),
            seal_box_for(leader.box, seal_diameter),
        )
    return _sign(writer, len(pdf), signer, field_name, options, None, None)


def sign_attachment(
    pdf: bytes,
    signer: signers.Signer,
    lines: list[str],
    *,
    field_name: str = ATTACHMENT_FIELD,
    options: SigningOptions = SigningOptions(),
) -> bytes:
    """The organisation's signature on an attachment: no image; the lines at the top right of page 1."""
    width, height = page_size(pdf, 0)
    box = Box(0, width - 15 * MM - 75 * MM, height - 10 * MM - 34, width - 15 * MM, height - 10 * MM)
    return _sign(
        lambda: IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
        len(pdf),
        signer,
        field_name,
        options,
        text_appearance(box.width, box.height, lines),
        box,
    )
