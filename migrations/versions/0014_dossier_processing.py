"""Processing dossiers: the handler, the stopped clock and the time waited, when resolved and returned.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handler_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("clock_stopped_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("waited_seconds", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_dossiers_handler_id_users"), "users", ["handler_id"], ["id"])


def downgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_dossiers_handler_id_users"), type_="foreignkey")
        batch_op.drop_column("returned_at")
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("waited_seconds")
        batch_op.drop_column("clock_stopped_at")
        batch_op.drop_column("handler_id")
