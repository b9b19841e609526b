"""Tasks: the assignments of documents, their coordinators and informed people, their events and progress
files, the admin's default deadlines per urgency; and the head of each unit.

Nothing is seeded: while `task_deadline_rules` has no row for an urgency, the default in app/tasks/service.py
applies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_deadline_rules",
        sa.Column("urgency", sa.String(length=20), nullable=False),
        sa.Column("working_days", sa.SmallInteger(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "urgency IN ('normal', 'urgent', 'very_urgent', 'express')", name=op.f("ck_task_deadline_rules_urgency")
        ),
        sa.CheckConstraint("working_days BETWEEN 1 AND 365", name=op.f("ck_task_deadline_rules_working_days")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_task_deadline_rules_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("urgency", name=op.f("pk_task_deadline_rules")),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=False),
        sa.Column("lead_user_id", sa.Integer(), nullable=True),
        sa.Column("lead_unit_id", sa.Integer(), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("instructions", sa.Text(), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_basis", sa.String(length=20), nullable=False),
        sa.Column("requested_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress", sa.SmallInteger(), nullable=False),
        sa.Column("reply_document_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "deadline_basis IN ('given', 'working_days', 'due_on', 'urgency_rule', 'extension')",
            name=op.f("ck_tasks_deadline_basis"),
        ),
        sa.CheckConstraint(
            "state IN ('new', 'in_progress', 'extension_requested', 'completed', 'returned', 'reopened', 'cancelled')",
            name=op.f("ck_tasks_state"),
        ),
        sa.CheckConstraint("(lead_user_id IS NULL) <> (lead_unit_id IS NULL)", name=op.f("ck_tasks_one_lead")),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name=op.f("ck_tasks_progress")),
        sa.ForeignKeyConstraint(["accepted_by_id"], ["users.id"], name=op.f("fk_tasks_accepted_by_id_users")),
        sa.ForeignKeyConstraint(["assigned_by_id"], ["users.id"], name=op.f("fk_tasks_assigned_by_id_users")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_tasks_document_id_documents")),
        sa.ForeignKeyConstraint(["lead_unit_id"], ["units.id"], name=op.f("fk_tasks_lead_unit_id_units")),
        sa.ForeignKeyConstraint(["lead_user_id"], ["users.id"], name=op.f("fk_tasks_lead_user_id_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_tasks_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["reply_document_id"], ["documents.id"], name=op.f("fk_tasks_reply_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tasks_assigned_by_id"), ["assigned_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_lead_unit_id"), ["lead_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_lead_user_id"), ["lead_user_id"], unique=False)
        batch_op.create_index("ix_tasks_org_state_deadline", ["organisation_id", "state", "deadline"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "task_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('assign', 'accept', 'progress', 'request_extension', 'grant_extension', 'refuse_extension', 'transfer', 'complete', 'return', 'reopen', 'cancel', 'contribute', 'mark_read')",
            name=op.f("ck_task_events_action"),
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_task_events_actor_id_users")),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_events_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_events")),
    )
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_events_task_id"), ["task_id"], unique=False)

    op.create_table(
        "task_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('coordinator', 'informed')", name=op.f("ck_task_participants_role")),
        sa.CheckConstraint("(user_id IS NULL) <> (unit_id IS NULL)", name=op.f("ck_task_participants_one_target")),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_participants_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_task_participants_unit_id_units")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_task_participants_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_participants")),
        sa.UniqueConstraint("task_id", "role", "unit_id", name=op.f("uq_task_participants_task_id_role_unit_id")),
        sa.UniqueConstraint("task_id", "role", "user_id", name=op.f("uq_task_participants_task_id_role_user_id")),
    )
    with op.batch_alter_table("task_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_participants_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_participants_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_participants_user_id"), ["user_id"], unique=False)

    op.create_table(
        "task_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["blob_sha256"], ["blobs.sha256"], name=op.f("fk_task_files_blob_sha256_blobs")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_task_files_created_by_id_users")),
        sa.ForeignKeyConstraint(["event_id"], ["task_events.id"], name=op.f("fk_task_files_event_id_task_events")),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_files_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_files")),
    )
    with op.batch_alter_table("task_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_files_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_files_task_id"), ["task_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        # Batch mode would rebuild `units`, dropping a table that users.unit_id points at, which SQLite refuses
        # once there are users. A nullable column with its key can be added in place.
        op.execute(
            "ALTER TABLE units ADD COLUMN head_user_id INTEGER "
            "CONSTRAINT fk_units_head_user_id_users REFERENCES users (id)"
        )
    else:
        op.add_column("units", sa.Column("head_user_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_units_head_user_id_users", "units", "users", ["head_user_id"], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE units DROP COLUMN head_user_id")  # SQLite 3.35 and later
    else:
        op.drop_constraint("fk_units_head_user_id_users", "units", type_="foreignkey")
        op.drop_column("units", "head_user_id")

    with op.batch_alter_table("task_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_files_task_id"))
        batch_op.drop_index(batch_op.f("ix_task_files_event_id"))

    op.drop_table("task_files")
    with op.batch_alter_table("task_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_participants_user_id"))
        batch_op.drop_index(batch_op.f("ix_task_participants_unit_id"))
        batch_op.drop_index(batch_op.f("ix_task_participants_task_id"))

    op.drop_table("task_participants")
    with op.batch_alter_table("task_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_events_task_id"))

    op.drop_table("task_events")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_organisation_id"))
        batch_op.drop_index("ix_tasks_org_state_deadline")
        batch_op.drop_index(batch_op.f("ix_tasks_lead_user_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_lead_unit_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_document_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_assigned_by_id"))

    op.drop_table("tasks")
    op.drop_table("task_deadline_rules")
