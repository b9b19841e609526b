"""The one-stop desk's tables: the catalogue of administrative procedures (thủ tục hành chính), and the citizens'
and businesses' dossiers (hồ sơ thủ tục hành chính) received for them, with their papers and timeline.

A procedure is published for the whole province: its code in the national database's shape
(`1.002835.000.00.00.H56`), its name and field (lĩnh vực), the organisation that resolves it, how it may be filed,
the statutory time in working days, its fees, the papers a dossier holds (thành phần hồ sơ) and the internal steps
that resolve it, whose working days add up to the statutory time.

A dossier belongs to the organisation whose desk received it (the procedure's resolving organisation may be
another). It keeps what it was received with: the statutory time and steps, the calendar version its appointment
was computed with, the papers (scans in the object store, by content hash).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Organisation, Unit, User
from ..documents.models import Document
from ..extensions import db, utcnow
from ..scoping import OrgScoped


class Channel(enum.StrEnum):
    DIRECT = "direct"  # trực tiếp, at the desk
    ONLINE = "online"  # trực tuyến
    POST = "post"  # qua dịch vụ bưu chính công ích


CHANNEL_LABELS = {Channel.DIRECT: _l("At the desk"), Channel.ONLINE: _l("Online"), Channel.POST: _l("By post")}


class PaperForm(enum.StrEnum):
    ORIGINAL = "original"  # bản chính
    CERTIFIED_COPY = "certified_copy"  # bản sao có chứng thực
    COPY = "copy"  # bản sao (bản chụp)


PAPER_FORM_LABELS = {
    PaperForm.ORIGINAL: _l("Original"),
    PaperForm.CERTIFIED_COPY: _l("Certified copy"),
    PaperForm.COPY: _l("Copy"),
}


class Procedure(db.Model):
    """One administrative procedure of the catalogue (the province's, not one organisation's)."""

    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(500))
    field: Mapped[str] = mapped_column(sa.String(200))  # lĩnh vực
    resolving_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    channels: Mapped[str] = mapped_column(sa.String(40))  # "direct,online,post": the ways it may be filed
    statutory_days: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))  # working days, halves allowed
    fees: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)  # [{"name": ..., "amount": VND}]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    resolving_organisation: Mapped[Organisation] = relationship()
    papers: Mapped[list[ProcedurePaper]] = relationship(
        back_populates="procedure", order_by="ProcedurePaper.position", cascade="all, delete-orphan"
    )
    steps: Mapped[list[ProcedureStep]] = relationship(
        back_populates="procedure", order_by="ProcedureStep.position", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint("statutory_days > 0", name="positive_time"),)

    @property
    def channel_list(self) -> list[Channel]:
        return [Channel(c) for c in self.channels.split(",") if c]

    @property
    def total_fee(self) -> int:
        return sum(int(fee.get("amount") or 0) for fee in self.fees or [])

    @property
    def default_fee_mode(self) -> FeeMode:
        """How the fee is taken unless the officer says otherwise: paid at the desk, or none for a free procedure."""
        return FeeMode.PAID if self.total_fee else FeeMode.NONE


class ProcedurePaper(db.Model):
    """A paper a dossier of the procedure holds (thành phần hồ sơ): what, in which form, how many."""

    __tablename__ = "procedure_papers"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(sa.ForeignKey("procedures.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(500))
    form: Mapped[str] = mapped_column(sa.String(20))
    copies: Mapped[int] = mapped_column(default=1)
    required: Mapped[bool] = mapped_column(default=True)

    procedure: Mapped[Procedure] = relationship(back_populates="papers")

    @property
    def named_optional(self) -> bool:
        """Whether its name already says the paper is needed only if there is one ("... (nếu có)")."""
        return self.name.rstrip(" )").lower().endswith(("nếu có", "if any"))

    __table_args__ = (
        sa.CheckConstraint("form IN ('original', 'certified_copy', 'copy')", name="known_form"),
        sa.CheckConstraint("copies BETWEEN 1 AND 99", name="copies"),
    )


class ProcedureStep(db.Model):
    """An internal step of the procedure: the unit that does it and its working days."""

    __tablename__ = "procedure_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(sa.ForeignKey("procedures.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(300))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))  # None: the one-stop desk itself
    days: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))

    procedure: Mapped[Procedure] = relationship(back_populates="steps")
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (sa.CheckConstraint("days > 0", name="positive_days"),)


class DossierStatus(enum.StrEnum):
    RECEIVED = "received"  # tiếp nhận: the receipt and appointment slip was given
    INCOMPLETE = "incomplete"  # at the desk, asked to complete the papers first (form 02): not received
    REFUSED = "refused"  # at the desk, refused (form 03), with a reason: not received
    TRANSFERRED = "transferred"  # sent to the handling unit
    IN_PROCESS = "in_process"  # a named official handles it
    AWAITING_APPROVAL = "awaiting_approval"  # waiting for the leader's approval
    SUPPLEMENT_REQUESTED = "supplement_requested"  # more papers asked of the applicant: the clock stops
    SUSPENDED = "suspended"  # dừng xử lý
    WITHDRAWN = "withdrawn"  # the applicant withdrew it
    RESULT_READY = "result_ready"  # the result waits at the desk
    RETURNED = "returned"  # the result was handed back


# The national public service portal's dossier statuses (1–10), kept in this one table.
PORTAL_STATUS: dict[DossierStatus, int] = {
    DossierStatus.RECEIVED: 2,  # được tiếp nhận
    DossierStatus.INCOMPLETE: 5,  # yêu cầu bổ sung giấy tờ
    DossierStatus.REFUSED: 3,  # không được tiếp nhận
    DossierStatus.TRANSFERRED: 4,  # đang xử lý
    DossierStatus.IN_PROCESS: 4,
    DossierStatus.AWAITING_APPROVAL: 4,
    DossierStatus.SUPPLEMENT_REQUESTED: 5,
    DossierStatus.SUSPENDED: 8,  # dừng xử lý
    DossierStatus.WITHDRAWN: 7,  # công dân yêu cầu rút hồ sơ
    DossierStatus.RESULT_READY: 9,  # đã xử lý xong
    DossierStatus.RETURNED: 10,  # đã trả kết quả
}
PORTAL_STATUS_NAMES = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

STATUS_LABELS = {
    DossierStatus.RECEIVED: _l("Dossier received"),
    DossierStatus.INCOMPLETE: _l("Papers to complete"),
    DossierStatus.REFUSED: _l("Refused"),
    DossierStatus.TRANSFERRED: _l("Transferred for processing"),
    DossierStatus.IN_PROCESS: _l("In process"),
    DossierStatus.AWAITING_APPROVAL: _l("Awaiting approval"),
    DossierStatus.SUPPLEMENT_REQUESTED: _l("Supplement requested"),
    DossierStatus.SUSPENDED: _l("Suspended"),
    DossierStatus.WITHDRAWN: _l("Withdrawn"),
    DossierStatus.RESULT_READY: _l("Result ready"),
    DossierStatus.RETURNED: _l("Result handed back"),
}


class FeeMode(enum.StrEnum):
    PAID = "paid"  # paid at the desk
    ON_RESULT = "on_result"  # paid when the result is handed back
    ONLINE = "online"  # paid online
    EXEMPT = "exempt"  # miễn, giảm
    NONE = "none"  # the procedure has no fee


FEE_MODE_LABELS = {
    FeeMode.PAID: _l("Paid at the desk"),
    FeeMode.ON_RESULT: _l("To pay when the result is handed back"),
    FeeMode.ONLINE: _l("Paid online"),
    FeeMode.EXEMPT: _l("Exempt or reduced"),
    FeeMode.NONE: _l("No fee"),
}


class ReceiptCounter(db.Model):
    """The last receipt sequence an organisation's desk gave on a day (taken with one atomic UPDATE)."""

    __tablename__ = "receipt_counters"

    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Dossier(OrgScoped, db.Model):
    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(48), unique=True)  # the receipt code, with its check character
    secret: Mapped[str] = mapped_column(sa.String(12))  # printed on the slip; with the code it opens the lookup
    procedure_id: Mapped[int] = mapped_column(sa.ForeignKey("procedures.id"), index=True)
    resolving_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    statutory_days: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))  # as the procedure had it when received
    steps: Mapped[list[dict]] = mapped_column(sa.JSON)  # the procedure's steps when received: name, unit, days
    channel: Mapped[str] = mapped_column(sa.String(10))
    fee_mode: Mapped[str] = mapped_column(sa.String(10))
    fee_amount: Mapped[int] = mapped_column(default=0)  # VND
    fee_paid_at: Mapped[datetime | None]
    applicant_name: Mapped[str] = mapped_column(sa.String(200))
    # The name lower-case without diacritics ("nguyen van an"), for the staff's search.
    applicant_folded: Mapped[str] = mapped_column(sa.String(200), default="", server_default=sa.text("''"))
    applicant_id_number: Mapped[str | None] = mapped_column(sa.String(20))
    applicant_phone: Mapped[str | None] = mapped_column(sa.String(20))
    applicant_email: Mapped[str | None] = mapped_column(sa.String(254))
    applicant_address: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[str] = mapped_column(sa.String(24), index=True)
    reason_code: Mapped[str | None] = mapped_column(sa.String(20))  # why papers were asked for or it was refused
    reason_text: Mapped[str | None] = mapped_column(sa.Text)
    received_at: Mapped[datetime]  # when the desk recorded it
    counting_from: Mapped[datetime | None]  # the office opening the statutory time counts from
    appointment_at: Mapped[datetime | None]  # ngày hẹn trả kết quả
    calendar_version: Mapped[str | None] = mapped_column(sa.String(64))  # the calendar the appointment came from
    received_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    handler_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # who took it in hand
    clock_stopped_at: Mapped[datetime | None]  # since when the applicant is asked for papers (the clock stops)
    # The office time the applicant held it, in all (the appointment moved by as much).
    waited_seconds: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    # The local days that the statistics judge by (dates, not timestamps: on time is the appointment's day).
    received_on: Mapped[date | None] = mapped_column(index=True)
    appointment_on: Mapped[date | None]
    resolved_on: Mapped[date | None]  # the result was ready
    stopped_on: Mapped[date | None]  # withdrawn or suspended
    step_index: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))  # the step it is at
    step_due_at: Mapped[datetime | None] = mapped_column(index=True)  # that step's deadline, while the clock runs
    resolved_at: Mapped[datetime | None]  # the result was approved (ready at the desk)
    returned_at: Mapped[datetime | None]  # the result was handed back
    # The outgoing document drafted as the result (a decision, a licence, a reply), signed and issued in the
    # documents module; its number and notation are the result's.
    result_document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    procedure: Mapped[Procedure] = relationship()
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    result_document: Mapped[Document | None] = relationship()
    received_by: Mapped[User] = relationship(foreign_keys=[received_by_id])
    papers: Mapped[list[DossierPaper]] = relationship(
        back_populates="dossier", order_by="DossierPaper.position", cascade="all, delete-orphan"
    )
    events: Mapped[list[DossierEvent]] = relationship(
        back_populates="dossier", order_by="DossierEvent.id", cascade="all, delete-orphan"
    )
    apologies: Mapped[list[DossierApology]] = relationship(
        back_populates="dossier", order_by="DossierApology.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.Index("ix_dossiers_org_received", "organisation_id", "received_at"),
        sa.CheckConstraint(
            "status IN ('received', 'incomplete', 'refused', 'transferred', 'in_process', 'awaiting_approval', "
            "'supplement_requested', 'suspended', 'withdrawn', 'result_ready', 'returned')",
            name="known_status",
        ),
        sa.CheckConstraint("channel IN ('direct', 'online', 'post')", name="known_channel"),
        sa.CheckConstraint("fee_mode IN ('paid', 'on_result', 'online', 'exempt', 'none')", name="known_fee_mode"),
        sa.CheckConstraint("status NOT IN ('incomplete', 'refused') OR reason_code IS NOT NULL", name="has_reason"),
    )

    @property
    def portal_status(self) -> int:
        return PORTAL_STATUS[DossierStatus(self.status)]


class DossierPaper(db.Model):
    """A paper received with the dossier: what it is, in which form, how many copies, and its scan if any."""

    __tablename__ = "dossier_papers"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(500))
    form: Mapped[str] = mapped_column(sa.String(20))
    copies: Mapped[int] = mapped_column(default=1)
    blob_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))
    filename: Mapped[str | None] = mapped_column(sa.String(200))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None]

    dossier: Mapped[Dossier] = relationship(back_populates="papers")


class DossierEvent(db.Model):
    """A step of the dossier's timeline: who moved it, when, from which state to which, with what note (for the
    staff only) and what message (for the applicant too)."""

    __tablename__ = "dossier_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(sa.String(24))
    to_status: Mapped[str] = mapped_column(sa.String(24))
    note: Mapped[str | None] = mapped_column(sa.Text)  # internal: never shown to the public
    public_message: Mapped[str | None] = mapped_column(sa.Text)  # written for the applicant
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    dossier: Mapped[Dossier] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    files: Mapped[list[DossierEventFile]] = relationship(
        back_populates="event", order_by="DossierEventFile.position", cascade="all, delete-orphan", lazy="selectin"
    )


class DossierEventFile(db.Model):
    """A file that came with a move (the papers the applicant brought, the appraisal submitted for approval, the
    decision to suspend), stored by its hash like the scans; for the staff, never shown to the public."""

    __tablename__ = "dossier_event_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier_events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    blob_sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"))

    event: Mapped[DossierEvent] = relationship(back_populates="files")


class DossierApology(db.Model):
    """An apology and new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả): drafted when the remaining steps
    can no longer fit before the appointment, issued by the unit (the applicant is then told). The dossier stays
    late against its first appointment."""

    __tablename__ = "dossier_apologies"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    proposed_at: Mapped[datetime]  # the new appointment proposed when drafted
    reason: Mapped[str | None] = mapped_column(sa.Text)
    issued_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    new_appointment_at: Mapped[datetime | None]  # the date given to the applicant when issued

    dossier: Mapped[Dossier] = relationship(back_populates="apologies")


class NoticeState(enum.StrEnum):
    SENDING = "sending"  # claimed: the message may be leaving
    SENT = "sent"
    FAILED = "failed"  # surely not sent: may be tried again
    UNKNOWN = "unknown"  # the channel did not say: never resent


class ApplicantNotice(db.Model):
    """One notice's attempt on one channel (at most one row per notice and channel)."""

    __tablename__ = "applicant_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(80))  # what the notice is about: "received", "event:42", ...
    channel: Mapped[str] = mapped_column(sa.String(10))
    state: Mapped[str] = mapped_column(sa.String(10))
    error: Mapped[str | None] = mapped_column(sa.String(300))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    __table_args__ = (sa.UniqueConstraint("dossier_id", "key", "channel"),)
