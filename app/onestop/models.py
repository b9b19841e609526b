"""The catalogue of administrative procedures (thủ tục hành chính) the one-stop desks receive dossiers for.

A procedure is published for the whole province: its code in the national database's shape
(`1.002835.000.00.00.H56`), its name and field (lĩnh vực), the organisation that resolves it, how it may be filed,
the statutory time in working days, its fees, the papers a dossier holds (thành phần hồ sơ) and the internal steps
that resolve it, whose working days add up to the statutory time.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Organisation, Unit
from ..extensions import db, utcnow


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
