"""Receiving a dossier at the one-stop desk: the receipt code of the desk's day with its check, the secret, the
appointment on the legal clock, the scans stored by hash once checked; asking for papers or refusing with a reason;
bad input answered field by field with nothing written."""

from __future__ import annotations

import io
import json
import subprocess
import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.onestop.conftest import FREE, intake
from tests.support import ORG_A, PASSWORD, ApiClient, app_with_own_store, make_pdf


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="PNG")
    return out.getvalue()


def post_with_scans(client: ApiClient, fields: dict, scans: dict[str, tuple[bytes, str]]):  # type: ignore[no-untyped-def]
    data = {"dossier": json.dumps(fields)}
    data.update({name: (io.BytesIO(content), filename) for name, (content, filename) in scans.items()})
    return client.post("/api/v1/onestop/dossiers", data=data, content_type="multipart/form-data")


def counts(app: Flask) -> tuple[int, int, int]:
    from app.extensions import db
    from app.onestop.models import Dossier, DossierPaper
    from app.storage.models import Blob

    with app.app_context():
        return tuple(  # type: ignore[return-value]
            db.session.scalar(sa.select(sa.func.count()).select_from(m).execution_options(all_organisations=True))
            for m in (Dossier, DossierPaper, Blob)
        )


def test_a_dossier_is_received_with_its_scans_code_secret_and_appointment(app, desk):
    from app.onestop.codes import canonical_code, canonical_secret

    pdf, png = make_pdf("Giấy đề nghị"), png_bytes()
    answer = post_with_scans(desk["a"], intake(), {"paper_0": (pdf, "de-nghi.pdf"), "paper_1": (png, "cccd.png")})
    assert answer.status_code == 201, answer.json
    body = answer.json
    code = body["code"]
    assert code.startswith(f"{ORG_A}-") and canonical_code(code) == code
    assert code.split("-")[2] == "0001" and canonical_secret(body["secret"]) == body["secret"]
    assert answer.headers["Location"].endswith(f"/api/v1/onestop/dossiers/{code}")
    assert body["status"] == "received" and body["portal_status"] == 2
    assert body["applicant"]["phone"] == "0912345678" and body["applicant"]["id_number"] == "001090012345"
    assert [(p["name"], p["copies"], p["scan"]["content_type"]) for p in body["papers"]] == [
        ("Giấy đề nghị", 1, "application/pdf"),
        ("Căn cước", 2, "image/png"),
    ]
    assert body["fee"]["amount"] == 100_000 and body["fee"]["paid_at"]
    assert body["statutory_days"] == 3 and [s["days"] for s in body["steps"]] == [0.5, 2, 0.5]

    # The appointment: three working days from the next office opening after it was received, on this calendar.
    from app.calendar.service import load_calendar

    with app.app_context():
        calendar = load_calendar()
        received = datetime.fromisoformat(body["received_at"])
        assert datetime.fromisoformat(body["counting_from"]) == calendar.next_opening(received)
        expected = calendar.add_working_days(calendar.next_opening(received), 3)
        assert datetime.fromisoformat(body["appointment_at"]) == expected
        assert body["calendar_version"] == calendar.version

    # The scans are in the store by their hash; the next dossier of the day gets the next number.
    from app.storage.service import read_blob

    with app.app_context():
        assert read_blob(body["papers"][1]["scan"]["sha256"]) == png
    second = desk["a"].post(
        "/api/v1/onestop/dossiers", json=intake(procedure=FREE, fee_mode="none", papers=[{"paper": 0}])
    )
    assert second.status_code == 201, second.json
    assert second.json["code"].split("-")[2] == "0002" and second.json["secret"] != body["secret"]

    # The desk that received it and the resolving organisation see it; a third does not even learn it exists.
    assert desk["a"].get(f"/api/v1/onestop/dossiers/{code}").json["code"] == code
    assert desk["b"].get(f"/api/v1/onestop/dossiers/{code.lower()}").status_code == 200
    outsider = ApiClient.login(app, "clerk_c", PASSWORD).get(f"/api/v1/onestop/dossiers/{code}")
    assert outsider.status_code == 404


def test_half_days_and_after_hours_on_the_legal_clock():
    from app.calendar.work_calendar import WorkCalendar
    from app.onestop.deadlines import appointment

    calendar = WorkCalendar.national([2026, 2027])
    tz = calendar.tz
    friday_evening = datetime(2026, 11, 27, 17, 30, tzinfo=tz)
    starts, due, _ = appointment(calendar, friday_evening, Decimal("3"))
    assert starts == datetime(2026, 11, 30, 7, 30, tzinfo=tz)  # Monday's opening
    assert due == datetime(2026, 12, 3, 7, 30, tzinfo=tz)  # Thursday
    tuesday = datetime(2026, 12, 1, 9, 0, tzinfo=tz)
    assert appointment(calendar, tuesday, Decimal("0.5"))[1] == datetime(2026, 12, 1, 15, 0, tzinfo=tz)
    assert appointment(calendar, tuesday, Decimal("1.5"))[1] == datetime(2026, 12, 2, 15, 0, tzinfo=tz)
    # Received on the eve of the New Year holiday: the 1st of January does not count.
    eve = datetime(2026, 12, 31, 10, 0, tzinfo=tz)
    assert appointment(calendar, eve.astimezone(UTC), Decimal("1"))[1] == datetime(2027, 1, 4, 10, 0, tzinfo=tz)


def test_a_desk_open_on_saturday_mornings_counts_by_its_own_hours(app, desk, world):
    """The dossier's clock runs by the receiving desk's calendar: its own office hours when it has them."""
    from datetime import time

    from app.calendar.service import load_calendar, set_office_hours
    from app.extensions import db
    from app.onestop.deadlines import calendar_of
    from app.onestop.models import Dossier

    week = [(d, time(7, 30), time(11, 30)) for d in range(6)] + [(d, time(13, 30), time(17, 0)) for d in range(5)]
    with app.app_context():
        deployment = load_calendar().version
        set_office_hours(None, week, world.orgs["a"])
        db.session.commit()
        own = load_calendar(organisation_id=world.orgs["a"]).version
    assert own != deployment
    received = desk["a"].post("/api/v1/onestop/dossiers", json=intake()).json
    assert received["calendar_version"] == own
    other = desk["b"].post("/api/v1/onestop/dossiers", json=intake()).json
    assert other["calendar_version"] == deployment
    with app.app_context():
        dossier = db.session.scalars(
            sa.select(Dossier).where(Dossier.code == received["code"]).execution_options(all_organisations=True)
        ).one()
        assert calendar_of(dossier).is_working_day(datetime(2026, 11, 28).date())  # a Saturday, at this desk
        assert calendar_of(dossier).version == own


def test_papers_asked_for_or_refused_with_a_reason(app, desk):
    asked = desk["a"].post(
        "/api/v1/onestop/dossiers",
        json=intake(
            papers=[{"paper": 0}], decision="incomplete", reason_code="missing_paper", reason_text="Thiếu căn cước"
        ),
    )
    assert asked.status_code == 201, asked.json
    assert asked.json["status"] == "incomplete" and asked.json["portal_status"] == 5
    assert asked.json["appointment_at"] is None and asked.json["reason"] == {
        "code": "missing_paper",
        "text": "Thiếu căn cước",
    }
    refused = desk["a"].post("/api/v1/onestop/dossiers", json=intake(decision="refuse", reason_code="not_competent"))
    assert refused.status_code == 201 and refused.json["portal_status"] == 3
    # Neither reaches the organisation that would have resolved it: not in its list, not to be opened there; the
    # desk keeps both, and a received dossier goes on to the resolver as before.
    received = desk["a"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    resolver = ApiClient.login(app, "specialist_b", PASSWORD)
    listed = resolver.get("/api/v1/onestop/dossiers", query_string={"view": "resolving"}).json
    assert [d["code"] for d in listed["items"]] == [received]
    for kept in (asked.json["code"], refused.json["code"]):
        assert resolver.get(f"/api/v1/onestop/dossiers/{kept}").status_code == 404
        assert desk["a"].get(f"/api/v1/onestop/dossiers/{kept}").status_code == 200
    assert resolver.get(f"/api/v1/onestop/dossiers/{received}").status_code == 200

    for changes, field in [
        ({"decision": "refuse"}, "reason_code"),  # a refusal without a reason is impossible
        ({"decision": "refuse", "reason_code": "other"}, "reason_text"),
        ({"decision": "refuse", "reason_code": "missing_paper"}, "reason_code"),  # not a refusal's reason
        ({"decision": "incomplete", "reason_code": "not_competent"}, "reason_code"),
        ({"reason_code": "other"}, "reason_code"),  # a received dossier has none
    ]:
        answer = desk["a"].post("/api/v1/onestop/dossiers", json=intake(**changes))
        assert answer.status_code == 422 and field in answer.json["error"]["fields"], (changes, answer.json)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"procedure": "1.999999.000.00.00.H99"}, "procedure", "No procedure in force"),
        ({"channel": "online"}, "channel", "may be filed: direct, post"),
        ({"channel": "fax"}, "channel", ""),
        ({"papers": [{"paper": 0}]}, "papers", "Required papers are missing (Căn cước)"),
        ({"papers": [{"paper": 0}, {"paper": 1}, {"paper": 7}]}, "papers.2.paper", "has 3 papers"),
        ({"papers": [{"paper": 0}, {"paper": 1}, {"paper": 1}]}, "papers", "listed twice"),
        ({"applicant": {"name": ""}}, "applicant.name", "Required"),
        ({"applicant": {"name": "An", "id_number": "12345"}}, "applicant.id_number", "Not an identity number"),
        ({"applicant": {"name": "An", "phone": "12345"}}, "applicant.phone", "Not a phone number"),
        ({"applicant": {"name": "An", "email": "an@"}}, "applicant.email", "Not an e-mail address"),
        ({"applicant": {"name": "An", "ssn": "1"}}, "applicant.ssn", "Unknown field"),
        ({"fee_mode": "none"}, "fee_mode", "has a fee"),
        ({"fee_mode": "cash"}, "fee_mode", ""),
        ({"applicant": "Nguyễn Văn An"}, "applicant", ""),
    ],
)
def test_bad_intakes_are_refused_and_nothing_is_written(app, desk, changes, field, words):
    answer = desk["a"].post("/api/v1/onestop/dossiers", json=intake(**changes))
    assert answer.status_code == 422, answer.json
    assert field in answer.json["error"]["fields"] and words in answer.json["error"]["fields"][field], answer.json
    assert counts(app) == (0, 0, 0)


def test_bad_scans_and_who_may_receive(app, desk):
    pdf = make_pdf()
    for scans, field, words in [
        ({"paper_0": (b"hello, I am a text file", "note.txt")}, "paper_0", "must be a PDF, or a JPEG or PNG"),
        ({"paper_0": (b"%PDF-1.7\n garbage", "broken.pdf")}, "paper_0", "damaged"),
        ({"paper_0": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "broken.png")}, "paper_0", "damaged"),
        ({"paper_0": (b"", "empty.pdf")}, "paper_0", "empty"),
        ({"paper_5": (pdf, "x.pdf")}, "paper_5", "no paper 5"),
        ({"scan": (pdf, "x.pdf")}, "scan", "Unknown file field"),
    ]:
        answer = post_with_scans(desk["a"], intake(), scans)
        assert answer.status_code == 422, (scans, answer.json)
        assert words in answer.json["error"]["fields"][field]
    bad_json = desk["a"].post(
        "/api/v1/onestop/dossiers", data={"dossier": "{not json"}, content_type="multipart/form-data"
    )
    assert bad_json.status_code == 422 and "dossier" in bad_json.json["error"]["fields"]
    assert counts(app) == (0, 0, 0)
    for username in ("clerk_a", "admin_a", "leader_a"):
        refused = ApiClient.login(app, username, PASSWORD).post("/api/v1/onestop/dossiers", json=intake())
        assert refused.status_code == 403
    assert app.test_client().post("/api/v1/onestop/dossiers", json=intake()).status_code == 401
    assert counts(app) == (0, 0, 0)


def test_receipt_numbers_taken_at_once_are_all_different(app, desk):
    """Eight receipts at the same moment (threads, each its own connection and transaction): eight numbers."""
    from app.extensions import db
    from app.onestop.intake import next_receipt_sequence

    taken: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def take() -> None:
        try:
            with app.app_context():
                barrier.wait()
                taken.append(next_receipt_sequence(1, datetime(2026, 11, 25).date()))
                db.session.commit()
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(taken) == list(range(1, 9))


def _scan_codes(pdf: bytes, tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    """What zbarimg reads from the first page printed at 300 dpi: every barcode and QR code, as TYPE:DATA."""
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    page = next(tmp_path.glob("page*.png"))
    done = subprocess.run(["zbarimg", "--quiet", str(page)], capture_output=True, text=True, check=False)
    return done.stdout.split()


def test_the_receipt_slip_scans_back_to_its_code_and_lookup_link(app, desk, tmp_path):
    received = desk["a"].post("/api/v1/onestop/dossiers", json=intake()).json
    answer = desk["a"].get(f"/api/v1/onestop/dossiers/{received['code']}/slip.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    (tmp_path / "slip-check.pdf").write_bytes(answer.data)
    checked = subprocess.run(["qpdf", "--check", str(tmp_path / "slip-check.pdf")], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stdout
    text = subprocess.run(["pdftotext", "-", "-"], input=answer.data, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in flat and "Nguyễn Văn An" in flat
    assert "Đăng ký thành lập hộ kinh doanh" in flat and f"Mã bí mật tra cứu: {received['secret']}" in flat
    appointment = datetime.fromisoformat(received["appointment_at"])
    assert f"ngày {appointment:%d/%m/%Y}" in flat and "Giấy đề nghị (bản chính, 1 bản)" in flat

    codes = _scan_codes(answer.data, tmp_path)
    assert f"CODE-128:{received['code']}" in codes
    qr = [c for c in codes if c.startswith("QR-Code:")]
    assert qr == [f"QR-Code:http://localhost/tra-cuu/{received['code']}?s={received['secret']}"]

    # The refusal has its own title and the reason; no QR code (there is nothing to follow).
    refused = (
        desk["a"].post("/api/v1/onestop/dossiers", json=intake(decision="refuse", reason_code="not_competent")).json
    )
    slip = desk["a"].get(f"/api/v1/onestop/dossiers/{refused['code']}/slip.pdf")
    flat = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=slip.data, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in flat and "Lý do: Không thuộc thẩm quyền giải quyết" in flat
    assert [c for c in _scan_codes(slip.data, tmp_path / "r") if c.startswith("QR")] == []
    # Only the receiving desk prints it.
    assert desk["b"].get(f"/api/v1/onestop/dossiers/{refused['code']}/slip.pdf").status_code == 404


def test_the_scans_open_for_the_desk_and_the_resolver_and_each_download_is_recorded(app, desk):
    from app.audit.models import AuditEvent
    from app.extensions import db
    from tests.support import web_login

    pdf, png = make_pdf("Giấy đề nghị"), png_bytes()
    fields = intake(papers=[{"paper": 0}, {"paper": 1}, {"paper": 2}])
    answer = post_with_scans(desk["a"], fields, {"paper_0": (pdf, "đề nghị.pdf"), "paper_1": (png, "cccd.png")})
    assert answer.status_code == 201, answer.json
    code = answer.json["code"]
    first, second, third = answer.json["papers"]
    assert third["scan"] is None  # listed as received on paper only
    url = first["scan"]["url"]
    assert url == f"/api/v1/onestop/dossiers/{code}/papers/0"

    opened = desk["a"].get(url)
    assert opened.status_code == 200 and opened.data == pdf
    assert opened.mimetype == "application/pdf" and opened.headers["X-Content-SHA256"] == first["scan"]["sha256"]
    assert opened.headers["Content-Disposition"].startswith("inline;")
    assert "filename*=UTF-8''%C4%91%E1%BB%81%20ngh%E1%BB%8B.pdf" in opened.headers["Content-Disposition"]
    image = desk["b"].get(second["scan"]["url"])  # the resolving organisation's officer
    assert image.status_code == 200 and image.data == png and image.mimetype == "image/png"
    assert image.headers["Content-Disposition"].startswith("attachment;")  # only a PDF opens in the page

    # Not a paper with a scan, not a paper, not a position, not theirs: 404, and nothing says whether it exists.
    none = desk["a"].get(f"/api/v1/onestop/dossiers/{code}/papers/2")
    assert none.status_code == 404 and none.json["error"]["message"] == "This paper was received without a scan."
    assert desk["a"].get(f"/api/v1/onestop/dossiers/{code}/papers/9").status_code == 404
    for bad in ("-1", "x", "0%27%20OR%201=1", "..%2F..%2Fetc%2Fpasswd"):
        assert desk["a"].get(f"/api/v1/onestop/dossiers/{code}/papers/{bad}").status_code == 404
    outsider = ApiClient.login(app, "clerk_c", PASSWORD).get(url)
    assert outsider.status_code == 404 and pdf not in outsider.data
    assert app.test_client().get(url).status_code == 401

    with app.app_context():
        action = AuditEvent.action == "onestop:dossier:paper:downloaded"
        downloads = db.session.scalars(sa.select(AuditEvent).where(action).order_by(AuditEvent.seq)).all()
        assert [(e.data["code"], e.data["position"]) for e in downloads] == [(code, 0), (code, 1)]

    # The dossier's page links each scan.
    browser = app.test_client()
    web_login(browser, "onestop_a")
    page = browser.get(f"/onestop/dossiers/{code}").get_data(as_text=True)
    assert f'href="{url}"' in page and f'href="{second["scan"]["url"]}"' in page


def test_while_the_store_is_down_a_scan_takes_no_receipt_number_and_the_desk_goes_on(app_factory, desk, tmp_path):
    """The object store stops: a dossier with a scan is refused with 503 before it takes a number, the scans
    already kept cannot be opened (503), a dossier without scans is received, the public lookup answers, a move
    with a file waits and one without goes on; when the store is back, the next dossier follows on with no gap."""
    with app_with_own_store(app_factory, tmp_path, BABEL_DEFAULT_LOCALE="en") as (desk_app, store):
        officer = ApiClient.login(desk_app, "onestop_a", PASSWORD)
        before = post_with_scans(officer, intake(), {"paper_0": (make_pdf("trước sự cố"), "a.pdf")})
        assert before.status_code == 201, before.json
        assert before.json["code"].split("-")[2] == "0001"
        kept = counts(desk_app)

        store.stop()

        down = post_with_scans(officer, intake(), {"paper_0": (make_pdf("trong sự cố"), "b.pdf")})
        assert down.status_code == 503, down.json
        assert down.json["error"]["code"] == "storage_unavailable"
        assert counts(desk_app) == kept  # no dossier, no paper, no blob row
        assert officer.get(before.json["papers"][0]["scan"]["url"]).status_code == 503
        on_paper = officer.post(
            "/api/v1/onestop/dossiers", json=intake(procedure=FREE, fee_mode="none", papers=[{"paper": 0}])
        )
        assert on_paper.status_code == 201, on_paper.json
        assert on_paper.json["code"].split("-")[2] == "0002"  # the refused one took no number
        lookup = desk_app.test_client().get(
            f"/api/v1/public/dossiers/{before.json['code']}", query_string={"s": before.json["secret"]}
        )
        assert lookup.status_code == 200
        # A move with a file waits for the store (503, the dossier where it was); one without goes on.
        moves = f"/api/v1/onestop/dossiers/{before.json['code']}/moves"
        with_file = officer.post(
            moves,
            data={"move": "transfer", "files": (io.BytesIO(make_pdf("phiếu chuyển")), "chuyen.pdf")},
            content_type="multipart/form-data",
        )
        assert with_file.status_code == 503, with_file.json
        assert officer.get(f"/api/v1/onestop/dossiers/{before.json['code']}").json["status"] == "received"
        assert officer.post(moves, json={"move": "transfer"}).json["status"] == "transferred"

        store.start()

        after = post_with_scans(officer, intake(), {"paper_0": (make_pdf("sau sự cố"), "c.pdf")})
        assert after.status_code == 201, after.json
        assert after.json["code"].split("-")[2] == "0003"
        assert officer.get(before.json["papers"][0]["scan"]["url"]).data == make_pdf("trước sự cố")


def test_the_desk_finds_a_dossier_by_code_phone_identity_number_or_name_and_lists_the_overdue(app, desk):
    from app.extensions import db
    from app.onestop.models import Dossier
    from tests.support import web_login

    def receive(name: str, phone: str, id_number: str) -> dict:
        applicant = {"name": name, "phone": phone, "id_number": id_number}
        answer = desk["a"].post("/api/v1/onestop/dossiers", json=intake(applicant=applicant))
        assert answer.status_code == 201, answer.json
        return answer.json

    an = receive("Nguyễn Văn An", "0912 345 678", "001090012345")
    hong = receive("Đặng Thị Hồng", "+84 987 654 321", "079185000111")
    other = desk["b"].post("/api/v1/onestop/dossiers", json=intake(applicant={"name": "Nguyễn Văn An"})).json

    def codes(client: ApiClient, **params: object) -> list[str]:
        answer = client.get("/api/v1/onestop/dossiers", query_string=params)
        assert answer.status_code == 200, answer.json
        return sorted(item["code"] for item in answer.json["items"])

    mine = sorted([an["code"], hong["code"]])
    assert codes(desk["a"]) == mine  # B's desk's dossier is not A's
    assert codes(desk["a"], q="nguyen van an") == [an["code"]]  # without diacritics
    assert codes(desk["a"], q="ĐẶNG thị") == [hong["code"]]  # another case
    assert codes(desk["a"], q="hong") == [hong["code"]]  # a word of the name
    assert codes(desk["a"], q="0987654321") == [hong["code"]]  # the phone as kept
    assert codes(desk["a"], q="+84 912 345 678") == [an["code"]]  # the phone as written
    assert codes(desk["a"], q="001090012345") == [an["code"]]
    assert codes(desk["a"], q=an["code"].lower()) == [an["code"]]
    assert codes(desk["a"], q=an["code"][:14]) == mine  # the desk's day: both
    assert codes(desk["a"], q="%") == [] and codes(desk["a"], q="_") == []  # LIKE's wildcards are plain text
    for hostile in ("' OR 1=1 --", "<script>alert(1)</script>", "Robert'); DROP TABLE dossiers;--"):
        assert codes(desk["a"], q=hostile) == []
    assert codes(desk["a"], status="received") == mine and codes(desk["a"], status="returned") == []
    # The resolving organisation (B) sees both A's and its own desk's dossiers it resolves, by name too.
    assert codes(desk["b"], view="resolving", q="Nguyễn Văn An") == sorted([an["code"], other["code"]])

    # Overdue: the clock runs and the appointment has passed.
    with app.app_context():
        late = db.session.query(Dossier).execution_options(all_organisations=True).filter_by(code=an["code"]).one()
        late.appointment_at = datetime(2020, 1, 6, 10, 0, tzinfo=UTC)
        db.session.commit()
    assert codes(desk["a"], overdue="1") == [an["code"]]
    listed = desk["a"].get("/api/v1/onestop/dossiers", query_string={"q": "an"}).json["items"]
    assert {item["code"]: item["overdue"] for item in listed}[an["code"]] is True

    # Bad filters: 422 naming them.
    for params, field in (
        ({"status": "lost"}, "status"),
        ({"received_from": "2026-13-45"}, "received_from"),
        ({"per_page": "100000"}, "per_page"),
        ({"q": "x" * 301}, "q"),
        ({"view": "everyone"}, "view"),
    ):
        answer = desk["a"].get("/api/v1/onestop/dossiers", query_string=params)
        assert answer.status_code == 422 and field in answer.json["error"]["fields"], params
    assert app.test_client().get("/api/v1/onestop/dossiers").status_code == 401

    # The desk's page: the search box, the overdue mark, and the hostile text shown as text.
    browser = app.test_client()
    web_login(browser, "onestop_a")
    page = browser.get("/onestop", query_string={"q": "nguyen"}).get_data(as_text=True)
    assert an["code"] in page and hong["code"] not in page and 'class="badge late"' in page
    # As the form sends it: the filters left at "every status" come empty, and mean no filter.
    sent = browser.get("/onestop", query_string={"q": "nguyen", "status": "", "view": ""}).get_data(as_text=True)
    assert an["code"] in sent and hong["code"] not in sent and 'class="flash error"' not in sent
    assert codes(desk["a"], q="hong", status="", procedure="", received_from="") == [hong["code"]]
    hostile = browser.get("/onestop", query_string={"q": "<script>x</script>"}).get_data(as_text=True)
    assert "<script>x</script>" not in hostile and "&lt;script&gt;x&lt;/script&gt;" in hostile
    bad = browser.get("/onestop", query_string={"status": "lost"})
    assert bad.status_code == 200 and an["code"] in bad.get_data(as_text=True)  # said, and the whole list shown


def test_a_slip_scanned_at_the_desk_opens_its_dossier(app, desk):
    """The desk's scanner types what it reads into the search box: the slip's barcode (the code) or its QR code
    (the public lookup's address with the code and secret). A whole, valid code opens that dossier's page; the
    API lists it alone; another desk's code, a mistyped one or an address of something else finds nothing."""
    from tests.support import web_login

    first = desk["a"].post("/api/v1/onestop/dossiers", json=intake()).json
    second = desk["a"].post("/api/v1/onestop/dossiers", json=intake()).json
    theirs = desk["b"].post("/api/v1/onestop/dossiers", json=intake()).json
    qr = f"http://motcua.example.vn/tra-cuu/{first['code']}?s={first['secret']}"

    def codes(**params: object) -> list[str]:
        answer = desk["a"].get("/api/v1/onestop/dossiers", query_string=params)
        assert answer.status_code == 200, answer.json
        return [item["code"] for item in answer.json["items"]]

    assert codes(q=qr) == [first["code"]]
    assert codes(q=f"  {second['code'].lower()}  ") == [second["code"]]
    assert codes(q=qr.replace(first["code"], theirs["code"])) == []  # B's dossier is not A's desk's
    mistyped = first["code"][:-3] + ("1" if first["code"][-3] != "1" else "2") + first["code"][-2:]
    assert codes(q=f"http://motcua.example.vn/tra-cuu/{mistyped}") == []  # the check character refuses it

    browser = app.test_client()
    web_login(browser, "onestop_a")
    opened = browser.get("/onestop", query_string={"q": qr})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/onestop/dossiers/{first['code']}")
    typed = browser.get("/onestop", query_string={"q": second["code"]})
    assert typed.status_code == 302 and typed.headers["Location"].endswith(f"/onestop/dossiers/{second['code']}")
    listed = browser.get("/onestop", query_string={"q": first["code"][:14]})  # the beginning of a code: the list
    assert listed.status_code == 200 and f"/onestop/dossiers/{first['code']}" in listed.get_data(as_text=True)
    nothing = browser.get("/onestop", query_string={"q": theirs["code"]})
    assert nothing.status_code == 200 and f"/onestop/dossiers/{theirs['code']}" not in nothing.get_data(as_text=True)
