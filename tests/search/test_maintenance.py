"""`flask search check` finds what the index misses or holds stale; `flask search reindex` rebuilds it."""

from __future__ import annotations

from app import worker
from tests.support import make_pdf


def test_check_and_reindex(app, api) -> None:  # type: ignore[no-untyped-def]
    ids = []
    for number, subject in (("1", "Kế hoạch cải cách hành chính"), ("2", "Báo cáo chuyển đổi số")):
        response = api("clerk_a").register(make_pdf(subject), subject=subject, number=number)
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    runner = app.test_cli_runner()
    before = runner.invoke(args=["search", "check"])
    assert before.exit_code == 1 and f"MISSING {ids[0]}" in before.output  # the worker has not run yet
    worker.run_until_idle(app)
    after = runner.invoke(args=["search", "check"])
    assert after.exit_code == 0, after.output

    changed = api("clerk_a").patch(f"/api/v1/documents/{ids[1]}", json={"subject": "Báo cáo tổng kết năm"})
    assert changed.status_code == 200
    stale = runner.invoke(args=["search", "check"])
    assert stale.exit_code == 1 and f"STALE {ids[1]}" in stale.output and f"STALE {ids[0]}" not in stale.output

    rebuilt = runner.invoke(args=["search", "reindex"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "indexed 2 documents" in rebuilt.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    found = api("clerk_a").get("/api/v1/search", query_string={"q": "tổng kết"}).get_json()
    assert [item["id"] for item in found["items"]] == [ids[1]]


def test_an_index_of_other_fields_is_rebuilt_through_the_worker(app, app_factory, api) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from app.search.index import VERSION_FILE

    response = api("clerk_a").register(make_pdf("Quy chế"), subject="Quy chế làm việc", number="7")
    assert response.status_code == 201
    worker.run_until_idle(app)
    (Path(app.config["SEARCH_INDEX_DIR"]) / VERSION_FILE).write_text("1\n")  # as an older release left it
    restarted = app_factory()  # a worker started after an upgrade
    worker.queue_search_index(restarted)
    runner = restarted.test_cli_runner()
    assert runner.invoke(args=["search", "check"]).exit_code == 1  # made empty, the documents queued
    worker.run_until_idle(restarted)
    checked = runner.invoke(args=["search", "check"])
    assert checked.exit_code == 0, checked.output
    worker.queue_search_index(restarted)  # a second start finds it current: nothing queued
    import sqlalchemy as sa

    from app.extensions import db
    from app.outbox import OutboxItem

    with restarted.app_context():
        pending = sa.select(sa.func.count(OutboxItem.id)).where(OutboxItem.state == "pending")
        assert db.session.scalar(pending) == 0
