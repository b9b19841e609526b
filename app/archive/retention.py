"""Retention and transfer of records files: when a file's retention runs out and when it is due at the agency's
archive, the list of files to review and the list of files to transfer.

Decree 30/2020 and the retention schedules: retention counts from 1 January of the year after the file's work
ended; a file is handed to the agency's archive within a year after that. Nothing here deletes anything: a file
whose retention has run out is listed for the review council, which decides outside this application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..clock import local_today
from ..extensions import db
from .models import RecordFile
from .service import FilePage, document_counts, paged, require_reader

# The transfer list warns this many days before a file is due at the agency's archive.
TRANSFER_NOTICE_DAYS = 30


def end_year(f: RecordFile) -> int:
    """The year the file's work ended: the year it was closed in, or its own year while it is open."""
    return f.closed_on.year if f.closed_on is not None else f.year


def expires_on(f: RecordFile) -> date | None:
    """When the retention runs out; None for a permanent file.

    Decree 30/2020 and the retention schedules: retention counts from 1 January of the year after the
    work ended, so a 10-year file closed in 2026 runs out on 1 January 2037.
    """
    if f.retention_years is None:
        return None
    return date(end_year(f) + 1 + f.retention_years, 1, 1)


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def transfer_due_on(f: RecordFile) -> date:
    """When the file is due at the agency's archive: within one year after its work ended (Decree 30/2020 and
    the Law on Archives): a year after it was closed, or a year after the end of its year while it is open."""
    return _one_year_after(f.closed_on or date(f.year, 12, 31))


# --- The lists ----------------------------------------------------------------------------------------------------


def review_list(actor: User, page: int | None = None, per_page: int | None = None) -> FilePage:
    """The records files whose retention has run out as of today, the longest expired first: listed for the
    review council (Decree 30/2020; the Law on Archives). Nothing is deleted: the files and their
    documents stay until a decision made outside this application."""
    require_reader(actor)
    today = local_today()
    ended = sa.func.coalesce(sa.cast(sa.extract("year", RecordFile.closed_on), sa.Integer), RecordFile.year)
    expiry_year = ended + 1 + RecordFile.retention_years
    stmt = (
        sa.select(RecordFile)
        .where(
            RecordFile.organisation_id == actor.organisation_id,
            RecordFile.retention_years.is_not(None),
            expiry_year <= today.year,
        )
        .order_by(expiry_year, RecordFile.year, RecordFile.code, RecordFile.id)
    )
    return paged(stmt, page, per_page, 50)


@dataclass(frozen=True)
class TransferDue:
    record_file: RecordFile
    due_on: date
    overdue: bool
    documents: int


def transfer_list(actor: User, page: int | None = None, per_page: int | None = None) -> tuple[list[TransferDue], int]:
    """The records files not yet transferred that are due at the agency's archive within TRANSFER_NOTICE_DAYS
    days, or already late; the soonest first. With the total before paging."""
    require_reader(actor)
    today = local_today()
    limit = today + timedelta(days=TRANSFER_NOTICE_DAYS)
    # Due a year after the work ended: the database leaves out what cannot be due yet (a file closed less than
    # a year before `limit`, less a day for 29 February; an open file of `limit`'s year), the date decides.
    candidates = db.session.scalars(
        sa.select(RecordFile)
        .options(selectinload(RecordFile.keeper))
        .where(
            RecordFile.organisation_id == actor.organisation_id,
            RecordFile.transferred_on.is_(None),
            sa.or_(
                RecordFile.closed_on <= limit - timedelta(days=364),
                sa.and_(RecordFile.closed_on.is_(None), RecordFile.year < limit.year),
            ),
        )
    )
    due = sorted(
        ((f, transfer_due_on(f)) for f in candidates if transfer_due_on(f) <= limit),
        key=lambda pair: (pair[1], pair[0].code, pair[0].id),
    )
    total = len(due)
    per_page = per_page or 50
    shown = due[((page or 1) - 1) * per_page :][:per_page]
    counts = document_counts([f.id for f, _ in shown])
    return [TransferDue(f, day, day < today, counts[f.id]) for f, day in shown], total
