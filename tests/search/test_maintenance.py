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
