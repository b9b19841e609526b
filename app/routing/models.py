"""Dispatches (the sender's side, one per recipient), arrivals (the recipient's incoming queue), peers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Organisation, User
from ..extensions import db, utcnow
from ..scoping import OrgScoped


class DispatchStatus(enum.StrEnum):
    """Where a sent document is, for one recipient, as its sender sees it."""

    SENT = "sent"  # waiting for delivery (to a peer: in the outbox)
    DELIVERED = "delivered"  # in the recipient's incoming queue (01)
    ACCEPTED = "accepted"  # registered by the recipient's clerk (03)
    RETURNED = "returned"  # refused by the recipient's clerk, with a reason (02)
    ASSIGNED = "assigned"  # (04)
    IN_PROGRESS = "in_progress"  # (05)
    COMPLETED = "completed"  # (06)
    RECALL_REQUESTED = "recall_requested"  # the sender asked to recall, update or replace (13)
    RECALLED = "recalled"  # the recipient agreed to a recall (15)
    REPLACED = "replaced"  # the recipient agreed to an update or replacement (15)
    CHANGE_REFUSED = "change_refused"  # the recipient refused the recall, update or replacement (16)
    FAILED = "failed"  # the delivery gave up after its attempts; the clerk may send again


class ArrivalStatus(enum.StrEnum):
    """Where an arrived document is in the recipient's incoming queue."""

    WAITING = "waiting"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    RECALLED = "recalled"  # the sender recalled it and the clerk agreed: kept, frozen, for the audit


class ChangeKind(enum.StrEnum):
    """The business kinds of the trace header: what a later message asks of an earlier one."""

    RECALL = "recall"
    UPDATE = "update"
    REPLACE = "replace"


class Peer(db.Model):
    """Another server that hosts organisations: where to post, and whose signature to accept."""

    __tablename__ = "peers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    base_url: Mapped[str] = mapped_column(sa.String(500))
    certificate_pem: Mapped[str] = mapped_column(sa.Text)
    fingerprint: Mapped[str] = mapped_column(sa.String(64), unique=True)  # SHA-256 of the certificate, hex
    # The organisations it hosts, as its identity last said: [{"code": ..., "name": ...}, ...]
    organisations: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    directory_fetched_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def hosts(self, code: str) -> bool:
        return any(o.get("code") == code for o in self.organisations or [])


class PeerOrganisation(db.Model):
    """One organisation a peer hosts: which peer to send to for a code (a code is hosted by one peer)."""

    __tablename__ = "peer_organisations"

    code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    peer_id: Mapped[int] = mapped_column(sa.ForeignKey("peers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(300))

    peer: Mapped[Peer] = relationship()


class ExchangeIdentity(db.Model):
    """This server's own key and certificate, which sign every envelope and status it sends (one row)."""

    __tablename__ = "exchange_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_pem: Mapped[str] = mapped_column(sa.Text)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    key_sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Dispatch(db.Model):
    """An issued document sent to one recipient: its status as the sender sees it."""

    __tablename__ = "dispatches"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    sender_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    recipient_code: Mapped[str] = mapped_column(sa.String(32))
    recipient_name: Mapped[str] = mapped_column(sa.String(300))
    recipient_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    peer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("peers.id"))
    message_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=DispatchStatus.SENT)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # The recipient's last status message applied: statuses may arrive twice or out of order.
    status_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # A recall, update or replacement asked of this recipient, while it waits for the answer.
    pending_change: Mapped[str | None] = mapped_column(sa.String(10))

    recipient_organisation: Mapped[Organisation | None] = relationship(foreign_keys=[recipient_organisation_id])
    peer: Mapped[Peer | None] = relationship()
    sent_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("document_id", "recipient_code"),
        sa.CheckConstraint("(recipient_organisation_id IS NULL) <> (peer_id IS NULL)", name="one_route"),
    )

    @property
    def remote(self) -> bool:
        return self.peer_id is not None


class DispatchEvent(db.Model):
    """Every status a dispatch went through, in the order they were applied (the per-recipient history)."""

    __tablename__ = "dispatch_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(sa.ForeignKey("dispatches.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    code: Mapped[str | None] = mapped_column(sa.String(2))  # the exchange's status code, when it came as one
    description: Mapped[str | None] = mapped_column(sa.Text)
    staff: Mapped[str | None] = mapped_column(sa.String(200))
    happened_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Arrival(OrgScoped, db.Model):
    """A document that arrived for an organisation of this server and waits for its clerk (or was decided).

    From this server (`dispatch_id`) or from a peer (`peer_id`); `message_id` is unique per organisation,
    so a message delivered twice arrives once.
    """

    __tablename__ = "arrivals"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(sa.String(64))
    dispatch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dispatches.id"))
    peer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("peers.id"))
    exchange_id: Mapped[str] = mapped_column(sa.String(300))  # OrganId,YYYY/MM/DD,number/notation
    sender_code: Mapped[str] = mapped_column(sa.String(32))
    sender_name: Mapped[str] = mapped_column(sa.String(300))
    # What the sender says of the document (type, number, notation, subject, signer, dates, urgency, pages ...).
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # Its files, already in the store: [{"role", "filename", "content_type", "sha256", "size"}, ...]
    files: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(20), default=ArrivalStatus.WAITING)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    verdict: Mapped[str | None] = mapped_column(sa.String(20))  # the signature check on arrival
    report: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id"))  # once accepted
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # A recall, update or replacement the sender asks for, waiting for the clerk's answer.
    pending_change: Mapped[str | None] = mapped_column(sa.String(10))
    pending_reason: Mapped[str | None] = mapped_column(sa.Text)
    pending_files: Mapped[list[dict[str, Any]] | None] = mapped_column(sa.JSON)
    pending_message_id: Mapped[str | None] = mapped_column(sa.String(64))

    peer: Mapped[Peer | None] = relationship()
    decided_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "message_id"),
        sa.Index("ix_arrivals_org_status", "organisation_id", "status"),
    )


class ReceivedMessage(db.Model):
    """Every message a peer posted and this server took, by its id: a replay gets the first answer again."""

    __tablename__ = "received_messages"

    peer_id: Mapped[int] = mapped_column(sa.ForeignKey("peers.id"), primary_key=True)
    message_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # envelope, status
    answer: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
