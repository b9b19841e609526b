"""Indexes of the tasks dashboard: the tasks of an organisation by when they were assigned, and the documents
of an organisation that are not of normal secrecy (left out of the figures for whoever may not read them).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NOT_NORMAL = sa.text("secrecy <> 'normal'")


def upgrade() -> None:
    op.create_index("ix_tasks_org_assigned_at", "tasks", ["organisation_id", "assigned_at"])
    op.create_index(
        "ix_documents_org_secret",
        "documents",
        ["organisation_id"],
        postgresql_where=NOT_NORMAL,
        sqlite_where=NOT_NORMAL,
    )


def downgrade() -> None:
    op.drop_index("ix_documents_org_secret", table_name="documents")
    op.drop_index("ix_tasks_org_assigned_at", table_name="tasks")
