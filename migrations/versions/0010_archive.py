"""Archive: records files (hồ sơ) per organisation and year with their retention, the documents filed in them,
and the rows of past dispatches imported in bulk.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("retention_years", sa.Integer(), nullable=True),
        sa.Column("keeper_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("transferred_on", sa.Date(), nullable=True),
        sa.Column("transferred_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "retention_years IS NULL OR retention_years IN (70, 50, 20, 10, 5)",
            name=op.f("ck_record_files_known_retention"),
        ),
        sa.CheckConstraint("year BETWEEN 1900 AND 2999", name=op.f("ck_record_files_year")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_record_files_created_by_id_users")),
        sa.ForeignKeyConstraint(["keeper_id"], ["users.id"], name=op.f("fk_record_files_keeper_id_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_record_files_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["transferred_by_id"], ["users.id"], name=op.f("fk_record_files_transferred_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_files")),
        sa.UniqueConstraint("organisation_id", "year", "code", name=op.f("uq_record_files_organisation_id_year_code")),
    )
    with op.batch_alter_table("record_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_files_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "archive_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_key", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_archive_imports_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_archive_imports_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_imports")),
        sa.UniqueConstraint("document_id", name=op.f("uq_archive_imports_document_id")),
        sa.UniqueConstraint("organisation_id", "row_key", name=op.f("uq_archive_imports_organisation_id_row_key")),
    )
    with op.batch_alter_table("archive_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_imports_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "record_file_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_file_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_record_file_documents_document_id_documents")
        ),
        sa.ForeignKeyConstraint(["filed_by_id"], ["users.id"], name=op.f("fk_record_file_documents_filed_by_id_users")),
        sa.ForeignKeyConstraint(
            ["record_file_id"],
            ["record_files.id"],
            name=op.f("fk_record_file_documents_record_file_id_record_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_file_documents")),
        sa.UniqueConstraint("document_id", name=op.f("uq_record_file_documents_document_id")),
    )
    with op.batch_alter_table("record_file_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_file_documents_record_file_id"), ["record_file_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_file_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_file_documents_record_file_id"))

    op.drop_table("record_file_documents")
    with op.batch_alter_table("archive_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_imports_organisation_id"))

    op.drop_table("archive_imports")
    with op.batch_alter_table("record_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_files_organisation_id"))

    op.drop_table("record_files")
