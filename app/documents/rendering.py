"""Typesetting a simple Decree 30-style document as PDF (for demo data, samples and tests).

Vietnamese needs a font with its glyphs; we use a system TrueType font (Liberation Serif, metric-
compatible with the Times New Roman that Decree 30 asks for, or DejaVu Serif), set by `PDF_FONT`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSerif.ttf",
)


def find_font() -> Path:
    configured = os.environ.get("PDF_FONT")
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise RuntimeError(
        "No TrueType font with Vietnamese glyphs found: install the Debian package fonts-dejavu-core "
        "(or fonts-liberation2), or set PDF_FONT to a .ttf file."
    )


def _bold_variant(regular: Path) -> Path:
    for name in (regular.name.replace("-Regular", "-Bold"), regular.stem + "-Bold.ttf"):
        candidate = regular.with_name(name)
        if candidate.is_file() and candidate != regular:
            return candidate
    return regular


NUMBER_ROW_OFFSET_MM = 16.5  # below the top margin (20 mm): the number and date row starts 36.5 mm from the top


@dataclass
class DocumentLayout:
    organisation: str
    parent_organisation: str = ""
    number_line: str = "Số:      /"
    place: str = "Hà Nội"
    issued_on: date | None = None
    type_name: str = "CÔNG VĂN"
    subject: str = ""
    body: list[str] = field(default_factory=list)
    signer_position: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    signer_block: bool = True


def render_document(layout: DocumentLayout, pages: int = 1) -> bytes:
    """A PDF laid out as Decree 30, appendix I lays out an administrative document (simplified)."""
    regular = find_font()
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(30, 20, 15)  # left 30-35 mm, right 15-20 mm (Decree 30)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("doc", "", str(regular))
    pdf.add_font("doc", "B", str(_bold_variant(regular)))
    pdf.set_title(layout.subject or layout.type_name)
    pdf.set_creator("e-office")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    left_w = width * 0.40

    def block(x: float, w: float, h: float, text: str, style: str = "", size: int = 13, align: str = "C") -> None:
        pdf.set_font("doc", style, size)
        pdf.set_x(pdf.l_margin + x)
        pdf.multi_cell(w, h, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    top = pdf.get_y()
    # Fixed heights: the parent agency (one line, kept even when empty) and the organisation (two lines), so the
    # row of the number (left) and of the place and date (right) is always 36.5-44.5 mm from the top of page 1:
    # where the clerk's fields go at issue (app/signing/pdf.py, IssueFields).
    block(0, left_w, 5.5, layout.parent_organisation.upper(), size=11)
    pdf.set_font("doc", "B", 11)
    pdf.set_xy(pdf.l_margin, top + 5.5)
    pdf.multi_cell(
        left_w, 5.5, layout.organisation.upper(), align="C", max_line_height=5.5, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    number_row = top + NUMBER_ROW_OFFSET_MM
    pdf.set_y(number_row)
    block(0, left_w, 8, layout.number_line, size=12)
    pdf.set_y(top)
    block(left_w, width - left_w, 5.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 11)
    block(left_w, width - left_w, 6, "Độc lập - Tự do - Hạnh phúc", "B", 12)
    when = layout.issued_on
    dated = f"{layout.place}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}" if when else ""
    pdf.set_y(number_row)
    block(left_w, width - left_w, 8, dated, size=12)
    after_left = pdf.get_y()
    pdf.set_y(max(after_left, pdf.get_y()) + 6)
    block(0, width, 7, layout.type_name.upper(), "B", 14)
    block(0, width, 6.5, layout.subject, "B", 13)
    pdf.ln(6)
    for index in range(pages):
        if index:
            pdf.add_page()
        for paragraph in layout.body:
            block(0, width, 6.5, "    " + paragraph, size=13, align="J")
            pdf.ln(1.5)
    pdf.ln(6)
    y = pdf.get_y()
    block(0, width * 0.5, 5.5, "Nơi nhận:", "B", 12, "L")
    for recipient in layout.recipients:
        block(0, width * 0.5, 5, "- " + recipient + ";", size=11, align="L")
    if layout.signer_block:  # a paper-signed layout; a draft leaves the place to the digital signature
        pdf.set_y(y)
        block(width * 0.5, width * 0.5, 6.5, layout.signer_position.upper(), "B", 13)
        pdf.ln(24)
        block(width * 0.5, width * 0.5, 6.5, layout.signer_name, "B", 13)
    return bytes(pdf.output())
