"""The document pages: registering through the form, the duplicate warning, editing, the register."""

from __future__ import annotations

import io
import re

from tests.support import csrf_token_from, incoming_fields, make_pdf, web_login


def _form_post(client, pdf: bytes | None, **fields):  # type: ignore[no-untyped-def]
    page = client.get("/documents/new?direction=incoming").get_data(as_text=True)
    data = {**incoming_fields(**fields), "csrf_token": csrf_token_from(page)}
    if pdf is not None:
        data["file"] = (io.BytesIO(pdf), "cong-van.pdf")
    return client.post("/documents/new?direction=incoming", data=data, content_type="multipart/form-data")


def test_a_clerk_registers_through_the_form_and_lands_on_the_document(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, "clerk_a")
    response = _form_post(client, make_pdf())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "V/v báo cáo tình hình thực hiện kế hoạch năm 2026" in page
    listing = client.get("/documents?q=bao+cao").get_data(as_text=True)
    assert "V/v báo cáo tình hình" in listing


def test_the_form_shows_each_bad_field(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, "clerk_a")
    response = _form_post(client, b"not a pdf", subject="", issued_on="2026-13-45")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("subject", "issued_on"):
        assert f'id="err-{field}"' in html, field
    assert "must be a PDF" in html


def test_a_likely_duplicate_is_confirmed_without_choosing_the_file_again(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, "clerk_a")
    assert _form_post(client, make_pdf(), number="7").status_code == 302
    second_pdf = make_pdf("bản thứ hai")
    warned = _form_post(client, second_pdf, number="07")
    assert warned.status_code == 409
    html = warned.get_data(as_text=True)
    assert "confirm_duplicate" in html
    pending = re.search(r'name="pending_files" value="([^"]+)"', html)
    assert pending, "the chosen files are kept for the confirmation"
    data = {**incoming_fields(number="07"), "csrf_token": csrf_token_from(html), "confirm_duplicate": "true",
            "pending_files": pending.group(1)}  # fmt: skip
    confirmed = client.post("/documents/new?direction=incoming", data=data, content_type="multipart/form-data")
    assert confirmed.status_code == 302
    detail = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    file_url = re.search(r'href="(/documents/\d+/files/\d+)"', detail).group(1)
    assert client.get(file_url).data == second_pdf


def test_a_kept_file_note_of_another_user_is_worthless(app, world) -> None:  # type: ignore[no-untyped-def]
    first = app.test_client()
    web_login(first, "clerk_a")
    _form_post(first, make_pdf(), number="8")
    html = _form_post(first, make_pdf("khác"), number="8").get_data(as_text=True)
    note = re.search(r'name="pending_files" value="([^"]+)"', html).group(1)
    other = app.test_client()
    web_login(other, "clerk_b")
    page = other.get("/documents/new?direction=incoming").get_data(as_text=True)
    data = {**incoming_fields(number="8"), "csrf_token": csrf_token_from(page), "pending_files": note}
    response = other.post("/documents/new?direction=incoming", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Attach the document" in response.get_data(as_text=True)


def test_an_edit_through_the_form_is_kept_in_the_history(app, world, api) -> None:  # type: ignore[no-untyped-def]
    doc = api("clerk_a").register(make_pdf()).get_json()
    client = app.test_client()
    web_login(client, "clerk_a")
    url = f"/documents/{doc['id']}/edit"
    form = client.get(url).get_data(as_text=True)
    data = {**incoming_fields(subject="Trích yếu đã sửa"), "csrf_token": csrf_token_from(form),
            "received_on": doc["received_on"]}  # fmt: skip
    assert client.post(url, data=data).status_code == 302
    page = client.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert "Trích yếu đã sửa" in page
    assert "V/v báo cáo tình hình thực hiện kế hoạch năm 2026" in page  # the old value, in the history


def test_a_specialist_cannot_edit_an_incoming_document(app, world, api) -> None:  # type: ignore[no-untyped-def]
    doc = api("clerk_a").register(make_pdf()).get_json()
    client = app.test_client()
    web_login(client, "specialist_a")
    assert client.get(f"/documents/{doc['id']}").status_code == 200
    form = client.get(f"/documents/{doc['id']}").get_data(as_text=True)
    response = client.post(f"/documents/{doc['id']}/edit", data={**incoming_fields(subject="x"),
                                                                "csrf_token": csrf_token_from(form)})  # fmt: skip
    assert response.status_code == 403


def test_the_register_lists_entries_in_number_order(app, world, api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    for n in range(3):
        clerk.register(make_pdf(), number=str(n + 10), subject=f"Văn bản thứ {n + 1}")
    client = app.test_client()
    web_login(client, "clerk_a")
    year = clerk.get("/api/v1/documents").get_json()["items"][0]["register_year"]
    html = client.get(f"/registers/incoming/{year}").get_data(as_text=True)
    positions = [html.index(f"Văn bản thứ {n}") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert client.get("/registers").status_code == 200
