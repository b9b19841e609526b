"""Foundation: organisations, units, users and tokens; documents, files, registers; blobs; the audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_blobs_sha256_length")),
        sa.CheckConstraint("size >= 0", name=op.f("ck_blobs_size_not_negative")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("abbreviation", sa.String(length=40), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=120), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisations.id"],
            name=op.f("fk_organisations_parent_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("code", name=op.f("uq_organisations_code")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisations_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "registers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("direction IN ('incoming', 'outgoing')", name=op.f("ck_registers_direction")),
        sa.CheckConstraint("last_number >= 0", name=op.f("ck_registers_last_number")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_registers_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registers")),
        sa.UniqueConstraint(
            "organisation_id",
            "direction",
            "year",
            "secret",
            name=op.f("uq_registers_organisation_id_direction_year_secret"),
        ),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_units_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["units.id"], name=op.f("fk_units_parent_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("organisation_id", "name", name=op.f("uq_units_organisation_id_name")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_units_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("failed_window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_users_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_users_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_api_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("object_type", sa.String(length=40), nullable=True),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_audit_events_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index("ix_audit_events_object", ["object_type", "object_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("document_type", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("notation", sa.String(length=100), nullable=True),
        sa.Column("issuer", sa.String(length=300), nullable=True),
        sa.Column("issuer_code", sa.String(length=32), nullable=True),
        sa.Column("place", sa.String(length=120), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=True),
        sa.Column("signer_position", sa.String(length=200), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=True),
        sa.Column("urgency", sa.String(length=20), nullable=False),
        sa.Column("secrecy", sa.String(length=20), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("register_id", sa.Integer(), nullable=True),
        sa.Column("register_number", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("duplicate_key", sa.String(length=500), nullable=True),
        sa.Column("issuer_folded", sa.String(length=300), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("direction IN ('incoming', 'outgoing')", name=op.f("ck_documents_direction")),
        sa.CheckConstraint(
            "secrecy IN ('normal', 'confidential', 'secret', 'top_secret')",
            name=op.f("ck_documents_secrecy"),
        ),
        sa.CheckConstraint(
            "urgency IN ('normal', 'urgent', 'very_urgent', 'express')",
            name=op.f("ck_documents_urgency"),
        ),
        sa.CheckConstraint(
            "(register_id IS NULL) = (register_number IS NULL)",
            name=op.f("ck_documents_register_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_documents_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_documents_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["register_id"],
            ["registers.id"],
            name=op.f("fk_documents_register_id_registers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint(
            "register_id",
            "register_number",
            name=op.f("uq_documents_register_id_register_number"),
        ),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_duplicate_key"), ["duplicate_key"], unique=False)
        batch_op.create_index(
            "ix_documents_org_direction_created",
            ["organisation_id", "direction", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_documents_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "role IN ('clerk', 'specialist', 'leader', 'archivist', 'admin')",
            name=op.f("ck_user_roles_known_role"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_roles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )
    op.create_table(
        "document_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_document_changes_changed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_changes_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_changes")),
    )
    with op.batch_alter_table("document_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_changes_document_id"), ["document_id"], unique=False)

    op.create_table(
        "document_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('main', 'attachment')", name=op.f("ck_document_files_role")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_document_files_version")),
        sa.ForeignKeyConstraint(
            ["blob_sha256"],
            ["blobs.sha256"],
            name=op.f("fk_document_files_blob_sha256_blobs"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_document_files_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_files_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_files")),
    )
    with op.batch_alter_table("document_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_files_document_id"), ["document_id"], unique=False)

    op.create_table(
        "document_grants",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_grants_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"],
            ["users.id"],
            name=op.f("fk_document_grants_granted_by_id_users"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_document_grants_user_id_users")),
        sa.PrimaryKeyConstraint("document_id", "user_id", name=op.f("pk_document_grants")),
    )


def downgrade() -> None:
    op.drop_table("document_grants")
    with op.batch_alter_table("document_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_files_document_id"))

    op.drop_table("document_files")
    with op.batch_alter_table("document_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_changes_document_id"))

    op.drop_table("document_changes")
    op.drop_table("user_roles")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_organisation_id"))
        batch_op.drop_index("ix_documents_org_direction_created")
        batch_op.drop_index(batch_op.f("ix_documents_duplicate_key"))
        batch_op.drop_index(batch_op.f("ix_documents_created_at"))

    op.drop_table("documents")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_organisation_id"))
        batch_op.drop_index("ix_audit_events_object")
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_organisation_id"))

    op.drop_table("users")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_organisation_id"))

    op.drop_table("units")
    op.drop_table("registers")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_parent_id"))

    op.drop_table("organisations")
    op.drop_table("blobs")
    op.drop_table("audit_chain_head")
