"""Routing: peers and this server's exchange identity, dispatches and their events, arrivals, the messages
taken from peers, and the outbox.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("key_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_identity")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["state", "next_attempt_at"], unique=False)

    op.create_table(
        "peers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("organisations", sa.JSON(), nullable=False),
        sa.Column("directory_fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_ok_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peers")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_peers_fingerprint")),
        sa.UniqueConstraint("name", name=op.f("uq_peers_name")),
    )
    op.create_table(
        "peer_organisations",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_id"], ["peers.id"], name=op.f("fk_peer_organisations_peer_id_peers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_peer_organisations")),
    )
    with op.batch_alter_table("peer_organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_peer_organisations_peer_id"), ["peer_id"], unique=False)

    op.create_table(
        "received_messages",
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["peer_id"], ["peers.id"], name=op.f("fk_received_messages_peer_id_peers")),
        sa.PrimaryKeyConstraint("peer_id", "message_id", name=op.f("pk_received_messages")),
    )
    op.create_table(
        "dispatches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sender_organisation_id", sa.Integer(), nullable=False),
        sa.Column("recipient_code", sa.String(length=32), nullable=False),
        sa.Column("recipient_name", sa.String(length=300), nullable=False),
        sa.Column("recipient_organisation_id", sa.Integer(), nullable=True),
        sa.Column("peer_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pending_change", sa.String(length=10), nullable=True),
        sa.CheckConstraint(
            "(recipient_organisation_id IS NULL) <> (peer_id IS NULL)", name=op.f("ck_dispatches_one_route")
        ),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_dispatches_document_id_documents")),
        sa.ForeignKeyConstraint(["peer_id"], ["peers.id"], name=op.f("fk_dispatches_peer_id_peers")),
        sa.ForeignKeyConstraint(
            ["recipient_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_dispatches_recipient_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["sender_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_dispatches_sender_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(["sent_by_id"], ["users.id"], name=op.f("fk_dispatches_sent_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatches")),
        sa.UniqueConstraint("document_id", "recipient_code", name=op.f("uq_dispatches_document_id_recipient_code")),
        sa.UniqueConstraint("message_id", name=op.f("uq_dispatches_message_id")),
    )
    with op.batch_alter_table("dispatches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispatches_document_id"), ["document_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dispatches_sender_organisation_id"), ["sender_organisation_id"], unique=False
        )

    op.create_table(
        "arrivals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("dispatch_id", sa.Integer(), nullable=True),
        sa.Column("peer_id", sa.Integer(), nullable=True),
        sa.Column("exchange_id", sa.String(length=300), nullable=False),
        sa.Column("sender_code", sa.String(length=32), nullable=False),
        sa.Column("sender_name", sa.String(length=300), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("verdict", sa.String(length=20), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("pending_change", sa.String(length=10), nullable=True),
        sa.Column("pending_reason", sa.Text(), nullable=True),
        sa.Column("pending_files", sa.JSON(), nullable=True),
        sa.Column("pending_message_id", sa.String(length=64), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_arrivals_decided_by_id_users")),
        sa.ForeignKeyConstraint(["dispatch_id"], ["dispatches.id"], name=op.f("fk_arrivals_dispatch_id_dispatches")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_arrivals_document_id_documents")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_arrivals_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["peer_id"], ["peers.id"], name=op.f("fk_arrivals_peer_id_peers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrivals")),
        sa.UniqueConstraint("organisation_id", "message_id", name=op.f("uq_arrivals_organisation_id_message_id")),
    )
    with op.batch_alter_table("arrivals", schema=None) as batch_op:
        batch_op.create_index("ix_arrivals_org_status", ["organisation_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_arrivals_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_arrivals_received_at"), ["received_at"], unique=False)

    op.create_table(
        "dispatch_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispatch_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=2), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("staff", sa.String(length=200), nullable=True),
        sa.Column("happened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispatch_id"], ["dispatches.id"], name=op.f("fk_dispatch_events_dispatch_id_dispatches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_events")),
    )
    with op.batch_alter_table("dispatch_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispatch_events_dispatch_id"), ["dispatch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dispatch_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_events_dispatch_id"))

    op.drop_table("dispatch_events")
    with op.batch_alter_table("arrivals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_arrivals_received_at"))
        batch_op.drop_index(batch_op.f("ix_arrivals_organisation_id"))
        batch_op.drop_index("ix_arrivals_org_status")

    op.drop_table("arrivals")
    with op.batch_alter_table("dispatches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatches_sender_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_dispatches_document_id"))

    op.drop_table("dispatches")
    op.drop_table("received_messages")
    with op.batch_alter_table("peer_organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_peer_organisations_peer_id"))

    op.drop_table("peer_organisations")
    op.drop_table("peers")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("outbox")
    op.drop_table("exchange_identity")
