"""Records files over the API: opening one, filing documents in their order, closing, transferring; who may do
what; a document in one records file at most; other organisations' ids."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

from app.archive.models import RecordFileDocument
from app.audit.models import AuditAction
from app.clock import local_today
from tests.archive.records import (  # noqa: F401 - fixtures
    ARCHIVIST,
    CLERK,
    LEADER,
    SPECIALIST,
    audit_events,
    close,
    count,
    download,
    file_document,
    incoming_fixture,
    new_file_fixture,
)
from tests.support import PASSWORD, ApiClient, make_pdf


def _positions(api, file_id: int, who: str = ARCHIVIST) -> list[int]:  # type: ignore[no-untyped-def]
    body = api(who).get(f"/api/v1/archive/files/{file_id}").get_json()
    assert [d["position"] for d in body["documents"]] == list(range(1, len(body["documents"]) + 1))
    return [d["document_id"] for d in body["documents"]]


def test_an_archivist_opens_a_records_file_and_files_documents_in_their_order(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    response = api(ARCHIVIST).post(
        "/api/v1/archive/files",
        json={
            "year": local_today().year,
            "code": "05.VP",
            "title": "Hồ sơ hội nghị tổng kết công tác năm",
            "retention_years": None,
            "keeper_id": world.users[ARCHIVIST],
            "opened_on": local_today().isoformat(),
            "notes": "Lập theo danh mục hồ sơ",
        },
    )
    assert response.status_code == 201, response.get_json()
    f = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/archive/files/{f['id']}")
    assert f["code"] == "05.VP" and f["permanent"] is True and f["retention_years"] is None
    assert f["status"] == "open" and f["expires_on"] is None and f["documents"] == []
    assert f["keeper"]["username"] == ARCHIVIST
    assert f["transfer_due_on"] == f"{local_today().year + 1}-12-31"

    first, second, third = incoming(), incoming(), incoming()
    assert file_document(api, f["id"], first["id"]).status_code == 201
    assert file_document(api, f["id"], second["id"]).status_code == 201
    placed = file_document(api, f["id"], third["id"], position=1)
    assert placed.status_code == 201
    assert placed.get_json()["document_count"] == 3
    assert _positions(api, f["id"]) == [third["id"], first["id"], second["id"]]

    moved = api(ARCHIVIST).patch(f"/api/v1/archive/files/{f['id']}/documents/{third['id']}", json={"position": 3})
    assert moved.status_code == 200
    assert _positions(api, f["id"]) == [first["id"], second["id"], third["id"]]

    out = api(ARCHIVIST).delete(f"/api/v1/archive/files/{f['id']}/documents/{first['id']}")
    assert out.status_code == 200
    assert _positions(api, f["id"]) == [second["id"], third["id"]]
    assert api(ARCHIVIST).get(f"/api/v1/documents/{first['id']}").status_code == 200  # the document stays

    filed = audit_events(app, AuditAction.RECORD_FILE_DOCUMENT_FILED, "record_file", f["id"])
    assert [e["document_id"] for e in filed] == [first["id"], second["id"], third["id"]]
    assert audit_events(app, AuditAction.RECORD_FILE_DOCUMENT_MOVED, "record_file", f["id"])[0]["position"] == [1, 3]
    assert (
        audit_events(app, AuditAction.RECORD_FILE_DOCUMENT_REMOVED, "record_file", f["id"])[0]["document_id"]
        == (first["id"])
    )
    assert audit_events(app, AuditAction.RECORD_FILE_CREATED, "record_file", f["id"])[0]["code"] == "05.VP"


def test_a_records_file_is_changed_then_closed_then_transferred_and_then_frozen(
    app, api, world, incoming, new_file
) -> None:  # type: ignore[no-untyped-def]
    f = new_file(retention_years=20)
    doc = incoming()
    changed = api(ARCHIVIST).patch(
        f"/api/v1/archive/files/{f['id']}", json={"title": "Hồ sơ đã đổi tên", "retention_years": "permanent"}
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["title"] == "Hồ sơ đã đổi tên" and changed.get_json()["permanent"] is True
    update = audit_events(app, AuditAction.RECORD_FILE_UPDATED, "record_file", f["id"])[0]
    assert update["changes"]["retention_years"] == [20, None]

    assert file_document(api, f["id"], doc["id"]).status_code == 201
    early = api(ARCHIVIST).post(f"/api/v1/archive/files/{f['id']}/transfer", json={})
    assert early.status_code == 409 and "Close the records file" in early.get_json()["error"]["message"]

    closed = close(api, f["id"])
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed" and closed.get_json()["closed_on"] == local_today().isoformat()
    again = close(api, f["id"])
    assert again.status_code == 409 and "already closed" in again.get_json()["error"]["message"]

    late = incoming()
    refused = file_document(api, f["id"], late["id"])
    assert refused.status_code == 409
    assert (
        refused.get_json()["error"]["message"] == f"The records file {f['code']} is closed: it takes no more documents."
    )
    assert api(ARCHIVIST).delete(f"/api/v1/archive/files/{f['id']}/documents/{doc['id']}").status_code == 409

    done = api(CLERK).post(f"/api/v1/archive/files/{f['id']}/transfer", json={})
    assert done.status_code == 200
    body = done.get_json()
    assert body["status"] == "transferred" and body["transferred_on"] == local_today().isoformat()
    assert body["transferred_by_id"] == world.users[CLERK]
    event = audit_events(app, AuditAction.RECORD_FILE_TRANSFERRED, "record_file", f["id"])
    assert len(event) == 1 and event[0]["_actor_id"] == world.users[CLERK] and event[0]["documents"] == 1

    for response in (
        api(ARCHIVIST).patch(f"/api/v1/archive/files/{f['id']}", json={"title": "Không đổi được"}),
        api(ARCHIVIST).post(f"/api/v1/archive/files/{f['id']}/transfer", json={}),
        api(ARCHIVIST).patch(f"/api/v1/archive/files/{f['id']}/documents/{doc['id']}", json={"position": 1}),
    ):
        assert response.status_code == 409
        assert "transferred to the agency's archive" in response.get_json()["error"]["message"]


def test_a_document_is_in_one_records_file_at_most(api, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    first, second = new_file(code="01.TH"), new_file(code="02.TH")
    doc = incoming()
    assert file_document(api, first["id"], doc["id"]).status_code == 201
    for target in (second, first):
        refused = file_document(api, target["id"], doc["id"])
        assert refused.status_code == 409
        error = refused.get_json()["error"]
        assert "already filed in the records file 01.TH" in error["message"]
        assert error["record_file_code"] == "01.TH" and error["record_file_id"] == first["id"]
    assert api(ARCHIVIST).get(f"/api/v1/archive/files/{second['id']}").get_json()["document_count"] == 0


def test_a_clerk_manages_records_files_a_leader_reads_them_and_nobody_else_sees_them(api, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    f = new_file(who=CLERK)
    doc = incoming()
    assert file_document(api, f["id"], doc["id"], who=CLERK).status_code == 201

    leader = api(LEADER)
    assert leader.get("/api/v1/archive/files").get_json()["total"] == 1
    assert leader.get(f"/api/v1/archive/files/{f['id']}").status_code == 200
    assert leader.get("/api/v1/archive/review").status_code == 200
    assert leader.get("/api/v1/archive/transfers").status_code == 200
    assert download(leader, f"/api/v1/archive/files/{f['id']}/export.zip").status_code == 200
    for refused in (
        leader.post("/api/v1/archive/files", json={"year": 2026, "code": "X", "title": "X", "retention_years": 5}),
        leader.patch(f"/api/v1/archive/files/{f['id']}", json={"title": "Lãnh đạo sửa"}),
        leader.post(f"/api/v1/archive/files/{f['id']}/documents", json={"document_id": doc["id"]}),
        leader.delete(f"/api/v1/archive/files/{f['id']}/documents/{doc['id']}"),
        leader.post(f"/api/v1/archive/files/{f['id']}/close", json={}),
        download(leader, f"/api/v1/archive/transfers/package.zip?files={f['id']}"),
    ):
        assert refused.status_code == 403, refused.get_json()
        assert refused.get_json()["error"]["code"] == "forbidden"

    for stranger in (SPECIALIST, "admin_a"):
        for url in (
            "/api/v1/archive/files",
            f"/api/v1/archive/files/{f['id']}",
            f"/api/v1/archive/files/{f['id']}/export.zip",
            "/api/v1/archive/review",
            "/api/v1/archive/transfers",
        ):
            assert api(stranger).get(url).status_code == 403, (stranger, url)
        created = api(stranger).post(
            "/api/v1/archive/files", json={"year": 2026, "code": "Y", "title": "Y", "retention_years": 5}
        )
        assert created.status_code == 403


def test_another_organisations_records_file_or_document_is_not_found(api, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    mine = new_file()
    theirs_doc = incoming(clerk="clerk_b")
    theirs = new_file(who="archivist_b")
    missing = file_document(api, mine["id"], theirs_doc["id"])
    assert missing.status_code == 404 and missing.get_json()["error"]["message"] == "No such document."
    for response in (
        api(ARCHIVIST).get(f"/api/v1/archive/files/{theirs['id']}"),
        api(ARCHIVIST).patch(f"/api/v1/archive/files/{theirs['id']}", json={"title": "Của người khác"}),
        api(ARCHIVIST).post(f"/api/v1/archive/files/{theirs['id']}/close", json={}),
        api(ARCHIVIST).get(f"/api/v1/archive/files/{theirs['id']}/export.zip"),
        file_document(api, theirs["id"], incoming()["id"]),
        api(ARCHIVIST).get(f"/api/v1/archive/files/{mine['id'] + theirs['id'] + 100}"),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    listed = api("archivist_b").get("/api/v1/archive/files").get_json()
    assert [item["id"] for item in listed["items"]] == [theirs["id"]]


def test_a_secret_document_is_filed_only_by_someone_who_may_read_it(api, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    f = new_file()
    secret = incoming(secrecy="secret")
    hidden = file_document(api, f["id"], secret["id"])  # the archivist has no grant
    assert hidden.status_code == 404
    assert file_document(api, f["id"], secret["id"], who=CLERK).status_code == 201  # who registered it may
    shown = api(ARCHIVIST).get(f"/api/v1/archive/files/{f['id']}").get_json()
    assert shown["documents"] == [
        {"position": 1, "document_id": secret["id"], "readable": False, "filed_at": shown["documents"][0]["filed_at"]}
    ]
    assert api(CLERK).get(f"/api/v1/archive/files/{f['id']}").get_json()["documents"][0]["document"]["subject"]


def test_a_draft_is_not_filed_until_it_is_issued(api, new_file) -> None:  # type: ignore[no-untyped-def]
    draft = api(SPECIALIST).post(
        "/api/v1/documents",
        content_type="multipart/form-data",
        data={
            "direction": "outgoing",
            "document_type": "CV",
            "subject": "Dự thảo công văn",
            "file": (io.BytesIO(make_pdf()), "du-thao.pdf"),
        },
    )
    assert draft.status_code == 201
    refused = file_document(api, new_file()["id"], draft.get_json()["id"])
    assert refused.status_code == 409 and "not issued yet" in refused.get_json()["error"]["message"]


def test_the_list_filters_by_year_status_and_words(api, new_file) -> None:  # type: ignore[no-untyped-def]
    year = local_today().year
    old = new_file(year=year - 3, code="01.KH", title="Kế hoạch công tác")
    close(api, old["id"], local_today() - timedelta(days=400))
    new_file(code="02.BC", title="Báo cáo tổng kết")

    def codes(query: str) -> list[str]:
        response = api(LEADER).get(f"/api/v1/archive/files?{query}")
        assert response.status_code == 200, response.get_json()
        return [item["code"] for item in response.get_json()["items"]]

    assert codes("") == ["02.BC", "01.KH"]  # newest year first
    assert codes(f"year={year - 3}") == ["01.KH"]
    assert codes("status=closed") == ["01.KH"]
    assert codes("status=open") == ["02.BC"]
    assert codes("q=tổng kết") == ["02.BC"]
    assert codes("q=%25") == []  # a wildcard is a character to look for
    assert codes("per_page=1&page=2") == ["01.KH"]
    assert api(LEADER).get("/api/v1/archive/files?status=lost").status_code == 422


def test_filing_one_document_into_several_files_at_once_files_it_once(app, api, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    """The unique document of the filing table decides between people filing at the same moment: one is filed,
    the others are told where it went."""
    doc = incoming()
    files = [new_file(code=f"{n:02d}.CC") for n in range(1, 7)]
    clients = [ApiClient.login(app, ARCHIVIST if n % 2 else CLERK, PASSWORD) for n in range(len(files))]
    barrier = threading.Barrier(len(files))
    answers: list[tuple[int, dict]] = []  # type: ignore[type-arg]

    def file_it(client: ApiClient, file_id: int) -> None:
        barrier.wait()
        response = client.post(f"/api/v1/archive/files/{file_id}/documents", json={"document_id": doc["id"]})
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=file_it, args=(c, f["id"])) for c, f in zip(clients, files, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in answers) == [201] + [409] * (len(files) - 1)
    (winner,) = [body for status, body in answers if status == 201]
    for status, body in answers:
        if status == 409:
            assert body["error"]["record_file_code"] == winner["code"]
    assert count(app, RecordFileDocument) == 1


def test_opening_files_with_one_code_at_once_opens_one(app, api, world) -> None:  # type: ignore[no-untyped-def]
    """The unique (organisation, year, code) decides between people opening files at the same moment."""
    clients = [ApiClient.login(app, ARCHIVIST if n % 2 else CLERK, PASSWORD) for n in range(6)]
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, dict]] = []  # type: ignore[type-arg]
    body = {"year": local_today().year, "code": "09.ĐT", "title": "Hồ sơ mở cùng lúc", "retention_years": 5}

    def open_it(client: ApiClient) -> None:
        barrier.wait()
        response = client.post("/api/v1/archive/files", json=body)
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=open_it, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in answers) == [201] + [409] * (len(clients) - 1)
    assert all("09.ĐT is already used" in b["error"]["message"] for status, b in answers if status == 409)
    assert api(LEADER).get("/api/v1/archive/files").get_json()["total"] == 1
