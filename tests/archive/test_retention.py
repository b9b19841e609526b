"""Retention and transfer (Decree 30/2020; the Law on Archives): when a file's retention runs out,
when it is due at the agency's archive; the review list (nothing is deleted) and the transfer list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.archive.models import RecordFile, RecordFileDocument
from app.archive.retention import expires_on, transfer_due_on
from app.clock import local_today
from app.documents.models import Document
from tests.archive.records import (  # noqa: F401 - fixtures
    ARCHIVIST,
    LEADER,
    close,
    closed_due_in,
    count,
    file_document,
    incoming_fixture,
    new_file_fixture,
)


@pytest.mark.parametrize(
    ("year", "closed_on", "retention", "expected"),
    [
        (2020, date(2021, 3, 1), 10, date(2032, 1, 1)),  # from 1 January after the year the work ended
        (2020, None, 10, date(2031, 1, 1)),  # still open: the file's own year
        (2020, date(2020, 12, 31), 5, date(2026, 1, 1)),
        (2026, date(2026, 1, 1), 70, date(2097, 1, 1)),
        (2020, date(2021, 3, 1), None, None),  # permanent never runs out
    ],
)
def test_retention_counts_from_the_first_of_january_after_the_work_ended(year, closed_on, retention, expected) -> None:  # type: ignore[no-untyped-def]
    assert expires_on(RecordFile(year=year, closed_on=closed_on, retention_years=retention)) == expected


@pytest.mark.parametrize(
    ("year", "closed_on", "expected"),
    [
        (2026, date(2026, 5, 20), date(2027, 5, 20)),
        (2024, date(2024, 2, 29), date(2025, 2, 28)),
        (2025, None, date(2026, 12, 31)),  # open: a year after the end of its year
    ],
)
def test_a_file_is_due_at_the_agency_archive_a_year_after_its_work_ended(year, closed_on, expected) -> None:  # type: ignore[no-untyped-def]
    assert transfer_due_on(RecordFile(year=year, closed_on=closed_on)) == expected


def test_files_past_their_retention_are_listed_for_review_and_nothing_is_deleted(app, api, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    today = local_today()
    expired = new_file(year=2010, code="03.TH", retention_years=5)
    docs = [incoming(), incoming()]
    for doc in docs:
        assert file_document(api, expired["id"], doc["id"]).status_code == 201
    assert close(api, expired["id"], date(2010, 12, 20)).status_code == 200
    new_file(year=2010, code="04.TH", retention_years=None)  # permanent
    new_file(year=today.year, code="05.TH", retention_years=5)  # years to go
    open_but_old = new_file(year=2001, code="06.TH", retention_years=20)  # never closed: counts from its year
    # Closed in a later year than its own: runs out on the next 1 January, not yet.
    not_yet = new_file(year=today.year - 6, code="07.TH", retention_years=5)
    assert close(api, not_yet["id"], date(today.year - 5, 6, 1)).get_json()["expires_on"] == f"{today.year + 1}-01-01"

    before = (count(app, Document), count(app, RecordFileDocument), count(app, RecordFile))
    for _ in range(2):  # looking at the list twice changes nothing
        response = api(LEADER).get("/api/v1/archive/review")
        assert response.status_code == 200
        body = response.get_json()
        assert [item["code"] for item in body["items"]] == ["03.TH", "06.TH"]
        assert body["total"] == 2
        first = body["items"][0]
        assert first["expires_on"] == "2016-01-01" and first["document_count"] == 2
        assert [d["document_id"] for d in first["documents"]] == [d["id"] for d in docs]
        assert body["items"][1]["id"] == open_but_old["id"] and body["items"][1]["expires_on"] == "2022-01-01"
    assert (count(app, Document), count(app, RecordFileDocument), count(app, RecordFile)) == before
    for doc in docs:
        assert api(ARCHIVIST).get(f"/api/v1/documents/{doc['id']}").status_code == 200
    page = api(ARCHIVIST).get("/api/v1/archive/review?per_page=1&page=2").get_json()
    assert [item["code"] for item in page["items"]] == ["06.TH"] and page["total"] == 2


def test_the_transfer_list_shows_files_due_within_thirty_days_and_late_ones(api, new_file) -> None:  # type: ignore[no-untyped-def]
    today = local_today()

    def closed_file(code: str, closed_on: date) -> dict:  # type: ignore[type-arg]
        f = new_file(year=closed_on.year, code=code)
        assert close(api, f["id"], closed_on).status_code == 200, code
        return f

    in_20 = closed_file("20.NG", closed_due_in(20))
    closed_file("40.NG", closed_due_in(40))
    late = closed_file("LATE", closed_due_in(-15))
    gone = closed_file("GONE", closed_due_in(-30))
    assert api(ARCHIVIST).post(f"/api/v1/archive/files/{gone['id']}/transfer", json={}).status_code == 200
    never_closed = new_file(year=today.year - 3, code="OPEN")  # due 31 December two years ago
    new_file(code="THIS")  # this year's: due at the end of next year

    response = api(LEADER).get("/api/v1/archive/transfers")
    assert response.status_code == 200
    body = response.get_json()
    assert [item["code"] for item in body["items"]] == ["OPEN", "LATE", "20.NG"]  # soonest first
    assert body["total"] == 3 and body["notice_days"] == 30
    by_code = {item["code"]: item for item in body["items"]}
    assert by_code["20.NG"]["transfer_due_on"] == (today + timedelta(days=20)).isoformat()
    assert by_code["20.NG"]["overdue"] is False and by_code["20.NG"]["id"] == in_20["id"]
    assert by_code["LATE"]["overdue"] is True and by_code["LATE"]["id"] == late["id"]
    assert by_code["OPEN"]["status"] == "open" and by_code["OPEN"]["id"] == never_closed["id"]
    assert by_code["OPEN"]["transfer_due_on"] == f"{today.year - 2}-12-31"
