"""Office hours of an organisation of its own (a one-stop desk open on Saturday mornings).

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("office_hours", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_office_hours_weekday_opens"), type_="unique")
        batch_op.create_index(batch_op.f("ix_office_hours_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_office_hours_organisation_id_weekday_opens"), ["organisation_id", "weekday", "opens"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_office_hours_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    op.execute("DELETE FROM office_hours WHERE organisation_id IS NOT NULL")  # the deployment's hours stay
    with op.batch_alter_table("office_hours", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_office_hours_organisation_id_organisations"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_office_hours_organisation_id_weekday_opens"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_office_hours_organisation_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_office_hours_weekday_opens"), ["weekday", "opens"])
        batch_op.drop_column("organisation_id")
