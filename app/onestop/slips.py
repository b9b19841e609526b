"""The slips a one-stop desk prints, as PDF in Vietnamese (A4 portrait, the documents' font embedded):

- the receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn trả kết quả, form 01 of Circular 01/2018/TT-VPCP):
  the receipt code as a Code 128 barcode, a QR code of the public lookup link carrying the code and secret, the
  papers received (copies, and a short hash of each scan), the appointment, the officer;
- the request to complete the papers (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, form 02) and the refusal (phiếu từ
  chối tiếp nhận giải quyết hồ sơ, form 03), with the reason;
- the apology and new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả, form 04) of a late dossier.

Bars and modules are drawn as vector rectangles (python-barcode gives the Code 128 modules, segno the QR matrix):
they print sharp at any size and scan from paper.
"""

from __future__ import annotations

from datetime import datetime

from barcode import Code128
from flask_babel import force_locale
from fpdf import FPDF
from segno import make_qr

from ..clock import to_local
from ..documents.rendering import _bold_variant, find_font
from .models import Dossier, DossierApology, DossierStatus, PaperForm
from .schemas import REASON_LABELS

BAR_MODULE_MM = 0.26
BAR_HEIGHT_MM = 12.0
QR_MODULE_MM = 0.9
TITLES = {
    DossierStatus.INCOMPLETE: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    DossierStatus.REFUSED: "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
}
RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
PAPER_FORM_LABELS_VI = {
    PaperForm.ORIGINAL: "bản chính",
    PaperForm.CERTIFIED_COPY: "bản sao có chứng thực",
    PaperForm.COPY: "bản sao",
}


def _when(moment: datetime | None) -> str:
    local = to_local(moment)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}" if local is not None else ""


class _Slip(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_creator("e-office")
        self.set_margins(20, 15, 20)
        self.set_auto_page_break(True, margin=15)
        regular = find_font()
        self.add_font("slip", "", str(regular))
        self.add_font("slip", "B", str(_bold_variant(regular)))

    @property
    def half(self) -> float:
        return (self.w - self.l_margin - self.r_margin) / 2

    def heading(self, title: str, issuer: str, code: str) -> None:
        """A new page with the issuer and the national motto side by side, the dossier's code and the title."""
        self.add_page()
        self.set_title(f"{title} {code}")
        top = self.get_y()
        self.set_font("slip", "B", 9)
        self.multi_cell(self.half, 5, issuer.upper(), align="C")
        self.set_xy(self.l_margin + self.half, top)
        self.multi_cell(self.half, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", align="C")
        self.set_y(top + 16)
        self.line_of(f"Mã hồ sơ: {code}", 10, align="L")
        self.ln(2)
        self.line_of(title, 14, bold=True, align="C", height=8)
        self.ln(2)

    def line_of(self, text: str, size: float = 11, bold: bool = False, align: str = "L", height: float = 6) -> None:
        self.set_font("slip", "B" if bold else "", size)
        self.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def barcode(self, text: str, x: float, y: float) -> float:
        """The text as Code 128 bars from (x, y); the width drawn."""
        modules = Code128(text).build()[0]
        for i, bit in enumerate(modules):
            if bit == "1":
                self.rect(x + i * BAR_MODULE_MM, y, BAR_MODULE_MM, BAR_HEIGHT_MM, style="F")
        return len(modules) * BAR_MODULE_MM

    def qr(self, data: str, x: float, y: float) -> float:
        """The data as a QR code (error correction M, with its quiet zone left blank) from (x, y); its side."""
        matrix = make_qr(data, error="m").matrix
        for row, cells in enumerate(matrix):
            for col, dark in enumerate(cells):
                if dark:
                    self.rect(x + col * QR_MODULE_MM, y + row * QR_MODULE_MM, QR_MODULE_MM, QR_MODULE_MM, style="F")
        return len(matrix) * QR_MODULE_MM


def dossier_slip(dossier: Dossier, organisation_name: str, officer_name: str, lookup_url: str) -> bytes:
    """The slip of the dossier's intake: the receipt and appointment slip of a received dossier, the request to
    complete the papers, or the refusal. `lookup_url` is the public lookup's address with the code and secret."""
    status = DossierStatus(dossier.status)
    pdf = _Slip()
    desk = organisation_name + "\nBỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
    pdf.heading(TITLES.get(status, RECEIPT_TITLE), desk, dossier.code)
    half = pdf.half

    # The code as bars (left) and the lookup link as a QR code (right).
    y = pdf.get_y()
    pdf.barcode(dossier.code, pdf.l_margin, y)
    pdf.set_xy(pdf.l_margin, y + BAR_HEIGHT_MM + 1)
    pdf.set_font("slip", "", 9)
    pdf.cell(0, 4, dossier.code)
    side = 0.0
    if status == DossierStatus.RECEIVED:
        side = pdf.qr(lookup_url, pdf.w - pdf.r_margin - 30, y - 2)
        pdf.set_xy(pdf.w - pdf.r_margin - 42, y - 2 + side + 1)
        pdf.set_font("slip", "", 8)
        pdf.cell(42, 4, "Quét mã để tra cứu hồ sơ", align="C")
    pdf.set_y(y + max(BAR_HEIGHT_MM + 8, side + 6))

    pdf.line_of(f"Tiếp nhận hồ sơ của: {dossier.applicant_name}")
    if dossier.applicant_address:
        pdf.line_of(f"Địa chỉ: {dossier.applicant_address}")
    if dossier.applicant_phone:
        pdf.line_of(f"Số điện thoại: {dossier.applicant_phone}")
    pdf.line_of(f"Nội dung yêu cầu giải quyết: {dossier.procedure.name} (mã thủ tục {dossier.procedure.code})")
    pdf.ln(1)
    pdf.line_of("Thành phần hồ sơ đã nhận:", bold=True)
    for n, paper in enumerate(dossier.papers, start=1):
        form = PAPER_FORM_LABELS_VI.get(paper.form, paper.form)
        scan = f"; bản quét {paper.blob_sha256[:12]}" if paper.blob_sha256 else ""
        pdf.line_of(f"{n}. {paper.name} ({form}, {paper.copies} bản{scan})", 10, height=5)
    pdf.line_of(f"Số lượng hồ sơ: 01 bộ, {len(dossier.papers)} loại giấy tờ", 10, height=5)
    pdf.ln(1)
    pdf.line_of(f"Thời gian tiếp nhận: {_when(dossier.received_at)}")
    if status == DossierStatus.RECEIVED:
        days = format(dossier.statutory_days.normalize(), "f").replace(".", ",")
        pdf.line_of(f"Thời hạn giải quyết theo quy định: {days} ngày làm việc")
        pdf.line_of(f"Thời gian trả kết quả: {_when(dossier.appointment_at)}", bold=True)
        pdf.line_of(f"Mã bí mật tra cứu: {dossier.secret}", bold=True)
        pdf.line_of(
            "Tra cứu tình trạng hồ sơ: quét mã QR, hoặc nhập mã hồ sơ và mã bí mật tại trang tra cứu, hoặc nhắn tin "
            f"HS {dossier.code} {dossier.secret}.",
            9,
            height=5,
        )
    else:
        with force_locale("vi"):  # the form is printed in Vietnamese whatever the officer's language
            reason = str(REASON_LABELS.get(dossier.reason_code or "", dossier.reason_code or ""))
        pdf.line_of(f"Lý do: {reason}", bold=True)
        if dossier.reason_text:
            pdf.line_of(dossier.reason_text)
        if status == DossierStatus.INCOMPLETE:
            pdf.line_of("Đề nghị ông/bà bổ sung, hoàn thiện hồ sơ theo nội dung trên rồi nộp lại.", 10)
        else:
            pdf.line_of("Bộ phận tiếp nhận và trả kết quả từ chối tiếp nhận hồ sơ vì lý do trên.", 10)
    pdf.ln(6)
    y = pdf.get_y()
    pdf.set_font("slip", "B", 10)
    pdf.set_xy(pdf.l_margin, y)
    pdf.multi_cell(half, 5, "NGƯỜI NỘP HỒ SƠ\n(Ký và ghi rõ họ tên)", align="C")
    pdf.set_xy(pdf.l_margin + half, y)
    pdf.multi_cell(half, 5, "NGƯỜI TIẾP NHẬN HỒ SƠ\n(Ký và ghi rõ họ tên)", align="C")
    pdf.set_xy(pdf.l_margin + half, y + 28)
    pdf.set_font("slip", "", 10)
    pdf.cell(half, 5, officer_name, align="C")
    return bytes(pdf.output())


APOLOGY_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
APOLOGY_REASON_VI = "Hồ sơ cần thêm thời gian để thẩm định, xử lý theo quy định."


def apology_slip(dossier: Dossier, apology: DossierApology, organisation_name: str, signer: str | None) -> bytes:
    """The apology and new appointment (form 04 of Circular 01/2018/TT-VPCP) of the resolving organisation to the
    applicant; a draft not yet issued is marked as such, with the proposed date."""
    pdf = _Slip()
    issued = apology.issued_at is not None
    pdf.heading(APOLOGY_TITLE if issued else APOLOGY_TITLE + " (DỰ THẢO)", organisation_name, dossier.code)
    new = apology.new_appointment_at if issued else apology.proposed_at
    pdf.line_of(f"Kính gửi: {dossier.applicant_name}", bold=True)
    if dossier.applicant_address:
        pdf.line_of(f"Địa chỉ: {dossier.applicant_address}")
    pdf.ln(1)
    pdf.line_of(
        f"Ngày {to_local(dossier.received_at):%d/%m/%Y}, hồ sơ của ông/bà đề nghị giải quyết thủ tục "
        f"{dossier.procedure.name} (mã thủ tục {dossier.procedure.code}) đã được tiếp nhận, mã hồ sơ {dossier.code}."
    )
    pdf.line_of(f"Thời gian hẹn trả kết quả trên giấy tiếp nhận: {_when(dossier.appointment_at)}.")
    pdf.line_of(f"Tuy nhiên đến nay, {organisation_name} chưa trả kết quả giải quyết hồ sơ của ông/bà đúng hạn.")
    pdf.line_of(f"Lý do: {apology.reason or APOLOGY_REASON_VI}")
    pdf.ln(1)
    pdf.line_of(
        f"Sự chậm trễ này đã gây phiền hà cho ông/bà. {organisation_name} xin lỗi ông/bà và sẽ trả kết quả giải "
        "quyết hồ sơ cho ông/bà vào:"
    )
    pdf.line_of(_when(new), 12, bold=True, align="C", height=8)
    pdf.line_of("Kính mong nhận được sự thông cảm của ông/bà vì sự chậm trễ này.")
    pdf.ln(6)
    y = pdf.get_y()
    pdf.set_xy(pdf.l_margin + pdf.half, y)
    pdf.set_font("slip", "B", 10)
    pdf.multi_cell(pdf.half, 5, "THỦ TRƯỞNG CƠ QUAN\n(Ký, ghi rõ họ tên và đóng dấu)", align="C")
    if signer:
        pdf.set_xy(pdf.l_margin + pdf.half, y + 28)
        pdf.set_font("slip", "", 10)
        pdf.cell(pdf.half, 5, signer, align="C")
    return bytes(pdf.output())
