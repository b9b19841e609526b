"""Times are stored in UTC and shown in Vietnam's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from .extensions import utcnow

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_now() -> datetime:
    return utcnow().astimezone(LOCAL_TZ)


def local_today() -> date:
    return local_now().date()


def to_local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(LOCAL_TZ) if moment is not None else None
