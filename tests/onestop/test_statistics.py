"""Form 06's figures for a period: received (carried over, new online, new at the desk), resolved (early, on time,
late, by the day), in progress (within time, overdue), stopped; each row adds up, the total is the sum of the
rows, and every figure's link lists exactly as many dossiers as it counts."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests.onestop.conftest import intake
from tests.support import PASSWORD, ApiClient, web_login

OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}


def _make(app, desk, world, specs):  # type: ignore[no-untyped-def]
    """Dossiers received through the API, then given the days of the story each spec tells."""
    from app.extensions import db
    from app.onestop.models import Dossier

    codes = {}
    for name, spec in specs.items():
        body = (
            intake(channel=spec.get("channel", "direct")) if spec.get("channel") != "online" else intake(channel="post")
        )
        answer = desk["a"].post("/api/v1/onestop/dossiers", json=body)
        assert answer.status_code == 201, answer.json
        codes[name] = answer.json["code"]
    with app.app_context():
        for name, spec in specs.items():
            d = db.session.scalars(
                sa.select(Dossier).where(Dossier.code == codes[name]).execution_options(all_organisations=True)
            ).one()
            d.received_on = date.fromisoformat(spec["received"])
            d.appointment_on = date.fromisoformat(spec["due"])
            d.channel = spec.get("channel", "direct")
            if "resolved" in spec:
                d.resolved_on, d.status = date.fromisoformat(spec["resolved"]), "result_ready"
            if "stopped" in spec:
                d.stopped_on, d.status = date.fromisoformat(spec["stopped"]), "withdrawn"
            if spec.get("refused"):
                d.status, d.reason_code = "refused", "not_competent"
            if spec.get("org") == "c":
                d.resolving_organisation_id = world.orgs["c"]
        db.session.commit()
    return codes


STORY = {
    "early": {"received": "2026-09-20", "due": "2026-10-06", "resolved": "2026-10-05"},  # carried over
    "on_time": {"received": "2026-10-02", "due": "2026-10-10", "resolved": "2026-10-10", "channel": "online"},
    "late": {"received": "2026-10-03", "due": "2026-10-15", "resolved": "2026-10-20"},
    "within": {"received": "2026-10-05", "due": "2026-11-05"},
    "overdue": {"received": "2026-10-06", "due": "2026-10-20", "org": "c"},
    "stopped": {"received": "2026-10-07", "due": "2026-10-17", "stopped": "2026-10-08", "org": "c"},
    "c_on_time": {"received": "2026-10-08", "due": "2026-10-12", "resolved": "2026-10-12", "org": "c"},
    "done_before": {"received": "2026-09-01", "due": "2026-09-15", "resolved": "2026-09-15"},
    "after": {"received": "2026-11-02", "due": "2026-11-10"},
    "refused": {"received": "2026-10-04", "due": "2026-10-04", "refused": True},
}


def test_the_figures_of_a_month_add_up_and_link_to_their_dossiers(app, desk, world):
    _make(app, desk, world, STORY)
    leader = ApiClient.login(app, "leader_b", PASSWORD)
    stats = leader.get("/api/v1/onestop/statistics", query_string=OCTOBER).json
    rows = {row["label"]: row for row in stats["rows"]}
    b, c = rows["Sở Công Thương"], rows["Sở Tài chính"]
    assert (b["carried_over"], b["new_online"], b["new_direct"]) == (1, 1, 2)
    assert (b["resolved_early"], b["resolved_on_time"], b["resolved_late"]) == (1, 1, 1)
    assert (b["in_progress_within"], b["in_progress_overdue"], b["stopped"]) == (1, 0, 0)
    assert (c["new_direct"], c["resolved_on_time"], c["in_progress_overdue"], c["stopped"]) == (3, 1, 1, 1)
    assert b["on_time_share"] == 2 / 3 and c["on_time_share"] == 1.0
    assert stats["agencies_without_late_share"] == 0.5
    for row in (*stats["rows"], stats["total"]):
        assert row["received"] == row["resolved"] + row["in_progress"] + row["stopped"]
    for name in ("carried_over", "resolved_late", "in_progress_within", "stopped"):
        assert stats["total"][name] == sum(r[name] for r in stats["rows"])
    assert stats["total"]["received"] == 7  # neither the one done before, nor the one after, nor the refused

    # Each figure's link lists as many dossiers as it counts (leader B sees B's codes; C's are counted only).
    for row in (*stats["rows"], stats["total"]):
        for name, link in row["links"].items():
            behind = leader.get(link).json
            assert behind["total"] == row[name], (row["label"], name)
    late = leader.get(b["links"]["resolved_late"]).json
    assert [item["status"] for item in late["items"]] == ["result_ready"]
    overdue_c = leader.get(c["links"]["in_progress_overdue"]).json
    assert overdue_c["total"] == 1  # counted, though resolved by another organisation

    by_procedure = leader.get("/api/v1/onestop/statistics", query_string={**OCTOBER, "by": "procedure"}).json
    assert [row["label"] for row in by_procedure["rows"]] == ["Đăng ký thành lập hộ kinh doanh"]
    assert by_procedure["total"]["received"] == 7 and by_procedure["agencies_without_late_share"] is None


def test_bad_periods_and_figures(app, desk, world):
    leader = ApiClient.login(app, "leader_b", PASSWORD)
    for query, field in [
        ({"to": "2026-10-31"}, "from"),
        ({"from": "2026-10-31", "to": "2026-10-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-10-01"}, "to"),
        ({"from": "hôm qua", "to": "2026-10-01"}, "from"),
        ({**OCTOBER, "by": "weather"}, "by"),
    ]:
        answer = leader.get("/api/v1/onestop/statistics", query_string=query)
        assert answer.status_code == 422 and field in answer.json["error"]["fields"], (query, answer.json)
    unknown = leader.get("/api/v1/onestop/statistics/dossiers", query_string={**OCTOBER, "figure": "everything"})
    assert unknown.status_code == 422 and "figure" in unknown.json["error"]["fields"]
    empty = leader.get("/api/v1/onestop/statistics", query_string=OCTOBER).json
    assert empty["rows"] == [] and empty["total"]["received"] == 0 and empty["agencies_without_late_share"] is None
    assert app.test_client().get("/api/v1/onestop/statistics", query_string=OCTOBER).status_code == 401


def test_the_pages_the_workbook_and_the_public_figures(app, desk, world):
    import io
    import re

    from openpyxl import load_workbook

    codes = _make(app, desk, world, STORY)
    leader = app.test_client()
    web_login(leader, "leader_b")
    page = leader.get("/onestop/statistics", query_string=OCTOBER)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="stats-chart"' in html and "Sở Công Thương" in html
    late = re.search(r'href="([^"]*figure=resolved_late[^"]*organisation_id=\d+[^"]*)"', html)
    assert late is not None
    behind = leader.get(late.group(1).replace("&amp;", "&"))
    assert behind.status_code == 200 and codes["late"] in behind.get_data(as_text=True)

    workbook = leader.get("/onestop/statistics.xlsx", query_string=OCTOBER)
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    total = rows[-1]
    assert total[1] == 7 and total[2:11] == (1, 1, 5, 1, 2, 1, 1, 1, 1)

    # The public page: figures per agency, no link, no dossier code, without logging in.
    anyone = app.test_client()
    # In Vietnamese the period is "from date, to date" and the first figure the total received: not the words an
    # arrived document's sender and recipient, or a dossier's time of receipt, take elsewhere.
    reader = app.test_client()
    reader.get("/lang/vi")
    vietnamese = reader.get("/thong-ke", query_string=OCTOBER).get_data(as_text=True)
    assert "Từ ngày" in vietnamese and "Đến ngày" in vietnamese and "Tổng số tiếp nhận" in vietnamese
    assert "Cơ quan gửi" not in vietnamese and "Chuyển cho" not in vietnamese and "Thời điểm nhận" not in vietnamese
    public = anyone.get("/thong-ke", query_string=OCTOBER)
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    assert "Sở Tài chính" in text and "figure=" not in text and not any(code in text for code in codes.values())
    assert anyone.get("/thong-ke", query_string={"from": "2026-10-31", "to": "2026-10-01"}).status_code == 422
    assert anyone.get("/onestop/statistics", query_string=OCTOBER).status_code == 302  # staff pages need a login
