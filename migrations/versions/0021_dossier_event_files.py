"""Files that come with a dossier's move (the papers brought for a supplement, an appraisal, a decision).

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dossier_event_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"], ["blobs.sha256"], name=op.f("fk_dossier_event_files_blob_sha256_blobs")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["dossier_events.id"],
            name=op.f("fk_dossier_event_files_event_id_dossier_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_event_files")),
    )
    with op.batch_alter_table("dossier_event_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_event_files_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("dossier_event_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_event_files_event_id"))

    op.drop_table("dossier_event_files")
