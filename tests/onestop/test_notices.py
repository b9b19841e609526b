"""The applicant told by text message (a real HTTP SMS gateway on loopback records what it receives) and by e-mail
(a real SMTP server): through the outbox, at most once, falling back to e-mail when the gateway fails, never a phone
number or the gateway's token in a log; and the gateway's inbound webhook answering `HS <code> <secret>`."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from flask import Flask

from app import worker
from tests.mailserver import Inbox, free_port, smtp_server
from tests.onestop.conftest import intake
from tests.support import PASSWORD, ApiClient

TOKEN = "gw-secret-7f3a9c"
INBOUND = "inbound-token"
PHONE_DIGITS = "912345678"


@dataclass
class Gateway:
    """What the SMS gateway received, and how it answers (status, or a delay longer than the client waits)."""

    url: str
    received: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    state = Gateway("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(state.delay)
            state.received.append(json.loads(body))
            state.headers.append(dict(self.headers))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def mail() -> Iterator[Inbox]:
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture
def app(app_factory, gateway: Gateway, mail: Inbox) -> Flask:  # type: ignore[no-untyped-def]
    return app_factory(
        BABEL_DEFAULT_LOCALE="en",
        SMS_GATEWAY_URL=gateway.url,
        SMS_GATEWAY_TOKEN=TOKEN,
        SMS_GATEWAY_TIMEOUT_SECONDS=0.5,
        SMS_INBOUND_TOKEN=INBOUND,
        SMTP_HOST=mail.host,
        SMTP_PORT=mail.port,
        OUTBOX_BACKOFF_SECONDS=0,
        OUTBOX_BACKOFF_CAP_SECONDS=0,
    )


def notices(app: Flask) -> list[tuple[str, str, str]]:
    from app.extensions import db
    from app.onestop.models import ApplicantNotice

    with app.app_context():
        rows = db.session.scalars(sa.select(ApplicantNotice).order_by(ApplicantNotice.id)).all()
        return [(r.key, r.channel, r.state) for r in rows]


def test_a_text_message_on_receipt_once_and_no_phone_in_the_logs(app, desk, gateway, mail, caplog):
    caplog.set_level(logging.DEBUG)
    received = desk["a"].post("/api/v1/onestop/dossiers", json=intake()).json
    worker.run_until_idle(app)
    worker.run_until_idle(app)
    assert len(gateway.received) == 1
    message = gateway.received[0]
    assert message["to"] == "0912345678" and message["id"] == f"{received['code']}:received"
    assert message["text"].startswith(f"Ho so {received['code']} (Dang ky thanh lap ho kinh doanh) da duoc tiep nhan")
    assert len(message["text"]) <= 160 and message["text"].isascii()
    assert gateway.headers[0]["Authorization"] == f"Bearer {TOKEN}"
    assert notices(app) == [("received", "sms", "sent")]
    assert mail.messages == []  # the text message took it
    assert PHONE_DIGITS not in caplog.text and TOKEN not in caplog.text


def test_a_failing_gateway_falls_back_to_email_and_nothing_leaks(app, desk, gateway, mail, caplog):
    caplog.set_level(logging.DEBUG)
    gateway.status = 503
    desk["a"].post("/api/v1/onestop/dossiers", json=intake())
    worker.run_until_idle(app)
    assert len(gateway.received) == 1 and notices(app) == [("received", "sms", "failed"), ("received", "email", "sent")]
    got = mail.wait_for(1)
    assert got[0]["To"].addresses[0].addr_spec == "an@example.vn" and "đã được tiếp nhận" in got[0].get_content()
    assert PHONE_DIGITS not in caplog.text and TOKEN not in caplog.text
    from app.extensions import db
    from app.outbox import OutboxItem

    with app.app_context():
        errors = " ".join(e or "" for e in db.session.scalars(sa.select(OutboxItem.last_error)))
        assert PHONE_DIGITS not in errors and TOKEN not in errors


def test_every_channel_down_is_tried_again_and_sent_once(app_factory, desk, gateway) -> None:  # type: ignore[no-untyped-def]
    app = app_factory(
        SMS_GATEWAY_URL=gateway.url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=free_port(),  # nothing listens there
        OUTBOX_BACKOFF_SECONDS=0,
        OUTBOX_BACKOFF_CAP_SECONDS=0,
    )
    gateway.status = 500
    client = ApiClient.login(app, "onestop_a", PASSWORD)
    client.post("/api/v1/onestop/dossiers", json=intake())
    worker.run_due(app)
    assert notices(app) == [("received", "sms", "failed"), ("received", "email", "failed")]
    gateway.status = 200
    worker.run_until_idle(app)
    assert notices(app) == [("received", "sms", "sent"), ("received", "email", "failed")]
    assert len(gateway.received) == 2  # the refused attempt, then the one that went
    worker.run_until_idle(app)
    assert len(gateway.received) == 2


def test_a_worker_killed_while_sending_never_sends_twice(app, desk, gateway, mail):
    """The claim is committed before the message leaves: a claim left "sending" (the worker died there) is not
    retried on any channel; a gateway that did not answer in time is "unknown" and not retried either."""
    from app.extensions import db
    from app.onestop.models import ApplicantNotice, Dossier

    received = desk["a"].post("/api/v1/onestop/dossiers", json=intake()).json
    with app.app_context():
        dossier = db.session.scalars(
            sa.select(Dossier).where(Dossier.code == received["code"]).execution_options(all_organisations=True)
        ).one()
        db.session.add(ApplicantNotice(dossier_id=dossier.id, key="received", channel="sms", state="sending"))
        db.session.commit()
    worker.run_until_idle(app)
    assert gateway.received == [] and mail.messages == []

    gateway.delay = 1.5  # longer than the 0.5 s the client waits
    second = (
        desk["a"]
        .post("/api/v1/onestop/dossiers", json=intake(applicant={"name": "Trần Thị Bình", "phone": "0987654321"}))
        .json
    )
    worker.run_until_idle(app)
    time.sleep(1.6)
    worker.run_until_idle(app)
    assert [m["id"] for m in gateway.received] == [f"{second['code']}:received"]
    assert ("received", "sms", "unknown") in notices(app)


def test_papers_asked_for_result_ready_and_the_apology_are_told(app, desk, gateway):
    code = (
        desk["a"]
        .post("/api/v1/onestop/dossiers", json=intake(applicant={"name": "Lê Văn Cường", "phone": "0912000111"}))
        .json["code"]
    )
    specialist = ApiClient.login(app, "specialist_b", PASSWORD)
    leader = ApiClient.login(app, "leader_b", PASSWORD)
    desk["a"].post(f"/api/v1/onestop/dossiers/{code}/moves", json={"move": "transfer"})
    specialist.post(f"/api/v1/onestop/dossiers/{code}/moves", json={"move": "take"})
    specialist.post(
        f"/api/v1/onestop/dossiers/{code}/moves",
        json={"move": "request_supplement", "public_message": "Bổ sung bản sao giấy chứng nhận quyền sử dụng đất."},
    )
    desk["a"].post(f"/api/v1/onestop/dossiers/{code}/moves", json={"move": "supplement_received"})
    specialist.post(f"/api/v1/onestop/dossiers/{code}/moves", json={"move": "submit"})
    leader.post(f"/api/v1/onestop/dossiers/{code}/moves", json={"move": "approve"})
    worker.run_until_idle(app)
    texts = [m["text"] for m in gateway.received]
    assert len(texts) == 3
    assert texts[1] == f"Ho so {code} can bo sung giay to: Bo sung ban sao giay chung nhan quyen su dung dat."
    assert texts[2] == f"Ho so {code} da co ket qua. Moi ong/ba den nhan tai bo phan mot cua."


def test_the_inbound_text_message_is_answered_under_the_lookup_rules(app, desk):
    received = desk["a"].post("/api/v1/onestop/dossiers", json=intake()).json
    code, secret = received["code"], received["secret"]
    client = app.test_client()

    def ask(text: str, token: str | None = INBOUND, sender: str = "0912345678"):  # type: ignore[no-untyped-def]
        headers = {"X-SMS-Gateway-Token": token} if token else {}
        return client.post("/api/v1/onestop/sms/inbound", json={"from": sender, "text": text}, headers=headers)

    assert ask(f"HS {code} {secret}", token=None).status_code == 401
    assert ask(f"HS {code} {secret}", token="guess").status_code == 401
    good = ask(f"hs {code.lower()} {secret.lower()}")
    assert good.status_code == 200
    reply = good.json["reply"]
    assert reply.startswith(f"HS {code}: Duoc tiep nhan; hen tra ") and reply.isascii() and len(reply) <= 160
    wrong = ask(f"HS {code} ZZZZZZ").json["reply"]
    unknown = ask(f"HS {code[:-1]}0 {secret}").json["reply"]
    assert wrong == unknown and wrong.startswith("Khong tim thay ho so")
    assert ask("hello").json["reply"].startswith("Cu phap: HS")
    assert ask("HS x", sender="").status_code == 422
    # Ten a minute from one sender, then wait.
    answers = [ask(f"HS {code} {secret}", sender="0900000001").status_code for _ in range(25)]
    assert 429 in answers and answers[0] == 200
