"""The applicant's name folded (lower-case, no diacritics) for the staff's search of dossiers; filled for the
dossiers already there.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-26
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _folded(name: str | None) -> str:
    """As the application folds names at intake (app.text.fold), frozen here with this migration."""
    text = unicodedata.normalize("NFD", (name or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", text.casefold()).strip()[:200]


def upgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("applicant_folded", sa.String(length=200), server_default=sa.text("''"), nullable=False)
        )
    dossiers = sa.table(
        "dossiers", sa.column("id", sa.Integer), sa.column("applicant_name"), sa.column("applicant_folded")
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(dossiers.c.id, dossiers.c.applicant_name)).all()
    for start in range(0, len(rows), 1000):
        conn.execute(
            sa.update(dossiers).where(dossiers.c.id == sa.bindparam("dossier_id")),
            [{"dossier_id": r.id, "applicant_folded": _folded(r.applicant_name)} for r in rows[start : start + 1000]],
        )


def downgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("applicant_folded")
