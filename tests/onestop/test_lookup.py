"""The public lookup without an account: the code alone gives the status and dates, the code and secret the
procedure, the masked name and the messages written for the applicant; nothing personal ever; an unknown code and
a wrong secret answer alike; a client asking too often is told to wait."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask

from tests.onestop.conftest import intake

LOOKUP = "/api/v1/public/dossiers/"


@pytest.fixture
def received(app: Flask, desk) -> dict:  # type: ignore[no-untyped-def]
    answer = desk["a"].post("/api/v1/onestop/dossiers", json=intake())
    assert answer.status_code == 201, answer.json
    return answer.json


def test_with_the_secret_the_applicant_sees_the_procedure_and_their_history(app, received):
    from app.extensions import db
    from app.onestop.models import Dossier, DossierEvent

    with app.app_context():
        dossier = db.session.query(Dossier).execution_options(all_organisations=True).one()
        dossier.events.append(
            DossierEvent(
                to_status="received",
                from_status="received",
                note="Hồ sơ của người quen ông Tư, ưu tiên",
                public_message="Hồ sơ đã được chuyển đến bộ phận chuyên môn.",
            )
        )
        db.session.commit()
    client = app.test_client()
    answer = client.get(LOOKUP + received["code"], query_string={"s": received["secret"].lower()})
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["status"] == 2 and body["status_name"] == "Được tiếp nhận"
    assert body["procedure"] == {"code": "1.001612.000.00.00.H99", "name": "Đăng ký thành lập hộ kinh doanh"}
    assert body["applicant"] == "Nguyễn V*** A"
    assert body["appointment_at"] == received["appointment_at"]
    assert [h["message"] for h in body["history"]] == [None, "Hồ sơ đã được chuyển đến bộ phận chuyên môn."]
    text = answer.get_data(as_text=True)
    for private in ("0912345678", "001090012345", "an@example.vn", "Lê Lợi", "ông Tư", "Nguyễn Văn An"):
        assert private not in text
    assert answer.headers["Cache-Control"] == "no-store"

    # The code alone: the status and the dates, nothing else.
    alone = client.get(LOOKUP + received["code"])
    assert alone.status_code == 200
    assert set(alone.json) == {"code", "status", "status_name", "received_at", "appointment_at", "new_appointment_at"}


def test_a_kiosk_scanner_typing_the_slips_qr_address_into_the_form_finds_the_dossier(app, received):
    """The QR code's address typed into the code's box (a kiosk's scanner does that): the form goes to that code's
    page with the address's secret, or with the secret typed in its own box when there is one."""
    from urllib.parse import quote

    code, secret = received["code"], received["secret"]
    client = app.test_client()
    scanned = client.get("/tra-cuu", query_string={"ma": f"http://motcua.example.vn/tra-cuu/{code}?s={secret}"})
    assert scanned.status_code == 302
    assert scanned.headers["Location"] == f"/tra-cuu/{quote(code)}?s={secret}"
    page = client.get(scanned.headers["Location"])
    assert page.status_code == 200 and "Nguyễn V*** A" in page.get_data(as_text=True)
    typed = client.get("/tra-cuu", query_string={"ma": f"http://motcua.example.vn/tra-cuu/{code}", "s": "ABCDEF"})
    assert typed.headers["Location"] == f"/tra-cuu/{quote(code)}?s=ABCDEF"
    plain = client.get("/tra-cuu", query_string={"ma": f" {code} "})
    assert plain.headers["Location"] == f"/tra-cuu/{quote(code)}"


def test_unknown_codes_and_wrong_secrets_get_the_same_answer(app, received):
    from app.onestop.codes import receipt_code

    client = app.test_client()
    never = receipt_code("000.00.00.H99", datetime.now(UTC).date(), 9999)
    code, secret = received["code"], received["secret"]
    wrong = "Z" * 6 if secret != "Z" * 6 else "Y" * 6
    answers = [
        client.get(LOOKUP + never),
        client.get(LOOKUP + never, query_string={"s": secret}),
        client.get(LOOKUP + code, query_string={"s": wrong}),
        client.get(LOOKUP + code, query_string={"s": "' OR 1=1 --"}),
        client.get(LOOKUP + code[:-1] + ("0" if code[-1] != "0" else "1"), query_string={"s": secret}),
        client.get(LOOKUP + "<script>alert(1)</script>"),
        client.get(LOOKUP + "x" * 3000),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.data for a in answers}) == 1
    assert "No dossier with this code and secret" in answers[0].json["error"]["message"]
    # No listing or search without logging in.
    assert client.get("/api/v1/public/dossiers").status_code in (404, 405)
    assert client.get("/api/v1/onestop/dossiers/" + code).status_code == 401


def test_a_client_asking_too_often_is_told_to_wait(app, received):
    from app.onestop.lookup import LOOKUPS_PER_MINUTE

    client = app.test_client()
    # Twice the limit and one more: whatever minute boundary falls inside the burst, one window overflows.
    statuses, waits = [], []
    for _ in range(2 * LOOKUPS_PER_MINUTE + 1):
        answer = client.get(LOOKUP + received["code"], query_string={"s": received["secret"]})
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            waits.append(int(answer.headers["Retry-After"]))
            assert answer.json["error"]["code"] == "too_many_requests"
    assert 429 in statuses and set(statuses) <= {200, 429}
    assert all(1 <= w <= 60 for w in waits)
    # Another address is not held back by this one.
    other = client.get(LOOKUP + received["code"], environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 200


def test_guessed_codes_count_against_the_address_too(app, received):
    """Harvesting is guessing: unknown, malformed and hostile codes are counted like real ones (the count is kept
    although the answer is an error), and the address is then held back from real codes as well."""
    from app.onestop.lookup import LOOKUPS_PER_MINUTE

    client = app.test_client()
    address = {"REMOTE_ADDR": "198.51.100.7"}
    guesses = [received["code"][:-1] + c for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c != received["code"][-1]]
    guesses += ["' OR 1=1 --", "<b>x</b>", "x" * 500]
    statuses = [
        client.get(LOOKUP + guesses[n % len(guesses)], environ_base=address).status_code
        for n in range(2 * LOOKUPS_PER_MINUTE + 1)
    ]
    assert set(statuses) == {404, 429}
    real = client.get(LOOKUP + received["code"], query_string={"s": received["secret"]}, environ_base=address)
    assert real.status_code == 429 and "Retry-After" in real.headers
    assert "code" not in real.json["error"].get("details", {})


def test_limits_hold_across_processes_and_windows(app):
    import sqlalchemy as sa

    from app.errors import TooManyRequests
    from app.extensions import db
    from app.ratelimit import RateWindow, hit

    start = datetime(2026, 11, 25, 8, 0, 10, tzinfo=UTC)
    with app.app_context():
        assert [hit("t:1", 3, 60, start) for _ in range(3)] == [1, 2, 3]
        with pytest.raises(TooManyRequests) as refused:
            hit("t:1", 3, 60, start.replace(second=40))
        assert refused.value.retry_after == 20
        assert hit("t:2", 3, 60, start) == 1  # another client
        assert hit("t:1", 3, 60, start.replace(minute=1)) == 1  # the next minute starts again
        # A client's new window, more than an hour later, takes its old windows away; another client's stay.
        assert hit("t:1", 3, 60, start.replace(hour=10)) == 1
        rows = db.session.execute(sa.select(RateWindow.key, RateWindow.window_start).order_by(RateWindow.key)).all()
        assert [key for key, _ in rows] == ["t:1", "t:2"]


def test_a_lookup_on_a_connection_the_database_dropped_answers_503_and_the_next_one_works(
    app, received, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL reads the lookup on the driver's connection: a connection the server ended while it sat in the
    pool fails that one request (503, in JSON, nothing revealed), is thrown away, and the next lookup is served."""
    import sqlalchemy as sa

    from app import extensions
    from app.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the driver's connection is read directly on PostgreSQL only")
    monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", 3600.0)  # no ping: the request meets the dead one
    client = app.test_client()
    path = LOOKUP + received["code"]
    assert client.get(path, query_string={"s": received["secret"]}).status_code == 200
    with app.app_context():  # the server ends every connection of the app's pool (a restart, an idle timeout)
        killer = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
        with killer.connect() as admin:
            ended = admin.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
        killer.dispose()
        assert ended >= 1
    failed = client.get(path, query_string={"s": received["secret"]})
    assert failed.status_code == 503, failed.json
    assert failed.json["error"]["code"] == "unavailable"
    assert received["secret"] not in failed.get_data(as_text=True)
    again = client.get(path, query_string={"s": received["secret"]})
    assert again.status_code == 200, again.json
    assert again.json["code"] == received["code"]
