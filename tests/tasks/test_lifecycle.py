"""Carrying a task out: accept, report progress, ask for time, hand over, finish with a reply, and the leader's
answers; the document's timeline and the audit log keep every step."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from app.clock import LOCAL_TZ
from tests.support import make_pdf
from tests.tasks.support import ASSIGNER, COORDINATOR, INFORMED, LEAD, STRANGER, act, assign, moment, set_task


def _draft(api, who: str = LEAD, subject: str = "Dự thảo văn bản trả lời") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = api(who).post(
        "/api/v1/documents",
        content_type="multipart/form-data",
        data={
            "direction": "outgoing",
            "document_type": "CV",
            "subject": subject,
            "file": (io.BytesIO(make_pdf(subject)), "tra-loi.pdf"),
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _ok(response) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_task_goes_through_its_whole_life_and_the_timeline_shows_every_step(app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditEvent

    task = assigned()
    tid = task["id"]
    first_deadline = moment(task["deadline"])

    accepted = _ok(act(api, tid, "accept", LEAD, note="Đã nhận."))
    assert accepted["state"] == "in_progress"
    assert accepted["accepted_by"]["username"] == LEAD and accepted["accepted_at"]

    report = b"%PDF-1.4 bao cao tien do"
    progressed = _ok(
        api(LEAD).post(
            f"/api/v1/tasks/{tid}/progress",
            content_type="multipart/form-data",
            data={
                "percent": "40",
                "note": "Đã làm việc với các sở.",
                "attachments": [
                    (io.BytesIO(report), "Báo cáo tiến độ.pdf"),
                    (io.BytesIO(b"a,b\n1,2\n"), "so-lieu.csv"),
                ],
            },
        )
    )
    assert progressed["state"] == "in_progress" and progressed["progress"] == 40
    files = progressed["events"][-1]["files"]
    assert [f["filename"] for f in files] == ["Báo cáo tiến độ.pdf", "so-lieu.csv"]
    download = api(ASSIGNER).get(files[0]["url"])
    assert download.status_code == 200 and download.data == report
    assert download.headers["X-Content-SHA256"] == hashlib.sha256(report).hexdigest()
    assert api("leader_b").get(files[0]["url"]).status_code == 404

    later = (first_deadline + timedelta(days=7)).isoformat()
    asked = _ok(act(api, tid, "request_extension", LEAD, deadline=later, reason="Chờ ý kiến các sở."))
    assert asked["state"] == "extension_requested" and moment(asked["requested_deadline"]) == moment(later)
    assert act(api, tid, "refuse_extension", ASSIGNER).status_code == 422  # a refusal says why
    refused = _ok(act(api, tid, "refuse_extension", ASSIGNER, reason="Việc gấp, không gia hạn."))
    assert refused["state"] == "in_progress" and refused["requested_deadline"] is None
    assert moment(refused["deadline"]) == first_deadline

    _ok(act(api, tid, "request_extension", LEAD, deadline=later, reason="Cần thêm số liệu."))
    granted = _ok(act(api, tid, "grant_extension", ASSIGNER, note="Đồng ý gia hạn."))
    assert granted["state"] == "in_progress"
    assert moment(granted["deadline"]) == moment(later) and granted["deadline_basis"] == "extension"

    contributed = _ok(
        api(COORDINATOR).post(
            f"/api/v1/tasks/{tid}/contribute",
            content_type="multipart/form-data",
            data={"note": "Lưu trữ đã cung cấp hồ sơ gốc.", "attachments": (io.BytesIO(b"ho so goc"), "hồ sơ.txt")},
        )
    )
    assert contributed["state"] == "in_progress"
    assert [f["filename"] for f in contributed["events"][-1]["files"]] == ["hồ sơ.txt"]
    read = _ok(act(api, tid, "mark_read", INFORMED))
    assert read["informed"][0]["read_at"]
    _ok(act(api, tid, "mark_read", INFORMED))  # twice is once

    reply = _draft(api)
    done = _ok(
        api(LEAD).post(
            f"/api/v1/tasks/{tid}/complete",
            content_type="multipart/form-data",
            data={
                "note": "Đã dự thảo văn bản trả lời.",
                "reply_document_id": str(reply["id"]),
                "attachments": (io.BytesIO(b"ket qua"), "kết quả.txt"),
            },
        )
    )
    assert done["state"] == "completed" and done["progress"] == 100 and done["completed_at"]
    assert done["reply_document_id"] == reply["id"]
    assert [f["filename"] for f in done["events"][-1]["files"]] == ["kết quả.txt"]

    reopened = _ok(act(api, tid, "reopen", ASSIGNER, note="Bổ sung số liệu quý IV.", deadline_working_days=2))
    assert reopened["state"] == "reopened" and reopened["completed_at"] is None
    assert reopened["deadline_basis"] == "working_days"
    returned = _ok(act(api, tid, "return", LEAD, reason="Không thuộc chức năng của phòng."))
    assert returned["state"] == "returned"
    _ok(act(api, tid, "reopen", ASSIGNER))
    cancelled = _ok(act(api, tid, "cancel", ASSIGNER, note="Đã giao nhiệm vụ khác."))
    assert cancelled["state"] == "cancelled" and cancelled["cancelled_at"]

    steps = [
        ("assign", None, "new", "leader_a"),
        ("accept", "new", "in_progress", LEAD),
        ("progress", "in_progress", "in_progress", LEAD),
        ("request_extension", "in_progress", "extension_requested", LEAD),
        ("refuse_extension", "extension_requested", "in_progress", ASSIGNER),
        ("request_extension", "in_progress", "extension_requested", LEAD),
        ("grant_extension", "extension_requested", "in_progress", ASSIGNER),
        ("contribute", "in_progress", "in_progress", COORDINATOR),
        ("mark_read", "in_progress", "in_progress", INFORMED),
        ("complete", "in_progress", "completed", LEAD),
        ("reopen", "completed", "reopened", ASSIGNER),
        ("return", "reopened", "returned", LEAD),
        ("reopen", "returned", "reopened", ASSIGNER),
        ("cancel", "reopened", "cancelled", ASSIGNER),
    ]
    timeline = api(INFORMED).get(f"/api/v1/documents/{task['document']['id']}/timeline")
    assert timeline.status_code == 200
    items = timeline.get_json()["items"]
    assert [(e["action"], e["from_state"], e["to_state"], e["actor"]["username"]) for e in items] == steps
    assert [e["note"] for e in items][1:5] == [
        "Đã nhận.",
        "Đã làm việc với các sở.",
        "Chờ ý kiến các sở.",
        "Việc gấp, không gia hạn.",
    ]
    assert items[2]["data"] == {"percent": 40}
    assert items[9]["data"] == {"reply_document_id": reply["id"]}
    times = [moment(e["at"]) for e in items]
    assert times == sorted(times)
    # The task's own page shows the same events; the audit log has one event per step, in the same order.
    assert [e["id"] for e in _ok(api(ASSIGNER).get(f"/api/v1/tasks/{tid}"))["events"]] == [e["id"] for e in items]
    from app.extensions import db

    with app.app_context():
        audited = db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == "task", AuditEvent.object_id == str(tid))
            .where(AuditEvent.action != "task:file:downloaded")
            .order_by(AuditEvent.seq)
        ).all()
    assert audited == [
        "task:assigned",
        "task:accepted",
        "task:progress:reported",
        "task:extension:requested",
        "task:extension:refused",
        "task:extension:requested",
        "task:extension:granted",
        "task:contribution:added",
        "task:read",
        "task:completed",
        "task:reopened",
        "task:returned",
        "task:reopened",
        "task:cancelled",
    ]
    assert api("leader_b").get(f"/api/v1/documents/{task['document']['id']}/timeline").status_code == 404


def test_a_transfer_moves_the_lead_and_never_goes_round_in_a_circle(app, api, world, assigned) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    tid = task["id"]
    _ok(act(api, tid, "accept", LEAD))
    assert act(api, tid, "transfer", ASSIGNER, user_id=world.users["archivist_a"]).status_code == 403
    moved = _ok(act(api, tid, "transfer", LEAD, user_id=world.users["archivist_a"], note="Chuyển lưu trữ xử lý."))
    assert moved["state"] == "new"  # the receiver accepts in turn
    assert moved["lead"]["user"]["username"] == "archivist_a" and moved["accepted_by"] is None
    assert act(api, tid, "accept", LEAD).status_code == 403  # no longer the lead
    _ok(act(api, tid, "accept", "archivist_a"))
    _ok(act(api, tid, "transfer", "archivist_a", user_id=world.users["admin_a"]))

    for earlier in ("specialist_a", "archivist_a"):
        loop = act(api, tid, "transfer", "admin_a", user_id=world.users[earlier])
        assert loop.status_code == 422, earlier
        assert "circle" in loop.get_json()["error"]["fields"]["user_id"]
    assert act(api, tid, "transfer", "admin_a", user_id=world.users["admin_a"]).status_code == 422  # itself
    assert act(api, tid, "transfer", "admin_a", user_id=world.users["specialist_b"]).status_code == 422
    assert act(api, tid, "transfer", "admin_a", user_id=999999).status_code == 422
    assert act(api, tid, "transfer", "admin_a").status_code == 422
    assert _ok(api(ASSIGNER).get(f"/api/v1/tasks/{tid}"))["lead"]["user"]["username"] == "admin_a"

    events = _ok(api(ASSIGNER).get(f"/api/v1/tasks/{tid}"))["events"]
    transfers = [e["data"] for e in events if e["action"] == "transfer"]
    assert transfers == [
        {"from": {"user_id": world.users["specialist_a"]}, "to": {"user_id": world.users["archivist_a"]}},
        {"from": {"user_id": world.users["archivist_a"]}, "to": {"user_id": world.users["admin_a"]}},
    ]


def _unit_with_people(app, world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A second unit of organisation A, "Phòng Kế hoạch", with a head and two members."""
    from app.auth.service import create_unit, create_user
    from app.extensions import db
    from tests.support import PASSWORD

    with app.app_context():
        unit = create_unit(None, world.orgs["a"], "Phòng Kế hoạch")
        ids = {"unit": unit.id}
        for username in ("truong_phong_a", "chuyen_vien_1_a", "chuyen_vien_2_a"):
            user = create_user(
                None,
                world.orgs["a"],
                {
                    "username": username,
                    "full_name": username,
                    "roles": ["specialist"],
                    "password": PASSWORD,
                    "unit_id": unit.id,
                },
            )
            ids[username] = user.id
        db.session.commit()
    return ids


def test_a_unit_lead_is_accepted_by_a_member_or_its_head_who_hands_it_on_in_the_unit(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    plan = _unit_with_people(app, world)
    head = api("admin_a").put(f"/api/v1/units/{plan['unit']}/head", json={"user_id": plan["truong_phong_a"]})
    assert head.status_code == 200

    doc = incoming()
    task = assign(api, doc["id"], {"lead": {"unit_id": plan["unit"]}}).get_json()
    assert act(api, task["id"], "accept", LEAD).status_code == 403  # of another unit
    assert api("truong_phong_a").get("/api/v1/tasks?role=lead").get_json()["total"] == 1
    accepted = _ok(act(api, task["id"], "accept", "chuyen_vien_1_a"))
    assert accepted["accepted_by"]["username"] == "chuyen_vien_1_a"
    assert _ok(act(api, task["id"], "progress", "truong_phong_a", percent=10))["progress"] == 10

    # The head of a leading unit is one of the lead: they may hand it to anyone of the organisation.
    _ok(act(api, task["id"], "transfer", "truong_phong_a", user_id=world.users[LEAD]))
    # A member leads: their head may hand it to another member, not outside the unit; the members, to anyone.
    second = incoming()
    led_by_user = assign(api, second["id"], {"lead": {"user_id": plan["chuyen_vien_1_a"]}}).get_json()
    refused = act(api, led_by_user["id"], "transfer", "truong_phong_a", user_id=world.users[LEAD])
    assert refused.status_code == 422 and "user_id" in refused.get_json()["error"]["fields"]
    inside = _ok(act(api, led_by_user["id"], "transfer", "truong_phong_a", user_id=plan["chuyen_vien_2_a"]))
    assert inside["lead"]["user"]["username"] == "chuyen_vien_2_a"
    assert act(api, led_by_user["id"], "transfer", "chuyen_vien_1_a", user_id=world.users[LEAD]).status_code == 403
    _ok(act(api, led_by_user["id"], "accept", "chuyen_vien_2_a"))
    _ok(act(api, led_by_user["id"], "transfer", "chuyen_vien_2_a", user_id=world.users[LEAD]))


def test_completing_links_only_an_outgoing_document_of_the_organisation(app, api, world, assigned, incoming) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    tid = task["id"]
    _ok(act(api, tid, "accept", LEAD))
    other_org = _draft(api, who="specialist_b")
    for bad in (other_org["id"], incoming()["id"], task["document"]["id"], 999999, "năm", True):
        refused = act(api, tid, "complete", LEAD, reply_document_id=bad)
        assert refused.status_code == 422, bad
        assert "reply_document_id" in refused.get_json()["error"]["fields"]
    both = act(api, tid, "complete", LEAD, create_reply=True, reply_document_id=_draft(api)["id"])
    assert both.status_code == 422 and "create_reply" in both.get_json()["error"]["fields"]
    assert _ok(api(LEAD).get(f"/api/v1/tasks/{tid}"))["state"] == "in_progress"
    assert _ok(act(api, tid, "complete", LEAD))["reply_document_id"] is None  # a reply is not required


def test_completing_drafts_the_reply(app, api, world, assigned) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    task = assigned()
    tid = task["id"]
    _ok(act(api, tid, "accept", LEAD))
    note = "Sở đã rà soát và thống nhất với nội dung đề nghị.\nĐề nghị quý cơ quan tổng hợp."
    done = _ok(act(api, tid, "complete", LEAD, note=note, create_reply=True))
    reply_id = done["reply_document_id"]
    assert done["state"] == "completed" and reply_id
    reply = _ok(api(LEAD).get(f"/api/v1/documents/{reply_id}"))
    assert reply["direction"] == "outgoing" and reply["status"] == "draft" and reply["document_type"] == "CV"
    assert reply["subject"].startswith("V/v trả lời văn bản số ")
    assert task["document"]["number"] in reply["subject"]
    main = next(f for f in reply["files"] if f["role"] == "main")
    pdf = api(LEAD).get(main["url"]).data
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "thống nhất với nội dung đề nghị" in text and "Lưu: VT" in text
    event = _ok(api(ASSIGNER).get(f"/api/v1/tasks/{tid}"))["events"][-1]
    assert event["data"] == {"reply_document_id": reply_id, "reply_drafted": True}


def test_an_overdue_task_is_derived_from_its_deadline(app, api, world, assigned) -> None:  # type: ignore[no-untyped-def]
    late, on_time = assigned(), assigned()
    set_task(app, late["id"], deadline=datetime.now(UTC) - timedelta(hours=2))
    listed = api(LEAD).get("/api/v1/tasks?overdue=1").get_json()
    assert [t["id"] for t in listed["items"]] == [late["id"]]
    assert listed["items"][0]["overdue"] is True
    assert _ok(api(LEAD).get(f"/api/v1/tasks/{late['id']}"))["overdue"] is True
    assert [t["id"] for t in api(LEAD).get("/api/v1/tasks?overdue=0").get_json()["items"]] == [on_time["id"]]
    assert api(ASSIGNER).get("/api/v1/tasks?role=assigned_by_me&overdue=1").get_json()["total"] == 1
    # Done late is no longer overdue.
    _ok(act(api, late["id"], "accept", LEAD))
    done = _ok(act(api, late["id"], "complete", LEAD))
    assert done["overdue"] is False
    assert api(LEAD).get("/api/v1/tasks?overdue=1").get_json()["total"] == 0


def test_the_list_filters_by_role_status_deadline_and_unit(app, api, world, units, assigned, incoming) -> None:  # type: ignore[no-untyped-def]
    first, second = assigned(), assigned(deadline_working_days=30)
    _ok(act(api, first["id"], "accept", LEAD))
    to_unit = assign(api, incoming()["id"], {"lead": {"unit_id": units["a"]}}).get_json()

    def ids(who: str, query: str) -> list[int]:
        response = api(who).get(f"/api/v1/tasks?{query}")
        assert response.status_code == 200, response.get_json()
        return [t["id"] for t in response.get_json()["items"]]

    soonest_first = sorted([first, second, to_unit], key=lambda t: moment(t["deadline"]))
    assert ids(LEAD, "") == [t["id"] for t in soonest_first]
    assert set(ids(LEAD, "role=lead")) == {first["id"], second["id"], to_unit["id"]}
    assert set(ids(COORDINATOR, "role=coordinator")) == {first["id"], second["id"]}
    assert set(ids(INFORMED, "role=informed")) == {first["id"], second["id"]}
    assert ids(INFORMED, "role=coordinator") == []
    assert set(ids(ASSIGNER, "role=assigned_by_me")) == {first["id"], second["id"], to_unit["id"]}
    assert ids(LEAD, "status=in_progress") == [first["id"]]
    assert set(ids(LEAD, "status=new")) == {second["id"], to_unit["id"]}

    def local_day(task: dict[str, Any]) -> str:
        return datetime.fromisoformat(task["deadline"]).astimezone(LOCAL_TZ).date().isoformat()

    assert set(ids(LEAD, f"due_before={local_day(first)}")) == {first["id"], to_unit["id"]}
    assert set(ids(LEAD, f"due_before={local_day(second)}")) == {first["id"], second["id"], to_unit["id"]}
    assert ids(LEAD, f"due_before={quote(first['deadline'])}") == []  # strictly before
    assert set(ids(ASSIGNER, f"unit={units['a']}")) == {first["id"], second["id"], to_unit["id"]}
    assert ids(STRANGER, "") == [to_unit["id"]]  # the admin is a member of the leading unit only
    assert ids("leader_b", "role=assigned_by_me") == []
    paged = api(LEAD).get("/api/v1/tasks?per_page=2&page=2").get_json()
    assert paged["total"] == 3 and len(paged["items"]) == 1
    for bad in ("status=late", "role=boss", f"unit={units['b']}", "due_before=soon", "per_page=0", "overdue=maybe"):
        assert api(LEAD).get(f"/api/v1/tasks?{bad}").status_code == 422, bad


def test_each_action_belongs_to_its_party(app, api, world, assigned) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    tid = task["id"]
    for who in (ASSIGNER, COORDINATOR, INFORMED, STRANGER):
        assert act(api, tid, "accept", who).status_code == 403, who
    _ok(act(api, tid, "accept", LEAD))
    for who in (COORDINATOR, INFORMED, STRANGER, ASSIGNER):
        assert act(api, tid, "progress", who, percent=5).status_code == 403, who
        assert act(api, tid, "complete", who).status_code == 403, who
        assert act(api, tid, "return", who, reason="x").status_code == 403, who
    for who in (LEAD, INFORMED, STRANGER):
        assert act(api, tid, "contribute", who, note="Ý kiến").status_code == 403, who
    for who in (LEAD, COORDINATOR, STRANGER):
        assert act(api, tid, "mark_read", who).status_code == 403, who
    for who in (LEAD, COORDINATOR, STRANGER, "leader_b"):
        expected = 404 if who == "leader_b" else 403
        assert act(api, tid, "cancel", who).status_code == expected, who
    assert act(api, 999999, "accept", LEAD).status_code == 404
    assert act(api, tid, "dance", LEAD).status_code == 404
    assert act(api, tid, "assign", ASSIGNER).status_code == 404
    assert api("specialist_b").get(f"/api/v1/tasks/{tid}").status_code == 404
    assert _ok(api(LEAD).get(f"/api/v1/tasks/{tid}"))["state"] == "in_progress"
    assert set(_ok(api(ASSIGNER).get(f"/api/v1/tasks/{tid}"))["actions"]) == {"cancel"}
    assert set(_ok(api(LEAD).get(f"/api/v1/tasks/{tid}"))["actions"]) == {
        "progress",
        "request_extension",
        "transfer",
        "complete",
        "return",
    }
