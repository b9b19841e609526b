"""The demo province: a People's Committee, two departments, two communes, a user of each role, sample documents.

Local government has had two levels (province and commune) since July 2025; the tree below is only
data, and nothing in the code assumes its depth or its levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from .auth.models import Organisation, Role
from .auth.service import create_organisation, create_unit, create_user
from .clock import local_today
from .documents.rendering import DocumentLayout, render_document
from .documents.schemas import DraftInput, IncomingInput
from .documents.service import create_draft, register_incoming
from .documents.uploads import Upload
from .extensions import db

PROVINCE = "Hà Sơn"


@dataclass(frozen=True)
class DemoOrg:
    code: str
    name: str
    abbreviation: str
    suffix: str
    leader_position: str
    units: tuple[str, ...]
    parent: str | None = None


DEMO_ORGS = (
    DemoOrg(
        "000.00.00.H57",
        f"Ủy ban nhân dân tỉnh {PROVINCE}",
        "UBND",
        "",
        "Phó Chủ tịch",
        ("Văn phòng", "Phòng Tổng hợp", "Phòng Kinh tế"),
    ),
    DemoOrg(
        "000.00.31.H57",
        "Sở Công Thương",
        "SCT",
        ".sct",
        "Giám đốc",
        ("Văn phòng Sở", "Phòng Quản lý thương mại"),
        "000.00.00.H57",
    ),
    DemoOrg(
        "000.00.12.H57", "Sở Tài chính", "STC", ".stc", "Giám đốc", ("Văn phòng Sở", "Phòng Ngân sách"), "000.00.00.H57"
    ),
    DemoOrg(
        "001.01.00.H57",
        "Ủy ban nhân dân phường Trung Tâm",
        "UBND",
        ".ptt",
        "Chủ tịch",
        ("Văn phòng HĐND và UBND",),
        "000.00.00.H57",
    ),
    DemoOrg(
        "002.01.00.H57",
        "Ủy ban nhân dân xã Hòa An",
        "UBND",
        ".xha",
        "Chủ tịch",
        ("Văn phòng HĐND và UBND",),
        "000.00.00.H57",
    ),
)

DEMO_PEOPLE = (
    ("vanthu", "Nguyễn Thị Lan", "Văn thư", (Role.CLERK,)),
    ("chuyenvien", "Trần Văn Minh", "Chuyên viên", (Role.SPECIALIST,)),
    ("lanhdao", "Lê Hoàng Nam", None, (Role.LEADER,)),
    ("luutru", "Phạm Thu Hà", "Lưu trữ viên", (Role.ARCHIVIST,)),
    ("admin", "Quản trị hệ thống", "Quản trị viên", (Role.ADMIN,)),
)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, organisation) for every demo account."""
    out = []
    for org in DEMO_ORGS:
        for username, _name, _position, roles in DEMO_PEOPLE:
            out.append((username + org.suffix, ", ".join(str(r) for r in roles), org.name))
    return out


def _pdf(
    org: DemoOrg,
    parent: str,
    number: str | None,
    type_name: str,
    subject: str,
    body: list[str],
    signer: str,
    position: str,
) -> bytes:
    """A document as its issuer laid it out; a draft (number None) leaves the number and date lines blank."""
    return render_document(
        DocumentLayout(
            organisation=org.name,
            parent_organisation=parent,
            number_line=f"Số: {number}" if number else "",
            place=PROVINCE,
            issued_on=local_today() - timedelta(days=3) if number else None,
            signer_block=bool(number),
            type_name=type_name,
            subject=subject,
            body=body,
            signer_position=position,
            signer_name=signer,
            recipients=["Như trên", f"Lưu: VT, {org.abbreviation}"],
        )
    )


def seed_demo_data() -> bool:
    """Create the demo province once; return False when it is already there."""
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.code == DEMO_ORGS[0].code)):
        return False
    password = current_app.config["DEMO_PASSWORD"]
    by_code: dict[str, Organisation] = {}
    users: dict[str, object] = {}
    for demo in DEMO_ORGS:
        parent_id = by_code[demo.parent].id if demo.parent else None
        org = create_organisation(
            None, code=demo.code, name=demo.name, abbreviation=demo.abbreviation, parent_id=parent_id, place=PROVINCE
        )
        by_code[demo.code] = org
        units = [create_unit(None, org.id, name) for name in demo.units]
        for username, full_name, position, roles in DEMO_PEOPLE:
            users[username + demo.suffix] = create_user(
                None,
                org.id,
                {
                    "username": username + demo.suffix,
                    "full_name": full_name,
                    "position": position or demo.leader_position,
                    "roles": [str(r) for r in roles],
                    "password": password,
                    "unit_id": units[0].id,
                },
            )
    _signing_setup(by_code, users)
    _sample_documents(by_code, users)
    return True


def _signing_setup(by_code: dict[str, Organisation], users: dict) -> None:
    """The built-in CA, a certificate and a signature image for every leader, a certificate and a seal for
    every organisation."""
    from .signing import credentials
    from .signing.demo import seal_png, signature_png
    from .signing.service import set_seal, set_signature_image

    credentials.init_authority(f"CA e-office tỉnh {PROVINCE}")
    for org in by_code.values():
        credentials.issue_for_organisation(org)
        set_seal(None, org.id, seal_png(org.name))
    for username, user in users.items():
        if username.split(".")[0] == "lanhdao":
            credentials.issue_for_user(user)
            set_signature_image(user, signature_png(user.full_name))


def _sample_documents(by_code: dict[str, Organisation], users: dict) -> None:
    province, trade, finance = DEMO_ORGS[0], DEMO_ORGS[1], DEMO_ORGS[2]
    parent = province.name
    today = local_today()
    report = _pdf(
        trade,
        parent,
        "215/SCT-QLTM",
        "Công văn",
        "V/v báo cáo tình hình thực hiện kế hoạch phát triển thương mại điện tử năm 2026",
        [
            "Thực hiện Kế hoạch số 45/KH-UBND của Ủy ban nhân dân tỉnh về phát triển thương mại điện tử, "
            "Sở Công Thương báo cáo kết quả thực hiện và đề xuất nhiệm vụ trọng tâm năm tới.",
            "Đề nghị Ủy ban nhân dân tỉnh xem xét, chỉ đạo.",
        ],
        "Lê Hoàng Nam",
        "Giám đốc",
    )
    register_incoming(
        users["vanthu"],
        IncomingInput(
            document_type="CV",
            number="215",
            notation="SCT-QLTM",
            issuer=trade.name,
            issuer_code=trade.code,
            issued_on=today - timedelta(days=3),
            subject="V/v báo cáo tình hình thực hiện kế hoạch phát triển thương mại điện tử năm 2026",
            signer_name="Lê Hoàng Nam",
            signer_position="Giám đốc",
            urgency="urgent",
            received_on=today,
            due_on=today + timedelta(days=10),
            channel="exchange",
        ),
        Upload("215-SCT-QLTM.pdf", report),
    )
    budget = _pdf(
        finance,
        parent,
        "88/TTr-STC",
        "Tờ trình",
        "Về việc phân bổ dự toán ngân sách cho các xã, phường năm 2027",
        [
            "Căn cứ Luật Ngân sách nhà nước, Sở Tài chính trình Ủy ban nhân dân tỉnh phương án phân bổ "
            "dự toán chi ngân sách cho các đơn vị hành chính cấp xã."
        ],
        "Lê Hoàng Nam",
        "Giám đốc",
    )
    register_incoming(
        users["vanthu"],
        IncomingInput(
            document_type="TTr",
            number="88",
            notation="TTr-STC",
            issuer=finance.name,
            issuer_code=finance.code,
            issued_on=today - timedelta(days=3),
            subject="Về việc phân bổ dự toán ngân sách cho các xã, phường năm 2027",
            signer_name="Lê Hoàng Nam",
            signer_position="Giám đốc",
            received_on=today,
            channel="paper",
        ),
        Upload("Tờ trình 88-TTr-STC.pdf", budget),
    )
    rules = _pdf(
        province,
        "",
        None,
        "Quyết định",
        "Về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh nhiệm kỳ 2026 - 2031",
        [
            "Ban hành kèm theo Quyết định này Quy chế làm việc của Ủy ban nhân dân tỉnh.",
            "Quyết định này có hiệu lực kể từ ngày ký.",
        ],
        "Lê Hoàng Nam",
        "Phó Chủ tịch",
    )
    create_draft(
        users["chuyenvien"],
        DraftInput(
            document_type="QĐ",
            notation="QĐ-UBND",
            subject="Về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh nhiệm kỳ 2026 - 2031",
            signer_name="Lê Hoàng Nam",
            signer_position="Phó Chủ tịch",
            recipients="Các sở, ban, ngành tỉnh\nUBND các xã, phường\nLưu: VT, TH",
        ),
        Upload("Dự thảo Quyết định quy chế làm việc.pdf", rules),
    )
    invite = _pdf(
        province,
        "",
        "12/GM-UBND",
        "Giấy mời",
        "Họp giao ban công tác chuyển đổi số quý IV",
        ["Ủy ban nhân dân tỉnh trân trọng kính mời đại diện lãnh đạo các sở, ngành dự họp."],
        "Lê Hoàng Nam",
        "Phó Chủ tịch",
    )
    register_incoming(
        users["vanthu.sct"],
        IncomingInput(
            document_type="GM",
            number="12",
            notation="GM-UBND",
            issuer=province.name,
            issuer_code=province.code,
            issued_on=today - timedelta(days=1),
            subject="Mời họp giao ban công tác chuyển đổi số quý IV",
            urgency="very_urgent",
            received_on=today,
            due_on=today + timedelta(days=2),
            channel="exchange",
        ),
        Upload("12-GM-UBND.pdf", invite),
    )
