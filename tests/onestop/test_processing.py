"""A dossier moved through its procedure: the desk transfers it, an official of the resolving organisation takes it,
asks for papers (the clock stops and the appointment moves by the time waited), submits it, the leader sends it
back and approves it, the desk hands the result back. Wrong moves answer 409 naming the status, wrong people 403;
every move is on the timeline, the applicant sees only what was written for them."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta

import pytest
from flask import Flask

from tests.onestop.conftest import intake
from tests.support import PASSWORD, ApiClient


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def people(app: Flask, desk) -> dict[str, ApiClient]:  # type: ignore[no-untyped-def]
    """The desk (A), and of the resolving organisation B: a specialist, another specialist and the leader."""
    from app.auth.service import create_user
    from app.extensions import db
    from app.onestop.models import Procedure

    with app.app_context():
        org_b = db.session.query(Procedure).first().resolving_organisation_id
        create_user(
            None,
            org_b,
            {"username": "specialist_b2", "full_name": "Chuyên viên B2", "roles": ["specialist"], "password": PASSWORD},
        )
        db.session.commit()
    found = {"desk": desk["a"], "desk_b": desk["b"]}
    for username in ("specialist_b", "specialist_b2", "leader_b", "leader_a", "clerk_b"):
        found[username] = ApiClient.login(app, username, PASSWORD)
    return found


def notified(app: Flask, kind: str) -> list[tuple[str, str, str | None]]:
    """(username, subject, link) of the notifications of `kind`, by username."""
    from app.auth.models import User
    from app.extensions import db
    from app.notify.models import Notification

    with app.app_context():
        rows = db.session.execute(
            db.select(User.username, Notification.subject, Notification.link)
            .join(User, User.id == Notification.user_id)
            .where(Notification.kind == kind)
            .order_by(User.username)
        ).all()
    return [(r.username, r.subject, r.link) for r in rows]


def move(client: ApiClient, code: str, name: str, **texts: str):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/onestop/dossiers/{code}/moves", json={"move": name, **texts})


def test_a_dossier_from_the_desk_to_its_result(app, people):
    received = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json
    code = received["code"]
    steps = [
        ("desk", "transfer", {}, "transferred", 4),
        ("specialist_b", "take", {}, "in_process", 4),
    ]
    for who, name, texts, status, portal in steps:
        answer = move(people[who], code, name, **texts)
        assert answer.status_code == 200, (name, answer.json)
        assert answer.json["status"] == status and answer.json["portal_status"] == portal
    assert answer.json["handler"]["full_name"] == "Người specialist B"

    # Papers asked for: the clock stops. Two working hours later by the calendar they come, and the appointment
    # moves by exactly the office time waited.
    asked = move(
        people["specialist_b"], code, "request_supplement", public_message="Xin bổ sung bản sao sổ hộ khẩu.", note="x"
    )
    assert asked.status_code == 200 and asked.json["portal_status"] == 5 and asked.json["clock_stopped_at"]
    from app.calendar.service import load_calendar
    from app.extensions import db
    from app.onestop.models import Dossier

    with app.app_context():
        calendar = load_calendar()
        dossier = db.session.query(Dossier).execution_options(all_organisations=True).filter_by(code=code).one()
        stopped = calendar.next_opening(datetime.fromisoformat(received["received_at"]) - timedelta(days=7))
        dossier.clock_stopped_at = stopped
        before = dossier.appointment_at
        db.session.commit()
        expected_wait = calendar.working_time_between(stopped, datetime.now(stopped.tzinfo))
    back = move(people["desk"], code, "supplement_received", public_message="Đã nhận giấy tờ bổ sung.")
    assert back.status_code == 200 and back.json["status"] == "in_process"
    waited = back.json["waited_seconds"]
    assert abs(waited - expected_wait.total_seconds()) < 120 and waited > 5 * 3600  # a week of office time
    with app.app_context():
        moved = calendar.add_working_hours(before, waited / 3600)
        assert datetime.fromisoformat(back.json["appointment_at"]) == moved
    assert back.json["clock_stopped_at"] is None

    # Submitted, sent back with a reason, submitted again, approved, handed back.
    assert move(people["specialist_b"], code, "submit").json["status"] == "awaiting_approval"
    sent_back = move(people["leader_b"], code, "send_back")
    assert sent_back.status_code == 422 and "note" in sent_back.json["error"]["fields"]
    assert move(people["leader_b"], code, "send_back", note="Sửa lại điều 2").json["status"] == "in_process"
    assert move(people["specialist_b"], code, "submit").status_code == 200
    approved = move(people["leader_b"], code, "approve")
    assert (
        approved.json["status"] == "result_ready"
        and approved.json["portal_status"] == 9
        and approved.json["resolved_at"]
    )
    returned = move(people["desk"], code, "return_result", public_message="Đã trả kết quả.")
    assert returned.json["status"] == "returned" and returned.json["portal_status"] == 10
    assert [e["to"] for e in returned.json["events"]] == [
        "received",
        "transferred",
        "in_process",
        "supplement_requested",
        "in_process",
        "awaiting_approval",
        "in_process",
        "awaiting_approval",
        "result_ready",
        "returned",
    ]

    # The applicant's view: the messages written for them, never the notes.
    public = app.test_client().get(f"/api/v1/public/dossiers/{code}", query_string={"s": received["secret"]}).json
    messages = [h["message"] for h in public["history"] if h["message"]]
    assert messages == ["Xin bổ sung bản sao sổ hộ khẩu.", "Đã nhận giấy tờ bổ sung.", "Đã trả kết quả."]
    assert "Sửa lại điều 2" not in str(public) and public["status"] == 10

    # Once handed back, nothing moves it any more.
    late = move(people["leader_b"], code, "suspend", note="x", public_message="y")
    assert late.status_code == 409 and late.json["error"]["state"] == "returned"


def test_wrong_moves_and_wrong_people(app, people):
    code = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    # Out of order: 409 naming the status, nothing written.
    skipped = move(people["specialist_b"], code, "take")
    assert skipped.status_code == 409 and skipped.json["error"]["state"] == "received"
    assert "cannot be moved by take" in skipped.json["error"]["message"]
    assert move(people["desk"], code, "fly").status_code == 422
    # The wrong people: another desk, the resolving organisation's clerk, another organisation's leader.
    assert move(people["desk_b"], code, "transfer").status_code == 403
    assert move(people["clerk_b"], code, "transfer").status_code == 403
    assert move(people["leader_a"], code, "transfer").status_code == 403
    assert move(people["desk"], code, "transfer").status_code == 200
    assert move(people["clerk_b"], code, "take").status_code == 403
    assert move(people["specialist_b"], code, "take").status_code == 200
    # Only the handler (or a leader) goes on with it; a colleague may not.
    assert move(people["specialist_b2"], code, "submit").status_code == 403
    # Asking for papers tells the applicant what is needed.
    missing = move(people["specialist_b"], code, "request_supplement")
    assert missing.status_code == 422 and "public_message" in missing.json["error"]["fields"]
    # A third organisation does not even learn that the dossier exists.
    outsider = ApiClient.login(app, "leader_c", PASSWORD)
    assert move(outsider, code, "suspend", note="x", public_message="y").status_code == 404
    # Suspended by the resolving leader, with the reason for the applicant: final.
    stopped = move(people["leader_b"], code, "suspend", note="Thiếu thẩm quyền", public_message="Hồ sơ dừng xử lý.")
    assert stopped.status_code == 200 and stopped.json["portal_status"] == 8
    assert move(people["desk"], code, "withdraw", note="x").status_code == 409


def test_the_desk_withdraws_a_dossier_at_the_applicants_request(app, people):
    code = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    assert move(people["desk"], code, "withdraw").status_code == 422  # why, for the record
    answer = move(people["desk"], code, "withdraw", note="Công dân nộp đơn xin rút hồ sơ")
    assert answer.status_code == 200 and answer.json["portal_status"] == 7


def test_a_dossier_that_cannot_make_its_appointment_gets_an_apology_and_a_new_date(app, people, tmp_path):
    from app.calendar.service import load_calendar
    from app.extensions import db
    from app.onestop.deadlines import add_days, draft_apologies
    from app.onestop.models import Dossier

    received = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json
    code = received["code"]
    assert move(people["desk"], code, "transfer").status_code == 200
    taken = move(people["specialist_b"], code, "take").json
    progress = taken["steps_progress"]
    assert [s["state"] for s in progress] == ["done", "current", "next"] and progress[1]["hours_left"] > 0
    assert taken["apologies"] == []

    # As if it had been received two weeks ago: the appraisal step is overdue and the last step cannot fit.
    with app.app_context():
        calendar = load_calendar()
        dossier = db.session.query(Dossier).execution_options(all_organisations=True).filter_by(code=code).one()
        dossier.counting_from = calendar.next_opening(dossier.counting_from - timedelta(days=14))
        dossier.appointment_at = add_days(calendar, dossier.counting_from, dossier.statutory_days)
        dossier.step_due_at = add_days(calendar, dossier.counting_from, dossier.statutory_days - 1)
        db.session.commit()
        assert draft_apologies() == 1
        db.session.commit()
        assert draft_apologies() == 0  # one draft at a time
        db.session.commit()
    seen = people["desk"].get(f"/api/v1/onestop/dossiers/{code}").json
    assert seen["steps_progress"][1]["hours_left"] < 0  # overdue, in office hours
    draft = seen["apologies"][0]
    assert draft["issued_at"] is None and draft["proposed_at"] > seen["appointment_at"]

    # The resolving organisation is warned: its handler and its leader, once each (the round ran twice).
    warned = notified(app, "onestop.late")
    assert [who for who, _, _ in warned] == ["leader_b", "specialist_b"]
    assert all(code in subject and link == f"/onestop/dossiers/{code}" for _, subject, link in warned)

    # The draft apology prints, marked as a draft; an unknown code is not found.
    printed = people["desk"].get(f"/api/v1/onestop/dossiers/{code}/apology.pdf")
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert "(DỰ THẢO)" in " ".join(pdf_text(printed.data).split())
    assert people["desk"].get(f"/api/v1/onestop/dossiers/{code[:-1]}0/apology.pdf").status_code == 404

    # Who may issue it, and not for a date before the work can end.
    assert people["specialist_b"].post(f"/api/v1/onestop/dossiers/{code}/apology", json={}).status_code == 403
    early = people["desk"].post(
        f"/api/v1/onestop/dossiers/{code}/apology", json={"new_appointment_at": seen["appointment_at"]}
    )
    assert early.status_code == 422 and "new_appointment_at" in early.json["error"]["fields"]
    reason = "Cần xác minh thực địa <b>&</b> lấy ý kiến cơ quan liên quan."
    too_long = people["desk"].post(f"/api/v1/onestop/dossiers/{code}/apology", json={"reason": "x" * 1001})
    assert too_long.status_code == 422 and "reason" in too_long.json["error"]["fields"]
    issued = people["desk"].post(f"/api/v1/onestop/dossiers/{code}/apology", json={"reason": reason})
    assert issued.status_code == 200, issued.json
    slip = people["leader_b"].get(f"/api/v1/onestop/dossiers/{code}/apology.pdf")
    assert slip.status_code == 200
    (tmp_path / "apology.pdf").write_bytes(slip.data)
    checked = subprocess.run(["qpdf", "--check", str(tmp_path / "apology.pdf")], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stdout
    text = " ".join(pdf_text(slip.data).split())
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text and "DỰ THẢO" not in text
    assert reason in text and code in text and "Cán bộ một cửa A" in text
    assert issued.json["promised_at"] == draft["proposed_at"] and issued.json["apologies"][0]["issued_at"]
    again = people["desk"].post(f"/api/v1/onestop/dossiers/{code}/apology", json={})
    assert again.status_code == 409

    public = app.test_client().get(f"/api/v1/public/dossiers/{code}", query_string={"s": received["secret"]}).json
    assert public["new_appointment_at"] == draft["proposed_at"] and public["appointment_at"] == seen["appointment_at"]
    assert "thành thật xin lỗi" in public["history"][-1]["message"]


def test_no_apology_no_apology_slip(app, people):
    code = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    answer = people["desk"].get(f"/api/v1/onestop/dossiers/{code}/apology.pdf")
    assert answer.status_code == 404 and "No apology" in answer.json["error"]["message"]


def test_the_desk_records_the_fee_once(app, people):
    later = people["desk"].post("/api/v1/onestop/dossiers", json=intake(fee_mode="on_result")).json
    assert later["fee"]["amount"] == 100_000 and later["fee"]["paid_at"] is None
    assert people["specialist_b"].post(f"/api/v1/onestop/dossiers/{later['code']}/fee-paid").status_code == 403
    paid = people["desk"].post(f"/api/v1/onestop/dossiers/{later['code']}/fee-paid")
    assert paid.status_code == 200 and paid.json["fee"]["paid_at"]
    again = people["desk"].post(f"/api/v1/onestop/dossiers/{later['code']}/fee-paid")
    assert again.status_code == 409 and "already" in again.json["error"]["message"]
    exempt = people["desk"].post("/api/v1/onestop/dossiers", json=intake(fee_mode="exempt")).json
    assert exempt["fee"]["amount"] == 0
    assert people["desk"].post(f"/api/v1/onestop/dossiers/{exempt['code']}/fee-paid").status_code == 409


def test_a_calendar_change_lists_the_dossiers_it_moves_and_the_desk_reissues_them(app, people):
    from app.calendar.service import load_calendar, set_day
    from app.extensions import db

    received = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json
    assert people["desk"].get("/api/v1/onestop/calendar-report").json["total"] == 0
    # The admin closes the office on a working day before the appointment (a local closure).
    with app.app_context():
        calendar = load_calendar()
        start = datetime.fromisoformat(received["counting_from"])
        day = start.date() + timedelta(days=1)
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        set_day(None, day, "day_off", "Quyết định nghỉ bù của UBND tỉnh")
        db.session.commit()
    report = people["desk"].get("/api/v1/onestop/calendar-report").json
    assert report["total"] == 1 and report["items"][0]["code"] == received["code"]
    assert report["items"][0]["would_be"] > report["items"][0]["appointment_at"]
    assert people["specialist_b"].get("/api/v1/onestop/calendar-report").status_code == 403
    assert people["specialist_b"].post(f"/api/v1/onestop/dossiers/{received['code']}/reissue").status_code == 403
    reissued = people["desk"].post(f"/api/v1/onestop/dossiers/{received['code']}/reissue")
    assert reissued.status_code == 200 and reissued.json["appointment_at"] == report["items"][0]["would_be"]
    assert people["desk"].get("/api/v1/onestop/calendar-report").json["total"] == 0
    assert people["desk"].post(f"/api/v1/onestop/dossiers/{received['code']}/reissue").status_code == 409
    public = app.test_client().get(
        f"/api/v1/public/dossiers/{received['code']}", query_string={"s": received["secret"]}
    )
    assert "điều chỉnh theo lịch làm việc mới" in public.json["history"][-1]["message"]


def _post_move(client: ApiClient, code: str, fields: dict[str, str], files: list[tuple[bytes, str]]):  # type: ignore[no-untyped-def]
    import io

    data: dict[str, object] = dict(fields)
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(f"/api/v1/onestop/dossiers/{code}/moves", data=data, content_type="multipart/form-data")


def test_the_papers_brought_for_a_supplement_come_with_the_move_and_stay_with_the_staff(app, people):
    import io

    import sqlalchemy as sa

    from app.audit.models import AuditEvent
    from app.extensions import db
    from app.onestop.models import DossierEvent, DossierEventFile
    from tests.support import make_pdf, web_login

    code = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    assert move(people["desk"], code, "transfer").status_code == 200
    assert move(people["specialist_b"], code, "take").status_code == 200
    asked = move(people["specialist_b"], code, "request_supplement", public_message="Xin bổ sung sổ hộ khẩu.")
    assert asked.status_code == 200

    def counts() -> tuple[int, int]:
        with app.app_context():
            return (
                db.session.scalar(sa.select(sa.func.count()).select_from(DossierEvent)) or 0,
                db.session.scalar(sa.select(sa.func.count()).select_from(DossierEventFile)) or 0,
            )

    before = counts()
    fields = {"move": "supplement_received", "public_message": "Đã nhận giấy tờ bổ sung."}
    # A file that is not a scan, an empty one, too many, a file field of another name: 422, nothing moved.
    wrong = _post_move(people["desk"], code, fields, [(make_pdf("sổ hộ khẩu"), "so-ho-khau.pdf"), (b"MZ\x90", "x.exe")])
    assert wrong.status_code == 422 and "files.1" in wrong.json["error"]["fields"]
    empty = _post_move(people["desk"], code, fields, [(b"", "trống.pdf")])
    assert empty.status_code == 422 and empty.json["error"]["fields"]["files.0"] == "The file is empty."
    many = _post_move(people["desk"], code, fields, [(make_pdf(str(n)), f"{n}.pdf") for n in range(21)])
    assert many.status_code == 422 and "files" in many.json["error"]["fields"]
    other = people["desk"].post(
        f"/api/v1/onestop/dossiers/{code}/moves",
        data={**fields, "scan": (io.BytesIO(make_pdf("x")), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert other.status_code == 422 and "scan" in other.json["error"]["fields"]
    # The wrong party with good files: refused, nothing written either; another organisation's official does not
    # even get the file into the store.
    assert _post_move(people["clerk_b"], code, fields, [(make_pdf("a"), "a.pdf")]).status_code == 403
    stranger = ApiClient.login(app, "leader_c", PASSWORD)
    planted = make_pdf("tệp lạ gửi vào hồ sơ của người khác")
    assert _post_move(stranger, code, fields, [(planted, "x.pdf")]).status_code == 404
    with app.app_context():
        import hashlib

        from app.storage.service import current_store

        assert not current_store().exists(hashlib.sha256(planted).hexdigest())
    assert counts() == before
    assert people["desk"].get(f"/api/v1/onestop/dossiers/{code}").json["status"] == "supplement_requested"

    brought = [(make_pdf("sổ hộ khẩu"), "sổ hộ khẩu.pdf"), (make_pdf("giấy xác nhận"), "xac-nhan.pdf")]
    answer = _post_move(people["desk"], code, fields, brought)
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "in_process"
    event = answer.json["events"][-1]
    assert [(f["filename"], f["size"]) for f in event["files"]] == [(n, len(c)) for c, n in brought]
    first = event["files"][0]
    for who in ("desk", "specialist_b", "leader_b"):  # the desk and the resolving organisation
        opened = people[who].get(first["url"])
        assert opened.status_code == 200 and opened.data == brought[0][0]
        assert opened.headers["X-Content-SHA256"] == first["sha256"]
    outsider = ApiClient.login(app, "clerk_c", PASSWORD).get(first["url"])
    assert outsider.status_code == 404 and brought[0][0] not in outsider.data
    assert people["desk"].get(f"/api/v1/onestop/dossiers/{code}/files/999999").status_code == 404

    # Another dossier's file is not this dossier's, even for the same desk.
    other_code = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    assert people["desk"].get(first["url"].replace(code, other_code)).status_code == 404

    # The applicant's lookup never lists them; the audit log has the move's files and each download.
    secret_code = people["desk"].get(f"/api/v1/onestop/dossiers/{code}").json
    public = app.test_client().get(f"/api/v1/public/dossiers/{code}", query_string={"s": secret_code["secret"]})
    assert public.status_code == 200 and "sổ hộ khẩu.pdf" not in public.get_data(as_text=True)
    with app.app_context():
        moved = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "onestop:dossier:moved").order_by(AuditEvent.seq.desc())
        ).first()
        assert moved is not None and moved.data["files"] == [f["sha256"] for f in event["files"]]
        downloads = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "onestop:dossier:file:downloaded")
        )
        assert downloads == 3

    # On the dossier's page: the files under their step, and a form that takes files.
    browser = app.test_client()
    web_login(browser, "specialist_b")
    page = browser.get(f"/onestop/dossiers/{code}").get_data(as_text=True)
    assert f'href="{first["url"]}"' in page and 'name="files"' in page and 'enctype="multipart/form-data"' in page


def test_the_unit_is_told_when_a_dossier_arrives_and_the_handler_lists_those_taken(app, people):
    code = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    assert move(people["desk"], code, "transfer").status_code == 200

    def told() -> list[tuple[str, str, str | None]]:
        return notified(app, "onestop.arrived")

    # The resolving organisation's leader and the specialists of the step's unit ("Văn phòng"); not the desk, not
    # the specialist of no unit, not another organisation.
    arrived = told()
    assert [who for who, _, _ in arrived] == ["leader_b", "specialist_b"]
    assert all(code in subject and link == f"/onestop/dossiers/{code}" for _, subject, link in arrived)

    # Taken in hand: the handler's own list holds it, a colleague's does not.
    assert move(people["specialist_b"], code, "take").status_code == 200
    mine = people["specialist_b"].get("/api/v1/onestop/dossiers", query_string={"view": "resolving", "mine": "1"})
    assert [item["code"] for item in mine.json["items"]] == [code]
    theirs = people["specialist_b2"].get("/api/v1/onestop/dossiers", query_string={"view": "resolving", "mine": "1"})
    assert theirs.json["items"] == [] and theirs.json["total"] == 0
    everyone = people["specialist_b2"].get("/api/v1/onestop/dossiers", query_string={"view": "resolving"})
    assert [item["code"] for item in everyone.json["items"]] == [code]
    assert told() == arrived  # nothing more for the other moves
