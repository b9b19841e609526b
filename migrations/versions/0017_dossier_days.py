"""Dossiers' local days (received, appointment, resolved, stopped), which the statistics judge by.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("appointment_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("resolved_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("stopped_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_dossiers_received_on"), ["received_on"], unique=False)


def downgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossiers_received_on"))
        batch_op.drop_column("stopped_on")
        batch_op.drop_column("resolved_on")
        batch_op.drop_column("appointment_on")
        batch_op.drop_column("received_on")
