"""intake: incoming documents registered per second, through the HTTP API, against a floor.

App: gunicorn with 2 sync workers serves wsgi:app on a fresh SQLite file and a fresh bucket; a client of
4 threads (one requests.Session each) posts COUNT incoming documents, each with its own one-page PDF,
to POST /api/v1/documents. Every answer must be 201, and afterwards the incoming register must hold
numbers 1..COUNT without a gap.

Floor: the same COUNT PDFs put with the bare MinIO client into a fresh bucket of the same store under
the app's content-addressed key, plus the same rows the app writes for each document (blob, register
number, document, file, audit event and chain head) inserted with bare SQLAlchemy Core in one transaction
per document, into the app's tables in a fresh SQLite file (with the app's SQLite settings, which
app.extensions installs on every engine), by the same 4 threads.

Only posting is timed. Floor and app take turns (5 rounds by default) on slices of the documents, against
the same store, so that a shared machine's changing load falls on both alike; the totals are compared.

    .venv/bin/python -m bench intake [--count N] [--threads T] [--workers W]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    BenchmarkFailed,
    Result,
    Store,
    Timed,
    app_environment,
    bearer_token,
    gunicorn,
    multipart,
    object_store,
    prepare_app,
    run_parallel,
    write_results,
)

NAME = "intake"
METRIC = "documents_per_second"
UNIT = "docs/s"
TARGET = 0.5

ORGANISATION = {"code": "000.00.00.H57", "name": "Văn phòng Ủy ban nhân dân tỉnh Thử Nghiệm", "abbreviation": "VP"}
CLERK = "bench_clerk"
ISSUER = "Sở Công Thương tỉnh Thử Nghiệm"
FILENAME = "van-ban-den.pdf"
PAGE = 200  # the API's largest page


@dataclass(frozen=True)
class Incoming:
    """One document to register: its form fields and its PDF."""

    number: int
    fields: dict[str, str]
    pdf: bytes


# --- The documents ---------------------------------------------------------------------------------


_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]")


def _layout(subject: str) -> Any:
    from app.documents.rendering import DocumentLayout

    return DocumentLayout(
        organisation="Sở Công Thương",
        parent_organisation="UBND tỉnh Thử Nghiệm",
        number_line="Số: 15/SCT-VP",
        place="Thử Nghiệm",
        issued_on=date.today() - timedelta(days=2),
        type_name="Công văn",
        subject=subject,
        body=["Sở Công Thương báo cáo tình hình thực hiện kế hoạch năm, đề nghị Văn phòng tổng hợp."],
        signer_position="Giám đốc",
        signer_name="Nguyễn Văn An",
        recipients=["Như trên", "Lưu: VT"],
    )


def make_pdfs(count: int) -> list[bytes]:
    """`count` distinct, valid one-page PDFs.

    One PDF is typeset, then each copy gets its own file identifier: the trailer's /ID is two 32-digit hex
    strings after the last object, so rewriting it moves no byte offset and keeps the file valid. Should
    the renderer ever stop writing an /ID, each PDF is typeset with its own subject instead (slower).
    """
    from app.documents.rendering import render_document

    base = render_document(_layout("V/v báo cáo tình hình thực hiện kế hoạch (bản đo hiệu năng)"))
    found = list(_TRAILER_ID.finditer(base))
    if found:
        last = found[-1]
        (first_start, first_end), (second_start, second_end) = last.span(1), last.span(2)
        pdfs = []
        for n in range(1, count + 1):
            ident = hashlib.sha256(f"bench-intake-{n}".encode()).hexdigest()[:32].upper().encode()
            pdfs.append(base[:first_start] + ident + base[first_end:second_start] + ident + base[second_end:])
    else:
        pdfs = [render_document(_layout(f"V/v báo cáo tình hình thực hiện kế hoạch (bản {n})")) for n in range(count)]
    _check_pdfs(pdfs)
    return pdfs


def _check_pdfs(pdfs: list[bytes]) -> None:
    from pypdf import PdfReader

    if len({hashlib.sha256(p).digest() for p in pdfs}) != len(pdfs):
        raise BenchmarkFailed("the generated PDFs are not all distinct")
    for index, pdf in enumerate(pdfs):
        pages = len(PdfReader(io.BytesIO(pdf), strict=False).pages)
        if pages != 1:
            raise BenchmarkFailed(f"generated PDF {index} has {pages} pages, not 1")


def make_documents(count: int) -> list[Incoming]:
    issued_on = (date.today() - timedelta(days=2)).isoformat()
    documents = []
    for n, pdf in enumerate(make_pdfs(count), start=1):
        fields = {
            "direction": "incoming",
            "document_type": "CV",
            "number": str(n),
            "notation": f"SCT-VP.{n:05d}",
            "issuer": ISSUER,
            "issued_on": issued_on,
            "subject": f"V/v báo cáo tình hình thực hiện kế hoạch, văn bản số {n}",
            "signer_name": "Nguyễn Văn An",
            "signer_position": "Giám đốc",
            "urgency": "normal",
            "secrecy": "normal",
        }
        documents.append(Incoming(n, fields, pdf))
    return documents


# --- The floor -------------------------------------------------------------------------------------


def _floor_schema(engine: Any) -> None:
    """The app's own tables, in a fresh file, with one organisation, one user and this year's register."""
    import sqlalchemy as sa

    import app.models  # noqa: F401 - every table
    from app.extensions import db

    db.metadata.create_all(engine)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO organisations (id, code, name, abbreviation, active, created_at) "
                "VALUES (1, '000.00.00.H57', 'Floor', 'F', 1, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO users (id, username, full_name, organisation_id, password_hash, active, "
                "failed_logins, created_at) VALUES (1, 'floor', 'Floor', 1, 'x', 1, 0, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO registers (id, organisation_id, direction, year, secret, last_number) "
                "VALUES (1, 1, 'incoming', :year, 0, 0)"
            ),
            {"year": date.today().year},
        )
        conn.execute(
            sa.text("INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, :genesis)"),
            {"genesis": "0" * 64},
        )


def _floor_row(doc: Incoming, received_on: date) -> dict[str, Any]:
    from app.documents.service import fold

    f = doc.fields
    return {
        "organisation_id": 1,
        "direction": f["direction"],
        "status": "registered",
        "document_type": f["document_type"],
        "number": f["number"],
        "notation": f["notation"],
        "issuer": f["issuer"],
        "issuer_code": None,
        "place": None,
        "issued_on": date.fromisoformat(f["issued_on"]),
        "subject": f["subject"],
        "signer_name": f["signer_name"],
        "signer_position": f["signer_position"],
        "recipients": None,
        "urgency": f["urgency"],
        "secrecy": f["secrecy"],
        "page_count": 1,
        "notes": None,
        "received_on": received_on,
        "due_on": None,
        "channel": "paper",
        "duplicate_key": "|".join([fold(f["number"]), fold(f["notation"]), fold(f["issuer"])]),
        "issuer_folded": fold(f["issuer"]),
        "search_text": fold(" ".join([f["subject"], f["notation"], f["number"], f["issuer"], f["signer_name"]])),
        "created_by_id": 1,
    }


def _floor_insert(conn: Any, row: dict[str, Any], data: bytes, sha256: str) -> None:
    """The rows the app writes for one document, with bare SQLAlchemy Core in one transaction: the blob,
    the register's next number, the document, its file, and the audit event with the chain head."""
    import sqlalchemy as sa

    from app.audit.models import AuditChainHead, AuditEvent
    from app.documents.models import Document, DocumentFile, Register
    from app.storage.models import Blob

    now = datetime.now(UTC)
    conn.execute(
        sa.insert(Blob).prefix_with("OR IGNORE"),
        {"sha256": sha256, "size": len(data), "content_type": "application/pdf", "created_at": now},
    )
    number = conn.execute(
        sa.update(Register)
        .where(Register.id == 1)
        .values(last_number=Register.last_number + 1)
        .returning(Register.last_number)
    ).scalar_one()
    document_id = conn.execute(
        sa.insert(Document).returning(Document.id),
        {**row, "register_id": 1, "register_number": number, "created_at": now, "updated_at": now},
    ).scalar_one()
    conn.execute(
        sa.insert(DocumentFile),
        {
            "document_id": document_id,
            "role": "main",
            "version": 1,
            "blob_sha256": sha256,
            "filename": FILENAME,
            "content_type": "application/pdf",
            "size": len(data),
            "created_by_id": 1,
            "created_at": now,
        },
    )
    head = conn.execute(
        sa.select(AuditChainHead.last_seq, AuditChainHead.last_hash).where(AuditChainHead.id == 1)
    ).one()
    seq, digest = head.last_seq + 1, hashlib.sha256(f"{head.last_hash}{document_id}".encode()).hexdigest()
    conn.execute(
        sa.insert(AuditEvent),
        {
            "seq": seq,
            "at": now,
            "action": "document:created",
            "actor_id": 1,
            "organisation_id": 1,
            "object_type": "document",
            "object_id": str(document_id),
            "data": {"register_number": number},
            "prev_hash": head.last_hash,
            "hash": digest,
        },
    )
    conn.execute(sa.update(AuditChainHead).where(AuditChainHead.id == 1).values(last_seq=seq, last_hash=digest))


class Floor:
    """The bare MinIO client and bare SQLAlchemy Core, doing what the app does for each document."""

    def __init__(self, store: Store, workdir: Path) -> None:
        import sqlalchemy as sa

        self.store = store
        self.client = store.client()
        self.bucket = store.new_bucket_name("bench-floor")
        self.client.make_bucket(self.bucket)
        self.engine = sa.create_engine(f"sqlite:///{workdir / 'floor.db'}")
        _floor_schema(self.engine)
        self.written = 0

    def run(self, documents: list[Incoming], threads: int) -> Timed:
        from app.storage.s3 import S3BlobStore

        today = date.today()
        rows = [_floor_row(doc, today) for doc in documents]

        def put_and_insert(_state: None, index: int) -> None:
            data = documents[index].pdf
            sha256 = hashlib.sha256(data).hexdigest()
            self.client.put_object(
                self.bucket,
                S3BlobStore.key(sha256),
                io.BytesIO(data),
                len(data),
                content_type="application/pdf",
                metadata={"filename": FILENAME, "sha256": sha256},
            )
            with self.engine.begin() as conn:
                _floor_insert(conn, rows[index], data, sha256)

        timed = run_parallel(range(len(documents)), put_and_insert, threads=threads)
        if timed.errors:
            index, error = timed.errors[0]
            raise BenchmarkFailed(f"floor: {len(timed.errors)} failures; the first, document {index + 1}: {error!r}")
        self.written += len(documents)
        return timed

    def check(self) -> None:
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            rows_written = conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one()
        objects = self.store.count_objects(self.bucket)
        if rows_written != self.written or objects != self.written:
            raise BenchmarkFailed(f"floor: {rows_written} rows and {objects} objects for {self.written} documents")

    def close(self) -> None:
        self.engine.dispose()
        self.store.discard_bucket(self.bucket)


# --- The app ---------------------------------------------------------------------------------------


def _check_register(base: str, token: str, count: int) -> None:
    """The list reports `count` documents and their register numbers are 1..count, each once."""
    import requests

    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"

        def page(number: int, per_page: int) -> dict[str, Any]:
            response = session.get(
                base + "/api/v1/documents", params={"per_page": per_page, "page": number}, timeout=60
            )
            if response.status_code != 200:
                raise BenchmarkFailed(f"listing documents: {response.status_code} {response.text[:500]}")
            return response.json()

        total = page(1, 1)["total"]
        if total != count:
            raise BenchmarkFailed(f"the list reports {total} documents, not {count}")
        numbers: list[int] = []
        for number in range(1, -(-count // PAGE) + 1):
            numbers.extend(item["register_number"] for item in page(number, PAGE)["items"])
    if sorted(numbers) != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(numbers))[:10]
        raise BenchmarkFailed(f"register numbers are not 1..{count}: {len(numbers)} listed, missing e.g. {missing}")


@contextmanager
def served_app(store: Store, workdir: Path, workers: int) -> Iterator[Callable[[list[Incoming], int], Timed]]:
    """The app under gunicorn with a clerk; yields a function that posts documents and times it.

    On the way out, checks that the register holds every posted document once, numbered without gaps,
    and that the store holds one object per document.
    """
    import requests

    bucket = store.new_bucket_name("bench")
    env = app_environment(workdir, store, bucket)
    password = "bench-" + hashlib.sha256(workdir.name.encode()).hexdigest()[:16]
    print("migrating the database and creating the clerk ...", flush=True)
    prepare_app(
        env,
        organisation=ORGANISATION,
        user={"username": CLERK, "full_name": "Văn thư đo hiệu năng", "roles": ["clerk"], "password": password},
    )
    posted = 0
    try:
        print(f"starting gunicorn with {workers} sync workers ...", flush=True)
        with gunicorn(env, workdir, workers=workers) as base:
            token = bearer_token(base, CLERK, password)
            url = base + "/api/v1/documents"

            def client() -> requests.Session:
                session = requests.Session()
                session.headers["Authorization"] = f"Bearer {token}"
                return session

            def post_all(documents: list[Incoming], threads: int) -> Timed:
                nonlocal posted
                bodies = [multipart(doc.fields, [("file", FILENAME, doc.pdf, "application/pdf")]) for doc in documents]

                def post(session: requests.Session, index: int) -> tuple[int, str]:
                    body, content_type = bodies[index]
                    response = session.post(url, data=body, headers={"Content-Type": content_type}, timeout=120)
                    return response.status_code, "" if response.status_code == 201 else response.text[:500]

                timed = run_parallel(range(len(documents)), post, threads=threads, state=client)
                failures = [(i, o) for i, o in enumerate(timed.outcomes) if not (isinstance(o, tuple) and o[0] == 201)]
                if failures:
                    _index, outcome = failures[0]
                    raise BenchmarkFailed(f"app: {len(failures)} answers were not 201; the first: {outcome!r}")
                posted += len(documents)
                return timed

            yield post_all
            _check_register(base, token, posted)
        objects = store.count_objects(bucket)
        if objects != posted:
            raise BenchmarkFailed(f"app: {objects} objects in the store for {posted} documents")
    finally:
        store.discard_bucket(bucket)


# --- Running ---------------------------------------------------------------------------------------


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench intake", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="documents to register (default 1000)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="turns taken by floor and app (default 5)")
    args = parser.parse_args(argv)
    if min(args.count, args.threads, args.workers, args.rounds) < 1:
        parser.error("--count, --threads, --workers and --rounds must be at least 1")
    return args


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
            workdir = Path(tmp)
            print(f"{NAME}: preparing {args.count} one-page PDFs ...", flush=True)
            documents = make_documents(args.count)
            with object_store(workdir) as store, served_app(store, workdir, args.workers) as post_all:
                floor = Floor(store, workdir)
                try:
                    app_time, floor_time = _rounds(documents, args, floor, post_all)
                    floor.check()
                finally:
                    floor.close()
    except BenchmarkFailed as err:
        print(f"{NAME}: FAILED: {err}", file=sys.stderr)
        return 1
    count = len(documents)
    write_results(NAME, Result.against_floor(NAME, METRIC, count / app_time, count / floor_time, TARGET, UNIT))
    return 0


def _rounds(
    documents: list[Incoming], args: argparse.Namespace, floor: Floor, post_all: Callable
) -> tuple[float, float]:
    """Floor and app take turns on slices of the documents, so that the load of a shared machine falls on
    both alike; the totals are compared."""
    size = -(-len(documents) // args.rounds)
    app_time = floor_time = 0.0
    for number, start in enumerate(range(0, len(documents), size), start=1):
        part = documents[start : start + size]
        measured_floor = floor.run(part, args.threads)
        measured_app = post_all(part, args.threads)
        floor_time += measured_floor.elapsed
        app_time += measured_app.elapsed
        print(f"round {number}: floor {measured_floor.summary('documents')}", flush=True)
        print(f"round {number}: app   {measured_app.summary('documents')}", flush=True)
    return app_time, floor_time


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
