"""A document sent from one server to an organisation on another: its sender, on the first server, hears how the
processing goes there (04 assigned, 05 in progress, 06 completed) through the exchange, and nothing more. The
sender's server may be down meanwhile: the statuses wait in the recipient's outbox and arrive, once each."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from tests.routing.servers import PASSWORD, Cluster, Server, wait_until

A_CODE, B_CODE = "000.00.00.A01", "000.00.00.B02"
LEADER_B, SPECIALIST_B = "Trần Văn Lãnh Đạo", "Phạm Thị Chuyên Viên"
# The words of B's people that must stay at B; the ASCII tags find them in the outbox's JSON, however it escapes.
INSTRUCTIONS = "Nội bộ: không gửi ra ngoài (NB-INSTR-7731)."
NOTES = ("Đã đọc, đang xử lý (NB-NOTE-1)", "Đã soạn dự thảo (NB-NOTE-2)", "Đã trả lời (NB-NOTE-3)")
PROCESSING = ("04", "05", "06")


@pytest.fixture(scope="module")
def servers(tmp_path_factory, s3_server) -> Iterator[tuple[Server, Server]]:  # type: ignore[no-untyped-def]
    """Province A's server and Ministry B's, paired, each with its worker; B has a specialist besides its clerk
    and leader. B gives up other work after two attempts: statuses have an attempt limit of their own
    (STATUS_MAX_ATTEMPTS, about a day and a half), so a sender down for a while is an outage to wait out."""
    with Cluster(tmp_path_factory.mktemp("exchange"), s3_server) as cluster:
        a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
        b = cluster.server("bo-b", B_CODE, "Bộ B", env={"OUTBOX_MAX_ATTEMPTS": "2"})
        cluster.pair(a, b)
        b.flask(
            "users",
            "create",
            "specialist",
            "--org",
            B_CODE,
            "--role",
            "specialist",
            "--password",
            PASSWORD,
            "--full-name",
            SPECIALIST_B,
            "--position",
            "Chuyên viên",
        )
        a.start_worker()
        b.start_worker()
        yield a, b


def _dispatch(a: Server, doc_id: int) -> dict[str, Any]:
    (row,) = a.client("clerk").get(f"/api/v1/documents/{doc_id}/dispatches").json()["items"]
    assert row["recipient"]["code"] == B_CODE
    return row


def _reached(a: Server, doc_id: int, status: str) -> dict[str, Any]:
    return wait_until(
        lambda: (row := _dispatch(a, doc_id))["status"] == status and row, what=f"{status!r} at the sender"
    )


def _accepted_at_b(a: Server, b: Server, subject: str) -> tuple[dict[str, Any], int]:
    """A's document, sent to B, delivered and accepted there: A's document and B's registered document id."""
    doc = a.issued_document(subject)
    sent = a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    assert sent.status_code == 200, sent.text
    _reached(a, doc["id"], "delivered")
    waiting = b.client("clerk").get("/api/v1/inbox").json()["items"]
    (arrival,) = [row for row in waiting if row["subject"] == subject]
    accepted = b.client("clerk").post(f"/api/v1/inbox/{arrival['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    _reached(a, doc["id"], "accepted")
    return doc, accepted.json()["document_id"]


def _assign(b: Server, doc_id: int) -> int:
    lead = b.client("specialist").get("/api/v1/me").json()["id"]
    body = {"lead": {"user_id": lead}, "instructions": INSTRUCTIONS}
    task = b.client("leader").post(f"/api/v1/documents/{doc_id}/assignments", json=body)
    assert task.status_code == 201, task.text
    return int(task.json()["id"])


def _act(b: Server, task_id: int, action: str, **body: Any) -> None:
    done = b.client("specialist").post(f"/api/v1/tasks/{task_id}/{action}", json=body)
    assert done.status_code == 200, (action, done.text)


def _statuses_sent(b: Server, since: int, where: str = "") -> int:
    """B's status messages queued after outbox row `since`, narrowed by `where`."""
    sql = f"SELECT count(*) FROM outbox WHERE kind = 'routing.status' AND id > :since {where}"  # noqa: S608
    return int(b.scalar(sql, since=since))


def _execute(server: Server, sql: str, **params: Any) -> None:
    engine = sa.create_engine(server.env["DATABASE_URL"])
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql), params)
    finally:
        engine.dispose()


def _assert_processing_told_once_in_order(row: dict[str, Any]) -> None:
    history = row["history"]
    assert [h["code"] for h in history] == [None, "01", "03", "04", "05", "06"]
    assert [h["status"] for h in history] == ["sent", "delivered", "accepted", "assigned", "in_progress", "completed"]
    assert [h["at"] for h in history] == sorted(h["at"] for h in history)
    processing = [h for h in history if h["code"] in PROCESSING]
    assert [h["staff"] for h in processing] == [LEADER_B, SPECIALIST_B, SPECIALIST_B]
    # The leader's instructions and the specialist's notes stay inside B: only the status and who set it go.
    assert [h["description"] for h in processing] == [None, None, None]
    assert row["status"] == "completed"
    assert row["reason"] is None


def _assert_nothing_internal_left_b(b: Server) -> None:
    for tag in ("NB-INSTR", "NB-NOTE"):
        leaked = b.scalar(
            "SELECT count(*) FROM outbox WHERE kind = 'routing.status' AND CAST(payload AS TEXT) LIKE :tag",
            tag=f"%{tag}%",
        )
        assert leaked == 0, tag


def test_the_sender_on_another_server_sees_assigned_in_progress_and_completed(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    doc, registered = _accepted_at_b(a, b, "Về việc phối hợp xử lý giữa hai máy chủ")

    task_id = _assign(b, registered)
    row = _reached(a, doc["id"], "assigned")
    assert row["history"][-1]["code"] == "04"
    assert row["history"][-1]["staff"] == LEADER_B
    assert row["history"][-1]["description"] is None

    _act(b, task_id, "accept", note=NOTES[0])
    assert _reached(a, doc["id"], "in_progress")["history"][-1]["code"] == "05"
    _act(b, task_id, "progress", percent=60, note=NOTES[1])
    _act(b, task_id, "complete", note=NOTES[2])
    _reached(a, doc["id"], "completed")

    # Every status B queued went out; a progress report is not a status of the exchange.
    wait_until(lambda: _statuses_sent(b, 0, "AND state <> 'done'") == 0, what="B's outbox to empty")
    _assert_processing_told_once_in_order(_dispatch(a, doc["id"]))
    _assert_nothing_internal_left_b(b)


def test_statuses_made_while_the_sender_is_down_arrive_once_each_in_order(servers: tuple[Server, Server]) -> None:
    a, b = servers
    doc, registered = _accepted_at_b(a, b, "Về việc xử lý khi máy chủ gửi ngừng hoạt động")
    since = int(b.scalar("SELECT coalesce(max(id), 0) FROM outbox"))

    a.kill_web()  # the sender's server is down: its address refuses connections
    task_id = _assign(b, registered)
    _act(b, task_id, "accept", note=NOTES[0])
    _act(b, task_id, "progress", percent=60, note=NOTES[1])
    _act(b, task_id, "complete", note=NOTES[2])
    assert _statuses_sent(b, since) == 3
    wait_until(
        lambda: _statuses_sent(b, since, "AND state = 'pending' AND attempts >= 2 AND last_error IS NOT NULL") == 3,
        what="B's worker to try each status again",
    )
    assert _statuses_sent(b, since, "AND state = 'done'") == 0
    assert _statuses_sent(b, since, "AND max_attempts = 400") == 3

    a.start()
    _reached(a, doc["id"], "completed")
    wait_until(lambda: _statuses_sent(b, since, "AND state = 'done'") == 3, what="B's statuses delivered")
    row = _dispatch(a, doc["id"])
    _assert_processing_told_once_in_order(row)
    _assert_nothing_internal_left_b(b)

    # B's worker sends the same three messages again, as it would if A's answers had been lost on the way:
    # A answers as the first time and keeps nothing more.
    received = int(a.scalar("SELECT count(*) FROM received_messages WHERE kind = 'status'"))
    _execute(
        b,
        "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = '2000-01-01 00:00:00', "
        "locked_until = NULL, done_at = NULL WHERE kind = 'routing.status' AND id > :since",
        since=since,
    )
    wait_until(
        lambda: _statuses_sent(b, since, "AND state = 'done' AND done_at IS NOT NULL") == 3,
        what="B's statuses sent again",
    )
    assert _statuses_sent(b, since, "AND attempts = 1") == 3
    assert _dispatch(a, doc["id"])["history"] == row["history"]
    assert int(a.scalar("SELECT count(*) FROM received_messages WHERE kind = 'status'")) == received
