from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class AuditAction(enum.StrEnum):
    """The closed list of what is recorded. Shaped `object:verb` or `object:part:verb`."""

    LOGIN_SUCCEEDED = "auth:login:succeeded"
    LOGIN_FAILED = "auth:login:failed"
    LOGIN_LOCKED = "auth:login:locked"
    LOGOUT = "auth:logout"
    TOKEN_CREATED = "auth:token:created"
    TOKEN_REVOKED = "auth:token:revoked"
    ORGANISATION_CREATED = "organisation:created"
    ORGANISATION_UPDATED = "organisation:updated"
    UNIT_CREATED = "unit:created"
    UNIT_UPDATED = "unit:updated"
    USER_CREATED = "user:created"
    USER_UPDATED = "user:updated"
    DOCUMENT_CREATED = "document:created"
    DOCUMENT_VIEWED = "document:viewed"
    DOCUMENT_UPDATED = "document:updated"
    DOCUMENT_FILE_ADDED = "document:file:added"
    DOCUMENT_FILE_DOWNLOADED = "document:file:downloaded"
    DOCUMENT_PRINTED = "document:printed"
    REGISTER_EXPORTED = "register:exported"
    DOCUMENT_ACCESS_GRANTED = "document:access:granted"
    DOCUMENT_ACCESS_REVOKED = "document:access:revoked"
    DOCUMENT_SIGNED = "document:signed"
    DOCUMENT_ISSUED = "document:issued"
    DOCUMENT_SIGNATURES_CHECKED = "document:signatures:checked"
    PKI_AUTHORITY_CREATED = "pki:authority:created"
    PKI_CERTIFICATE_ISSUED = "pki:certificate:issued"
    PKI_CERTIFICATE_REVOKED = "pki:certificate:revoked"
    PKI_CREDENTIAL_IMPORTED = "pki:credential:imported"
    PKI_TRUST_ROOT_ADDED = "pki:trust_root:added"
    SIGNATURE_IMAGE_SET = "user:signature_image:set"
    ORGANISATION_SEAL_SET = "organisation:seal:set"
    ORGANISATION_SIGNING_LEVEL_SET = "organisation:signing_level:set"
    DOCUMENT_SENT = "document:sent"
    DOCUMENT_RESENT = "document:resent"
    DOCUMENT_CHANGE_REQUESTED = "document:change:requested"
    DISPATCH_STATUS = "dispatch:status"
    DISPATCH_FAILED = "dispatch:failed"
    ARRIVAL_RECEIVED = "arrival:received"
    ARRIVAL_ACCEPTED = "arrival:accepted"
    ARRIVAL_RETURNED = "arrival:returned"
    ARRIVAL_CHANGE_AGREED = "arrival:change:agreed"
    ARRIVAL_CHANGE_REFUSED = "arrival:change:refused"
    EXCHANGE_REJECTED = "exchange:rejected"
    EXCHANGE_STATUS_UNDELIVERED = "exchange:status:undelivered"
    PEER_ADDED = "peer:added"
    PEER_UPDATED = "peer:updated"
    CALENDAR_DAY_SET = "calendar:day:set"
    CALENDAR_DAY_CLEARED = "calendar:day:cleared"
    CALENDAR_HOURS_SET = "calendar:hours:set"
    UNIT_HEAD_SET = "unit:head:set"
    TASK_ASSIGNED = "task:assigned"
    TASK_ACCEPTED = "task:accepted"
    TASK_PROGRESS_REPORTED = "task:progress:reported"
    TASK_EXTENSION_REQUESTED = "task:extension:requested"
    TASK_EXTENSION_GRANTED = "task:extension:granted"
    TASK_EXTENSION_REFUSED = "task:extension:refused"
    TASK_TRANSFERRED = "task:transferred"
    TASK_COMPLETED = "task:completed"
    TASK_RETURNED = "task:returned"
    TASK_REOPENED = "task:reopened"
    TASK_CANCELLED = "task:cancelled"
    TASK_CONTRIBUTED = "task:contribution:added"
    TASK_READ = "task:read"
    TASK_FILE_DOWNLOADED = "task:file:downloaded"
    TASK_RULES_SET = "task:rules:set"
    RECORD_FILE_CREATED = "record_file:created"
    RECORD_FILE_UPDATED = "record_file:updated"
    RECORD_FILE_CLOSED = "record_file:closed"
    RECORD_FILE_DOCUMENT_FILED = "record_file:document:filed"
    RECORD_FILE_DOCUMENT_REMOVED = "record_file:document:removed"
    RECORD_FILE_DOCUMENT_MOVED = "record_file:document:moved"
    RECORD_FILE_TRANSFERRED = "record_file:transferred"
    RECORD_FILE_EXPORTED = "record_file:exported"
    PROCEDURE_SAVED = "onestop:procedure:saved"
    DOSSIER_RECEIVED = "onestop:dossier:received"
    DOSSIER_MOVED = "onestop:dossier:moved"
    DOSSIER_APOLOGY_ISSUED = "onestop:dossier:apology:issued"
    DOSSIER_FEE_PAID = "onestop:dossier:fee:paid"
    DOSSIER_REISSUED = "onestop:dossier:reissued"
    DOSSIER_RESULT_DRAFTED = "onestop:dossier:result:drafted"
    DOSSIER_PAPER_DOWNLOADED = "onestop:dossier:paper:downloaded"
    DOSSIER_FILE_DOWNLOADED = "onestop:dossier:file:downloaded"


class AuditChainHead(db.Model):
    """One row: the last sequence number and hash. Writers lock it, which keeps the chain linear."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64))


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),)
