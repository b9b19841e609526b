"""The demo data `make run` seeds: once only, and with tasks in every state the dashboard counts."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Flask

from tests.support import ApiClient


def test_the_demo_is_seeded_once_with_tasks_in_every_state(app_factory) -> None:  # type: ignore[no-untyped-def]
    app: Flask = app_factory(DEMO_PASSWORD="demo")
    from app.extensions import db, utcnow
    from app.seed import SAMPLE_TASKS, seed_demo_data
    from app.tasks.models import Task

    with app.app_context():
        assert seed_demo_data() is True
        db.session.commit()
        assert seed_demo_data() is False
        tasks = db.session.scalars(sa.select(Task)).all()
        now = utcnow()
        outcomes = {
            "new": sum(t.state == "new" for t in tasks),
            "on_time": sum(t.state == "completed" and t.completed_at <= t.deadline for t in tasks),
            "late": sum(t.state == "completed" and t.completed_at > t.deadline for t in tasks),
            "overdue": sum(t.is_overdue(now) for t in tasks),
        }
    expected = [outcome for *_, outcome in SAMPLE_TASKS]
    assert outcomes == {k: expected.count(k) for k in outcomes}
    specialist = ApiClient.login(app, "chuyenvien", "demo")
    listed = specialist.get("/api/v1/tasks?role=lead").get_json()
    assert listed["total"] == len(SAMPLE_TASKS)
    assert specialist.get("/api/v1/tasks?overdue=1").get_json()["total"] == expected.count("overdue")


def test_the_demo_decision_on_commendation_is_found_with_or_without_diacritics(app_factory) -> None:  # type: ignore[no-untyped-def]
    from app import worker
    from app.extensions import db
    from app.seed import seed_demo_data

    app: Flask = app_factory(DEMO_PASSWORD="demo")
    with app.app_context():
        seed_demo_data()
        db.session.commit()
    worker.run_until_idle(app)
    clerk = ApiClient.login(app, "vanthu.sct", "demo")
    for q in ("quyet dinh khen thuong", "Quyết định khen thưởng", "1520/QĐ-UBND"):
        found = clerk.get("/api/v1/search", query_string={"q": q}).get_json()
        assert found["items"], q
        assert found["items"][0]["notation"] == "QĐ-UBND" and found["items"][0]["number"] == "1520", q


def test_the_demo_archivist_has_a_file_to_review_and_one_to_transfer_seeded_once(app_factory) -> None:  # type: ignore[no-untyped-def]
    from app.archive.models import RecordFile
    from app.clock import local_today
    from app.extensions import db
    from app.seed import seed_demo_data

    app: Flask = app_factory(DEMO_PASSWORD="demo")
    with app.app_context():
        seed_demo_data()
        db.session.commit()
        seed_demo_data()
        db.session.commit()
        codes = db.session.scalars(sa.select(RecordFile.code).order_by(RecordFile.code)).all()
    assert codes == ["01.VP", "03.VP", "05.VP"]

    today = local_today()
    archivist = ApiClient.login(app, "luutru", "demo")
    listed = archivist.get("/api/v1/archive/files", query_string={"year": today.year}).get_json()
    assert [(f["code"], f["status"], f["document_count"]) for f in listed["items"]] == [("01.VP", "open", 1)]
    opened = archivist.get(listed["items"][0]["url"]).get_json()
    assert opened["keeper"]["username"] == "luutru" and opened["retention_years"] == 20
    assert opened["documents"][0]["document"]["notation"] == "SCT-QLTM"

    review = archivist.get("/api/v1/archive/review").get_json()
    assert [(f["year"], f["code"], f["expires_on"]) for f in review["items"]] == [(2014, "05.VP", "2025-01-01")]

    transfers = archivist.get("/api/v1/archive/transfers").get_json()
    due = {f["code"]: f for f in transfers["items"]}
    assert due["03.VP"]["year"] == today.year - 1 and due["03.VP"]["overdue"] is False
    assert 0 < (date.fromisoformat(due["03.VP"]["transfer_due_on"]) - today).days <= transfers["notice_days"]
    # Another organisation's archivist sees none of them.
    other = ApiClient.login(app, "luutru.sct", "demo")
    assert other.get("/api/v1/archive/review").get_json()["total"] == 0


def test_the_demo_catalogue_has_twenty_procedures_and_a_one_stop_officer_in_each_organisation(app_factory) -> None:  # type: ignore[no-untyped-def]
    from app.seed import DEMO_ORGS, seed_demo_data

    app: Flask = app_factory(DEMO_PASSWORD="demo")
    with app.app_context():
        seed_demo_data()
        from app.extensions import db

        db.session.commit()
    officer = ApiClient.login(app, "motcua.ptt", "demo")
    catalogue = officer.get("/api/v1/onestop/procedures", query_string={"per_page": 100}).get_json()
    assert catalogue["total"] == 20
    resolvers = {p["organisation"]["code"] for p in catalogue["items"]}
    assert resolvers == {org.code for org in DEMO_ORGS}  # every demo organisation resolves some
    for procedure in catalogue["items"]:
        assert sum(step["days"] for step in procedure["steps"]) == procedure["statutory_days"]
        assert procedure["papers"] and procedure["channels"]
    birth = officer.get("/api/v1/onestop/procedures/1.001193.000.00.00.H57").get_json()
    assert birth["name"] == "Đăng ký khai sinh" and birth["statutory_days"] == 1
    for org in DEMO_ORGS:
        me = ApiClient.login(app, "motcua" + org.suffix, "demo").get("/api/v1/me").get_json()
        assert me["roles"] == ["onestop"]
    # The province's desk opens on Saturday mornings; the other organisations keep the deployment's hours.
    province = ApiClient.login(app, "motcua", "demo").get("/api/v1/me").get_json()["organisation"]["id"]
    hours = officer.get("/api/v1/calendar", query_string={"organisation_id": province}).get_json()
    assert hours["own_hours"] and {"weekday": 5, "opens": "07:30", "closes": "11:30"} in hours["office_hours"]
    assert not officer.get("/api/v1/calendar").get_json()["own_hours"]
