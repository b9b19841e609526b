"""The one-stop desk's dossiers: dossiers, their papers and timeline, and the receipt sequence per desk and day.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "receipt_counters",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_receipt_counters_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("organisation_id", "day", name=op.f("pk_receipt_counters")),
    )
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("secret", sa.String(length=12), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("resolving_organisation_id", sa.Integer(), nullable=False),
        sa.Column("statutory_days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("fee_mode", sa.String(length=10), nullable=False),
        sa.Column("fee_amount", sa.Integer(), nullable=False),
        sa.Column("fee_paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("applicant_name", sa.String(length=200), nullable=False),
        sa.Column("applicant_id_number", sa.String(length=20), nullable=True),
        sa.Column("applicant_phone", sa.String(length=20), nullable=True),
        sa.Column("applicant_email", sa.String(length=254), nullable=True),
        sa.Column("applicant_address", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("reason_code", sa.String(length=20), nullable=True),
        sa.Column("reason_text", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counting_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("appointment_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("calendar_version", sa.String(length=64), nullable=True),
        sa.Column("received_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("channel IN ('direct', 'online', 'post')", name=op.f("ck_dossiers_known_channel")),
        sa.CheckConstraint(
            "fee_mode IN ('paid', 'on_result', 'online', 'exempt', 'none')", name=op.f("ck_dossiers_known_fee_mode")
        ),
        sa.CheckConstraint(
            "status IN ('received', 'incomplete', 'refused', 'transferred', 'in_process', 'awaiting_approval', 'supplement_requested', 'suspended', 'withdrawn', 'result_ready', 'returned')",
            name=op.f("ck_dossiers_known_status"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('incomplete', 'refused') OR reason_code IS NOT NULL", name=op.f("ck_dossiers_has_reason")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_dossiers_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["procedure_id"], ["procedures.id"], name=op.f("fk_dossiers_procedure_id_procedures")),
        sa.ForeignKeyConstraint(["received_by_id"], ["users.id"], name=op.f("fk_dossiers_received_by_id_users")),
        sa.ForeignKeyConstraint(
            ["resolving_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_dossiers_resolving_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint("code", name=op.f("uq_dossiers_code")),
    )
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index("ix_dossiers_org_received", ["organisation_id", "received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_dossiers_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dossiers_procedure_id"), ["procedure_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dossiers_resolving_organisation_id"), ["resolving_organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dossiers_status"), ["status"], unique=False)

    op.create_table(
        "dossier_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("public_message", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_dossier_events_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_events_dossier_id_dossiers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_events")),
    )
    with op.batch_alter_table("dossier_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_events_dossier_id"), ["dossier_id"], unique=False)

    op.create_table(
        "dossier_papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["blob_sha256"], ["blobs.sha256"], name=op.f("fk_dossier_papers_blob_sha256_blobs")),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_papers_dossier_id_dossiers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_papers")),
    )
    with op.batch_alter_table("dossier_papers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_papers_dossier_id"), ["dossier_id"], unique=False)


def downgrade():
    with op.batch_alter_table("dossier_papers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_papers_dossier_id"))

    op.drop_table("dossier_papers")
    with op.batch_alter_table("dossier_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_events_dossier_id"))

    op.drop_table("dossier_events")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossiers_status"))
        batch_op.drop_index(batch_op.f("ix_dossiers_resolving_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_dossiers_procedure_id"))
        batch_op.drop_index(batch_op.f("ix_dossiers_organisation_id"))
        batch_op.drop_index("ix_dossiers_org_received")

    op.drop_table("dossiers")
    op.drop_table("receipt_counters")
