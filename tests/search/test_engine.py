"""The array evaluation of a query (engine.py) against Whoosh's own matchers on the same index: the same matches,
the same scores, the same best page, the same facet counts; over several segments, with deleted documents."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as windex
from whoosh import query as wq
from whoosh import sorting
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher

from app.search.analysis import pairs
from app.search.engine import PostingsCache, Snapshot, read_postings
from app.search.query import compile_query
from app.search.schema import IndexedDocument, make_schema
from app.search.syntax import parse

TYPES = ["QĐ", "CV", "KH", "BC", "TB", "NQ"]
ISSUERS = ["Ủy ban nhân dân tỉnh Hà Sơn", "Sở Công Thương", "Sở Tài chính", "Sở Nội vụ", "Sở Xây dựng"]
TEXT = (
    "quyết định khen thưởng tập thể cá nhân có thành tích xuất sắc trong công tác phòng chống thiên tai năm "
    "kế hoạch triển khai thực hiện chương trình chuyển đổi số quốc gia báo cáo tình hình kinh tế xã hội "
    "quý quản lý thị trường đất đai giải phóng mặt bằng dự án đầu tư xây dựng công trình giao thông "
    "đề nghị cung cấp thông tin về việc tăng cường kiểm tra giám sát an toàn thực phẩm quyệt quyet"
)
WORDS = TEXT.split(" ")
FACETS = {"document_type": "document_type", "issuer": "issuer_facet", "year": "year", "direction": "direction"}


def _document(rng: random.Random, n: int) -> IndexedDocument:
    kind = rng.choice(TYPES)
    day = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14)))
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 200)))
    return IndexedDocument(
        id=n,
        version="1",
        organisation_id=1 + n % 2,
        secrecy="normal" if n % 17 else "secret",
        direction=rng.choice(["incoming", "outgoing"]),
        document_type=kind,
        urgency=rng.choice(["normal", "urgent"]),
        day=day,
        issuer=rng.choice(ISSUERS),
        number=str(n),
        notation=f"{kind}-UBND",
        subject=subject.capitalize(),
        signer=rng.choice(["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Quyết"]),
        body=body,
        readers=(7,) if n % 17 == 0 else (),
    )


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):
    """900 documents in three segments, 40 of them replaced (deleted and added again) in a fourth."""
    directory: Path = tmp_path_factory.mktemp("engine-index")
    ix = windex.create_in(str(directory), make_schema(), indexname="documents")
    rng = random.Random(2026)
    for start in range(0, 900, 300):
        writer = ix.writer()
        for n in range(start, start + 300):
            writer.add_document(**_document(rng, n).fields())
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, 400, 10):
        writer.update_document(**_document(rng, n).fields())
    writer.commit(merge=False)
    found = ix.searcher()
    assert len(found.leaf_searchers()) == 4 and found.doc_count() == 900 and found.doc_count_all() == 940
    yield found
    found.close()
    ix.close()


QUERIES = [
    "quyết định",
    "quyet dinh",
    "Quyết",
    "quyệt",
    "khen thưởng",
    '"khen thưởng"',
    '"khen thuong tap the"',
    "khen*",
    "thi*",
    "dự án OR giao thông",
    "kế hoạch NOT báo cáo",
    "(an toàn thực phẩm) OR (đất đai AND giải phóng)",
    "trichyeu:khen",
    'coquan:"Sở Công Thương"',
    "coquan:sở",
    "kyhieu:QĐ-UBND",
    "123/QĐ-UBND",
    "so:45",
    "nguoiky:quyết",
    'trichyeu:"khen thưởng"',
    'noidung:"an toàn thực phẩm"',
    'nguoiky:"văn an"',
    "Nguyễn",
    "không có từ này",
]


def _compile(text: str) -> wq.Query:
    compiled = compile_query(parse(text))
    assert compiled is not None, text
    return wq.And([wq.Every(), compiled]) if isinstance(compiled, wq.Not) else compiled


@pytest.mark.parametrize("text", QUERIES)
def test_matches_and_scores_are_whooshs(searcher, text):
    snapshot = Snapshot(searcher, {}, PostingsCache())
    query = _compile(text)
    found = snapshot.matching(query, [])
    results = searcher.search(query, limit=None)
    theirs = {hit.docnum: hit.score for hit in results}
    ours = set(np.flatnonzero(found.matched).tolist())
    assert ours == set(theirs)
    if isinstance(query, wq.Prefix) or "*" in text:
        return  # Whoosh scores a prefix's words as one constant: ours are scored as words (same matches)
    for docnum, score in theirs.items():
        assert found.scores[docnum] == pytest.approx(score, rel=1e-9, abs=1e-9)
    # The best page: by score, ties by document number, as Whoosh orders them when it scores every match.
    expected = sorted(theirs, key=lambda d: (-theirs[d], d))[:20]
    assert snapshot.best(found, 20) == expected


def test_filters_facets_and_dates(searcher):
    snapshot = Snapshot(searcher, {}, PostingsCache())
    query = _compile("công tác")
    filters = [
        wq.Term("org", "1"),
        wq.Or([wq.Term("secrecy", "normal"), wq.Term("readers", "7")]),
        wq.Term("year", 2021),
        wq.NumericRange("day", 20210301, 20211130),
        wq.Term("direction", "incoming"),
    ]
    found = snapshot.matching(query, filters)
    whole = wq.And([query, *filters])
    facets = sorting.Facets()
    for name, fieldname in FACETS.items():
        facets.add_facet(name, sorting.FieldFacet(fieldname))
    results = searcher.search(whole, limit=None, groupedby=facets, maptype=sorting.Count)
    assert set(np.flatnonzero(found.matched).tolist()) == {hit.docnum for hit in results}
    assert 0 < int(found.matched.sum()) == len(results)
    ours = snapshot.facets(found.matched, FACETS)
    for name in FACETS:
        assert ours[name] == {str(k): v for k, v in results.groups(name).items()}
    # By date, newest first; ties by document number.
    days = {hit.docnum: hit["id"] for hit in results}
    by_day = snapshot.best(found, 500, by_day=True, reverse=True)
    day_values = snapshot.values("day")
    assert by_day == sorted(days, key=lambda d: (-day_values[d], d))


def test_deleted_documents_are_never_matched(searcher):
    snapshot = Snapshot(searcher, {}, PostingsCache())
    everything = snapshot.matching(wq.Every(), [])
    assert int(everything.matched.sum()) == 900
    ids = snapshot.stored_ids(np.flatnonzero(everything.matched).tolist())
    assert sorted(ids) == list(range(900))  # each replaced document once, as its new version


def test_block_reads_are_the_matchers_walk(searcher):
    """The postings read a block at a time are what Whoosh's matcher walks one by one (the fast path is taken:
    a Whoosh upgrade that changed the block layout fails here, not silently slower)."""
    sub, _ = searcher.leaf_searchers()[0]
    reader = sub.reader()
    assert reader.has_deletions()
    pair = pairs(["khen", "thuong"])[0]
    for fieldname, text in [("body_f", "cong"), ("subject", "quyết"), ("org", "1"), ("pairs_f", pair)]:
        btext = searcher.schema[fieldname].to_bytes(text)
        fast = read_postings(reader, fieldname, btext)
        matcher = reader.postings(fieldname, btext)
        if reader.has_deletions():
            assert isinstance(matcher, FilterMatcher)
            matcher = matcher.child  # the deleted documents too, as read_postings reads them
            matcher.reset()
        walked_ids, walked_weights = [], []
        while matcher.is_active():
            walked_ids.append(matcher.id())
            walked_weights.append(matcher.weight())
            matcher.next()
        assert isinstance(matcher, W3LeafMatcher) and len(walked_ids) > (128 if fieldname in ("body_f", "org") else 0)
        assert fast.docs.tolist() == walked_ids
        assert fast.weights.tolist() == pytest.approx(walked_weights)
    assert len(read_postings(reader, "body_f", b"nothing-here").docs) == 0


def test_cache_keeps_within_its_budget(searcher):
    cache = PostingsCache(max_bytes=20_000)
    snapshot = Snapshot(searcher, {}, cache)
    for word in ["quyet", "dinh", "khen", "thuong", "cong", "tac"]:
        snapshot.matching(wq.Term("body_f", word), [])
    assert 0 < cache._bytes <= 20_000 or len(cache._entries) == 1


def test_an_empty_index(tmp_path):
    ix = windex.create_in(str(tmp_path), make_schema(), indexname="documents")
    with ix.searcher() as empty:
        snapshot = Snapshot(empty, {}, PostingsCache())
        found = snapshot.matching(_compile("quyết định"), [wq.Term("org", "1")])
        assert snapshot.best(found, 20) == [] and int(found.matched.sum()) == 0
        assert snapshot.facets(found.matched, FACETS) == {name: {} for name in FACETS}


def test_a_phrase_in_one_field(tmp_path):
    """A phrase asked in the subject, issuer or signer is found in that field only, its words next to each other;
    in the body, next to each other in the texts and each in the body."""
    ix = windex.create_in(str(tmp_path), make_schema(), indexname="documents")
    rng = random.Random(1)
    texts = {
        1: ("Quyết định khen thưởng tập thể", "Báo cáo tình hình", "Sở Công Thương"),
        2: ("Khen các cá nhân được thưởng", "Quyết định khen thưởng năm 2024", "Công ty Thương mại Sở tại"),
        3: ("Kế hoạch", "khen và thưởng", "Sở Tài chính"),
    }
    with ix.writer() as writer:
        for n, (subject, body, issuer) in texts.items():
            base = _document(rng, n)
            fields = IndexedDocument(**{**base.__dict__, "subject": subject, "body": body, "issuer": issuer}).fields()
            writer.add_document(**fields)
    with ix.searcher() as searcher:
        snapshot = Snapshot(searcher, {}, PostingsCache())

        def found(text: str) -> list[int]:
            matched = snapshot.matching(_compile(text), []).matched
            return sorted(int(i) for i in snapshot.stored_ids(np.flatnonzero(matched).tolist()))

        assert found('trichyeu:"khen thưởng"') == [1]
        assert found('noidung:"khen thưởng"') == [2]
        assert found('"khen thưởng"') == [1, 2]
        assert found('coquan:"sở công thương"') == [1]
        assert found('coquan:"cong thuong"') == [1]
        assert found("coquan:thuong coquan:so") == [1, 2]


def test_filters_do_not_change_scores(searcher):
    """A filter only removes matches: each remaining match keeps the query's own score (Whoosh's AndMaybe inside
    an And loses its optional part's score when the And skips it to a document; ours does not)."""
    snapshot = Snapshot(searcher, {}, PostingsCache())
    query = _compile('"khen thưởng"')
    alone = snapshot.matching(query, [])
    filtered = snapshot.matching(query, [wq.Term("org", "1"), wq.Term("direction", "incoming")])
    kept = np.flatnonzero(filtered.matched)
    assert 0 < len(kept) < int(alone.matched.sum())
    assert np.array_equal(filtered.scores[kept], alone.scores[kept])
    theirs = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    assert all(filtered.scores[d] == pytest.approx(theirs[d]) for d in kept)
