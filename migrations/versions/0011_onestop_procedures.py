"""The one-stop desk: the procedures catalogue (procedures, their papers and steps) and the one-stop officer's
role.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "procedures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("resolving_organisation_id", sa.Integer(), nullable=False),
        sa.Column("channels", sa.String(length=40), nullable=False),
        sa.Column("statutory_days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("fees", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("statutory_days > 0", name=op.f("ck_procedures_positive_time")),
        sa.ForeignKeyConstraint(
            ["resolving_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_procedures_resolving_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedures")),
        sa.UniqueConstraint("code", name=op.f("uq_procedures_code")),
    )
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_procedures_resolving_organisation_id"), ["resolving_organisation_id"], unique=False
        )

    op.create_table(
        "procedure_papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "form IN ('original', 'certified_copy', 'copy')", name=op.f("ck_procedure_papers_known_form")
        ),
        sa.CheckConstraint("copies BETWEEN 1 AND 99", name=op.f("ck_procedure_papers_copies")),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_procedure_papers_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_papers")),
    )
    with op.batch_alter_table("procedure_papers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_procedure_papers_procedure_id"), ["procedure_id"], unique=False)

    op.create_table(
        "procedure_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.CheckConstraint("days > 0", name=op.f("ck_procedure_steps_positive_days")),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_procedure_steps_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_procedure_steps_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_steps")),
    )
    with op.batch_alter_table("procedure_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_procedure_steps_procedure_id"), ["procedure_id"], unique=False)

    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_user_roles_known_role"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_user_roles_known_role"),
            "role IN ('clerk', 'specialist', 'leader', 'archivist', 'onestop', 'admin')",
        )


def downgrade():
    op.execute("DELETE FROM user_roles WHERE role = 'onestop'")
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_user_roles_known_role"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_user_roles_known_role"), "role IN ('clerk', 'specialist', 'leader', 'archivist', 'admin')"
        )
    with op.batch_alter_table("procedure_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procedure_steps_procedure_id"))

    op.drop_table("procedure_steps")
    with op.batch_alter_table("procedure_papers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procedure_papers_procedure_id"))

    op.drop_table("procedure_papers")
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procedures_resolving_organisation_id"))

    op.drop_table("procedures")
