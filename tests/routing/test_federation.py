"""Two or three real servers side by side (gunicorn, a database, a bucket and a worker each) exchange signed
documents and statuses; servers and workers are killed on the way. Nothing is lost, nothing arrives twice."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.routing.servers import Cluster, Server, wait_until

A_CODE, B_CODE, C_CODE = "000.00.00.A01", "000.00.00.B02", "000.00.00.C03"


@pytest.fixture
def cluster(tmp_path, s3_server) -> Iterator[Cluster]:  # type: ignore[no-untyped-def]
    with Cluster(tmp_path, s3_server) as made:
        yield made


def _dispatch(server: Server, doc_id: int) -> dict:
    rows = server.client("clerk").get(f"/api/v1/documents/{doc_id}/dispatches").json()["items"]
    assert len(rows) == 1
    return rows[0]


def _inbox(server: Server, status: str = "waiting") -> list[dict]:
    return server.client("clerk").get(f"/api/v1/inbox?status={status}").json()["items"]


def _arrivals(server: Server) -> int:
    return int(server.scalar("SELECT count(*) FROM arrivals"))


def test_two_servers_exchange_a_signed_document_and_its_statuses(cluster: Cluster) -> None:
    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B")
    cluster.pair(a, b)
    a.start_worker()
    b.start_worker()

    listed = a.client("clerk").get("/api/v1/directory?q=Bộ").json()["items"]
    assert {"code": B_CODE, "name": "Bộ B", "peer": "bo-b"} in listed

    doc = a.issued_document()
    sent = a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    assert sent.status_code == 200, sent.text
    assert sent.json()["items"][0]["status"] == "sent"
    assert sent.json()["items"][0]["remote"] is True

    wait_until(lambda: _dispatch(a, doc["id"])["status"] == "delivered", what="delivered at A")
    (arrival,) = _inbox(b)
    assert arrival["sender"] == {"code": A_CODE, "name": "Ủy ban nhân dân tỉnh A"}
    assert arrival["from_peer"] == "tinh-a"
    assert arrival["subject"] == doc["subject"]
    assert arrival["number"] == doc["number"]
    assert arrival["exchange_id"] == f"{A_CODE},{doc['issued_on'].replace('-', '/')},{doc['number']}/VP"
    # B does not trust A's own CA: the signatures are intact but untrusted, and said so.
    assert arrival["verdict"] == "untrusted"
    sent_main = max((f for f in doc["files"] if f["role"] == "main"), key=lambda f: f["version"])
    got = b.client("clerk").get(arrival["files"][0]["url"])
    assert got.headers["X-Content-SHA256"] == sent_main["sha256"]

    accepted = b.client("clerk").post(f"/api/v1/inbox/{arrival['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    wait_until(lambda: _dispatch(a, doc["id"])["status"] == "accepted", what="accepted at A")
    history = _dispatch(a, doc["id"])["history"]
    assert [h["code"] for h in history] == [None, "01", "03"]
    assert history[-1]["staff"] == "Nguyễn Thị Văn Thư"

    # A replayed envelope is answered as the first time and creates nothing.
    assert _arrivals(b) == 1


def test_the_receiver_down_when_sent_gets_it_once_it_is_back(cluster: Cluster) -> None:
    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B")
    cluster.pair(a, b)
    b.kill_web()
    a.start_worker()
    doc = a.issued_document()
    a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    wait_until(
        lambda: a.scalar("SELECT attempts FROM outbox WHERE kind = 'routing.deliver'") >= 2, what="a few attempts"
    )
    row = _dispatch(a, doc["id"])
    assert row["status"] == "sent"
    assert a.scalar("SELECT last_error FROM outbox WHERE kind = 'routing.deliver'")
    b.start()
    wait_until(lambda: _dispatch(a, doc["id"])["status"] == "delivered", what="delivered after B is back")
    assert _arrivals(b) == 1


def test_the_receiver_killed_after_storing_before_answering_keeps_one_copy(cluster: Cluster) -> None:
    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B", env={"EXCHANGE_DIE_AFTER_STORE": "1"})
    cluster.pair(a, b)
    a.start_worker()
    doc = a.issued_document()
    a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    # B's process dies after each commit of a new message; gunicorn starts another in its place. A's worker
    # gets no answer, tries again, and the new process answers the replay as the first one would have.
    wait_until(lambda: _dispatch(a, doc["id"])["status"] == "delivered", what="delivered after B's death")
    assert _arrivals(b) == 1
    assert a.scalar("SELECT attempts FROM outbox WHERE kind = 'routing.deliver'") >= 2
    assert "was sent SIGKILL" in b.log()  # gunicorn saw its worker die


def test_the_senders_worker_killed_while_delivering_delivers_once_after_restart(cluster: Cluster) -> None:
    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B")
    cluster.pair(a, b)
    docs = [a.issued_document(f"Văn bản số {n} gửi Bộ B") for n in range(6)]
    for doc in docs:
        a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    a.start_worker()
    wait_until(lambda: _arrivals(b) >= 2, what="some deliveries")
    a.kill_worker()  # SIGKILL, wherever it was
    a.start_worker()
    wait_until(
        lambda: all(_dispatch(a, d["id"])["status"] == "delivered" for d in docs), timeout=60, what="all delivered"
    )
    assert _arrivals(b) == len(docs)
    assert int(b.scalar("SELECT count(DISTINCT message_id) FROM arrivals")) == len(docs)


def test_tampered_or_unknown_messages_are_refused_and_nothing_is_stored(cluster: Cluster) -> None:
    from app.routing import edxml

    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B")
    cluster.pair(a, b)
    doc = a.issued_document()
    a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    envelope = _outgoing_envelope(a)  # what A's worker would post, signed by A
    url = b.base + "/api/v1/exchange/messages"

    def post(body: bytes) -> requests.Response:
        return requests.post(url, data=body, headers={"Content-Type": "application/xml"}, timeout=30)

    changed_subject = envelope.replace(doc["subject"].encode(), "Về việc khác hẳn".encode(), 1)
    refusals = {
        "subject": post(changed_subject),
        "file": post(_flip_in_attachment(envelope)),
        "not xml": post(b"\x00\x01 not xml"),
        "entity": post(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
        "unsigned": post(_unsigned(envelope)),
        "unknown sender": post(envelope.replace(A_CODE.encode(), b"000.00.00.Z99")),
    }
    for what, response in refusals.items():
        assert response.status_code in {400, 403}, (what, response.status_code, response.text)
        assert response.json()["error"]["code"], what
    assert refusals["unknown sender"].status_code == 403
    assert refusals["entity"].json()["error"]["code"] == "entity"
    assert _arrivals(b) == 0
    assert int(b.scalar("SELECT count(*) FROM received_messages")) == 0
    assert int(b.scalar("SELECT count(*) FROM audit_events WHERE action = 'exchange:rejected'")) == len(refusals)

    # The genuine envelope is taken, once, however often it comes.
    first = post(envelope)
    assert first.status_code == 200, first.text
    again = post(envelope)
    assert again.status_code == 200 and again.json() == first.json()
    assert _arrivals(b) == 1
    assert edxml.peek(envelope)[1] == A_CODE


def _outgoing_envelope(server: Server) -> bytes:
    """The signed envelope of the server's first dispatch, built by the server's own code in a child process."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from app import create_app\n"
        "from app.extensions import db\n"
        "from app.documents.models import Document\n"
        "from app.routing import edxml, federation\n"
        "from app.routing.models import Dispatch\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    d = db.session.get(Dispatch, 1)\n"
        "    doc = db.session.get(Document, d.document_id)\n"
        "    sys.stdout.buffer.write(federation._signed(edxml.envelope_xml(federation.build_envelope(d, doc))))\n"
        "    db.session.commit()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=server.env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def _flip_in_attachment(envelope: bytes) -> bytes:
    start = envelope.index(b"<ContentTransferEncoded>") if b"<ContentTransferEncoded>" in envelope else -1
    if start < 0:
        start = envelope.index(b"ContentTransferEncoded>")
    at = start + 200
    flipped = b"A" if envelope[at : at + 1] != b"A" else b"B"
    return envelope[:at] + flipped + envelope[at + 1 :]


def _unsigned(envelope: bytes) -> bytes:
    start = envelope.index(b"<ds:Signature")
    end = envelope.index(b"</ds:Signature>") + len(b"</ds:Signature>")
    return envelope[:start] + envelope[end:]


def test_adding_a_peer_checks_who_it_is(cluster: Cluster) -> None:
    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B")
    identity = requests.get(b.base + "/api/v1/exchange/identity", timeout=10).json()
    assert identity["organisations"] == [{"code": B_CODE, "name": "Bộ B"}]
    assert identity["name"] == "bo-b"
    admin = a.client("admin")
    body = {"name": "bo-b", "base_url": b.base, "fingerprint": identity["fingerprint"]}

    assert a.client("clerk").post("/api/v1/peers", json=body).status_code == 403
    wrong = admin.post("/api/v1/peers", json={**body, "fingerprint": "00" * 32})
    assert wrong.status_code == 422 and "fingerprint" in wrong.json()["error"]["fields"]
    nobody = admin.post("/api/v1/peers", json={**body, "base_url": "http://127.0.0.1:9"})
    assert nobody.status_code == 422 and "base_url" in nobody.json()["error"]["fields"]
    for bad in ({**body, "base_url": "ftp://x"}, {**body, "base_url": 7}, {**body, "name": "có dấu"}, []):
        assert admin.post("/api/v1/peers", json=bad).status_code == 422, bad
    assert admin.get("/api/v1/peers").json()["items"] == []

    spaced = ":".join(identity["fingerprint"][i : i + 2] for i in range(0, 64, 2)).upper()
    added = admin.post("/api/v1/peers", json={**body, "fingerprint": spaced})
    assert added.status_code == 201, added.text
    assert added.json()["organisations"] == [{"code": B_CODE, "name": "Bộ B"}]
    assert admin.post("/api/v1/peers", json=body).status_code == 409
    assert admin.post(f"/api/v1/peers/{added.json()['id']}/refresh").json()["last_error"] is None

    # The command line asks before it trusts a certificate; without a yes nothing is added.
    refused = b.flask("peers", "add", "tinh-a", a.base, check=False, answer="n\n")
    assert refused.returncode == 1 and "SHA-256" in refused.stdout
    assert "not added" in refused.stdout
    assert int(b.scalar("SELECT count(*) FROM peers")) == 0
    listed = a.flask("peers", "list").stdout
    assert "bo-b" in listed and "1 organisation(s)" in listed
    own = b.flask("peers", "identity").stdout
    assert spaced in own


def test_a_delivery_that_keeps_failing_is_marked_failed_and_can_be_sent_again(cluster: Cluster) -> None:
    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A", env={"OUTBOX_MAX_ATTEMPTS": "2"})
    b = cluster.server("bo-b", B_CODE, "Bộ B")
    cluster.pair(a, b)
    b.kill_web()
    a.start_worker()
    doc = a.issued_document()
    a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    failed = wait_until(
        lambda: (row := _dispatch(a, doc["id"]))["status"] == "failed" and row, what="the dispatch to fail"
    )
    assert "127.0.0.1" in failed["last_error"]  # the clerk sees why
    assert failed["history"][-1]["status"] == "failed"
    b.start()
    assert a.client("clerk").post(f"/api/v1/dispatches/{failed['id']}/resend").status_code == 200
    wait_until(lambda: _dispatch(a, doc["id"])["status"] == "delivered", what="delivered after the resend")
    assert _arrivals(b) == 1
    again = a.client("clerk").post(f"/api/v1/dispatches/{failed['id']}/resend")
    assert again.status_code == 409  # only a failed one


def test_an_oversize_message_is_refused_for_good(cluster: Cluster) -> None:
    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B", env={"EXCHANGE_MAX_MESSAGE_MB": "1"})
    cluster.pair(a, b)
    a.start_worker()
    bulky = os.urandom(1024 * 1024)  # 1 MB that does not compress, as base64 in the envelope
    doc = a.issued_document("Báo cáo kèm dữ liệu", attachments=[("du-lieu.zip", bulky)])
    a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    failed = wait_until(lambda: (row := _dispatch(a, doc["id"]))["status"] == "failed" and row, what="refusal")
    assert failed["last_error"].startswith("413")
    assert _arrivals(b) == 0
    assert a.scalar("SELECT attempts FROM outbox WHERE kind = 'routing.deliver'") == 1  # not tried again


def test_a_recall_and_a_replacement_across_servers(cluster: Cluster) -> None:
    from tests.support import make_pdf

    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B")
    cluster.pair(a, b)
    a.start_worker()
    b.start_worker()
    first, second = a.issued_document("Văn bản sẽ thu hồi"), a.issued_document("Văn bản sẽ thay thế")
    for doc in (first, second):
        a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    wait_until(lambda: len(_inbox(b)) == 2, what="both at B")
    by_subject = {row["subject"]: row for row in _inbox(b)}
    registered = b.client("clerk").post(f"/api/v1/inbox/{by_subject['Văn bản sẽ thu hồi']['id']}/accept").json()

    recall = a.client("clerk").post(
        f"/api/v1/documents/{first['id']}/change", json={"kind": "recall", "reason": "Ban hành nhầm"}
    )
    assert recall.status_code == 200, recall.text
    corrected = make_pdf("Văn bản đính chính")
    replace = a.client("clerk").post(
        f"/api/v1/documents/{second['id']}/change",
        data={"kind": "replace", "reason": "Sai số liệu"},
        files={"file": ("dinh-chinh.pdf", corrected, "application/pdf")},
    )
    assert replace.status_code == 200, replace.text
    wait_until(lambda: all(row.get("pending_change") for row in _inbox(b, "all")), what="both requests at B")
    rows = {row["subject"]: row for row in _inbox(b, "all")}
    agreed = b.client("clerk").post(f"/api/v1/inbox/{rows['Văn bản sẽ thu hồi']['id']}/change", json={"agree": True})
    assert agreed.json()["status"] == "recalled"
    assert b.client("clerk").get(f"/api/v1/documents/{registered['document_id']}").json()["status"] == "recalled"
    swapped = (
        b.client("clerk").post(f"/api/v1/inbox/{rows['Văn bản sẽ thay thế']['id']}/change", json={"agree": True}).json()
    )
    assert b.client("clerk").get(swapped["files"][0]["url"]).content == corrected
    wait_until(lambda: _dispatch(a, first["id"])["status"] == "recalled", what="recalled at A")
    wait_until(lambda: _dispatch(a, second["id"])["status"] == "replaced", what="replaced at A")
    assert [h["code"] for h in _dispatch(a, first["id"])["history"]] == [None, "01", "03", "13", "15"]


def test_a_signature_by_another_key_is_refused(cluster: Cluster) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from app.routing import edxml

    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B")
    cluster.pair(a, b)
    doc = a.issued_document()
    a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    genuine = _outgoing_envelope(a)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kẻ mạo danh")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    forged = edxml.sign_xml(
        _unsigned(genuine),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        cert.public_bytes(serialization.Encoding.PEM),
    )
    answer = requests.post(
        b.base + "/api/v1/exchange/messages", data=forged, headers={"Content-Type": "application/xml"}, timeout=30
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "bad_signature"
    assert _arrivals(b) == 0


def test_statuses_twice_or_out_of_order_leave_the_sender_right(cluster: Cluster) -> None:
    a = cluster.server("tinh-a", A_CODE, "Ủy ban nhân dân tỉnh A")
    b = cluster.server("bo-b", B_CODE, "Bộ B")
    cluster.pair(a, b)
    a.start_worker()
    doc = a.issued_document()
    a.client("clerk").post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [B_CODE]})
    wait_until(lambda: len(_inbox(b)) == 1, what="the arrival")
    arrival = _inbox(b)[0]
    b.client("clerk").post(f"/api/v1/inbox/{arrival['id']}/accept")  # B's worker is not running: queued only
    accepted = _status_message(b, 1)
    url = a.base + "/api/v1/exchange/messages"

    def post(body: bytes) -> requests.Response:
        return requests.post(url, data=body, headers={"Content-Type": "application/xml"}, timeout=30)

    first = post(accepted)
    assert first.status_code == 200, first.text
    assert post(accepted).json() == first.json()  # twice: the same answer
    assert _dispatch(a, doc["id"])["status"] == "accepted"
    # A status that happened earlier (the arrival, 01) arriving late does not hide the later one.
    assert post(_status_message(b, 1, code="01", earlier_seconds=60)).status_code == 200
    row = _dispatch(a, doc["id"])
    assert row["status"] == "accepted"
    assert [h["code"] for h in row["history"]].count("03") == 1


def _status_message(server: Server, outbox_id: int, code: str | None = None, earlier_seconds: int = 0) -> bytes:
    """The signed status of the server's outbox row, built by its own code (optionally another code, earlier)."""
    import subprocess
    import sys

    script = (
        "import sys, uuid\n"
        "from datetime import datetime, timedelta\n"
        "from app import create_app\n"
        "from app.extensions import db\n"
        "from app.outbox import OutboxItem\n"
        "from app.routing import edxml, federation\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    payload = dict(db.session.get(OutboxItem, {outbox_id}).payload)\n"
        f"    if {code!r}:\n"
        f"        payload['status_code'] = {code!r}\n"
        "        payload['message_id'] = str(uuid.uuid4())\n"
        "        moment = datetime.fromisoformat(payload['timestamp'])\n"
        f"        payload['timestamp'] = (moment - timedelta(seconds={earlier_seconds})).isoformat()\n"
        "    msg = federation.status_message(payload)\n"
        "    sys.stdout.buffer.write(federation._signed(edxml.status_xml(msg)))\n"
        "    db.session.commit()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=server.env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout
