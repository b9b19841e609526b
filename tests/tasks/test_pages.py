"""The task pages through the Flask test client: assigning from the document page, my tasks, acting on a task
(with files, refusals shown under their fields), the reply drafted on completion, the processing slip."""

from __future__ import annotations

import io
import re

from tests.signing.test_pages import _browser, _flashes, _submit
from tests.tasks.support import ASSIGNER, COORDINATOR, LEAD


def _task_id(location: str) -> int:
    match = re.search(r"/tasks/(\d+)$", location)
    assert match, location
    return int(match.group(1))


def test_a_leader_assigns_from_the_document_page_and_the_lead_carries_it_out(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(subject="Đề nghị báo cáo tình hình thực hiện kế hoạch năm")
    leader = _browser(app, ASSIGNER, lang="vi")
    page = leader.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert 'id="processing"' in page and f"/documents/{doc['id']}/assign" in page

    form = {
        "lead": f"user:{world.users[LEAD]}",
        "coordinators": [f"user:{world.users[COORDINATOR]}"],
        "deadline_working_days": "5",
        "instructions": "Giao phòng chuyên môn tham mưu, báo cáo trước hạn.",
    }
    done = _submit(leader, f"/documents/{doc['id']}/assign", f"/documents/{doc['id']}/assign", form)
    assert done.status_code == 302, done.get_data(as_text=True)
    tid = _task_id(done.headers["Location"])
    task = api(LEAD).get(f"/api/v1/tasks/{tid}").get_json()
    assert task["lead"]["user"]["username"] == LEAD and task["deadline_basis"] == "working_days"
    assert task["instructions"] == form["instructions"]

    lead = _browser(app, LEAD, lang="vi")
    menu = lead.get("/tasks").get_data(as_text=True)
    assert f'id="task-{tid}"' in menu and doc["subject"] in menu
    page = lead.get(f"/tasks/{tid}").get_data(as_text=True)
    assert 'id="action-accept"' in page and 'id="action-cancel"' not in page  # only the leader cancels
    assert _submit(lead, f"/tasks/{tid}", f"/tasks/{tid}/do/accept", {}).status_code == 302
    report = _submit(
        lead,
        f"/tasks/{tid}",
        f"/tasks/{tid}/do/progress",
        {
            "percent": "40",
            "note": "Đã tổng hợp số liệu quý III.",
            "attachments": (io.BytesIO(b"so lieu"), "so-lieu.csv"),
        },
        content_type="multipart/form-data",
    )
    assert report.status_code == 302
    page = lead.get(f"/tasks/{tid}").get_data(as_text=True)
    assert "Đã tổng hợp số liệu quý III." in page and "so-lieu.csv" in page and 'value="40"' in page

    finished = _submit(
        lead, f"/tasks/{tid}", f"/tasks/{tid}/do/complete", {"note": "Đề nghị ký văn bản trả lời.", "create_reply": "1"}
    )
    assert finished.status_code == 302
    reply_id = api(LEAD).get(f"/api/v1/tasks/{tid}").get_json()["reply_document_id"]
    assert finished.headers["Location"].endswith(f"/documents/{reply_id}")  # straight to the draft, to edit it
    assert api(LEAD).get(f"/api/v1/documents/{reply_id}").get_json()["status"] == "draft"

    slip = leader.get(f"/documents/{doc['id']}/processing-slip").get_data(as_text=True)
    assert "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN" in slip
    leader_part = slip[slip.index("slip-leader") : slip.index("slip-unit")]
    handler_part = slip[slip.index("slip-handler") :]
    assert form["instructions"] in leader_part
    assert "Đề nghị ký văn bản trả lời." in handler_part and "Đã tổng hợp số liệu quý III." in handler_part


def test_a_refused_action_shows_its_reason_under_the_field(app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    tid = assigned()["id"]
    lead = _browser(app, LEAD, lang="vi")
    assert _submit(lead, f"/tasks/{tid}", f"/tasks/{tid}/do/accept", {}).status_code == 302
    bad = _submit(lead, f"/tasks/{tid}", f"/tasks/{tid}/do/progress", {"percent": "140", "note": "Quá trăm"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="err-percent"' in html and "Quá trăm" in html  # what was typed stays
    assert api(LEAD).get(f"/api/v1/tasks/{tid}").get_json()["progress"] == 0
    empty = _submit(lead, f"/tasks/{tid}", f"/tasks/{tid}/do/return", {"reason": "   "})
    assert empty.status_code == 422 and 'id="err-reason"' in empty.get_data(as_text=True)
    # Not allowed in this state: said in a message, nothing changed.
    leader = _browser(app, ASSIGNER, lang="en")
    refused = _submit(leader, f"/tasks/{tid}", f"/tasks/{tid}/do/reopen", {})
    assert refused.status_code == 302
    assert "In progress" in _flashes(leader, f"/tasks/{tid}")
    assert api(LEAD).get(f"/api/v1/tasks/{tid}").get_json()["state"] == "in_progress"
    assert lead.post(f"/tasks/{tid}/do/fly", data={}).status_code in (400, 404)  # no such action (or no token)


def test_assigning_badly_keeps_the_form_and_names_the_field(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    doc = incoming()
    leader = _browser(app, ASSIGNER, lang="vi")
    page = f"/documents/{doc['id']}/assign"
    bad = _submit(leader, page, page, {"lead": "", "instructions": "Chỉ đạo giữ lại", "deadline": "01/01/2020"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="err-lead"' in html and "Chỉ đạo giữ lại" in html
    other = _submit(leader, page, page, {"lead": f"user:{world.users['specialist_b']}"})
    assert other.status_code == 422 and 'id="err-lead"' in other.get_data(as_text=True)
    assert api(ASSIGNER).get("/api/v1/tasks?role=assigned_by_me").get_json()["total"] == 0
    # Only leaders assign; another organisation does not see the document at all.
    assert _browser(app, LEAD).get(page).status_code == 403
    assert _browser(app, "leader_b").get(page).status_code == 404
    assert _browser(app, "leader_b").get(f"/documents/{doc['id']}/processing-slip").status_code == 404


def test_my_tasks_tabs(app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from app.extensions import utcnow
    from tests.tasks.support import set_task

    late, soon, far = assigned(), assigned(), assigned()
    set_task(app, late["id"], deadline=utcnow() - timedelta(hours=1))
    set_task(app, soon["id"], deadline=utcnow() + timedelta(days=1))
    set_task(app, far["id"], deadline=utcnow() + timedelta(days=20))
    lead = _browser(app, LEAD, lang="vi")

    def shown(view: str) -> set[int]:
        html = lead.get(f"/tasks?view={view}").get_data(as_text=True)
        return {int(i) for i in re.findall(r'<tr id="task-(\d+)"', html)}

    assert shown("todo") == {late["id"], soon["id"], far["id"]}
    assert shown("overdue") == {late["id"]}
    assert shown("due_soon") == {soon["id"]}
    assert shown("done") == set()
    assert shown("nonsense") == shown("todo")
    coordinator = _browser(app, COORDINATOR, lang="vi")
    assert len(re.findall(r'<tr id="task-', coordinator.get("/tasks?view=coordinating").get_data(as_text=True))) == 3
    menu = lead.get("/documents").get_data(as_text=True)
    assert re.search(r'href="/tasks"[^>]*>[^<]*<span class="count-badge"[^>]*>3</span>', menu)
