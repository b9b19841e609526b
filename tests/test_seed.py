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


def test_the_demo_desk_has_dossiers_of_every_fate_made_by_the_services_as_of_their_day(app_factory) -> None:  # type: ignore[no-untyped-def]
    """Each sample dossier ends where its fate says, by the moves of the demo's people at moments in the past and
    in order; the figures count the resolved ones early, on time and late as their fates say; the audit chain of
    the whole demo verifies; the public lookup shows a returned one with the message written for the applicant."""
    from datetime import timedelta

    from app.audit.service import verify_chain
    from app.extensions import db, utcnow
    from app.onestop import deadlines
    from app.onestop.demo import FATES, SAMPLES
    from app.onestop.models import Dossier
    from app.onestop.statistics import statistics
    from app.seed import seed_demo_data

    app: Flask = app_factory(DEMO_PASSWORD="demo")
    ends = {
        "supplement": "supplement_requested",
        "early": "returned",
        "on_time": "returned",
        "late": "returned",
        "overdue": "in_process",
    }
    with app.app_context():
        seed_demo_data()
        db.session.commit()
        now = utcnow()
        dossiers = db.session.scalars(
            sa.select(Dossier).order_by(Dossier.id).execution_options(all_organisations=True)
        ).all()
        assert len(dossiers) == len(SAMPLES) and {s.fate for s in SAMPLES} == set(FATES)
        for sample, dossier in zip(SAMPLES, dossiers, strict=True):
            assert dossier.applicant_name == sample.applicant
            assert dossier.status == ends.get(sample.fate, sample.fate), sample
            moments = [e.at for e in dossier.events]
            assert moments == sorted(moments) and moments[-1] <= now, sample
            assert moments[0] >= now - timedelta(days=sample.days_ago + 1), sample  # not before its day
            if sample.fate in ("early", "on_time", "late"):
                sign = {"early": -1, "on_time": 0, "late": 1}[sample.fate]
                difference = (dossier.resolved_on - dossier.appointment_on).days
                assert (difference > 0) - (difference < 0) == sign, sample
            assert deadlines.is_overdue(dossier, now) == (sample.fate == "overdue"), sample
        first = min(d.received_on for d in dossiers)
        figures = statistics(first, dossiers[-1].received_on).total
        # The result waiting at the desk was approved within hours of its receipt: early too.
        assert figures["resolved_early"] == sum(s.fate in ("early", "result_ready") for s in SAMPLES)
        assert figures["resolved_on_time"] == sum(s.fate == "on_time" for s in SAMPLES)
        assert figures["resolved_late"] == sum(s.fate == "late" for s in SAMPLES)
        assert figures["in_progress_overdue"] == sum(s.fate == "overdue" for s in SAMPLES)
        checked, problem = verify_chain()
        assert problem is None and checked > len(SAMPLES)
        returned = next(d for d, s in zip(dossiers, SAMPLES, strict=True) if s.fate == "on_time")
        code, secret = returned.code, returned.secret
    public = app.test_client().get(f"/api/v1/public/dossiers/{code}", query_string={"s": secret}).get_json()
    assert public["status"] == 10
    assert "Đã trả kết quả tại bộ phận một cửa." in [h["message"] for h in public["history"]]
