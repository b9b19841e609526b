"""Notices to applicants: each notice's attempt per channel, claimed before it is sent (at most once).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "applicant_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_applicant_notices_dossier_id_dossiers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_notices")),
        sa.UniqueConstraint("dossier_id", "key", "channel", name=op.f("uq_applicant_notices_dossier_id_key_channel")),
    )
    with op.batch_alter_table("applicant_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applicant_notices_dossier_id"), ["dossier_id"], unique=False)


def downgrade():
    with op.batch_alter_table("applicant_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applicant_notices_dossier_id"))

    op.drop_table("applicant_notices")
