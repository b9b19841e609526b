from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db, utcnow


class Blob(db.Model):
    """One immutable object in the store, named by the SHA-256 of its bytes.

    Every row that points at stored bytes points here, so this table is the whole set the
    database references: `flask storage verify` walks it and `flask storage gc` keeps it.
    """

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    content_type: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
        sa.CheckConstraint("size >= 0", name="size_not_negative"),
    )
