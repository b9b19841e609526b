"""A dossier's result as an outgoing document: the handler drafts it from the dossier with its PDF, the
resolving organisation's leader signs it and its clerk issues it in the documents module, and the dossier is
approved only then, its result carrying the register number and notation."""

from __future__ import annotations

import io

import pytest
from flask import Flask

from tests.onestop.conftest import intake
from tests.onestop.test_processing import move, people  # noqa: F401 - the desk and organisation B's staff
from tests.signing.conftest import give_signing_means
from tests.support import ApiClient, make_pdf


@pytest.fixture
def signing_b(app: Flask, world):  # type: ignore[no-untyped-def]
    """The built-in CA; a certificate and signature image for leader_b; a certificate and seal for organisation B."""
    give_signing_means(app, world, "leader_b", "b")
    return world


def draft(client: ApiClient, code: str, pdf: bytes | None, **fields: str):  # type: ignore[no-untyped-def]
    data: dict[str, object] = dict(fields)
    if pdf is not None:
        data["file"] = (io.BytesIO(pdf), "ket-qua.pdf")
    return client.post(f"/api/v1/onestop/dossiers/{code}/result", data=data, content_type="multipart/form-data")


def test_the_result_is_a_document_signed_and_issued_before_approval(app, people, signing_b):  # noqa: F811
    code = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    pdf = make_pdf("Quyết định cấp giấy chứng nhận đăng ký hộ kinh doanh")
    assert draft(people["specialist_b"], code, pdf).status_code == 409  # not in process yet
    assert move(people["desk"], code, "transfer").status_code == 200
    assert move(people["specialist_b"], code, "take").status_code == 200

    # Only the handler (or the resolving leader), with the PDF, a known document type.
    assert draft(people["specialist_b2"], code, pdf).status_code == 403
    assert draft(people["desk"], code, pdf).status_code == 403
    missing = draft(people["specialist_b"], code, None)
    assert missing.status_code == 422 and "file" in missing.json["error"]["fields"]
    broken = draft(people["specialist_b"], code, b"%PDF-1.4 not really")
    assert broken.status_code == 422
    unknown = draft(people["specialist_b"], code, pdf, document_type="XYZ")
    assert unknown.status_code == 422 and "document_type" in unknown.json["error"]["fields"]
    drafted = draft(people["specialist_b"], code, pdf)
    assert drafted.status_code == 201, drafted.json
    result = drafted.json["result"]
    assert result["status"] == "draft" and result["number"] is None
    dossier = drafted.json
    assert result["subject"] == (
        f"Về việc giải quyết thủ tục {dossier['procedure']['name']} cho {dossier['applicant']['name']}"
    )
    assert draft(people["specialist_b"], code, pdf).status_code == 409  # one result per dossier

    # The draft is an outgoing document of organisation B, with the dossier's code in its notes.
    doc_id = result["document_id"]
    doc = people["specialist_b"].get(f"/api/v1/documents/{doc_id}").json
    assert doc["direction"] == "outgoing" and doc["document_type"] == "QĐ" and code in doc["notes"]

    # Submitted, the leader cannot approve before the document is issued.
    assert move(people["specialist_b"], code, "submit").status_code == 200
    early = move(people["leader_b"], code, "approve")
    assert early.status_code == 409 and "not issued" in early.json["error"]["message"]

    # Signed and issued in the documents module: the approval goes through and the result has its number.
    signed = people["leader_b"].post(f"/api/v1/documents/{doc_id}/sign", json={})
    assert signed.status_code == 200, signed.json
    issued = people["clerk_b"].post(f"/api/v1/documents/{doc_id}/issue", json={})
    assert issued.status_code == 200, issued.json
    approved = move(people["leader_b"], code, "approve")
    assert approved.status_code == 200, approved.json
    result = approved.json["result"]
    assert result["status"] == "issued" and result["number"] == issued.json["number"]
    assert result["notation"] == issued.json["notation"] and result["issued_on"]
    last = approved.json["events"][-1]
    assert last["to"] == "result_ready" and last["data"]["number"] == result["number"]

    # The dossier's page links the result with its number.
    from tests.support import web_login

    client = app.test_client()
    web_login(client, "specialist_b")
    page = client.get(f"/onestop/dossiers/{code}").get_data(as_text=True)
    assert f"/documents/{doc_id}" in page and f"{result['number']}/{result['notation']}" in page


def test_a_dossier_without_a_result_document_is_approved_as_before(app, people):  # noqa: F811
    code = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    steps = [("desk", "transfer"), ("specialist_b", "take"), ("specialist_b", "submit"), ("leader_b", "approve")]
    for who, name in steps:
        answer = move(people[who], code, name)
        assert answer.status_code == 200, (name, answer.json)
    assert answer.json["result"] is None


def test_the_result_is_drafted_from_the_dossiers_page(app, people):  # noqa: F811
    from tests.support import csrf_token_from, web_login

    code = people["desk"].post("/api/v1/onestop/dossiers", json=intake()).json["code"]
    assert move(people["desk"], code, "transfer").status_code == 200
    client = app.test_client()
    web_login(client, "specialist_b")
    page = client.get(f"/onestop/dossiers/{code}").get_data(as_text=True)
    assert 'id="draft-result"' not in page  # not taken yet
    assert move(people["specialist_b"], code, "take").status_code == 200
    page = client.get(f"/onestop/dossiers/{code}").get_data(as_text=True)
    assert 'id="draft-result"' in page
    token = csrf_token_from(page)

    # Without its PDF: told on the page, nothing drafted.
    told = client.post(
        f"/onestop/dossiers/{code}/result",
        data={"csrf_token": token, "document_type": "QĐ"},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Attach the result as a PDF" in told and 'id="draft-result"' in told
    # The handler may not issue apologies (the desk and the resolving leader do): the error page.
    assert client.post(f"/onestop/dossiers/{code}/apology", data={"csrf_token": token}).status_code == 403

    drafted = client.post(
        f"/onestop/dossiers/{code}/result",
        data={"csrf_token": token, "document_type": "CV", "file": (io.BytesIO(make_pdf("Trả lời")), "tra-loi.pdf")},
        content_type="multipart/form-data",
    )
    assert drafted.status_code == 302 and "/documents/" in drafted.headers["Location"]
    page = client.get(f"/onestop/dossiers/{code}").get_data(as_text=True)
    assert 'id="dossier-result"' in page and 'id="draft-result"' not in page
