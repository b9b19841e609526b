"""Records files (hồ sơ) and the documents filed in them; the rows of past dispatches imported in bulk.

Decree 30/2020, art. 28–31: each agency keeps a list of its records files per year (danh mục hồ sơ), each with a
code, a title and a retention period; a file is closed when its work ends, handed to the agency's archive within a
year, and reviewed when its retention has run out (nothing is destroyed without a council's decision).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..documents.models import Document
from ..extensions import db, utcnow
from ..scoping import OrgScoped

# The retention periods a records file may have, in years; None is permanent (vĩnh viễn).
RETENTION_YEARS: tuple[int, ...] = (70, 50, 20, 10, 5)


class RecordFile(OrgScoped, db.Model):
    """A records file (hồ sơ) of one organisation and year."""

    __tablename__ = "record_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    code: Mapped[str] = mapped_column(sa.String(50))  # số và ký hiệu hồ sơ, e.g. "05.VP"
    title: Mapped[str] = mapped_column(sa.Text)  # tiêu đề hồ sơ
    retention_years: Mapped[int | None]  # None: permanent
    keeper_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # người lập hồ sơ
    notes: Mapped[str | None] = mapped_column(sa.Text)
    opened_on: Mapped[date | None]
    closed_on: Mapped[date | None]  # the work ended: the file is closed and no document is added any more
    transferred_on: Mapped[date | None]  # handed to the agency's archive (nộp lưu)
    transferred_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    keeper: Mapped[User | None] = relationship(foreign_keys=[keeper_id])
    entries: Mapped[list[RecordFileDocument]] = relationship(
        back_populates="record_file", order_by="RecordFileDocument.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "year", "code"),
        sa.CheckConstraint("retention_years IS NULL OR retention_years IN (70, 50, 20, 10, 5)", name="known_retention"),
        sa.CheckConstraint("year BETWEEN 1900 AND 2999", name="year"),
    )


class RecordFileDocument(db.Model):
    """A document filed in a records file, in its place (a document is in one records file at most)."""

    __tablename__ = "record_file_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_file_id: Mapped[int] = mapped_column(sa.ForeignKey("record_files.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), unique=True)
    position: Mapped[int]
    filed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)

    record_file: Mapped[RecordFile] = relationship(back_populates="entries")
    document: Mapped[Document] = relationship()


class ArchiveImport(OrgScoped, db.Model):
    """One row of a manifest imported in bulk: its key (what identifies the past document) and the document made
    of it, so that importing the same manifest again makes nothing twice."""

    __tablename__ = "archive_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_key: Mapped[str] = mapped_column(sa.String(64))  # sha256 of the row's identifying fields, folded
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), unique=True)
    source: Mapped[str] = mapped_column(sa.String(500))  # the manifest's name and the row's line
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("organisation_id", "row_key"),)
