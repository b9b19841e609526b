"""The demo's one-stop history: dossiers received at the province's desk over the last weeks and moved through their
steps by the demo's people, so that the desk's list, the resolving organisations' work, the public lookup and the
figures (early, on time, late, in progress, overdue) have something to show on a fresh `make run`.

Each dossier is made by the same services as the desk's own work (intake, moves), run as of the moment each step
would have happened (extensions.as_of): its codes, appointments, timeline, audit trail and notices are those the
application would have made then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..auth.models import User
from ..calendar.service import load_calendar
from ..clock import LOCAL_TZ
from ..extensions import as_of, db, utcnow
from .intake import receive_dossier
from .machine import Move
from .models import Dossier, Procedure
from .processing import MoveInput, move_dossier
from .schemas import IntakeInput


@dataclass(frozen=True)
class Sample:
    procedure: str
    applicant: str
    phone: str
    days_ago: int  # when it was received: calendar days before today, at the next opening of that day
    fate: str  # what became of it (FATES)
    channel: str = "direct"


SAMPLES = (
    Sample("1.001612.000.00.00.H57", "Nguyễn Văn An", "0912345601", 40, "early"),
    Sample("2.000629.000.00.00.H57", "Công ty TNHH Thương mại Hà Sơn", "0912345602", 38, "late", "online"),
    Sample("1.000894.000.00.00.H57", "Trần Thị Bích", "0912345603", 35, "on_time"),
    Sample("1.010027.000.00.00.H57", "Lê Minh Châu", "0912345604", 30, "early", "online"),
    Sample("1.001193.000.00.00.H57", "Phạm Văn Dũng", "0912345605", 28, "withdrawn"),
    Sample("1.009994.000.00.00.H57", "Hoàng Thị Giang", "0912345606", 45, "overdue"),
    Sample("2.000815.000.00.00.H57", "Vũ Đức Hải", "0912345607", 21, "on_time"),
    Sample("1.001612.000.00.00.H57", "Đặng Thu Hương", "0912345608", 20, "refused"),
    Sample("2.000620.000.00.00.H57", "Công ty Cổ phần Kim Khí Hòa An", "0912345609", 16, "awaiting_approval", "post"),
    Sample("1.000894.000.00.00.H57", "Bùi Văn Khánh", "0912345610", 12, "incomplete"),
    Sample("2.001610.000.00.00.H57", "Ngô Thị Lan", "0912345611", 10, "supplement"),
    Sample("1.010027.000.00.00.H57", "Đỗ Quang Minh", "0912345612", 8, "result_ready", "online"),
    Sample("2.000629.000.00.00.H57", "Hợp tác xã Nông nghiệp Hòa An", "0912345613", 5, "in_process"),
    Sample("2.000629.000.00.00.H57", "Phan Thị Ngọc", "0912345614", 2, "transferred"),
    Sample("1.001612.000.00.00.H57", "Lý Văn Phúc", "0912345615", 0, "received"),
)

# What became of a sample dossier, and the moves it went through after its receipt: where it stands now, or, for
# "early", "on_time" and "late", handed back after the leader approved it before, on or after its appointment's day.
_STEPS = {
    "received": (),
    "transferred": (Move.TRANSFER,),
    "in_process": (Move.TRANSFER, Move.TAKE),
    "supplement": (Move.TRANSFER, Move.TAKE, Move.REQUEST_SUPPLEMENT),
    "awaiting_approval": (Move.TRANSFER, Move.TAKE, Move.SUBMIT),
    "result_ready": (Move.TRANSFER, Move.TAKE, Move.SUBMIT, Move.APPROVE),
    "early": (Move.TRANSFER, Move.TAKE, Move.SUBMIT, Move.APPROVE, Move.RETURN_RESULT),
    "on_time": (Move.TRANSFER, Move.TAKE, Move.SUBMIT, Move.APPROVE, Move.RETURN_RESULT),
    "late": (Move.TRANSFER, Move.TAKE, Move.SUBMIT, Move.APPROVE, Move.RETURN_RESULT),
    "overdue": (Move.TRANSFER, Move.TAKE),
    "withdrawn": (Move.WITHDRAW,),
    "incomplete": (),
    "refused": (),
}
FATES = tuple(_STEPS)
# When the leader approves, against the appointment's day.
_APPROVED_DAYS = {"early": -2, "on_time": 0, "late": 2}
_TEXTS = {
    Move.REQUEST_SUPPLEMENT: {
        "public_message": "Đề nghị bổ sung bản sao có chứng thực giấy tờ về quyền sử dụng đất.",
        "note": "Thiếu giấy tờ về đất trong thành phần hồ sơ.",
    },
    Move.WITHDRAW: {"public_message": "Hồ sơ được rút theo đề nghị của người nộp.", "note": "Đơn xin rút hồ sơ."},
    Move.RETURN_RESULT: {"public_message": "Đã trả kết quả tại bộ phận một cửa."},
    Move.APPROVE: {"note": "Đồng ý ký kết quả."},
}


def _who(move: Move, officer: User, specialist: User, leader: User) -> User:
    if move in (Move.TRANSFER, Move.WITHDRAW, Move.RETURN_RESULT):
        return officer
    return leader if move == Move.APPROVE else specialist


def _moments(sample: Sample, dossier: Dossier, received: datetime, now: datetime) -> list[datetime]:
    """When each of the sample's steps happened: a few office hours apart, the approval on its day against the
    appointment, the hand-back the next morning; never after `now`."""
    calendar = load_calendar(organisation_id=dossier.organisation_id)
    steps = _STEPS[sample.fate]
    moments, at = [], received
    for move in steps:
        if move == Move.APPROVE and sample.fate in _APPROVED_DAYS and dossier.appointment_at is not None:
            day = dossier.appointment_at.astimezone(LOCAL_TZ).date() + timedelta(days=_APPROVED_DAYS[sample.fate])
            wanted = calendar.next_opening(datetime.combine(day, datetime.min.time(), LOCAL_TZ) + timedelta(hours=9))
            at = max(wanted, at + timedelta(hours=1))
        elif move == Move.RETURN_RESULT:
            at = calendar.next_opening(at + timedelta(hours=20))
        elif move == Move.SUBMIT and Move.APPROVE in steps:
            at = at + timedelta(hours=3)
        else:
            at = calendar.next_opening(at + timedelta(hours=2))
        moments.append(at)
    # A step that would be in the future happens now, a few minutes apart (today's samples, or a week-end).
    latest = now - timedelta(minutes=5 * (len(moments) + 1))
    return [min(m, latest + timedelta(minutes=5 * n)) for n, m in enumerate(moments)]


def sample_dossiers(officer: User, resolvers: dict[int, tuple[User, User]]) -> None:
    """The SAMPLES received by `officer` (a one-stop officer) and moved by the resolving organisation's specialist
    and leader (`resolvers`: organisation id -> (specialist, leader))."""
    now = utcnow()
    calendar = load_calendar(organisation_id=officer.organisation_id)
    for n, sample in enumerate(SAMPLES):
        day = now.astimezone(LOCAL_TZ).date() - timedelta(days=sample.days_ago)
        received = calendar.next_opening(datetime.combine(day, datetime.min.time(), LOCAL_TZ) + timedelta(hours=8))
        received = min(received + timedelta(minutes=17 * n), now - timedelta(hours=1))
        procedure = db.session.scalars(sa.select(Procedure).where(Procedure.code == sample.procedure)).one()
        decision = {"incomplete": "incomplete", "refused": "refuse"}.get(sample.fate, "receive")
        intake = {
            "procedure": sample.procedure,
            "applicant": {"name": sample.applicant, "phone": sample.phone},
            "channel": sample.channel,
            "fee_mode": str(procedure.default_fee_mode),
            "papers": [{"paper": i} for i in range(len(procedure.papers))],
            "decision": decision,
        }
        if decision == "incomplete":
            intake.update(papers=[{"paper": 0}], reason_code="missing_paper", reason_text="Thiếu bản vẽ thiết kế.")
        elif decision == "refuse":
            intake.update(reason_code="already_filed", reason_text="Hồ sơ đã nộp trực tuyến ngày hôm trước.")
        with as_of(received):
            dossier = receive_dossier(officer, IntakeInput.model_validate(intake))
        specialist, leader = resolvers[dossier.resolving_organisation_id]
        for move, moment in zip(_STEPS[sample.fate], _moments(sample, dossier, received, now), strict=True):
            with as_of(moment):
                who = _who(move, officer, specialist, leader)
                dossier = move_dossier(who, dossier.code, MoveInput(move=move, **_TEXTS.get(move, {})))
