"""Sending an issued document to organisations of the same server: the recipients' queues, accept and return,
and what the sender sees per recipient."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.support import ORG_A, ORG_B, ORG_C, make_pdf


def _send(api, doc_id: int, codes: object, who: str = "clerk_a"):  # type: ignore[no-untyped-def]
    return api(who).post(f"/api/v1/documents/{doc_id}/send", json={"recipients": codes})


def _table(api, doc_id: int) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    response = api("clerk_a").get(f"/api/v1/documents/{doc_id}/dispatches")
    assert response.status_code == 200
    return {row["recipient"]["code"]: row for row in response.get_json()["items"]}


def test_a_document_sent_on_this_server_waits_in_each_recipients_queue(api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued(attachments=[("phu-luc.pdf", make_pdf("Phụ lục"))])
    sent = _send(api, doc["id"], [ORG_B, ORG_C])
    assert sent.status_code == 200, sent.get_json()
    assert {row["status"] for row in sent.get_json()["items"]} == {"delivered"}
    table = _table(api, doc["id"])
    assert set(table) == {ORG_B, ORG_C}
    assert [h["status"] for h in table[ORG_B]["history"]] == ["sent", "delivered"]
    assert table[ORG_B]["history"][1]["code"] == "01"

    waiting = api("clerk_b").get("/api/v1/inbox").get_json()
    assert waiting["total"] == 1
    arrival = waiting["items"][0]
    assert arrival["subject"] == doc["subject"]
    assert arrival["sender"]["code"] == ORG_A
    assert arrival["verdict"] == "valid"  # checked on arrival
    assert arrival["exchange_id"] == f"{ORG_A},{doc['issued_on'].replace('-', '/')},{doc['number']}/UBND-VP"
    assert [f["role"] for f in arrival["files"]] == ["main", "attachment"]
    opened = api("clerk_b").get(f"/api/v1/inbox/{arrival['id']}").get_json()
    assert opened["signatures"]["verdict"] == "valid"
    assert len(opened["signatures"]["signatures"]) == 2  # the leader's and the organisation's
    main = api("clerk_b").get(arrival["files"][0]["url"])
    assert main.status_code == 200
    assert main.headers["X-Content-SHA256"] == arrival["files"][0]["sha256"]
    assert api("leader_b").get("/api/v1/inbox").get_json()["total"] == 1  # leaders see it too
    assert api("clerk_c").get("/api/v1/inbox").get_json()["total"] == 1


def test_accepting_registers_it_with_the_next_incoming_number(api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued()
    _send(api, doc["id"], [ORG_B])
    clerk_b = api("clerk_b")
    first_paper = clerk_b.register(make_pdf("Giấy")).get_json()  # number 1 of B's incoming register
    arrival = clerk_b.get("/api/v1/inbox").get_json()["items"][0]
    accepted = clerk_b.post(f"/api/v1/inbox/{arrival['id']}/accept")
    assert accepted.status_code == 200, accepted.get_json()
    body = accepted.get_json()
    assert body["status"] == "accepted"
    registered = clerk_b.get(f"/api/v1/documents/{body['document_id']}").get_json()
    assert registered["direction"] == "incoming"
    assert registered["register_number"] == first_paper["register_number"] + 1
    assert registered["channel"] == "exchange"
    assert registered["number"] == doc["number"] and registered["notation"] == "UBND-VP"
    assert registered["issuer_code"] == ORG_A
    assert registered["urgency"] == "urgent"
    main = next(f for f in registered["files"] if f["role"] == "main")
    sent_main = max((f for f in doc["files"] if f["role"] == "main"), key=lambda f: f["version"])
    assert main["sha256"] == sent_main["sha256"]  # the very bytes that were signed and issued
    report = clerk_b.get(f"/api/v1/documents/{body['document_id']}/signatures").get_json()
    assert report["verdict"] == "valid"

    table = _table(api, doc["id"])
    assert table[ORG_B]["status"] == "accepted"
    assert [h["code"] for h in table[ORG_B]["history"]] == [None, "01", "03"]
    assert table[ORG_B]["history"][-1]["staff"] == "Người clerk B"
    assert clerk_b.get("/api/v1/inbox").get_json()["total"] == 0
    assert clerk_b.get("/api/v1/inbox?status=accepted").get_json()["total"] == 1

    again = clerk_b.post(f"/api/v1/inbox/{arrival['id']}/accept")
    assert again.status_code == 409
    assert again.get_json()["error"]["state"] == "accepted"
    returned_late = clerk_b.post(f"/api/v1/inbox/{arrival['id']}/return", json={"reason": "Nhầm"})
    assert returned_late.status_code == 409


def test_returning_tells_the_sender_why(api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued()
    _send(api, doc["id"], [ORG_C])
    clerk_c = api("clerk_c")
    arrival = clerk_c.get("/api/v1/inbox").get_json()["items"][0]
    for bad in ({}, {"reason": ""}, {"reason": "   "}, {"reason": 12}, {"reason": "x" * 5000}):
        refused = clerk_c.post(f"/api/v1/inbox/{arrival['id']}/return", json=bad)
        assert refused.status_code == 422, bad
        assert "reason" in refused.get_json()["error"]["fields"]
    assert clerk_c.post(f"/api/v1/inbox/{arrival['id']}/return", data="nope").status_code == 422
    returned = clerk_c.post(f"/api/v1/inbox/{arrival['id']}/return", json={"reason": "Không thuộc thẩm quyền"})
    assert returned.status_code == 200
    row = _table(api, doc["id"])[ORG_C]
    assert row["status"] == "returned"
    assert row["reason"] == "Không thuộc thẩm quyền"
    assert row["history"][-1]["code"] == "02"
    # Nothing was registered at C.
    assert clerk_c.get("/api/v1/documents?direction=incoming").get_json()["total"] == 0


def test_only_an_issued_document_is_sent_by_a_clerk_to_known_organisations(api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued()
    not_issued = api("clerk_a").register(make_pdf("Đến")).get_json()  # an incoming document
    assert _send(api, not_issued["id"], [ORG_B]).status_code == 409
    assert _send(api, doc["id"], [ORG_B], who="specialist_a").status_code == 403
    assert _send(api, doc["id"], [ORG_B], who="clerk_b").status_code == 404  # another organisation's document
    unknown = _send(api, doc["id"], [ORG_B, "000.00.99.Z99"])
    assert unknown.status_code == 422
    assert "000.00.99.Z99" in unknown.get_json()["error"]["fields"]["recipients"]
    assert _send(api, doc["id"], [ORG_A]).status_code == 422  # not to itself
    for bad in (None, [], "000.00.31.H99", [1, 2], [""], ["x" * 40], [ORG_B] * 300):
        assert _send(api, doc["id"], bad).status_code == 422, bad
    assert api("clerk_a").post(f"/api/v1/documents/{doc['id']}/send", data="x").status_code == 422
    assert api("clerk_a").post("/api/v1/documents/999999/send", json={"recipients": [ORG_B]}).status_code == 404
    # None of that sent anything.
    assert _table(api, doc["id"]) == {}
    assert api("clerk_b").get("/api/v1/inbox").get_json()["total"] == 0


def test_sending_twice_to_the_same_recipient_sends_once(app, api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued()
    first = _send(api, doc["id"], [ORG_B]).get_json()["items"]
    second = _send(api, doc["id"], [ORG_B, ORG_C]).get_json()["items"]
    assert first[0]["id"] == second[0]["id"]
    assert api("clerk_b").get("/api/v1/inbox").get_json()["total"] == 1
    assert api("clerk_c").get("/api/v1/inbox").get_json()["total"] == 1


def test_the_queue_belongs_to_its_organisation_and_its_clerks(api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued()
    _send(api, doc["id"], [ORG_B])
    arrival = api("clerk_b").get("/api/v1/inbox").get_json()["items"][0]
    assert api("clerk_c").get(f"/api/v1/inbox/{arrival['id']}").status_code == 404
    assert api("clerk_c").post(f"/api/v1/inbox/{arrival['id']}/accept").status_code == 404
    assert api("clerk_c").get(arrival["files"][0]["url"]).status_code == 404
    assert api("specialist_b").get("/api/v1/inbox").status_code == 403
    assert api("leader_b").post(f"/api/v1/inbox/{arrival['id']}/accept").status_code == 403
    assert api("clerk_b").get("/api/v1/inbox?status=bogus").status_code == 422
    assert api("clerk_b").get(f"/api/v1/inbox/{arrival['id']}/files/9").status_code == 404
    assert api("clerk_b").get("/api/v1/inbox").get_json()["items"][0]["status"] == "waiting"


def test_statuses_twice_or_out_of_order_leave_the_latest(app, api, issued) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.routing import service
    from app.routing.models import Dispatch, DispatchEvent

    doc = issued()
    dispatch_id = _send(api, doc["id"], [ORG_B]).get_json()["items"][0]["id"]
    now = datetime.now(UTC)
    with app.app_context():
        dispatch = db.session.get(Dispatch, dispatch_id)
        assert service.apply_status(dispatch, "05", now + timedelta(minutes=5), staff="Chuyên viên")
        assert service.apply_status(dispatch, "03", now + timedelta(minutes=1))  # late: kept, not shown
        assert not service.apply_status(dispatch, "05", now + timedelta(minutes=5))  # twice: once
        assert service.apply_status(dispatch, "04", now + timedelta(minutes=3))
        db.session.commit()
        assert dispatch.status == "in_progress"
        count = db.session.scalar(sa.select(sa.func.count()).where(DispatchEvent.dispatch_id == dispatch_id))
        assert count == 5  # sent, delivered, 05, 03, 04
        assert service.apply_status(dispatch, "06", now + timedelta(minutes=9))
        db.session.commit()
        assert dispatch.status == "completed"


def test_a_recall_agreed_freezes_the_registered_document(api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued()
    _send(api, doc["id"], [ORG_B, ORG_C])
    clerk_b, clerk_c = api("clerk_b"), api("clerk_c")
    arrival_b = clerk_b.get("/api/v1/inbox").get_json()["items"][0]
    accepted = clerk_b.post(f"/api/v1/inbox/{arrival_b['id']}/accept").get_json()
    url = f"/api/v1/documents/{doc['id']}/change"
    assert api("clerk_a").post(url, json={"kind": "recall"}).status_code == 422  # no reason
    assert api("clerk_a").post(url, json={"kind": "erase", "reason": "x"}).status_code == 422
    assert api("specialist_a").post(url, json={"kind": "recall", "reason": "x"}).status_code == 403
    asked = api("clerk_a").post(url, json={"kind": "recall", "reason": "Ban hành nhầm đối tượng"})
    assert asked.status_code == 200, asked.get_json()
    assert {row["status"] for row in asked.get_json()["items"]} == {"recall_requested"}
    table = _table(api, doc["id"])
    assert table[ORG_B]["pending_change"] == "recall"
    assert table[ORG_B]["history"][-1]["code"] == "13"
    # Asked twice while the first request waits: nobody is asked again.
    assert api("clerk_a").post(url, json={"kind": "recall", "reason": "Lần hai"}).status_code == 409

    opened = clerk_b.get(f"/api/v1/inbox/{arrival_b['id']}").get_json()
    assert opened["pending_change"] == "recall" and opened["pending_reason"] == "Ban hành nhầm đối tượng"
    assert clerk_b.post(f"/api/v1/inbox/{arrival_b['id']}/change", json={"agree": "yes"}).status_code == 422
    agreed = clerk_b.post(f"/api/v1/inbox/{arrival_b['id']}/change", json={"agree": True})
    assert agreed.status_code == 200, agreed.get_json()
    assert agreed.get_json()["status"] == "recalled"
    frozen = clerk_b.get(f"/api/v1/documents/{accepted['document_id']}").get_json()
    assert frozen["status"] == "recalled"  # kept for the audit
    assert clerk_b.get("/api/v1/documents?direction=incoming").get_json()["total"] == 0  # out of the lists
    patch = clerk_b.patch(f"/api/v1/documents/{accepted['document_id']}", json={"subject": "Sửa"})
    assert patch.status_code in {403, 409}
    assert _table(api, doc["id"])[ORG_B]["status"] == "recalled"
    assert clerk_b.post(f"/api/v1/inbox/{arrival_b['id']}/change", json={"agree": True}).status_code == 409

    # C refuses, with a reason.
    arrival_c = clerk_c.get("/api/v1/inbox").get_json()["items"][0]
    assert clerk_c.post(f"/api/v1/inbox/{arrival_c['id']}/change", json={"agree": False}).status_code == 422
    refused = clerk_c.post(
        f"/api/v1/inbox/{arrival_c['id']}/change", json={"agree": False, "reason": "Đã chuyển xử lý"}
    )
    assert refused.status_code == 200
    row = _table(api, doc["id"])[ORG_C]
    assert row["status"] == "change_refused" and row["reason"] == "Đã chuyển xử lý"
    assert row["history"][-1]["code"] == "16"
    assert clerk_c.get("/api/v1/inbox").get_json()["items"][0]["status"] == "waiting"


def test_a_replacement_agreed_swaps_in_the_corrected_file_and_keeps_the_first(api, issued) -> None:  # type: ignore[no-untyped-def]
    import io

    doc = issued()
    _send(api, doc["id"], [ORG_B])
    clerk_b = api("clerk_b")
    arrival = clerk_b.get("/api/v1/inbox").get_json()["items"][0]
    registered = clerk_b.post(f"/api/v1/inbox/{arrival['id']}/accept").get_json()
    url = f"/api/v1/documents/{doc['id']}/change"
    no_file = api("clerk_a").post(url, json={"kind": "replace", "reason": "Sai số liệu"})
    assert no_file.status_code == 422 and "file" in no_file.get_json()["error"]["fields"]
    corrected = make_pdf("Bản đính chính")
    asked = api("clerk_a").post(
        url,
        data={"kind": "replace", "reason": "Sai số liệu", "file": (io.BytesIO(corrected), "dinh-chinh.pdf")},
        content_type="multipart/form-data",
    )
    assert asked.status_code == 200, asked.get_json()
    agreed = clerk_b.post(f"/api/v1/inbox/{arrival['id']}/change", json={"agree": True}).get_json()
    assert agreed["status"] == "accepted"
    assert agreed["files"][0]["filename"] == "dinh-chinh.pdf"
    mains = [
        f
        for f in clerk_b.get(f"/api/v1/documents/{registered['document_id']}").get_json()["files"]
        if f["role"] == "main"
    ]
    assert [f["version"] for f in mains] == [1, 2]  # the first is kept
    newest = max(mains, key=lambda f: f["version"])
    assert clerk_b.get(newest["url"]).data == corrected
    assert _table(api, doc["id"])[ORG_B]["status"] == "replaced"
    sender_mains = [
        f for f in api("clerk_a").get(f"/api/v1/documents/{doc['id']}").get_json()["files"] if f["role"] == "main"
    ]
    assert len(sender_mains) == 4  # draft, signed, issued, corrected: every version is kept on both sides


def test_only_a_clerk_sends_a_failed_delivery_again(app, api, issued) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.routing import service
    from app.routing.models import Dispatch

    doc = issued()
    dispatch_id = _send(api, doc["id"], [ORG_B]).get_json()["items"][0]["id"]
    with app.app_context():
        service.mark_failed(db.session.get(Dispatch, dispatch_id), "the peer is away")
        db.session.commit()
    assert api("specialist_a").post(f"/api/v1/dispatches/{dispatch_id}/resend").status_code == 403
    assert api("clerk_b").post(f"/api/v1/dispatches/{dispatch_id}/resend").status_code == 404
    refused = api("clerk_a").post(f"/api/v1/dispatches/{dispatch_id}/resend")
    assert refused.status_code == 409  # a dispatch on this server has no delivery to redo
