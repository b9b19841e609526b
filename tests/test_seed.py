"""The demo data `make run` seeds: once only, and with tasks in every state the dashboard counts."""

from __future__ import annotations

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
