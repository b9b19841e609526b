"""Documents through the JSON API: registering, drafting, listing, reading, editing, downloading."""

from __future__ import annotations

import hashlib
import io

from tests.support import make_pdf


def test_registering_returns_the_document_with_its_number_and_file_hashes(api) -> None:  # type: ignore[no-untyped-def]
    pdf = make_pdf()
    response = api("clerk_a").register(pdf, attachments=[("Phụ lục 1.docx", b"PK\x03\x04 docx bytes")])
    assert response.status_code == 201
    assert response.headers["Location"].endswith(f"/api/v1/documents/{response.get_json()['id']}")
    doc = response.get_json()
    assert doc["direction"] == "incoming"
    assert doc["status"] == "registered"
    assert doc["register_number"] == 1
    assert doc["page_count"] == 1
    assert doc["received_on"]  # today, by default
    main, attachment = doc["files"]
    assert main == {
        **main,
        "role": "main",
        "version": 1,
        "content_type": "application/pdf",
        "size": len(pdf),
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "filename": "van-ban.pdf",
    }
    assert attachment["role"] == "attachment"
    assert attachment["filename"] == "Phụ lục 1.docx"
    assert attachment["content_type"].endswith("wordprocessingml.document")


def test_a_download_gives_back_exactly_the_stored_bytes(api) -> None:  # type: ignore[no-untyped-def]
    pdf = make_pdf("Tải về")
    clerk = api("clerk_a")
    doc = clerk.register(pdf, filename="Quyết định 5.pdf").get_json()
    response = clerk.get(doc["files"][0]["url"])
    assert response.status_code == 200
    assert response.data == pdf
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(pdf).hexdigest()
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Quy%E1%BA%BFt" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_specialist_creates_an_outgoing_draft_without_a_number(api) -> None:  # type: ignore[no-untyped-def]
    response = api("specialist_a").post(
        "/api/v1/documents",
        content_type="multipart/form-data",
        data={
            "direction": "outgoing",
            "document_type": "QĐ",
            "notation": "QĐ-UBND",
            "subject": "Về việc ban hành quy chế",
            "file": (io.BytesIO(make_pdf()), "du-thao.pdf"),
        },
    )
    assert response.status_code == 201, response.get_json()
    doc = response.get_json()
    assert doc["direction"] == "outgoing"
    assert doc["status"] == "draft"
    assert doc["register_number"] is None
    assert doc["issuer"] == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert doc["issuer_code"] == "000.00.00.H99"


def test_only_a_clerk_registers_incoming_documents(api) -> None:  # type: ignore[no-untyped-def]
    for username in ("specialist_a", "leader_a", "archivist_a", "admin_a"):
        response = api(username).register(make_pdf())
        assert response.status_code == 403, username
        assert response.get_json()["error"]["code"] == "forbidden"
    assert api("clerk_a").get("/api/v1/documents").get_json()["total"] == 0


def test_the_same_document_twice_is_refused_with_the_existing_id_until_confirmed(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    first = clerk.register(make_pdf(), number="05", notation="BNV-CCVC", issuer="Bộ Nội vụ").get_json()
    again = clerk.register(make_pdf(), number="5", notation="bnv-ccvc ", issuer="BỘ NỘI VỤ")
    assert again.status_code == 409
    error = again.get_json()["error"]
    assert error["code"] == "duplicate_document"
    assert error["existing_id"] == first["id"]
    assert clerk.get("/api/v1/documents").get_json()["total"] == 1
    confirmed = clerk.register(
        make_pdf(), number="5", notation="BNV-CCVC", issuer="Bộ Nội vụ", confirm_duplicate="true"
    )
    assert confirmed.status_code == 201
    assert confirmed.get_json()["register_number"] == 2
    other_issuer = clerk.register(make_pdf(), number="5", notation="BNV-CCVC", issuer="Bộ Tài chính")
    assert other_issuer.status_code == 201


def test_the_list_filters_and_pages(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    clerk.register(
        make_pdf(),
        number="1",
        document_type="QĐ",
        subject="Quyết định về đất đai",
        urgency="express",
        issuer="Bộ Tài nguyên",
        issued_on="2026-01-15",
    )
    clerk.register(
        make_pdf(),
        number="2",
        document_type="CV",
        subject="Công văn về đường bộ",
        issuer="Sở Giao thông",
        issued_on="2026-03-01",
    )
    clerk.register(
        make_pdf(),
        number="3",
        document_type="TB",
        subject="Thông báo lịch họp",
        secrecy="confidential",
        issuer="Văn phòng",
        issued_on="2026-06-01",
    )

    def ids(query: str) -> list[str]:
        body = clerk.get(f"/api/v1/documents?{query}").get_json()
        return [d["number"] for d in body["items"]]

    assert ids("") == ["3", "2", "1"]
    assert ids("document_type=QĐ") == ["1"]
    assert ids("urgency=express") == ["1"]
    assert ids("secrecy=confidential") == ["3"]
    assert ids("q=quyet dinh") == ["1"]  # no diacritics, any case
    assert ids("q=ĐƯỜNG") == ["2"]
    assert ids("issuer=giao thong") == ["2"]
    assert ids("issued_from=2026-02-01&issued_to=2026-05-01") == ["2"]
    assert ids("direction=outgoing") == []
    assert ids("year=2026") == ["3", "2", "1"]
    assert ids("year=2019") == []
    first = clerk.get("/api/v1/documents?per_page=2").get_json()
    second = clerk.get("/api/v1/documents?per_page=2&page=2").get_json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert {d["number"] for d in first["items"] + second["items"]} == {"1", "2", "3"}


def test_bad_list_parameters_are_named(api) -> None:  # type: ignore[no-untyped-def]
    response = api("clerk_a").get("/api/v1/documents?page=0&per_page=100000&urgency=soon&issued_from=31-31-2026")
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"page", "per_page", "urgency", "issued_from"}


def test_an_edit_changes_the_fields_sent_and_keeps_the_history(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    doc = clerk.register(make_pdf(), subject="Trích yếu cũ").get_json()
    response = clerk.patch(f"/api/v1/documents/{doc['id']}", json={"subject": "Trích yếu mới", "due_on": "2026-12-31"})
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert changed["subject"] == "Trích yếu mới"
    assert changed["due_on"] == "2026-12-31"
    assert changed["notation"] == doc["notation"]
    history = clerk.get(f"/api/v1/documents/{doc['id']}/history").get_json()
    assert history["total"] == 1
    assert history["items"][0]["changed_by"] == "clerk_a"
    assert history["items"][0]["changes"]["subject"] == {"from": "Trích yếu cũ", "to": "Trích yếu mới"}
    assert history["items"][0]["changes"]["due_on"] == {"from": None, "to": "2026-12-31"}
    assert clerk.get(f"/api/v1/documents?q=trich yeu moi").get_json()["total"] == 1  # noqa: F541


def test_an_edit_refuses_unknown_and_emptied_required_fields(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    doc = clerk.register(make_pdf()).get_json()
    url = f"/api/v1/documents/{doc['id']}"
    unknown = clerk.patch(url, json={"register_number": 99, "organisation_id": 2})
    assert unknown.status_code == 422
    assert set(unknown.get_json()["error"]["fields"]) == {"register_number", "organisation_id"}
    emptied = clerk.patch(url, json={"subject": None, "urgency": None})
    assert emptied.status_code == 422
    assert set(emptied.get_json()["error"]["fields"]) == {"subject", "urgency"}
    not_json = clerk.patch(url, data="subject=x", content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 422
    assert clerk.get(url).get_json()["subject"] == doc["subject"]
    assert clerk.get(f"{url}/history").get_json()["total"] == 0


def test_a_registered_document_cannot_change_register_series(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    doc = clerk.register(make_pdf()).get_json()
    response = clerk.patch(f"/api/v1/documents/{doc['id']}", json={"secrecy": "secret"})
    assert response.status_code == 409
    assert clerk.get(f"/api/v1/documents/{doc['id']}").get_json()["secrecy"] == "normal"


def test_dates_out_of_order_are_refused(api) -> None:  # type: ignore[no-untyped-def]
    response = api("clerk_a").register(make_pdf(), issued_on="2026-05-10", received_on="2026-05-01")
    assert response.status_code == 422
    assert "received_on" in response.get_json()["error"]["fields"]
    response = api("clerk_a").register(make_pdf(), received_on="2026-05-10", due_on="2026-05-01")
    assert "due_on" in response.get_json()["error"]["fields"]


def test_another_organisations_documents_and_files_are_not_found(api) -> None:  # type: ignore[no-untyped-def]
    doc = api("clerk_a").register(make_pdf()).get_json()
    other = api("clerk_b")
    for url in (f"/api/v1/documents/{doc['id']}", doc["files"][0]["url"], f"/api/v1/documents/{doc['id']}/history"):
        response = other.get(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["code"] == "not_found"
    assert other.patch(f"/api/v1/documents/{doc['id']}", json={"subject": "x"}).status_code == 404
    assert other.get("/api/v1/documents").get_json()["total"] == 0
    # Not even the province above it reads a department's documents by id.
    assert api("clerk_b").register(make_pdf()).status_code == 201
    assert api("admin_a").get("/api/v1/documents").get_json()["total"] == 1


def test_a_file_id_of_another_document_is_not_found(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    one = clerk.register(make_pdf(), number="1").get_json()
    two = clerk.register(make_pdf("khác"), number="2").get_json()
    response = clerk.get(f"/api/v1/documents/{one['id']}/files/{two['files'][0]['id']}")
    assert response.status_code == 404


def test_a_secret_document_is_read_only_by_those_granted(api, world) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    doc = clerk.register(make_pdf(), secrecy="secret").get_json()
    url = f"/api/v1/documents/{doc['id']}"
    assert clerk.get(url).status_code == 200  # who registered it may read it
    leader = api("leader_a")
    assert leader.get(url).status_code == 404
    assert leader.get(doc["files"][0]["url"]).status_code == 404
    assert leader.get("/api/v1/documents").get_json()["total"] == 0
    grant = clerk.post(f"{url}/grants", json={"user_id": world.users["leader_a"]})
    assert grant.status_code == 201
    assert leader.get(url).status_code == 200
    assert leader.get("/api/v1/documents").get_json()["total"] == 1
    assert api("specialist_a").get(url).status_code == 404
    # A grant only reaches colleagues of the same organisation.
    outsider = clerk.post(f"{url}/grants", json={"user_id": world.users["leader_b"]})
    assert outsider.status_code == 422
    # Only clerks and leaders grant.
    assert api("specialist_a").post(f"{url}/grants", json={"user_id": world.users["archivist_a"]}).status_code == 404


def test_attachments_can_be_added_later(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    doc = clerk.register(make_pdf()).get_json()
    response = clerk.post(
        f"/api/v1/documents/{doc['id']}/attachments",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(b"a,b\n1,2\n"), "bảng số liệu.csv")},
    )
    assert response.status_code == 201
    assert response.get_json()["content_type"] == "text/csv"
    files = clerk.get(f"/api/v1/documents/{doc['id']}").get_json()["files"]
    assert [f["role"] for f in files] == ["main", "attachment"]


def test_health_reports_the_database_and_the_store(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"
    assert response.get_json()["storage"] == "ok"
