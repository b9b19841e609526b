"""The way officials sign, through the API: the leader signs a draft, the clerk issues it with the seal."""

from __future__ import annotations

import io
import subprocess
import threading

import sqlalchemy as sa

from tests.support import PASSWORD, ApiClient, make_pdf


def _draft(api, notation: str = "QĐ-UBND", attachments=None) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "direction": "outgoing",
        "document_type": "QĐ",
        "notation": notation,
        "place": "Thử Nghiệm",
        "subject": "Về việc ban hành quy chế làm việc",
        "file": (io.BytesIO(make_pdf("Dự thảo")), "du-thao.pdf"),
    }
    if attachments:
        data["attachments"] = [(io.BytesIO(content), name) for name, content in attachments]
    response = api("specialist_a").post("/api/v1/documents", data=data, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def pdfsig(data: bytes) -> str:
    return _run_tool(["pdfsig"], data)


def _run_tool(command: list[str], data: bytes) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        done = subprocess.run([*command, handle.name], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def _main_bytes(client: ApiClient, doc: dict) -> bytes:
    main = max((f for f in doc["files"] if f["role"] == "main"), key=lambda f: f["version"])
    return client.get(main["url"]).data


def test_a_leader_signs_a_draft_and_a_clerk_issues_it(api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api)
    leader = api("leader_a")
    signed = leader.post(f"/api/v1/documents/{draft['id']}/sign", json={})
    assert signed.status_code == 200, signed.get_json()
    body = signed.get_json()
    assert body["status"] == "signed"
    assert [f["version"] for f in body["files"] if f["role"] == "main"] == [1, 2]  # the unsigned one is kept
    report = leader.get(f"/api/v1/documents/{draft['id']}/signatures").get_json()
    assert report["verdict"] == "valid", report
    signed_pdf = _main_bytes(leader, body)
    check = pdfsig(signed_pdf)
    assert check.count("Signature is Valid.") == 1, check
    assert "ETSI.CAdES.detached" in check

    clerk = api("clerk_a")
    issued = clerk.post(f"/api/v1/documents/{draft['id']}/issue", json={})
    assert issued.status_code == 200, issued.get_json()
    doc = issued.get_json()
    assert doc["status"] == "issued"
    assert doc["register_number"] == 1
    assert doc["number"] == "01"
    report = doc["signatures"]
    assert report["verdict"] == "valid", report
    leader_sig, seal_sig = report["signatures"]
    assert leader_sig["modification_level"] == "FORM_FILLING"
    assert seal_sig["coverage"] == "ENTIRE_FILE"
    final = _main_bytes(clerk, doc)
    check = pdfsig(final)
    assert check.count("Signature is Valid.") == 2, check
    assert check.count("ETSI.CAdES.detached") == 2
    assert "No syntax or stream encoding errors" in _run_tool(["qpdf", "--check"], final)
    assert _field_values(final) == {"eoffice_number": "Số: 01/QĐ-UBND", "eoffice_date": f"Thử Nghiệm, ngày {_today()}"}


def _today() -> str:
    from app.clock import local_today

    day = local_today()
    return f"{day.day:02d} tháng {day.month:02d} năm {day.year}"


def _field_values(data: bytes) -> dict[str, str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    values = {}
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/FT") == "/Tx":
            values[str(field["/T"])] = str(field.get("/V", ""))
    return values


def test_only_a_draft_is_signed_and_only_a_signed_document_is_issued(api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api)
    unsigned_issue = api("clerk_a").post(f"/api/v1/documents/{draft['id']}/issue", json={})
    assert unsigned_issue.status_code == 409
    assert api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={}).status_code == 200
    again = api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={})
    assert again.status_code == 409
    incoming = api("clerk_a").register(make_pdf()).get_json()
    assert api("leader_a").post(f"/api/v1/documents/{incoming['id']}/sign", json={}).status_code == 409


def test_roles_decide_who_signs_and_who_issues(api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api)
    assert api("specialist_a").post(f"/api/v1/documents/{draft['id']}/sign", json={}).status_code == 403
    assert api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={}).status_code == 200
    assert api("leader_a").post(f"/api/v1/documents/{draft['id']}/issue", json={}).status_code == 403
    assert api("clerk_b").post(f"/api/v1/documents/{draft['id']}/issue", json={}).status_code == 404


def test_a_revoked_certificate_cannot_sign(app, api, signing) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.signing.credentials import credential_of_user, revoke

    with app.app_context():
        serial = credential_of_user(signing.users["leader_a"]).certificate.serial
        revoke(None, serial, "key_compromise")
        db.session.commit()
    draft = _draft(api)
    response = api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["reason"] == "revoked"
    assert "revoked" in error["message"]
    assert [f["version"] for f in api("leader_a").get(f"/api/v1/documents/{draft['id']}").get_json()["files"]] == [1]


def test_bad_placements_and_other_organisations_drafts_are_refused(api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api)
    response = api("leader_b").post(f"/api/v1/documents/{draft['id']}/sign", json={})
    assert response.status_code == 404  # another organisation's draft
    mine = api("leader_a")
    assert mine.post(f"/api/v1/documents/{draft['id']}/sign", json={"box": [1, 2]}).status_code == 422
    assert mine.post(f"/api/v1/documents/{draft['id']}/sign", json={"page": "last"}).status_code == 422


def test_attachments_are_sealed_without_an_image(api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api, attachments=[("Phụ lục.pdf", make_pdf("Phụ lục số 1"))])
    assert api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={}).status_code == 200
    doc = api("clerk_a").post(f"/api/v1/documents/{draft['id']}/issue", json={}).get_json()
    attachments = [f for f in doc["files"] if f["role"] == "attachment"]
    assert [f["version"] for f in attachments] == [1, 2]
    sealed = api("clerk_a").get(attachments[1]["url"]).data
    check = pdfsig(sealed)
    assert "Signature is Valid." in check


def test_two_clerks_issuing_at_once_never_get_the_same_number(app, api, signing) -> None:  # type: ignore[no-untyped-def]
    drafts = [_draft(api, notation=f"QĐ-UBND.{n}") for n in range(2)]
    for draft in drafts:
        assert api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={}).status_code == 200
    clerks = [ApiClient.login(app, "clerk_a", PASSWORD) for _ in range(4)]
    results: list[int] = []
    barrier = threading.Barrier(4)

    def issue(index: int) -> None:
        barrier.wait()
        response = clerks[index].post(f"/api/v1/documents/{drafts[index % 2]['id']}/issue", json={})
        results.append(response.status_code)

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 200, 409, 409]
    from app.documents.models import Document
    from app.extensions import db

    with app.app_context():
        numbers = sorted(
            db.session.scalars(sa.select(Document.register_number).where(Document.id.in_([d["id"] for d in drafts])))
        )
    assert numbers == [1, 2]


def test_a_signed_pdf_registered_as_incoming_gets_its_report_at_once(app, api, signing) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from app.extensions import db
    from app.signing.models import SignatureReport

    draft = _draft(api)
    api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={})
    issued = api("clerk_a").post(f"/api/v1/documents/{draft['id']}/issue", json={}).get_json()
    received = api("clerk_b").register(_main_bytes(api("clerk_a"), issued), number="01", notation="QĐ-UBND")
    assert received.status_code == 201
    doc_id = received.get_json()["id"]
    with app.app_context():
        stored = db.session.scalars(sa.select(SignatureReport).where(SignatureReport.document_id == doc_id)).all()
    assert [r.verdict for r in stored] == ["valid"]
    report = api("clerk_b").get(f"/api/v1/documents/{doc_id}/signatures").get_json()
    assert report["verdict"] == "valid"
    assert [s["signer_name"] for s in report["signatures"]] == ["Người leader A", "Ủy ban nhân dân tỉnh Thử Nghiệm"]


def test_the_leader_may_say_where_the_number_and_date_will_go(api, signing) -> None:  # type: ignore[no-untyped-def]
    from app.signing.pdf import form_fields

    draft = _draft(api)
    body = {"box": [300, 60, 550, 200], "number_box": [60, 700, 250, 720], "date_box": [300, 700, 560, 720]}
    signed = api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json=body)
    assert signed.status_code == 200, signed.get_json()
    fields = form_fields(_main_bytes(api("leader_a"), signed.get_json()))
    assert fields["eoffice_number"].box.rect() == (60, 700, 250, 720)
    assert fields["eoffice_date"].box.rect() == (300, 700, 560, 720)
    assert fields["eoffice_leader"].box.rect() == (300, 60, 550, 200)
    assert api("clerk_a").post(f"/api/v1/documents/{draft['id']}/issue", json={}).status_code == 200
    bad = api("leader_a").post(f"/api/v1/documents/{_draft(api)['id']}/sign", json={"number_box": [1, 2, 3, 4]})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"number_box"}


def test_verify_takes_the_pdf_as_the_body(api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api)
    leader = api("leader_a")
    signed = _main_bytes(leader, leader.post(f"/api/v1/documents/{draft['id']}/sign", json={}).get_json())
    client = api("clerk_b")  # anyone may check any PDF: nothing of it is kept
    as_body = client.post("/api/v1/verify", data=signed, content_type="application/pdf")
    as_form = client.post(
        "/api/v1/verify", content_type="multipart/form-data", data={"file": (io.BytesIO(signed), "thu.pdf")}
    )
    assert as_body.status_code == 200 and as_body.get_json()["verdict"] == "valid"
    assert as_body.get_json() == as_form.get_json()
    empty = client.post("/api/v1/verify", data=b"", content_type="application/pdf")
    assert empty.status_code == 422 and "file" in empty.get_json()["error"]["fields"]
    not_pdf = client.post("/api/v1/verify", data=b"GIF89a", content_type="application/pdf")
    assert not_pdf.status_code == 422
    nothing = client.post("/api/v1/verify", json={})
    assert nothing.status_code == 422


def test_the_reasons_come_in_the_language_of_the_request(api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api)
    leader = api("leader_a")
    leader.post(f"/api/v1/documents/{draft['id']}/sign", json={})
    url = f"/api/v1/documents/{draft['id']}/signatures"
    english = leader.get(url).get_json()
    vietnamese = leader.get(url, headers={"Accept-Language": "vi"}).get_json()
    assert english["verdict"] == vietnamese["verdict"] == "valid"
    assert "valid and trusted" in english["reasons"][0]
    assert vietnamese["reasons"] != english["reasons"]
    assert "hợp lệ" in vietnamese["reasons"][0]
    signed = _main_bytes(leader, leader.get(f"/api/v1/documents/{draft['id']}").get_json())
    verified = leader.post(
        "/api/v1/verify", data=signed, content_type="application/pdf", headers={"Accept-Language": "vi"}
    ).get_json()
    assert verified["reasons"] == vietnamese["reasons"]
