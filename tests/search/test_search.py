"""Search through the API on a real index: folded and exact Vietnamese, phrases, prefixes, notations, fields,
facets, permissions, snippets, re-indexing after a change, and what people type by mistake."""

from __future__ import annotations

from typing import Any

import pytest

from app import worker
from tests.support import make_pdf


@pytest.fixture
def indexed(app, api):  # type: ignore[no-untyped-def]
    """indexed(**fields): an incoming document of A registered by clerk_a (its PDF says its subject), indexed."""

    def make(clerk: str = "clerk_a", body: str | None = None, **fields: Any) -> dict[str, Any]:
        fields.setdefault("issuer", "Ủy ban nhân dân tỉnh Thử Nghiệm")
        response = api(clerk).register(make_pdf(body or fields["subject"]), **fields)
        assert response.status_code == 201, response.get_json()
        worker.run_until_idle(app)
        return response.get_json()

    return make


def _search(api, q: str, who: str = "clerk_a", **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = api(who).get("/api/v1/search", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _ids(found: dict[str, Any]) -> list[int]:
    return [item["id"] for item in found["items"]]


def test_folded_and_exact_vietnamese(api, indexed) -> None:  # type: ignore[no-untyped-def]
    exact = indexed(subject="Quyết định khen thưởng tập thể có thành tích xuất sắc", number="12", notation="QĐ-UBND")
    other = indexed(subject="Quyệt định khen thưởng cá nhân", number="13", notation="QĐ-UBND")
    unrelated = indexed(subject="Kế hoạch chuyển đổi số năm 2027", number="14", notation="KH-UBND")
    folded = _search(api, "quyet dinh khen thuong")
    assert set(_ids(folded)) == {exact["id"], other["id"]}
    typed = _search(api, "Quyết định khen thưởng")
    assert _ids(typed)[0] == exact["id"]  # the exact diacritics rank first
    assert unrelated["id"] not in _ids(typed)
    assert _ids(_search(api, "QUYẾT ĐỊNH"))[0] == exact["id"]  # case does not matter
    assert _ids(_search(api, "đổi số")) == [unrelated["id"]]  # đ folds to d and back


def test_phrases_prefixes_and_operators(api, indexed) -> None:  # type: ignore[no-untyped-def]
    together = indexed(subject="Về việc khen thưởng đột xuất", number="21")
    apart = indexed(subject="Khen ngợi và thưởng Tết cho người lao động", number="22")
    third = indexed(subject="Báo cáo kết quả kiểm tra", number="23")
    assert _ids(_search(api, '"khen thưởng"')) == [together["id"]]
    assert set(_ids(_search(api, "khen thưởng"))) == {together["id"], apart["id"]}
    assert set(_ids(_search(api, "khen*"))) == {together["id"], apart["id"]}
    assert set(_ids(_search(api, "khen OR kiểm"))) == {together["id"], apart["id"], third["id"]}
    assert _ids(_search(api, "khen NOT ngợi")) == [together["id"]]
    assert _ids(_search(api, "khen -ngợi")) == [together["id"]]
    assert _ids(_search(api, '(khen OR kiểm) AND "kết quả"')) == [third["id"]]


def test_notations_and_fields(api, indexed) -> None:  # type: ignore[no-untyped-def]
    wanted = indexed(subject="Quyết định phê duyệt dự án", number="123", notation="QĐ-UBND")
    same_parts = indexed(subject="Quyết định 123 về thành lập", number="124", notation="QĐ-UBND")
    trade = indexed(subject="Công văn về ngân sách", number="5", notation="SCT-KH", issuer="Sở Công Thương")
    assert _ids(_search(api, "123/QĐ-UBND"))[0] == wanted["id"]
    assert _ids(_search(api, "123/qd-ubnd"))[0] == wanted["id"]
    assert _ids(_search(api, "so:123")) == [wanted["id"]]
    assert set(_ids(_search(api, "kyhieu:QĐ-UBND"))) == {wanted["id"], same_parts["id"]}
    assert _ids(_search(api, 'coquan:"Sở Công thương"')) == [trade["id"]]
    assert _ids(_search(api, "coquan:cong ngan sach")) == [trade["id"]]
    assert _ids(_search(api, "trichyeu:thành lập")) == [same_parts["id"]]


def test_facets_filters_and_sorting(api, indexed) -> None:  # type: ignore[no-untyped-def]
    a = indexed(subject="Kế hoạch phòng chống thiên tai", document_type="KH", issued_on="2025-03-01", number="1")
    b = indexed(subject="Báo cáo phòng chống thiên tai", document_type="BC", issued_on="2026-05-01", number="2")
    c = indexed(subject="Kế hoạch phòng chống dịch bệnh", document_type="KH", issued_on="2026-06-01", number="3")
    found = _search(api, "phòng chống")
    assert found["total"] == 3
    assert found["facets"]["document_type"] == {"KH": 2, "BC": 1}
    assert found["facets"]["year"] == {"2025": 1, "2026": 2}
    assert found["facets"]["direction"] == {"incoming": 3}
    assert set(_ids(_search(api, "phòng chống", document_type="KH"))) == {a["id"], c["id"]}
    assert _ids(_search(api, "phòng chống", year=2025)) == [a["id"]]
    assert _ids(_search(api, "phòng chống", sort="date_asc")) == [a["id"], b["id"], c["id"]]
    assert _ids(_search(api, "", date_from="2026-01-01", sort="date")) == [c["id"], b["id"]]
    page = _search(api, "phòng chống", per_page=2, page=2, sort="date")
    assert page["total"] == 3 and _ids(page) == [a["id"]]


def test_results_never_hold_a_document_the_user_may_not_open(app, api, world, indexed) -> None:  # type: ignore[no-untyped-def]
    open_one = indexed(subject="Tài liệu mật về công tác bảo vệ chính trị nội bộ", number="31")
    secret = indexed(subject="Tài liệu mật về công tác bảo vệ chính trị nội bộ", number="32", secrecy="secret")
    elsewhere = indexed(clerk="clerk_b", subject="Tài liệu mật về công tác bảo vệ chính trị nội bộ", number="33")
    seen = _ids(_search(api, "bảo vệ chính trị", who="specialist_a"))
    assert seen == [open_one["id"]]
    assert secret["id"] not in seen and elsewhere["id"] not in seen
    assert _search(api, "bảo vệ chính trị", who="specialist_a")["total"] == 1
    granted = api("clerk_a").post(
        f"/api/v1/documents/{secret['id']}/grants", json={"user_id": world.users["specialist_a"]}
    )
    assert granted.status_code in (200, 201), granted.get_json()
    assert _ids(_search(api, "bảo vệ chính trị", who="specialist_a")) == [open_one["id"]]  # not re-indexed yet
    worker.run_until_idle(app)  # the grant queued the document's re-indexing
    assert set(_ids(_search(api, "bảo vệ chính trị", who="specialist_a"))) == {open_one["id"], secret["id"]}
    assert _ids(_search(api, "bảo vệ chính trị", who="specialist_b")) == [elsewhere["id"]]


def test_snippets_mark_the_words_and_escape_the_rest(api, indexed) -> None:  # type: ignore[no-untyped-def]
    indexed(subject="Thông báo <b>kết luận</b> của Chủ tịch về khen thưởng", number="41")
    item = _search(api, "khen thuong")["items"][0]
    assert "<mark>khen</mark> <mark>thưởng</mark>" in item["snippet"]
    assert "<b>" not in item["snippet"] and "&lt;b&gt;" in item["snippet"]
    assert item["score"] > 0


def test_a_change_is_searchable_after_the_worker_runs(app, api, indexed) -> None:  # type: ignore[no-untyped-def]
    doc = indexed(subject="Công văn về xây dựng nông thôn mới", number="51", body="Kính gửi các sở, ngành")
    changed = api("clerk_a").patch(f"/api/v1/documents/{doc['id']}", json={"subject": "Công văn về du lịch sinh thái"})
    assert changed.status_code == 200, changed.get_json()
    worker.run_until_idle(app)
    assert _ids(_search(api, "du lịch sinh thái")) == [doc["id"]]
    assert _ids(_search(api, "nông thôn mới")) == []


@pytest.mark.parametrize(
    "q",
    [
        '"khen thưởng',
        "((khen",
        "khen))",
        "x" * 999,
        "<script>alert(1)</script>",
        "'; DROP TABLE documents; --",
        "so: kyhieu:",
        'coquan:""',
        "NOT NOT NOT khen",
        "a:b:c:d",
        "khen\x00thưởng",
        "%_%",
    ],
)
def test_what_people_type_by_mistake_is_a_safe_result(api, indexed, q: str) -> None:  # type: ignore[no-untyped-def]
    indexed(subject="Khen thưởng", number="61")
    response = api("clerk_a").get("/api/v1/search", query_string={"q": q})
    assert response.status_code in (200, 422), (q, response.get_json())
    assert response.is_json


@pytest.mark.parametrize("q", ["*", "AND", "OR NOT", "   ", "x" * 5000, "“”"])
def test_a_query_with_nothing_to_find_says_why(api, indexed, q: str) -> None:  # type: ignore[no-untyped-def]
    response = api("clerk_a").get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 422, (q, response.get_json())
    assert "q" in response.get_json()["error"]["fields"]


def test_bad_filters_are_named(api) -> None:  # type: ignore[no-untyped-def]
    for params, name in (
        ({"direction": "sideways"}, "direction"),
        ({"year": "năm ngoái"}, "year"),
        ({"page": "0"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"sort": "random"}, "sort"),
        ({"q": "khen", "date_from": "2026-02-01", "date_to": "2026-01-01"}, "date_to"),
    ):
        response = api("clerk_a").get("/api/v1/search", query_string={"q": "khen", **params})
        assert response.status_code == 422, params
        assert name in response.get_json()["error"]["fields"], (params, response.get_json())


def test_the_search_page_shows_the_same(app, api, indexed) -> None:  # type: ignore[no-untyped-def]
    from tests.signing.test_pages import _browser

    doc = indexed(subject="Quyết định khen thưởng <i>đột xuất</i>", number="71", notation="QĐ-UBND")
    page = _browser(app, "clerk_a", lang="vi")
    html = page.get("/search?q=khen+thuong").get_data(as_text=True)
    assert f'id="result-{doc["id"]}"' in html
    assert "<mark>khen</mark>" in html and "&lt;i&gt;" in html and "<i>đột" not in html
    assert "facet-document_type" in html and f"document_type={doc['document_type']}" in html
    assert page.get("/search?q=*").status_code == 422
    assert page.get("/search").status_code == 200  # the empty form
    untouched = page.get("/search?q=&direction=&document_type=&year=&date_from=&date_to=&sort=relevance")
    assert untouched.status_code == 200 and 'class="flash error"' not in untouched.get_data(as_text=True)
    assert app.test_client().get("/search?q=khen").status_code == 302  # to the login page


def test_facets_count_each_document_once_after_changes(app, api, indexed) -> None:  # type: ignore[no-untyped-def]
    doc = indexed(subject="Tờ trình phê duyệt quy hoạch", document_type="TTr", number="81")
    assert _search(api, "quy hoạch")["facets"]["document_type"] == {"TTr": 1}
    assert api("clerk_a").patch(f"/api/v1/documents/{doc['id']}", json={"document_type": "BC"}).status_code == 200
    worker.run_until_idle(app)
    found = _search(api, "quy hoạch")
    assert found["total"] == 1 and found["facets"]["document_type"] == {"BC": 1}
