"""A document that arrived from another organisation: its sender sees the processing as it goes (04, 05, 06)."""

from __future__ import annotations

from tests.support import ORG_B
from tests.tasks.support import act, assign, count


def _row(api, doc_id: int) -> dict:  # type: ignore[no-untyped-def]
    table = api("clerk_a").get(f"/api/v1/documents/{doc_id}/dispatches").get_json()["items"]
    return next(row for row in table if row["recipient"]["code"] == ORG_B)


def test_the_sender_sees_assigned_in_progress_and_completed(api, world, issued) -> None:  # type: ignore[no-untyped-def]
    sent = issued()
    assert api("clerk_a").post(f"/api/v1/documents/{sent['id']}/send", json={"recipients": [ORG_B]}).status_code == 200
    arrival = api("clerk_b").get("/api/v1/inbox").get_json()["items"][0]
    registered = api("clerk_b").post(f"/api/v1/inbox/{arrival['id']}/accept").get_json()
    doc_id = registered["document_id"]
    assert _row(api, sent["id"])["status"] == "accepted"

    task = assign(
        api,
        doc_id,
        {"lead": {"user_id": world.users["specialist_b"]}, "instructions": "Nội bộ: không gửi ra ngoài."},
        who="leader_b",
    )
    assert task.status_code == 201, task.get_json()
    tid = task.get_json()["id"]
    row = _row(api, sent["id"])
    assert row["status"] == "assigned"
    assert row["history"][-1]["code"] == "04"
    assert row["history"][-1]["staff"] == "Người leader B"
    assert row["history"][-1]["description"] is None  # the instructions stay inside the organisation

    assert act(api, tid, "accept", "specialist_b").status_code == 200
    assert _row(api, sent["id"])["status"] == "in_progress"
    assert act(api, tid, "progress", "specialist_b", percent=60).status_code == 200
    assert act(api, tid, "complete", "specialist_b", note="Đã trả lời.").status_code == 200
    row = _row(api, sent["id"])
    assert row["status"] == "completed"
    assert [h["code"] for h in row["history"]] == [None, "01", "03", "04", "05", "06"]

    # The sender's organisation cannot see the recipient's task, nor its timeline.
    assert api("leader_a").get(f"/api/v1/tasks/{tid}").status_code == 404
    assert api("leader_a").get(f"/api/v1/documents/{doc_id}/timeline").status_code == 404


def test_a_document_registered_on_paper_tells_nobody(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    from app.routing.models import DispatchEvent

    doc = incoming()
    task = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}}).get_json()
    assert act(api, task["id"], "accept", "specialist_a").status_code == 200
    assert act(api, task["id"], "complete", "specialist_a").status_code == 200
    assert count(app, DispatchEvent) == 0
