"""The routing pages, through the Flask test client: sending from the document page, the recipients' incoming
queue and their decisions, recall and replacement, and the peer servers' page.

The `issued` fixture (tests/routing/conftest.py) gives an outgoing document of organisation A, signed by its
leader and issued by its clerk. B and C are organisations of this same server, below A.
"""

from __future__ import annotations

import io
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server
from werkzeug.test import TestResponse
from werkzeug.wrappers import Request, Response

from app.routing import service
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, live_server, open_tab  # noqa: F401 - fixtures
from tests.signing.test_pages import _browser, _flashes, _submit
from tests.support import ORG_A, ORG_B, ORG_C, make_pdf

PEER_CODE = "000.00.00.P01"


def _section(html: str, anchor: str) -> str:
    """The <section> of the page with this id, or "" when the page has none."""
    start = html.find(f'id="{anchor}"')
    if start < 0:
        return ""
    return html[start : html.index("</section>", start)]


def _row(html: str, code: str) -> str:
    """The row of the sending panel for the recipient with this code."""
    match = re.search(rf'<tr id="dispatch-\d+" data-code="{re.escape(code)}">.*?</tr>', html, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def _send(client: FlaskClient, doc_id: int, codes: list[str]) -> TestResponse:
    return _submit(client, f"/documents/{doc_id}", f"/documents/{doc_id}/send", {"recipients": codes})


def _arrival_id(client: FlaskClient, status: str = "waiting") -> int:
    html = client.get(f"/inbox?status={status}").get_data(as_text=True)
    ids = re.findall(r'<tr id="arrival-(\d+)">', html)
    assert len(ids) == 1, html
    return int(ids[0])


def _arrival_status(api, who: str, arrival_id: int) -> str:  # type: ignore[no-untyped-def]
    return api(who).get(f"/api/v1/inbox/{arrival_id}").get_json()["status"]


def _sent_to_b_and_c(app: Flask, issued) -> tuple[dict, FlaskClient]:  # type: ignore[no-untyped-def]
    doc = issued()
    clerk_a = _browser(app, "clerk_a")
    response = _send(clerk_a, doc["id"], [ORG_B, ORG_C])
    assert response.status_code == 302, response.get_data(as_text=True)
    return doc, clerk_a


# --- Sending from the document page --------------------------------------------------------------------------------


def test_a_clerk_sends_an_issued_document_from_its_page(app: Flask, api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued()
    page = f"/documents/{doc['id']}"
    clerk_a = _browser(app, "clerk_a")
    html = clerk_a.get(page).get_data(as_text=True)
    panel = _section(html, "dispatches")
    assert "Not sent to anyone yet." in panel
    assert f'action="/documents/{doc["id"]}/send"' in panel
    for code in (ORG_B, ORG_C):
        assert f'name="recipients" value="{code}">' in panel  # enabled
    assert f'value="{ORG_A}"' not in panel  # not to itself
    assert 'action="/documents/{}/change"'.format(doc["id"]) not in panel  # nobody holds it yet

    # Nothing ticked: nothing is sent, and the clerk is told.
    nothing = _send(clerk_a, doc["id"], [])
    assert nothing.status_code == 302 and nothing.headers["Location"].endswith(f"{page}#dispatches")
    assert "Give the codes of the organisations to send to." in _flashes(clerk_a, page)
    assert api("clerk_b").get("/api/v1/inbox").get_json()["total"] == 0

    sent = _send(clerk_a, doc["id"], [ORG_B, ORG_C])
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"{page}#dispatches")
    assert "Sent to 2 recipients." in _flashes(clerk_a, page)
    panel = _section(clerk_a.get(page).get_data(as_text=True), "dispatches")
    for code, name in ((ORG_B, "Sở Công Thương"), (ORG_C, "Sở Tài chính")):
        row = _row(panel, code)
        assert name in row and "This server" in row
        assert "Delivered (waiting for the recipient)" in row
        assert "2 steps" in row and "Sent (being delivered)" in row  # the history: sent, then delivered
        assert f'name="recipients" value="{code}" disabled>' in panel  # sent already
    assert api("clerk_b").get("/api/v1/inbox").get_json()["total"] == 1

    # A specialist sees the table but no form; a search narrows the list of organisations.
    specialist = _browser(app, "specialist_a").get(page).get_data(as_text=True)
    assert "Delivered (waiting for the recipient)" in specialist
    assert 'action="/documents/{}/send"'.format(doc["id"]) not in specialist
    found = _section(clerk_a.get(f"{page}?find=tài chính").get_data(as_text=True), "dispatches")
    assert f'value="{ORG_C}"' in found and f'value="{ORG_B}"' not in found


def test_only_a_clerk_sends_and_only_an_issued_document(app: Flask, api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued()
    specialist = _browser(app, "specialist_a")
    refused = _send(specialist, doc["id"], [ORG_B])
    assert refused.status_code == 302
    assert "Only a clerk sends documents." in _flashes(specialist, f"/documents/{doc['id']}")
    incoming = api("clerk_a").register(make_pdf("Đến")).get_json()
    clerk_a = _browser(app, "clerk_a")
    assert 'id="dispatches"' not in clerk_a.get(f"/documents/{incoming['id']}").get_data(as_text=True)
    assert _send(clerk_a, incoming["id"], [ORG_B]).status_code == 302
    assert "Only an issued outgoing document can be sent" in _flashes(clerk_a, f"/documents/{incoming['id']}")
    assert _send(_browser(app, "clerk_b"), doc["id"], [ORG_C]).status_code == 404  # another organisation's
    assert api("clerk_b").get("/api/v1/inbox").get_json()["total"] == 0
    assert api("clerk_c").get("/api/v1/inbox").get_json()["total"] == 0


# --- The recipients' queue and their decisions --------------------------------------------------------------------


def test_the_recipient_sees_it_arrive_and_accepts_or_returns_it(app: Flask, api, issued) -> None:  # type: ignore[no-untyped-def]
    doc, clerk_a = _sent_to_b_and_c(app, issued)
    doc_page = f"/documents/{doc['id']}"
    clerk_b = _browser(app, "clerk_b")

    menu = clerk_b.get("/documents").get_data(as_text=True)
    assert re.search(r'href="/inbox"[^>]*>Arrived <span class="count-badge"[^>]*>1</span>', menu), menu
    queue = clerk_b.get("/inbox").get_data(as_text=True)
    assert doc["subject"] in queue
    assert "Ủy ban nhân dân tỉnh Thử Nghiệm" in queue and ORG_A in queue
    assert f"{doc['number']}/UBND-VP" in queue
    assert '<span class="badge verdict-badge v-valid">Valid</span>' in queue
    assert '<span class="badge urgency-urgent">Urgent</span>' in queue
    arrival_id = _arrival_id(clerk_b)
    assert f'href="/inbox/{arrival_id}"' in queue
    leader_b = _browser(app, "leader_b")
    assert doc["subject"] in leader_b.get("/inbox").get_data(as_text=True)  # leaders see the queue too

    page = f"/inbox/{arrival_id}"
    html = clerk_b.get(page).get_data(as_text=True)
    assert "UBND-VP" in html and "Thử Nghiệm" in html
    assert "checked on arrival" in html
    assert html.count('<li class="signature v-valid">') == 2  # the leader's and the organisation's seal
    main = re.search(rf'href="(/inbox/{arrival_id}/files/0)"', html)
    assert main
    got = clerk_b.get(main.group(1))
    assert got.status_code == 200 and got.data.startswith(b"%PDF-")
    assert got.headers["X-Content-SHA256"] in html
    assert clerk_b.get(f"/inbox/{arrival_id}/files/5").status_code == 404
    assert f'action="/inbox/{arrival_id}/accept"' in html and f'action="/inbox/{arrival_id}/return"' in html
    assert f'action="/inbox/{arrival_id}/accept"' not in leader_b.get(page).get_data(as_text=True)  # clerks decide

    # Returned without a reason: the page says why, nothing changes.
    refused = _submit(clerk_b, page, f"{page}/return", {"reason": "  "})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert re.search(r'<small class="error" id="err-reason">Say why the document is returned.</small>', body)
    assert _arrival_status(api, "clerk_b", arrival_id) == "waiting"
    assert "Delivered (waiting for the recipient)" in _row(clerk_a.get(doc_page).get_data(as_text=True), ORG_B)

    # Not confirmed: not accepted.
    assert _submit(clerk_b, page, f"{page}/accept").status_code == 302
    assert "Tick the box" in _flashes(clerk_b, page)
    assert _arrival_status(api, "clerk_b", arrival_id) == "waiting"

    accepted = _submit(clerk_b, page, f"{page}/accept", {"confirm": "yes"})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(page)
    assert "Accepted and registered in the incoming register." in _flashes(clerk_b, page)
    html = clerk_b.get(page).get_data(as_text=True)
    registered = re.search(r'<a href="/documents/(\d+)" id="registered-document">', html)
    assert registered, html
    assert f'action="{page}/accept"' not in html
    incoming = api("clerk_b").get(f"/api/v1/documents/{registered.group(1)}").get_json()
    assert incoming["direction"] == "incoming" and incoming["subject"] == doc["subject"]
    menu_entry = re.search(r'href="/inbox".*?</a>', clerk_b.get("/inbox").get_data(as_text=True))
    assert menu_entry and "count-badge" not in menu_entry.group(0)
    assert _arrival_id(clerk_b, "accepted") == arrival_id
    assert "Received and registered" in _row(clerk_a.get(doc_page).get_data(as_text=True), ORG_B)

    # Accepting twice is refused in words.
    assert _submit(clerk_b, page, f"{page}/accept", {"confirm": "yes"}).status_code == 302
    assert "already decided" in _flashes(clerk_b, page)

    # C returns it with a reason; A reads the reason in C's row.
    clerk_c = _browser(app, "clerk_c")
    c_page = f"/inbox/{_arrival_id(clerk_c)}"
    returned = _submit(clerk_c, c_page, f"{c_page}/return", {"reason": "Không thuộc thẩm quyền của Sở"})
    assert returned.status_code == 302
    assert "Returned to the sender with your reason." in _flashes(clerk_c, c_page)
    assert "Không thuộc thẩm quyền của Sở" in clerk_c.get(c_page).get_data(as_text=True)
    row = _row(clerk_a.get(doc_page).get_data(as_text=True), ORG_C)
    assert "Returned" in row and "Không thuộc thẩm quyền của Sở" in row
    assert clerk_c.get("/inbox").get_data(as_text=True).count('<tr id="arrival-') == 0
    assert _arrival_id(clerk_c, "all") == int(c_page.rsplit("/", 1)[1])


def test_the_queue_belongs_to_its_organisation_and_to_clerks_and_leaders(app: Flask, api, issued) -> None:  # type: ignore[no-untyped-def]
    _sent_to_b_and_c(app, issued)
    b_arrival = _arrival_id(_browser(app, "clerk_b"))
    specialist_c = _browser(app, "specialist_c")
    assert specialist_c.get("/inbox").status_code == 403
    assert 'href="/inbox"' not in specialist_c.get("/documents").get_data(as_text=True)
    clerk_c = _browser(app, "clerk_c")
    assert clerk_c.get(f"/inbox/{b_arrival}").status_code == 404
    assert clerk_c.get(f"/inbox/{b_arrival}/files/0").status_code == 404
    assert _submit(clerk_c, "/inbox", f"/inbox/{b_arrival}/accept", {"confirm": "yes"}).status_code == 404
    assert _submit(clerk_c, "/inbox", f"/inbox/{b_arrival}/return", {"reason": "Nhầm"}).status_code == 404
    assert _arrival_status(api, "clerk_b", b_arrival) == "waiting"
    assert clerk_c.get("/inbox?status=bogus").status_code == 422
    # A leader reads but does not decide.
    leader_b = _browser(app, "leader_b")
    assert _submit(leader_b, "/inbox", f"/inbox/{b_arrival}/accept", {"confirm": "yes"}).status_code == 302
    assert "Only a clerk accepts or returns" in _flashes(leader_b, f"/inbox/{b_arrival}")
    assert _arrival_status(api, "clerk_b", b_arrival) == "waiting"


# --- Recall and replacement ------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(service, "request_change"), reason="the sender's request is not written yet")
@pytest.mark.skipif(not hasattr(service, "answer_change"), reason="the recipient's answer is not written yet")
def test_a_recall_is_asked_from_the_page_and_answered_by_each_recipient(app: Flask, api, issued) -> None:  # type: ignore[no-untyped-def]
    doc, clerk_a = _sent_to_b_and_c(app, issued)
    doc_page = f"/documents/{doc['id']}"
    clerk_b, clerk_c = _browser(app, "clerk_b"), _browser(app, "clerk_c")
    b_page = f"/inbox/{_arrival_id(clerk_b)}"
    assert _submit(clerk_b, b_page, f"{b_page}/accept", {"confirm": "yes"}).status_code == 302
    assert f'action="{doc_page}/change"' in clerk_a.get(doc_page).get_data(as_text=True)

    # Without a reason nothing is asked.
    assert _submit(clerk_a, doc_page, f"{doc_page}/change", {"kind": "recall", "reason": ""}).status_code == 302
    assert "Give the reason." in _flashes(clerk_a, doc_page)
    assert "asked, waiting for the answer" not in clerk_a.get(doc_page).get_data(as_text=True)

    asked = _submit(clerk_a, doc_page, f"{doc_page}/change", {"kind": "recall", "reason": "Ban hành nhầm"})
    assert asked.status_code == 302
    assert "Asked of 2 recipients" in _flashes(clerk_a, doc_page)
    html = clerk_a.get(doc_page).get_data(as_text=True)
    for code in (ORG_B, ORG_C):
        row = _row(html, code)
        assert "Recall or replacement asked" in row and "Recall asked, waiting for the answer" in row
    queue = clerk_b.get("/inbox?status=accepted").get_data(as_text=True)
    assert '<span class="badge change-asked">The sender asks to recall it</span>' in queue
    html = clerk_b.get(b_page).get_data(as_text=True)
    assert "The sender asks to recall it" in html and "Ban hành nhầm" in html
    assert f'action="{b_page}/change"' in html

    # B refuses without a reason: told, nothing changes; with one: A reads it.
    refused = _submit(clerk_b, b_page, f"{b_page}/change", {"answer": "refuse", "refusal_reason": ""})
    assert refused.status_code == 422
    assert 'id="err-refusal_reason">Give the reason.</small>' in refused.get_data(as_text=True)
    refused = _submit(clerk_b, b_page, f"{b_page}/change", {"answer": "refuse", "refusal_reason": "Đã xử lý xong"})
    assert refused.status_code == 302
    assert "You refused" in _flashes(clerk_b, b_page)
    row = _row(clerk_a.get(doc_page).get_data(as_text=True), ORG_B)
    assert "Recall or replacement refused" in row and "Đã xử lý xong" in row

    # C agrees: its arrival is recalled, and A sees it.
    c_page = f"/inbox/{_arrival_id(clerk_c)}"
    assert _submit(clerk_c, c_page, f"{c_page}/change", {"answer": "agree"}).status_code == 302
    assert "You agreed" in _flashes(clerk_c, c_page)
    assert _arrival_status(api, "clerk_c", int(c_page.rsplit("/", 1)[1])) == "recalled"
    assert "Recalled" in _row(clerk_a.get(doc_page).get_data(as_text=True), ORG_C)
    assert _submit(clerk_c, c_page, f"{c_page}/change", {"answer": "agree"}).status_code == 302
    assert "The sender asks nothing of this document now." in _flashes(clerk_c, c_page)


@pytest.mark.skipif(not hasattr(service, "request_change"), reason="the sender's request is not written yet")
def test_a_replacement_needs_a_pdf_and_offers_it_to_the_recipient(app: Flask, api, issued) -> None:  # type: ignore[no-untyped-def]
    doc = issued()
    clerk_a = _browser(app, "clerk_a")
    assert _send(clerk_a, doc["id"], [ORG_B]).status_code == 302
    doc_page = f"/documents/{doc['id']}"

    def ask(data: dict) -> TestResponse:
        return _submit(clerk_a, doc_page, f"{doc_page}/change", data, content_type="multipart/form-data")

    assert ask({"kind": "replace", "reason": "Sai số liệu"}).status_code == 302
    assert "Attach the corrected PDF" in _flashes(clerk_a, doc_page)
    corrected = make_pdf("Bản đính chính")
    sent = ask({"kind": "replace", "reason": "Sai số liệu", "file": (io.BytesIO(corrected), "dinh-chinh.pdf")})
    assert sent.status_code == 302
    assert "Asked of 1 recipient" in _flashes(clerk_a, doc_page)
    clerk_b = _browser(app, "clerk_b")
    b_page = f"/inbox/{_arrival_id(clerk_b)}"
    html = clerk_b.get(b_page).get_data(as_text=True)
    assert "The sender asks to replace it" in html and "dinh-chinh.pdf" in html
    proposed = clerk_b.get(f"{b_page}/proposed-files/0")
    assert proposed.status_code == 200 and proposed.data == corrected


# --- A failed delivery to a peer, sent again ------------------------------------------------------------------------


def test_a_failed_delivery_is_sent_again_from_the_panel(app: Flask, api, issued, fake_peer) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.routing import peers
    from app.routing.models import Dispatch

    with app.app_context():
        peers.add_peer(None, "bo-ngoai", fake_peer.url, peers.fetch_identity(fake_peer.url))
        db.session.commit()
    doc = issued()
    doc_page = f"/documents/{doc['id']}"
    clerk_a = _browser(app, "clerk_a")
    html = clerk_a.get(doc_page).get_data(as_text=True)
    assert "On the peer server bo-ngoai" in html and f'value="{PEER_CODE}"' in html
    assert _send(clerk_a, doc["id"], [PEER_CODE]).status_code == 302
    row = _row(clerk_a.get(doc_page).get_data(as_text=True), PEER_CODE)
    assert "bo-ngoai" in row and "Sent (being delivered)" in row
    assert "Send again" not in row

    with app.app_context():
        dispatch = db.session.scalars(sa.select(Dispatch).where(Dispatch.recipient_code == PEER_CODE)).one()
        service.mark_failed(dispatch, "503 unavailable: the peer is being upgraded")
        db.session.commit()
        dispatch_id = dispatch.id
    row = _row(clerk_a.get(doc_page).get_data(as_text=True), PEER_CODE)
    assert "Delivery failed" in row and "the peer is being upgraded" in row
    action = f"{doc_page}/dispatches/{dispatch_id}/resend"
    assert f'action="{action}"' in row
    assert _submit(clerk_a, doc_page, action).status_code == 302
    assert "Sending again to" in _flashes(clerk_a, doc_page)
    row = _row(clerk_a.get(doc_page).get_data(as_text=True), PEER_CODE)
    assert "Sent (being delivered)" in row and "Send again" not in row
    assert _submit(clerk_a, doc_page, action).status_code == 302  # not failed any more
    assert "Only a failed delivery is sent again." in _flashes(clerk_a, doc_page)


# --- Peer servers ---------------------------------------------------------------------------------------------------


def _certificate(name: str) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = datetime.now(UTC) - timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class FakePeer:
    """Another server's identity endpoint, as it answers over HTTP: a server we do not run, so a stand-in."""

    url: str
    identity: dict = field(default_factory=dict)

    def new_certificate(self) -> None:
        self.identity["certificate"] = _certificate("Máy chủ khác")


@pytest.fixture
def fake_peer() -> Iterator[FakePeer]:
    peer = FakePeer(
        "",
        {
            "name": "bo-ngoai.example.gov.vn",
            "certificate": _certificate("Máy chủ Bộ Ngoại"),
            "organisations": [{"code": PEER_CODE, "name": "Bộ Ngoại thử nghiệm"}],
        },
    )

    @Request.application
    def answer(request: Request) -> Response:
        if request.path != "/api/v1/exchange/identity":
            return Response("{}", status=404, mimetype="application/json")
        return Response(json.dumps(peer.identity), mimetype="application/json")

    server = make_server("127.0.0.1", 0, answer, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="fake-peer", daemon=True)
    thread.start()
    peer.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield peer
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_peers_page_is_for_top_level_administrators(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    from app.routing.identity import own_identity, spaced

    for username in ("clerk_a", "specialist_a", "admin_b"):  # admin_b administers B, below A
        client = _browser(app, username)
        assert client.get("/admin/peers").status_code == 403, username
        form = {"name": "x", "base_url": "http://127.0.0.1:9"}
        assert _submit(client, "/profile", "/admin/peers/identity", form).status_code == 403, username
    assert "/admin/peers" not in _browser(app, "admin_b").get("/admin/organisations").get_data(as_text=True)

    admin = _browser(app, "admin_a")
    assert 'href="/admin/peers"' in admin.get("/admin/organisations").get_data(as_text=True)
    page = admin.get("/admin/peers")
    assert page.status_code == 200
    with app.app_context():
        fingerprint = spaced(own_identity().fingerprint)
    assert f'<code class="hash fingerprint" id="own-fingerprint">{fingerprint}</code>' in page.get_data(as_text=True)
    assert "No peer servers yet." in page.get_data(as_text=True)


def test_adding_an_unreachable_peer_says_why(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    admin = _browser(app, "admin_a")
    url = f"http://127.0.0.1:{_closed_port()}"
    response = _submit(admin, "/admin/peers", "/admin/peers/identity", {"name": "khong-tra-loi", "base_url": url})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'<small class="error" id="err-base_url">The peer does not answer: [^<]+</small>', html)
    assert f'value="{url}"' in html  # the form keeps what was typed
    bad = _submit(admin, "/admin/peers", "/admin/peers/identity", {"name": "x", "base_url": "ftp://nowhere"})
    assert bad.status_code == 422 and "Give the peer&#39;s address" in bad.get_data(as_text=True)
    assert "No peer servers yet." in admin.get("/admin/peers").get_data(as_text=True)


def test_a_peer_is_added_in_two_steps_and_checked_again(app: Flask, world, fake_peer) -> None:  # type: ignore[no-untyped-def]
    from app.routing.identity import fingerprint, spaced

    admin = _browser(app, "admin_a")
    typed = {"name": "bo-ngoai", "base_url": fake_peer.url + "/"}
    shown = _submit(admin, "/admin/peers", "/admin/peers/identity", typed)
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    first = fingerprint(fake_peer.identity["certificate"])
    assert f'id="candidate-fingerprint">{spaced(first)}</code>' in html
    assert "Bộ Ngoại thử nghiệm" in html and PEER_CODE in html
    assert f'name="fingerprint" value="{first}"' in html
    assert "No peer servers yet." in html  # nothing added by looking

    confirm = {**typed, "fingerprint": first, "confirm": "yes"}
    # Not ticked: not added.
    assert _submit(admin, "/admin/peers", "/admin/peers", {**confirm, "confirm": ""}).status_code == 422
    # The peer changed its certificate between the two steps: refused.
    fake_peer.new_certificate()
    changed = _submit(admin, "/admin/peers", "/admin/peers", confirm)
    assert changed.status_code == 409
    assert "another certificate than the one you confirmed" in changed.get_data(as_text=True)
    assert "No peer servers yet." in admin.get("/admin/peers").get_data(as_text=True)

    second = fingerprint(fake_peer.identity["certificate"])
    added = _submit(admin, "/admin/peers", "/admin/peers", {**confirm, "fingerprint": second})
    assert added.status_code == 302 and added.headers["Location"].endswith("/admin/peers")
    assert "Peer bo-ngoai added, with 1 organisation." in _flashes(admin, "/admin/peers")
    html = admin.get("/admin/peers").get_data(as_text=True)
    row = re.search(r'<tr id="peer-(\d+)">.*?</tr>', html, re.S)
    assert row and "bo-ngoai" in row.group(0) and spaced(second) in row.group(0)
    assert fake_peer.url in row.group(0)
    assert _submit(admin, "/admin/peers", "/admin/peers", {**confirm, "fingerprint": second}).status_code == 409

    check = f"/admin/peers/{row.group(1)}/refresh"
    assert _submit(admin, "/admin/peers", check).status_code == 302
    assert "bo-ngoai answered" in _flashes(admin, "/admin/peers")
    fake_peer.new_certificate()  # what an administrator must look into: never taken silently
    assert _submit(admin, "/admin/peers", check).status_code == 302
    assert "The peer now presents another certificate" in _flashes(admin, "/admin/peers")
    row = re.search(r'<tr id="peer-\d+">.*?</tr>', admin.get("/admin/peers").get_data(as_text=True), re.S)
    assert row and "The peer now presents another certificate" in row.group(0)
    assert _submit(_browser(app, "admin_b"), "/profile", check).status_code == 403


# --- In a real browser --------------------------------------------------------------------------------------------


@pytest.fixture
def browser() -> Iterator:
    """Chromium for this test alone: Playwright's event loop stops with it, before the next test."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: `apt-get install chromium`.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def issued_document(issued) -> dict:  # type: ignore[no-untyped-def]
    """Made before the browser starts."""
    return issued()


@pytest.mark.browser
def test_a_clerk_sends_from_the_document_page_in_the_browser(issued_document, open_tab: Callable) -> None:  # noqa: F811
    from playwright.sync_api import expect

    detail = f"/documents/{issued_document['id']}"
    clerk = open_tab("clerk_a")
    page = clerk.page
    clerk.goto(detail)
    panel = page.locator("#dispatches")
    expect(panel.locator("table.dispatch-table")).to_have_count(0)  # not sent yet
    page.check(f"#send-form input[value='{ORG_B}']")
    page.check(f"#send-form input[value='{ORG_C}']")
    page.click("#send-button")
    expect(page.locator(".flash.success")).to_have_count(1)
    rows = panel.locator("table.dispatch-table tbody tr")
    expect(rows).to_have_count(2)
    expect(panel.locator(f"tr[data-code='{ORG_B}'] .dispatch-status")).to_have_class(re.compile(r"\btone-pending\b"))
    expect(page.locator(f"#send-form input[value='{ORG_B}']")).to_be_disabled()
    panel.locator(f"tr[data-code='{ORG_B}'] details.history summary").click()
    expect(panel.locator(f"tr[data-code='{ORG_B}'] ol.events li")).to_have_count(2)
    panel.scroll_into_view_if_needed()
    clerk.screenshot("routing-sent")
    clerk.assert_clean()

    # B's clerk: the menu's count, the queue with the verdict in green, the arrival and its decision forms.
    recipient = open_tab("clerk_b")
    page = recipient.page
    arrived = page.locator(".mainnav a[href='/inbox']")
    expect(arrived.locator(".count-badge")).to_have_text("1")
    arrived.click()
    verdict = page.locator("table.arrivals tbody tr .verdict-badge")
    expect(verdict).to_have_count(1)
    expect(verdict).to_have_class(re.compile(r"\bv-valid\b"))
    expect(verdict).to_have_css("background-color", "rgb(233, 246, 238)")  # green
    recipient.screenshot("routing-inbox")
    page.locator("table.arrivals tbody tr a").first.click()
    expect(page.locator("#signatures li.signature.v-valid")).to_have_count(2)
    expect(page.locator("#accept-button")).to_be_visible()
    expect(page.locator("#return-button")).to_be_visible()
    recipient.screenshot("routing-arrival")
    recipient.assert_clean()
