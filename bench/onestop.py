"""onestop: the public lookup under 32 clients, the year's statistics and the intake of dossiers, on PostgreSQL with
100,000 dossiers, through HTTP, against bare SQL and bare store puts in the same run.

A database of its own on PostgreSQL (127.0.0.1:5432, user postgres, trust auth; PG_URL to change), created and
dropped by the run, migrated, then filled with Core bulk inserts (not timed): 30 organisations (the first holds the
one-stop desk and its officer), 200 procedures resolved by them (two papers, three steps), and N dossiers (--dossiers,
default 100,000) received over the last year at the 30 desks, with codes, secrets and days as intake makes them:
70% resolved (early, on time or late), 5% withdrawn, the rest in progress.

- Lookup: GET /api/v1/public/dossiers/<code>?s=<secret> through gunicorn (2 workers × 4 threads) by 32 clients for
  --seconds (default 20), each client from its own loopback address (127.0.1.N: the limit is per address, as
  citizens' phones are) and its own keep-alive connection. Floor: the same single indexed SELECT by code, run by
  32 threads with psycopg for the same time. Printed: lookups per second and p95 of each. Targets: p95 under 50 ms
  and at least 0.3 of the floor's throughput. For context, not a target: the HTTP ceiling, bench/constant_app.py
  (a constant answer, no Flask, no database) under the same gunicorn and clients, and the lookup's share of it.
- Statistics: GET /api/v1/onestop/statistics for the last 365 days by organisation, one request at a time; floor:
  the same compiled aggregate run with psycopg. Target: median at most 2x.
- Intake: 1,000 dossiers (--intake) each with one PDF scan (distinct and valid, bench/intake.py's), POST
  /api/v1/onestop/dossiers (multipart) by 8 clients; floor: the same PDFs put in the store with the MinIO SDK plus
  the rows a receipt writes (blob, the desk's counter, dossier, papers, timeline entry, notice, audit event and
  chain head) with bare SQL in one transaction each, by 8 threads. Target: at least 0.5 of the floor's rate. For
  context, not a target: the floor served over HTTP, bench/bare_intake_app.py (werkzeug's multipart parser, the
  put and the same bare SQL, no Flask, no ORM) under the same gunicorn to the same 8 clients.

    .venv/bin/python -m bench onestop [--dossiers N] [--seconds S] [--intake N]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import secrets
import statistics as stats
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import (
    BenchmarkFailed,
    Result,
    app_environment,
    bearer_token,
    gunicorn,
    multipart,
    object_store,
    own_database,
    percentile,
    prepare_app,
    run_and_report,
    run_parallel,
)

NAME = "onestop"
CLIENTS = 32
INTAKE_CLIENTS = 8
WORKERS, THREADS = 2, 4
ORGS = 30
PROCEDURES = 200
BATCH = 5_000
OFFICER = "motcua"
# The lookup's floor: the single indexed query a lookup needs (also served over HTTP by bench/bare_lookup_app.py).
LOOKUP_SQL = (
    "SELECT d.code, d.secret, d.status, d.received_at, d.appointment_at, p.code, p.name, d.applicant_name "
    "FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE d.code = %s"
)
ORG = {"code": "000.00.00.M01", "name": "Trung tâm Phục vụ hành chính công tỉnh Đo Hiệu Năng", "abbreviation": "TTPV"}


def _load() -> str:
    import os

    one, five, _ = os.getloadavg()
    return f"load {one:.2f} {five:.2f}"


# --- Filling the database ----------------------------------------------------------------------------------


def fill(url: str, count: int, seed: int = 7) -> list[tuple[str, str]]:
    """The organisations, procedures and dossiers; the (code, secret) of every dossier."""
    import sqlalchemy as sa

    from app.auth.models import Organisation
    from app.onestop.codes import new_secret, receipt_code
    from app.onestop.models import Dossier, Procedure, ProcedurePaper, ProcedureStep, ReceiptCounter
    from config import normalize_database_url

    rng = random.Random(seed)
    engine = sa.create_engine(normalize_database_url(url))
    now = datetime.now(UTC)
    today = now.date()
    pairs: list[tuple[str, str]] = []
    with engine.begin() as conn:
        first = conn.execute(sa.select(Organisation.id, Organisation.code)).first()
        officer = conn.execute(sa.text("SELECT id FROM users WHERE username = :u"), {"u": OFFICER}).scalar_one()
        orgs = [(first.id, first.code)]
        for n in range(1, ORGS):
            code = f"000.00.{n:02d}.M01"
            row = conn.execute(
                sa.insert(Organisation.__table__)
                .values(code=code, name=f"Sở số {n}", abbreviation=f"S{n}", active=True, created_at=now)
                .returning(Organisation.__table__.c.id)
            ).scalar_one()
            orgs.append((row, code))
        procedures = []
        for n in range(PROCEDURES):
            days = rng.choice([1, 3, 5, 7, 10, 15, 20])
            org_id = orgs[n % ORGS][0]
            pid = conn.execute(
                sa.insert(Procedure.__table__)
                .values(
                    code=f"1.{100000 + n:06d}.000.00.00.H99",
                    name=f"Thủ tục hành chính số {n}",
                    field="Lĩnh vực " + str(n % 12),
                    resolving_organisation_id=org_id,
                    channels="direct,online,post",
                    statutory_days=days,
                    fees=[],
                    active=True,
                    created_at=now,
                    updated_at=now,
                )
                .returning(Procedure.__table__.c.id)
            ).scalar_one()
            conn.execute(
                sa.insert(ProcedurePaper.__table__),
                [
                    {
                        "procedure_id": pid,
                        "position": 0,
                        "name": "Đơn đề nghị",
                        "form": "original",
                        "copies": 1,
                        "required": True,
                    },
                    {
                        "procedure_id": pid,
                        "position": 1,
                        "name": "Căn cước",
                        "form": "copy",
                        "copies": 1,
                        "required": True,
                    },
                ],
            )
            steps = [(0.5, None), (days - 1, None), (0.5, None)] if days > 1 else [(0.5, None), (0.5, None)]
            conn.execute(
                sa.insert(ProcedureStep.__table__),
                [
                    {"procedure_id": pid, "position": i, "name": f"Bước {i + 1}", "unit_id": None, "days": d}
                    for i, (d, _) in enumerate(steps)
                ],
            )
            procedures.append(
                (
                    pid,
                    org_id,
                    days,
                    [
                        {"name": f"Bước {i + 1}", "unit_id": None, "unit": None, "days": d}
                        for i, (d, _) in enumerate(steps)
                    ],
                )
            )
        sequence: dict[tuple[int, date], int] = {}
        rows: list[dict[str, Any]] = []
        for _ in range(count):
            desk_id, desk_code = rng.choice(orgs)
            pid, resolver, days, steps = rng.choice(procedures)
            received_on = today - timedelta(days=rng.randrange(365))
            received_at = datetime.combine(received_on, datetime.min.time(), tzinfo=UTC) + timedelta(
                hours=1 + rng.random() * 8
            )
            seq = sequence[desk_id, received_on] = sequence.get((desk_id, received_on), 0) + 1
            code, secret = receipt_code(desk_code, received_on, seq), new_secret()
            appointment_on = received_on + timedelta(days=int(days * 1.4) + 1)
            fate = rng.random()
            status, resolved_on, stopped_on = "in_process", None, None
            if fate < 0.70 and appointment_on - timedelta(days=3) < today:
                resolved_on = min(today, appointment_on + timedelta(days=rng.choice([-3, -1, 0, 0, 0, 1, 4])))
                status = "returned"
            elif fate < 0.75:
                stopped_on, status = received_on + timedelta(days=1), "withdrawn"
            pairs.append((code, secret))
            rows.append(
                {
                    "organisation_id": desk_id,
                    "code": code,
                    "secret": secret,
                    "procedure_id": pid,
                    "resolving_organisation_id": resolver,
                    "statutory_days": days,
                    "steps": steps,
                    "channel": rng.choice(["direct", "direct", "online", "post"]),
                    "fee_mode": "none",
                    "fee_amount": 0,
                    "applicant_name": "Nguyễn Văn " + rng.choice(["An", "Bình", "Cường", "Dũng", "Hà"]),
                    "applicant_phone": f"09{rng.randrange(10**8):08d}",
                    "status": status,
                    "received_at": received_at,
                    "received_on": received_on,
                    "counting_from": received_at,
                    "appointment_at": datetime.combine(appointment_on, datetime.min.time(), tzinfo=UTC),
                    "appointment_on": appointment_on,
                    "resolved_on": resolved_on,
                    "stopped_on": stopped_on,
                    "calendar_version": "bench",
                    "received_by_id": officer,
                    "waited_seconds": 0,
                    "step_index": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(rows) >= BATCH:
                conn.execute(sa.insert(Dossier.__table__), rows)
                rows = []
        if rows:
            conn.execute(sa.insert(Dossier.__table__), rows)
        # The desks' counters where the filled dossiers left them, as intake would have: the next receipt of the
        # day follows on.
        conn.execute(
            sa.insert(ReceiptCounter.__table__),
            [{"organisation_id": desk, "day": day, "last": last} for (desk, day), last in sequence.items()],
        )
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    return pairs


# --- Clients ---------------------------------------------------------------------------------------------


class _Phone:
    """One citizen's phone: a keep-alive HTTP connection leaving from its own loopback address. The standard
    library's client, lighter than requests, so that the load it makes costs the shared cores less."""

    def __init__(self, base: str, address: str) -> None:
        from urllib.parse import urlsplit

        self.netloc = urlsplit(base).netloc
        self.address = address
        self.conn: Any = None

    def get(self, path: str) -> tuple[int, bytes]:
        import http.client

        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.netloc, timeout=30, source_address=(self.address, 0))
        try:
            self.conn.request("GET", path)
            answer = self.conn.getresponse()
            return answer.status, answer.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _for_seconds(seconds: float, threads: int, make: Any, work: Any) -> tuple[int, list[float], int]:
    """Each thread calls work(state) as often as it can for `seconds`: calls made, latencies, errors."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    ready = threading.Barrier(threads + 1)
    stop = threading.Event()

    def loop(n: int) -> None:
        state = make(n)
        ready.wait()
        while not stop.is_set():
            started = time.perf_counter()
            try:
                work(state)
            except Exception:
                errors[n] += 1
            latencies[n].append(time.perf_counter() - started)
        for part in state if isinstance(state, tuple) else (state,):
            close = getattr(part, "close", None)
            if callable(close):
                close()

    workers = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    ready.wait()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    flat = sorted(x for part in latencies for x in part)
    return len(flat), flat, sum(errors)


def _http_lookups(base: str, pairs: list[tuple[str, str]], seconds: float) -> tuple[float, float, int]:
    """CLIENTS phones asking `base` for random dossiers (code and secret) for `seconds`: the rate, the p95 in ms
    and the failed lookups."""

    def state(n: int) -> Any:
        return (_Phone(base, f"127.0.1.{n + 1}"), random.Random(n))

    def work(state: Any) -> None:
        phone, rng = state
        code, secret = rng.choice(pairs)
        status, _ = phone.get(f"/api/v1/public/dossiers/{code}?s={secret}")
        if status != 200:
            raise RuntimeError(str(status))

    made, latencies, errors = _for_seconds(seconds, CLIENTS, state, work)
    return made / seconds, percentile(latencies, 95) * 1000, errors


def lookup(base: str, url: str, pairs: list[tuple[str, str]], seconds: float, serve: Any) -> list[Result]:
    """The app's lookups and the bare SELECT's; for context, not targets, the floor over HTTP and the HTTP ceiling:
    bench/bare_lookup_app.py and bench/constant_app.py, each served by `serve(target)` (a context manager giving
    its base URL under the same gunicorn) to the same clients."""
    import psycopg

    def bare_state(n: int) -> Any:
        return (psycopg.connect(url, autocommit=True), random.Random(n))

    def bare_work(state: Any) -> None:
        conn, rng = state
        code, _ = rng.choice(pairs)
        row = conn.execute(LOOKUP_SQL, (code,)).fetchone()
        if row is None:
            raise RuntimeError("not found")

    print(f"lookup: {CLIENTS} clients for {seconds:.0f}s through HTTP ({_load()}) ...", flush=True)
    app_rate, app_p95, errors = _http_lookups(base, pairs, seconds)
    if errors:
        raise BenchmarkFailed(f"{errors} lookups failed")
    print(f"  {app_rate:.0f} lookups/s, p95 {app_p95:.1f} ms", flush=True)
    print(f"lookup floor: {CLIENTS} threads of the bare SELECT for {seconds:.0f}s ({_load()}) ...", flush=True)
    made, latencies, errors = _for_seconds(seconds, CLIENTS, bare_state, bare_work)
    bare_rate, bare_p95 = made / seconds, percentile(latencies, 95) * 1000
    print(f"  {bare_rate:.0f} queries/s, p95 {bare_p95:.1f} ms", flush=True)
    context = {}
    for name, target, what in (
        ("floor over HTTP", "bench.bare_lookup_app:app", "the same SELECT in a bare WSGI app, no Flask"),
        ("HTTP ceiling", "bench.constant_app:app", "a constant answer, no Flask, no database"),
    ):
        print(f"lookup {name}: {what}, same gunicorn, {CLIENTS} clients ({_load()}) ...", flush=True)
        with serve(target) as other:
            rate, p95, errors = _http_lookups(other, pairs, seconds)
        if errors:
            raise BenchmarkFailed(f"{errors} answers of {target} failed")
        context[name] = rate
        print(
            f"  {rate:.0f} answers/s, p95 {p95:.1f} ms: {rate / bare_rate:.2f} of the floor, "
            f"{app_rate / rate:.2f} of it reached by the lookup",
            flush=True,
        )
    verdict = "met" if app_p95 < 50 else "MISSED"
    print(f"  lookup p95 under 50 ms: {verdict}")
    return [
        Result.against_floor("lookup", "per_second", app_rate, bare_rate, 0.3, "lookups/s"),
        Result.against_floor("lookup", "p95_ms", app_p95, bare_p95, None, "ms"),
        Result.against_floor(
            "lookup", "per_second_of_floor_over_http", app_rate, context["floor over HTTP"], None, "lookups/s"
        ),
        Result.against_floor(
            "lookup", "per_second_of_http_ceiling", app_rate, context["HTTP ceiling"], None, "lookups/s"
        ),
    ]


def statistics_timing(base: str, url: str, token: str, runs: int = 30) -> list[Result]:
    import psycopg
    import requests
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql

    from app.onestop import statistics as onestop_stats

    end = date.today()
    start = end - timedelta(days=364)
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + token
    params = {"from": start.isoformat(), "to": end.isoformat(), "by": "organisation"}
    as_of = end
    group = onestop_stats.D.resolving_organisation_id
    sums = [
        sa.func.coalesce(sa.func.sum(sa.case((cond(start, end, as_of), 1), else_=0)), 0).label(name)
        for name, cond in onestop_stats.FIGURES.items()
    ]
    statement = sa.select(group, *sums).where(onestop_stats.in_period(start, end)).group_by(group)
    compiled = statement.compile(dialect=postgresql.psycopg.dialect(), compile_kwargs={"literal_binds": True})
    sql = str(compiled)
    app_times, bare_times = [], []
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(runs):
            started = time.perf_counter()
            answer = session.get(base + "/api/v1/onestop/statistics", params=params, timeout=60)
            app_times.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise BenchmarkFailed(f"statistics answered {answer.status_code}: {answer.text[:300]}")
            started = time.perf_counter()
            conn.execute(sql).fetchall()
            bare_times.append((time.perf_counter() - started) * 1000)
    app_median, bare_median = stats.median(app_times), stats.median(bare_times)
    print(f"statistics of the year: app median {app_median:.1f} ms, bare SQL {bare_median:.1f} ms", flush=True)
    return [Result.against_floor("statistics", "median_ms", app_median, bare_median, 2.0, "ms")]


def intake(base: str, url: str, token: str, store: Any, bucket: str, count: int, bare_server: Any) -> list[Result]:
    """The app's intake, the floor, and (context: not a target) the floor served over HTTP by `bare_server(env)`
    (a context manager giving the base URL of bench/bare_intake_app.py under the same gunicorn)."""
    import psycopg
    import requests

    from bench.intake import make_pdfs

    pdfs = make_pdfs(count)  # distinct, valid PDFs, as citizens' scans
    fields = {
        "procedure": "1.100000.000.00.00.H99",
        "applicant": {"name": "Trần Thị Bình", "phone": "0912345678"},
        "channel": "direct",
        "fee_mode": "none",
        "papers": [{"paper": 0}, {"paper": 1}],
    }
    bodies = [
        multipart({"dossier": json.dumps(fields)}, [("paper_0", "scan.pdf", pdf, "application/pdf")]) for pdf in pdfs
    ]

    def app_state() -> Any:
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + token
        return session

    def app_work(session: Any, body: tuple[bytes, str]) -> None:
        answer = session.post(
            base + "/api/v1/onestop/dossiers", data=body[0], headers={"Content-Type": body[1]}, timeout=60
        )
        if answer.status_code != 201:
            raise RuntimeError(f"{answer.status_code} {answer.text[:200]}")

    print(f"intake: {count} dossiers with a scan by {INTAKE_CLIENTS} clients ({_load()}) ...", flush=True)
    done = run_parallel(bodies, app_work, threads=INTAKE_CLIENTS, state=app_state)
    if done.errors:
        raise BenchmarkFailed(f"{len(done.errors)} intakes failed: {done.errors[0][1]}")
    print("  " + done.summary("dossiers"), flush=True)
    client = store.client()
    if not client.bucket_exists(bucket + "-floor"):
        client.make_bucket(bucket + "-floor")
    desk = _desk(url)

    def bare_state() -> Any:
        return psycopg.connect(url)

    def bare_work(conn: Any, pdf: bytes) -> None:
        digest = hashlib.sha256(pdf).hexdigest()
        client.put_object(bucket + "-floor", digest, io.BytesIO(pdf), len(pdf), content_type="application/pdf")
        _bare_receipt(conn, desk, "f" + digest[1:], len(pdf))

    floor = run_parallel(pdfs, bare_work, threads=INTAKE_CLIENTS, state=bare_state)
    if floor.errors:
        raise BenchmarkFailed(f"the floor failed: {floor.errors[0][1]}")
    print("  floor: " + floor.summary("puts + inserts"), flush=True)
    client.make_bucket(bucket + "-http")
    with bare_server({"BARE_DATABASE_URL": url, "BARE_BUCKET": bucket + "-http"}) as bare_base:

        def bare_http_work(session: Any, body: tuple[bytes, str]) -> None:
            answer = session.post(bare_base + "/intake", data=body[0], headers={"Content-Type": body[1]}, timeout=60)
            if answer.status_code != 201:
                raise RuntimeError(f"{answer.status_code} {answer.text[:200]}")

        over_http = run_parallel(bodies, bare_http_work, threads=INTAKE_CLIENTS, state=requests.Session)
    if over_http.errors:
        raise BenchmarkFailed(f"the floor over HTTP failed: {over_http.errors[0][1]}")
    print(
        f"  the floor over HTTP (bench/bare_intake_app.py, same gunicorn): {over_http.summary('dossiers')}; "
        f"{over_http.rate / floor.rate:.2f} of the floor, {done.rate / over_http.rate:.2f} of it reached by the app",
        flush=True,
    )
    return [
        Result.against_floor("intake", "per_second", done.rate, floor.rate, 0.5, "dossiers/s"),
        Result.against_floor("intake", "per_second_of_floor_over_http", done.rate, over_http.rate, None, "dossiers/s"),
    ]


PARTS = ("lookup", "statistics", "intake")


FLOOR_SQL = {
    "blob": "INSERT INTO blobs (sha256, size, content_type, created_at) VALUES (%s, %s, 'application/pdf', now()) "
    "ON CONFLICT DO NOTHING",
    "counter": "INSERT INTO receipt_counters (organisation_id, day, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (organisation_id, day) DO UPDATE SET last = receipt_counters.last + 1 RETURNING last",
    "dossier": "INSERT INTO dossiers (organisation_id, code, secret, procedure_id, resolving_organisation_id, "
    "statutory_days, steps, channel, fee_mode, fee_amount, applicant_name, applicant_phone, status, received_at, "
    "received_on, counting_from, appointment_at, appointment_on, calendar_version, received_by_id, waited_seconds, "
    "step_index, step_due_at, created_at, updated_at) VALUES (%s, %s, 'SECRET', %s, %s, %s, %s, 'direct', 'none', 0, "
    "'Trần Thị Bình', '0912345678', 'received', now(), current_date, now(), now() + interval '7 days', "
    "current_date + 7, 'bare', %s, 0, 0, now() + interval '4 hours', now(), now()) RETURNING id",
    "papers": "INSERT INTO dossier_papers (dossier_id, position, name, form, copies, blob_sha256, filename, "
    "content_type, size) VALUES (%s, 0, 'Đơn đề nghị', 'original', 1, %s, 'scan.pdf', 'application/pdf', %s), "
    "(%s, 1, 'Căn cước', 'copy', 1, NULL, NULL, NULL, NULL)",
    "event": "INSERT INTO dossier_events (dossier_id, at, actor_id, to_status, data) "
    "VALUES (%s, now(), %s, 'received', '{}')",
    "outbox": "INSERT INTO outbox (kind, payload, state, attempts, max_attempts, next_attempt_at, created_at) "
    "VALUES ('onestop.notice', %s, 'pending', 0, 8, now(), now())",
    "head": "SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE",
    "audit": "INSERT INTO audit_events (seq, at, action, actor_id, organisation_id, object_type, object_id, data, "
    "prev_hash, hash) VALUES (%s, now(), 'onestop:dossier:received', %s, %s, 'dossier', %s, '{}', %s, %s)",
    "move_head": "UPDATE audit_chain_head SET last_seq = %s, last_hash = %s WHERE id = 1",
}


def _desk(url: str) -> dict[str, Any]:
    """What a bare receipt writes besides its own values: the desk, its officer, the procedure and its steps."""
    import psycopg

    with psycopg.connect(url) as conn:
        org = conn.execute("SELECT id FROM organisations ORDER BY id LIMIT 1").fetchone()[0]
        officer = conn.execute("SELECT id FROM users WHERE username = %s", (OFFICER,)).fetchone()[0]
        procedure = conn.execute(
            "SELECT id, resolving_organisation_id, statutory_days FROM procedures WHERE code = %s",
            ("1.100000.000.00.00.H99",),
        ).fetchone()
    steps = json.dumps([{"name": "Bước 1", "unit_id": None, "unit": None, "days": float(procedure[2])}])
    return {"org": org, "officer": officer, "procedure": procedure, "steps": steps}


def _bare_receipt(conn: Any, desk: dict[str, Any], digest: str, size: int) -> None:
    """The rows one receipt writes (blob, the desk's counter, dossier, two papers, timeline entry, notice, audit
    event and the chain's head), with bare SQL in one transaction, as the app's locks order them."""
    q = FLOOR_SQL
    pid, resolver, days = desk["procedure"]
    with conn.transaction():
        conn.execute(q["blob"], (digest, size))
        seq = conn.execute(q["counter"], (desk["org"], date.today())).fetchone()[0]
        code = f"BARE-{date.today():%y%m%d}-{seq:05d}-{secrets.token_hex(3)}"
        row = (desk["org"], code, pid, resolver, days, desk["steps"], desk["officer"])
        dossier = conn.execute(q["dossier"], row).fetchone()[0]
        conn.execute(q["papers"], (dossier, digest, size, dossier))
        conn.execute(q["event"], (dossier, desk["officer"]))
        conn.execute(q["outbox"], (json.dumps({"dossier_id": dossier, "key": "received", "text": code}),))
        last_seq, last_hash = conn.execute(q["head"]).fetchone()
        digest_next = hashlib.sha256(f"{last_hash}{code}".encode()).hexdigest()
        conn.execute(q["audit"], (last_seq + 1, desk["officer"], desk["org"], str(dossier), last_hash, digest_next))
        conn.execute(q["move_head"], (last_seq + 1, digest_next))


def _run(count: int, seconds: float, intake_count: int, workers: int, threads: int, parts: set[str]) -> list[Result]:
    print(f"onestop: {count:,} dossiers; {_load()}", flush=True)
    password = "bench-" + secrets.token_hex(8)
    results: list[Result] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-onestop-") as tmp,
        object_store(Path(tmp)) as store,
        own_database("bench_onestop") as url,
    ):
        workdir = Path(tmp)
        bucket = store.new_bucket_name("bench-onestop")
        env = app_environment(workdir, store, bucket)
        env["DATABASE_URL"] = url
        env["PUBLIC_LOOKUPS_PER_MINUTE"] = "100000"  # the clients are 32 addresses asking as fast as they can
        prepare_app(
            env,
            organisation=ORG,
            user={"username": OFFICER, "full_name": "Cán bộ một cửa", "roles": ["onestop"], "password": password},
        )
        started = time.perf_counter()
        pairs = fill(url, count)
        print(f"  filled in {time.perf_counter() - started:.0f}s", flush=True)
        with gunicorn(env, workdir, workers=workers, threads=threads) as base:
            token = bearer_token(base, OFFICER, password)
            if "lookup" in parts:
                serve = partial(gunicorn, {**env, "BARE_DATABASE_URL": url}, workdir, workers=workers, threads=threads)
                results += lookup(base, url, pairs, seconds, lambda target: serve(target=target))
            if "statistics" in parts:
                results += statistics_timing(base, url, token)
            if "intake" in parts:

                def bare_server(extra: dict[str, str]) -> Any:
                    return gunicorn(
                        {**env, **extra}, workdir, workers=workers, threads=threads, target="bench.bare_intake_app:app"
                    )

                results += intake(base, url, token, store, bucket, intake_count, bare_server)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench onestop", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000, help="dossiers to generate (default 100,000)")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the lookup runs (default 20)")
    parser.add_argument("--intake", type=int, default=1_000, help="dossiers received through HTTP (default 1,000)")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"gunicorn workers (default {WORKERS})")
    parser.add_argument("--threads", type=int, default=THREADS, help=f"threads per worker (default {THREADS})")
    parser.add_argument("--only", default=",".join(PARTS), help="the parts to run, of " + ", ".join(PARTS))
    args = parser.parse_args(argv)
    parts = {part.strip() for part in args.only.split(",")}
    if not parts <= set(PARTS):
        parser.error("--only takes " + ", ".join(PARTS))
    return run_and_report(
        NAME,
        lambda: _run(
            max(args.dossiers, 100),
            max(args.seconds, 1.0),
            max(args.intake, 10),
            args.workers,
            max(args.threads, 1),
            parts,
        ),
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
