"""An indexer killed with SIGKILL in the middle of a batch: the index still opens at its last commit, the lock
is free for the next writer, and the worker (or `flask search reindex`) catches up."""

from __future__ import annotations

import os
import signal
import textwrap
import threading
import time
from pathlib import Path

from app import worker
from tests.support import make_pdf, python_child

# A writer that adds documents to the index and is killed before it commits.
WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from pathlib import Path
    from app.search.index import SearchIndex
    from app.search.schema import IndexedDocument

    index = SearchIndex(Path(sys.argv[1]))
    with index.writing() as writer:
        for n in range(2000):
            doc = IndexedDocument(
                id=100000 + n, version="v", organisation_id=1, secrecy="normal", direction="incoming",
                document_type="CV", urgency="normal", day=date(2026, 1, 1), issuer="Sở Nội vụ", number=str(n),
                notation="SNV-VP", subject="Văn bản chưa kịp ghi " + str(n), signer="", body="nội dung " * 50,
            )
            writer.add_document(**doc.fields())
            if n == 1000:
                print("writing", flush=True)
        time.sleep(120)  # killed here, before the commit
    """
)


def test_a_killed_indexer_leaves_an_index_that_opens_and_catches_up(app, api) -> None:  # type: ignore[no-untyped-def]
    from app.search.indexing import reindex
    from app.search.service import check_index

    first = api("clerk_a").register(make_pdf("Kế hoạch số hóa"), subject="Kế hoạch số hóa hồ sơ", number="1")
    assert first.status_code == 201
    worker.run_until_idle(app)
    index_dir = Path(app.config["SEARCH_INDEX_DIR"])

    child = python_child(WRITER, str(index_dir))
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        # A document changed meanwhile: the worker waits for the lock the other writer holds ...
        second = api("clerk_a").register(make_pdf("Báo cáo"), subject="Báo cáo lưu trữ điện tử", number="2")
        assert second.status_code == 201
        waiting = threading.Thread(target=worker.run_until_idle, args=(app,))
        waiting.start()
        time.sleep(1.0)
        assert waiting.is_alive()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    waiting.join(60)  # ... and, the lock gone with the killed process, writes
    assert not waiting.is_alive()
    found = api("clerk_a").get("/api/v1/search", query_string={"q": "lưu trữ điện tử"}).get_json()
    assert [item["id"] for item in found["items"]] == [second.get_json()["id"]]
    with app.app_context():
        assert check_index().ok  # nothing of the killed batch, everything of the database
        assert reindex() == 2
        assert check_index().ok
    listed = api("clerk_a").get("/api/v1/search", query_string={"q": "chưa kịp ghi"}).get_json()
    assert listed["total"] == 0
