"""The text of each stored file, extracted once (files are stored by their content's hash, so a file attached
to several documents is read once), and why a file gave no text."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db, utcnow


class BlobText(db.Model):
    __tablename__ = "blob_texts"

    blob_sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"), primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    pages: Mapped[int] = mapped_column(default=0)
    text_pages: Mapped[int] = mapped_column(default=0)
    ocr_pages: Mapped[int] = mapped_column(default=0)
    skipped_pages: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)  # the file could not be read at all: why
    notes: Mapped[str] = mapped_column(sa.Text, default="")  # OCR not installed, a page that failed ...
    extracted_at: Mapped[datetime] = mapped_column(default=utcnow)
