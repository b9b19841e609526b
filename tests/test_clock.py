"""The services' clock: now, or the moment `as_of` sets for the work done inside it (the demo's history)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.extensions import as_of, utcnow


def test_as_of_sets_the_moment_inside_only_and_in_utc() -> None:
    moment = datetime(2026, 10, 12, 9, 25, tzinfo=timezone(timedelta(hours=7)))
    with as_of(moment):
        assert utcnow() == moment and utcnow().tzinfo == UTC
        with as_of(moment + timedelta(days=1)):
            assert utcnow() == moment + timedelta(days=1)
        assert utcnow() == moment
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(seconds=5)


def test_as_of_takes_only_a_moment_with_its_zone() -> None:
    with pytest.raises(ValueError, match="time-zone aware"), as_of(datetime(2026, 10, 12, 9, 25)):
        pass
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(seconds=5)
