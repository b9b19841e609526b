"""The demo province: a People's Committee, two departments, two communes, a user of each role, sample documents.

Local government has had two levels (province and commune) since July 2025; the tree below is only
data, and nothing in the code assumes its depth or its levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from .auth.models import Organisation, Role, User
from .auth.service import create_organisation, create_unit, create_user
from .clock import local_today
from .documents.rendering import DocumentLayout, render_document
from .documents.schemas import DraftInput, IncomingInput
from .documents.service import create_draft, register_incoming
from .documents.uploads import Upload
from .extensions import db
from .onestop.models import Dossier

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
    ("motcua", "Đỗ Thị Hồng", "Cán bộ một cửa", (Role.ONESTOP,)),
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
    """Create the demo province once; return False when it is already there.

    The province, its people, documents, tasks, files and catalogue are committed before the desk's dossiers are
    made: on PostgreSQL a receipt takes its number on a connection of its own (onestop.intake), which must see the
    desk's organisation. Dossiers that failed to be made are made at the next run."""
    created = _seed_province()
    if created:
        db.session.commit()
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Dossier).execution_options(all_organisations=True)):
        _sample_dossiers()
    return created


def _seed_province() -> bool:
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
    _sample_tasks(users)
    _sample_record_files(users)
    _procedures_catalogue()
    _saturday_desk(by_code[DEMO_ORGS[0].code])
    return True


def _saturday_desk(province: Organisation) -> None:
    """The province's one-stop desk (the public administration service centre) also opens on Saturday mornings."""
    from datetime import time

    from .calendar.service import set_office_hours

    weekdays = [(day, time(7, 30), time(11, 30)) for day in range(6)]
    afternoons = [(day, time(13, 30), time(17, 0)) for day in range(5)]
    set_office_hours(None, weekdays + afternoons, province.id)


def _sample_dossiers() -> None:
    """The province desk's dossiers of the last weeks, resolved by the demo's organisations (onestop/demo.py)."""
    from .onestop.demo import sample_dossiers

    def user(username: str) -> User:
        return db.session.scalars(sa.select(User).where(User.username == username)).one()

    resolvers = {}
    for demo in DEMO_ORGS:
        org_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.code == demo.code))
        resolvers[org_id] = (user("chuyenvien" + demo.suffix), user("lanhdao" + demo.suffix))
    sample_dossiers(user("motcua"), resolvers)


def _procedures_catalogue() -> None:
    """About twenty procedures of the province's catalogue, resolved by the demo's departments and communes."""
    from pathlib import Path

    from .onestop.catalogue import import_catalogue

    report = import_catalogue(Path(__file__).parent / "onestop" / "data" / "demo_procedures.json")
    if report.rejected:
        raise RuntimeError(f"the demo procedures do not fit the demo province: {report.rejected}")


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
    commendation = _pdf(
        province,
        "",
        "1520/QĐ-UBND",
        "Quyết định",
        "Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua năm 2026",
        [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 12 tập thể và 25 cá nhân có thành tích xuất sắc.",
        ],
        "Lê Hoàng Nam",
        "Phó Chủ tịch",
    )
    register_incoming(
        users["vanthu.sct"],
        IncomingInput(
            document_type="QĐ",
            number="1520",
            notation="QĐ-UBND",
            issuer=province.name,
            issuer_code=province.code,
            issued_on=today - timedelta(days=5),
            subject="Quyết định về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong phong trào "
            "thi đua năm 2026",
            received_on=today - timedelta(days=4),
            channel="exchange",
        ),
        Upload("1520-QD-UBND.pdf", commendation),
    )


# The demo's processed documents: (subject, days ago it was assigned, working days given, what became of it).
# "on_time" and "late" were completed before and after their deadline, "overdue" is still open past it.
SAMPLE_TASKS = (
    ("V/v rà soát thủ tục hành chính thuộc thẩm quyền giải quyết năm 2026", 30, 10, "on_time"),
    ("V/v tổng hợp kết quả thực hiện chỉ tiêu kinh tế - xã hội tháng 10", 25, 5, "on_time"),
    ("V/v báo cáo công tác phòng, chống thiên tai quý III", 22, 5, "late"),
    ("V/v đề xuất danh mục dự án đầu tư công trung hạn", 18, 5, "overdue"),
    ("V/v cung cấp số liệu đánh giá chỉ số cải cách hành chính", 9, 10, "in_progress"),
    ("V/v góp ý dự thảo Nghị quyết về chính sách hỗ trợ doanh nghiệp nhỏ và vừa", 3, 10, "new"),
)


def _sample_tasks(users: dict) -> None:
    """Incoming documents of the province that its leader assigned, in every state the dashboard counts; the
    times are moved back to when each would have happened."""
    from .extensions import utcnow
    from .tasks import service as tasks
    from .tasks.models import Task, TaskAction, TaskEvent
    from .tasks.schemas import AssignInput, CompleteInput, NoteInput, ProgressInput

    leader, clerk, specialist = users["lanhdao"], users["vanthu"], users["chuyenvien"]
    pdf = _pdf(
        DEMO_ORGS[1],
        DEMO_ORGS[0].name,
        "301/SCT-VP",
        "Công văn",
        "V/v phối hợp thực hiện nhiệm vụ",
        ["Đề nghị các cơ quan, đơn vị phối hợp thực hiện và báo cáo kết quả đúng thời hạn."],
        "Lê Hoàng Nam",
        "Giám đốc",
    )
    now = utcnow()
    for index, (subject, days_ago, working_days, outcome) in enumerate(SAMPLE_TASKS):
        doc = register_incoming(
            clerk,
            IncomingInput(
                document_type="CV",
                number=str(301 + index),
                notation="SCT-VP",
                issuer=DEMO_ORGS[1].name,
                issuer_code=DEMO_ORGS[1].code,
                subject=subject,
                received_on=local_today() - timedelta(days=days_ago),
                channel="exchange",
            ),
            Upload(f"{301 + index}-SCT-VP.pdf", pdf),
        )
        task = tasks.assign(
            leader,
            doc.id,
            AssignInput.model_validate(
                {
                    "lead": {"user_id": specialist.id},
                    "deadline_working_days": working_days,
                    "instructions": "Giao chuyên viên nghiên cứu, tham mưu trả lời đúng hạn.",
                }
            ),
        )
        if outcome != "new":
            tasks.act(specialist, task.id, TaskAction.ACCEPT, NoteInput())
            tasks.act(specialist, task.id, TaskAction.PROGRESS, ProgressInput(percent=50, note="Đang tổng hợp."))
        if outcome in ("on_time", "late"):
            tasks.act(specialist, task.id, TaskAction.COMPLETE, CompleteInput(note="Đã tham mưu văn bản trả lời."))
        db.session.flush()
        # Back to when it happened: assigned `days_ago`, each step a day later, the deadline counted from then.
        assigned = now - timedelta(days=days_ago)
        deadline = assigned + timedelta(days=working_days * 7 // 5)
        done = deadline - timedelta(days=1) if outcome == "on_time" else deadline + timedelta(days=2)
        if outcome == "overdue":
            deadline = now - timedelta(days=2)
        steps = db.session.scalars(sa.select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(TaskEvent.id))
        for step, event in enumerate(steps):
            event.at = done if event.action == TaskAction.COMPLETE else assigned + timedelta(days=step)
        db.session.execute(
            sa.update(Task)
            .where(Task.id == task.id)
            .values(
                assigned_at=assigned,
                deadline=deadline,
                accepted_at=assigned + timedelta(days=1) if outcome != "new" else None,
                completed_at=done if outcome in ("on_time", "late") else None,
            )
        )


def _sample_record_files(users: dict) -> None:
    """The province archivist's records files: one open this year, one of 2014 whose retention has run out (the
    review list), one of last year due at the agency's archive within the month (the transfer list)."""
    from .archive import service as archive
    from .archive.schemas import CloseInput, FileDocumentInput, RecordFileInput
    from .documents.models import Document

    archivist = users["luutru"]
    today = local_today()
    current = archive.create_record_file(
        archivist,
        RecordFileInput(
            year=today.year,
            code="01.VP",
            title=f"Hồ sơ theo dõi thực hiện kế hoạch phát triển thương mại điện tử năm {today.year}",
            retention_years=20,
            keeper_id=archivist.id,
            opened_on=min(date(today.year, 1, 5), today),
        ),
    )
    # The decision 1520/QĐ-UBND was received by the Department of Industry and Trade, not by the province: the
    # province's file holds the department's report it registered instead.
    report = db.session.scalar(
        sa.select(Document.id).where(
            Document.organisation_id == archivist.organisation_id,
            Document.number == "215",
            Document.notation == "SCT-QLTM",
        )
    )
    archive.file_document(archivist, current.id, FileDocumentInput(document_id=report))

    expired = archive.create_record_file(
        archivist,
        RecordFileInput(
            year=2014,
            code="05.VP",
            title="Hồ sơ hội nghị tổng kết công tác năm 2014 của Ủy ban nhân dân tỉnh",
            retention_years=10,
            keeper_id=archivist.id,
            opened_on=date(2014, 12, 1),
        ),
    )
    # Closed in 2014 with 10 years of retention: it ran out on 1 January 2025.
    archive.close_record_file(archivist, expired.id, CloseInput(closed_on=date(2014, 12, 31)))

    last_year = today.year - 1
    due = today + timedelta(days=20)
    try:
        closed_on = due.replace(year=due.year - 1)
    except ValueError:  # 29 February
        closed_on = due.replace(year=due.year - 1, day=28)
    soon = archive.create_record_file(
        archivist,
        RecordFileInput(
            year=last_year,
            code="03.VP",
            title=f"Hồ sơ tổ chức Hội nghị xúc tiến đầu tư tỉnh {PROVINCE} năm {last_year}",
            retention_years=10,
            keeper_id=archivist.id,
            opened_on=date(last_year, 1, 1),
        ),
    )
    # Due at the agency's archive a year after it was closed: in 20 days.
    archive.close_record_file(archivist, soon.id, CloseInput(closed_on=closed_on))
