"""Signing: the built-in CA and its time-stamp authority, certificates, credentials, trust roots, signing
profiles, signature images and reports; a file version says which version it supersedes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_profiles",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("seal_blob_sha256", sa.String(length=64), nullable=True),
        sa.CheckConstraint("level IN ('B-B', 'B-T', 'B-LT', 'B-LTA')", name=op.f("ck_signing_profiles_level")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_signing_profiles_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["seal_blob_sha256"], ["blobs.sha256"], name=op.f("fk_signing_profiles_seal_blob_sha256_blobs")
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_signing_profiles")),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_certificates_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_certificates_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("issuer", "serial", name=op.f("uq_certificates_issuer_serial")),
        sa.UniqueConstraint("sha256", name=op.f("uq_certificates_sha256")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_serial"), ["serial"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_user_id"), ["user_id"], unique=False)

    op.create_table(
        "signature_images",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["blob_sha256"], ["blobs.sha256"], name=op.f("fk_signature_images_blob_sha256_blobs")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_signature_images_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_signature_images")),
    )
    op.create_table(
        "trust_roots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], name=op.f("fk_trust_roots_added_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_roots")),
        sa.UniqueConstraint("sha256", name=op.f("uq_trust_roots_sha256")),
    )
    op.create_table(
        "certificate_authorities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("key_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crl_number", sa.BigInteger(), nullable=False),
        sa.Column("tsa_certificate_id", sa.Integer(), nullable=True),
        sa.Column("tsa_key_sealed", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["certificate_id"], ["certificates.id"], name=op.f("fk_certificate_authorities_certificate_id_certificates")
        ),
        sa.ForeignKeyConstraint(
            ["tsa_certificate_id"],
            ["certificates.id"],
            name=op.f("fk_certificate_authorities_tsa_certificate_id_certificates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_authorities")),
    )
    op.create_table(
        "credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("chain_pem", sa.Text(), nullable=False),
        sa.Column("key_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("pkcs11_module", sa.String(length=500), nullable=True),
        sa.Column("pkcs11_token_label", sa.String(length=100), nullable=True),
        sa.Column("pkcs11_key_label", sa.String(length=100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('builtin', 'pkcs12', 'pkcs11')", name=op.f("ck_credentials_kind")),
        sa.CheckConstraint("(user_id IS NULL) <> (organisation_id IS NULL)", name=op.f("ck_credentials_one_owner")),
        sa.ForeignKeyConstraint(
            ["certificate_id"], ["certificates.id"], name=op.f("fk_credentials_certificate_id_certificates")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_credentials_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_credentials_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
    )
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credentials_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_credentials_user_id"), ["user_id"], unique=False)

    op.create_table(
        "signature_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("signatures", sa.JSON(), nullable=False),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "verdict IN ('valid', 'untrusted', 'modified', 'invalid', 'unsigned')",
            name=op.f("ck_signature_reports_verdict"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_signature_reports_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["document_files.id"], name=op.f("fk_signature_reports_file_id_document_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature_reports")),
    )
    with op.batch_alter_table("signature_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signature_reports_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signature_reports_file_id"), ["file_id"], unique=False)

    with op.batch_alter_table("document_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_document_files_supersedes_id_document_files"), "document_files", ["supersedes_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("document_files", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_document_files_supersedes_id_document_files"), type_="foreignkey")
        batch_op.drop_column("supersedes_id")

    with op.batch_alter_table("signature_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signature_reports_file_id"))
        batch_op.drop_index(batch_op.f("ix_signature_reports_document_id"))

    op.drop_table("signature_reports")
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credentials_user_id"))
        batch_op.drop_index(batch_op.f("ix_credentials_organisation_id"))

    op.drop_table("credentials")
    op.drop_table("certificate_authorities")
    op.drop_table("trust_roots")
    op.drop_table("signature_images")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_user_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_serial"))
        batch_op.drop_index(batch_op.f("ix_certificates_organisation_id"))

    op.drop_table("certificates")
    op.drop_table("signing_profiles")
