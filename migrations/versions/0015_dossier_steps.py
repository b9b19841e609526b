"""Dossiers' steps: the step a dossier is at and its deadline, and the apologies with a new appointment.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dossier_apologies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("drafted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("new_appointment_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_apologies_dossier_id_dossiers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["issued_by_id"], ["users.id"], name=op.f("fk_dossier_apologies_issued_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_apologies")),
    )
    with op.batch_alter_table("dossier_apologies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_apologies_dossier_id"), ["dossier_id"], unique=False)

    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step_index", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("step_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_dossiers_step_due_at"), ["step_due_at"], unique=False)


def downgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossiers_step_due_at"))
        batch_op.drop_column("step_due_at")
        batch_op.drop_column("step_index")

    with op.batch_alter_table("dossier_apologies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_apologies_dossier_id"))

    op.drop_table("dossier_apologies")
