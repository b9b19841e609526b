from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Organisation, User
from ..extensions import db, utcnow
from ..scoping import OrgScoped
from ..storage.models import Blob


class Register(db.Model):
    """A register (sổ văn bản): per organisation, direction and year, with secret documents in their own series.

    Decree 30, art. 15 and 22: numbers start at 1 on 1 January and follow each other without gaps.
    `last_number` is only ever moved by one atomic UPDATE inside the registering transaction.
    """

    __tablename__ = "registers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    direction: Mapped[str] = mapped_column(sa.String(10))
    year: Mapped[int]
    secret: Mapped[bool] = mapped_column(default=False)
    last_number: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "direction", "year", "secret"),
        sa.CheckConstraint("direction IN ('incoming', 'outgoing')", name="direction"),
        sa.CheckConstraint("last_number >= 0", name="last_number"),
    )


class Document(OrgScoped, db.Model):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(20))
    document_type: Mapped[str] = mapped_column(sa.String(10))
    number: Mapped[str | None] = mapped_column(sa.String(20))
    notation: Mapped[str | None] = mapped_column(sa.String(100))
    issuer: Mapped[str | None] = mapped_column(sa.String(300))
    issuer_code: Mapped[str | None] = mapped_column(sa.String(32))
    place: Mapped[str | None] = mapped_column(sa.String(120))
    issued_on: Mapped[date | None]
    subject: Mapped[str] = mapped_column(sa.Text)
    signer_name: Mapped[str | None] = mapped_column(sa.String(200))
    signer_position: Mapped[str | None] = mapped_column(sa.String(200))
    recipients: Mapped[str | None] = mapped_column(sa.Text)
    urgency: Mapped[str] = mapped_column(sa.String(20), default="normal")
    secrecy: Mapped[str] = mapped_column(sa.String(20), default="normal")
    page_count: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # Incoming only: the register entry.
    register_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registers.id"))
    register_number: Mapped[int | None]
    received_on: Mapped[date | None]
    due_on: Mapped[date | None]
    channel: Mapped[str | None] = mapped_column(sa.String(20))
    # Derived, for matching: the duplicate key and the folded text that `q` searches.
    duplicate_key: Mapped[str | None] = mapped_column(sa.String(500), index=True)
    issuer_folded: Mapped[str] = mapped_column(sa.String(300), default="")
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User] = relationship()
    register: Mapped[Register | None] = relationship()
    files: Mapped[list[DocumentFile]] = relationship(
        back_populates="document",
        order_by=lambda: [DocumentFile.role.desc(), DocumentFile.version, DocumentFile.id],
        lazy="selectin",
    )

    __table_args__ = (
        sa.UniqueConstraint("register_id", "register_number"),
        sa.CheckConstraint("direction IN ('incoming', 'outgoing')", name="direction"),
        sa.CheckConstraint("urgency IN ('normal', 'urgent', 'very_urgent', 'express')", name="urgency"),
        sa.CheckConstraint("secrecy IN ('normal', 'confidential', 'secret', 'top_secret')", name="secrecy"),
        sa.CheckConstraint("(register_id IS NULL) = (register_number IS NULL)", name="register_entry"),
        sa.Index("ix_documents_org_direction_created", "organisation_id", "direction", "created_at"),
        # The few documents not every member may read: what the task lists and the dashboard leave out.
        sa.Index(
            "ix_documents_org_secret",
            "organisation_id",
            postgresql_where=sa.text("secrecy <> 'normal'"),
            sqlite_where=sa.text("secrecy <> 'normal'"),
        ),
    )

    @property
    def is_secret(self) -> bool:
        return self.secrecy != "normal"

    @property
    def main_file(self) -> DocumentFile | None:
        mains = [f for f in self.files if f.role == "main"]
        return max(mains, key=lambda f: f.version) if mains else None

    @property
    def attachments(self) -> list[DocumentFile]:
        """The current version of each attachment."""
        replaced = {f.supersedes_id for f in self.files if f.supersedes_id}
        return [f for f in self.files if f.role == "attachment" and f.id not in replaced]

    @property
    def register_year(self) -> int | None:
        return self.register.year if self.register else None


class DocumentFile(db.Model):
    """One file of a document: the main PDF (each new version a new row) or an attachment."""

    __tablename__ = "document_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    version: Mapped[int] = mapped_column(default=1)
    blob_sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(200))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The version this one replaces (a signed attachment replaces its unsigned original, which is kept).
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("document_files.id"))

    document: Mapped[Document] = relationship(back_populates="files")
    blob: Mapped[Blob] = relationship()

    __table_args__ = (
        sa.CheckConstraint("role IN ('main', 'attachment')", name="role"),
        sa.CheckConstraint("version >= 1", name="version"),
    )

    @property
    def sha256(self) -> str:
        return self.blob_sha256


class DocumentChange(db.Model):
    """One metadata edit: for each changed field, the value before and after."""

    __tablename__ = "document_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    changed_by: Mapped[User] = relationship()


class DocumentGrant(db.Model):
    """Access to a secret document, given to one user."""

    __tablename__ = "document_grants"

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
