"""routing: two servers on loopback; N issued one-page documents sent from one to an organisation on the other.

Each server is its own gunicorn (one worker, four threads), database, bucket and worker process, as in the
fault tests (tests/routing/servers.py). The N documents are drafted, signed and issued on the sender first
(not timed). Then the clerk sends them all, one request each, and the clock runs until the sender sees every
dispatch "delivered" (the receiver's answer, taken by the sender's worker); the receiver's clerk then accepts
them all, and the clock runs until the sender sees every one "accepted" (the status messages coming back
through the receiver's worker).

Printed: documents delivered per second and accepted per second, and the median time from a send to its
"delivered" at the sender (behind the queue of the N sends, and for ten more sent one at a time). The floor
is a bare HTTP POST of the same envelope bytes (a real signed envelope of the run) from one process to a
gunicorn of the same shape that only reads the body and answers 200, one request at a time like the worker:
what moving the bytes costs, without building, signing, checking or storing anything.

    .venv/bin/python -m bench routing [--docs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.common import REPO_DIR, BenchmarkFailed, Result, object_store, run_and_report, run_parallel

NAME = "routing"
ONE_BY_ONE = 10  # documents sent one at a time after the rest, for the latency without a queue
SENDER, RECEIVER = ("000.00.00.A01", "Ủy ban nhân dân tỉnh A"), ("000.00.00.B02", "Bộ B")

SINK = textwrap.dedent(
    """
    def app(environ, start_response):
        stream = environ["wsgi.input"]
        left = int(environ.get("CONTENT_LENGTH") or 0)
        while left > 0:
            chunk = stream.read(min(left, 65536))
            if not chunk:
                break
            left -= len(chunk)
        body = b'{"status": "01"}'
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    """
)


def _issue_all(server: Any, count: int) -> list[dict]:
    from tests.support import make_pdf

    def issue(_state: object, n: int) -> dict:
        return server.issued_document(f"Công văn liên thông số {n}", pdf=make_pdf(f"Công văn liên thông số {n}"))

    timed = run_parallel(list(range(count)), issue, threads=4)
    if timed.errors:
        raise BenchmarkFailed(f"issuing failed: {timed.errors[0][1]}")
    return list(timed.outcomes)


def _times(server: Any, status: str) -> list[float]:
    """Seconds between each dispatch's creation and the moment the sender recorded `status` for it."""
    import sqlalchemy as sa

    engine = sa.create_engine(server.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT d.created_at, e.recorded_at FROM dispatches d JOIN dispatch_events e "
                    "ON e.dispatch_id = d.id WHERE e.status = :status"
                ),
                {"status": status},
            ).all()
    finally:
        engine.dispose()
    return [(_moment(done) - _moment(sent)).total_seconds() for sent, done in rows]


def _moment(value: Any) -> datetime:
    from datetime import UTC

    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _count(server: Any, status: str) -> int:
    return int(server.scalar("SELECT count(*) FROM dispatches WHERE status = :s", s=status))


def _wait_for(server: Any, status: str, count: int, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while _count(server, status) < count:
        if time.monotonic() > deadline:
            raise BenchmarkFailed(f"only {_count(server, status)} of {count} became {status} in {timeout:.0f}s")
        time.sleep(0.05)
    return time.perf_counter()


def _envelope(server: Any) -> bytes:
    """One real signed envelope of the run, built by the sender's own code."""
    script = textwrap.dedent(
        """
        import sys
        from app import create_app
        from app.documents.models import Document
        from app.extensions import db
        from app.routing import edxml, federation
        from app.routing.models import Dispatch
        app = create_app()
        with app.app_context():
            d = db.session.get(Dispatch, 1)
            doc = db.session.get(Document, d.document_id)
            sys.stdout.buffer.write(federation._signed(edxml.envelope_xml(federation.build_envelope(d, doc))))
            db.session.rollback()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], env=server.env, cwd=REPO_DIR, capture_output=True)
    if done.returncode != 0:
        raise BenchmarkFailed(f"building an envelope failed: {done.stderr.decode()[-2000:]}")
    return done.stdout


def _floor(workdir: Path, envelope: bytes, count: int) -> tuple[float, float]:
    """(POSTs per second, median ms) of the bare POST of `envelope` to a sink gunicorn, one at a time."""
    import urllib3

    from tests.routing.servers import _free_port, _venv, wait_until

    (workdir / "sink.py").write_text(SINK)
    port = _free_port()
    proc = subprocess.Popen(
        [_venv("gunicorn"), "-w", "1", "-k", "gthread", "--threads", "4", "-b", f"127.0.0.1:{port}", "sink:app"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pool = urllib3.PoolManager()
    url = f"http://127.0.0.1:{port}/api/v1/exchange/messages"

    def answers() -> bool:
        try:
            return pool.request("POST", url, body=b"x", retries=False).status == 200
        except urllib3.exceptions.HTTPError:
            return False

    try:
        wait_until(answers, 30, what="the sink")
        latencies = []
        started = time.perf_counter()
        for _ in range(count):
            one = time.perf_counter()
            response = pool.request("POST", url, body=envelope, headers={"Content-Type": "application/xml"})
            if response.status != 200:
                raise BenchmarkFailed(f"the sink answered {response.status}")
            latencies.append((time.perf_counter() - one) * 1000)
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(10)
    return count / elapsed, statistics.median(latencies)


def _run(count: int) -> list[Result]:
    from tests.routing.servers import Cluster

    with tempfile.TemporaryDirectory(prefix="bench-routing-") as tmp, object_store(Path(tmp)) as store:
        workdir = Path(tmp)
        with Cluster(workdir, store, postgres_url="") as cluster:
            sender = cluster.server("tinh-a", *SENDER)
            receiver = cluster.server("bo-b", *RECEIVER)
            cluster.pair(sender, receiver)
            print(f"issuing {count} documents on the sender (not timed) ...", flush=True)
            docs = _issue_all(sender, count + ONE_BY_ONE)
            docs, singles = docs[:count], docs[count:]
            sender.start_worker()
            receiver.start_worker()

            clerk = sender.client("clerk")
            started = time.perf_counter()
            for doc in docs:
                response = clerk.post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [RECEIVER[0]]})
                if response.status_code != 200:
                    raise BenchmarkFailed(f"send: {response.status_code} {response.text[:300]}")
            delivered_at = _wait_for(sender, "delivered", count, timeout=60 + count)
            delivered_rate = count / (delivered_at - started)
            median_delivered_ms = statistics.median(_times(sender, "delivered")) * 1000

            receiving = receiver.client("clerk")
            arrivals = receiving.get("/api/v1/inbox").json()["items"]
            if len(arrivals) != count:
                raise BenchmarkFailed(f"{len(arrivals)} arrivals for {count} documents")
            started = time.perf_counter()
            for arrival in arrivals:
                response = receiving.post(f"/api/v1/inbox/{arrival['id']}/accept")
                if response.status_code != 200:
                    raise BenchmarkFailed(f"accept: {response.status_code} {response.text[:300]}")
            accepted_at = _wait_for(sender, "accepted", count, timeout=60 + count)
            accepted_rate = count / (accepted_at - started)
            # Latency without a queue: one document at a time, each waited for.
            single_ms = []
            for doc in singles:
                one = time.perf_counter()
                response = clerk.post(f"/api/v1/documents/{doc['id']}/send", json={"recipients": [RECEIVER[0]]})
                if response.status_code != 200:
                    raise BenchmarkFailed(f"send: {response.status_code} {response.text[:300]}")
                _wait_for(sender, "delivered", len(single_ms) + 1, timeout=60)  # the others are accepted by now
                single_ms.append((time.perf_counter() - one) * 1000)
            median_single_ms = statistics.median(single_ms)
            duplicates = int(receiver.scalar("SELECT count(*) - count(DISTINCT message_id) FROM arrivals"))
            if duplicates:
                raise BenchmarkFailed(f"{duplicates} documents arrived twice")
            envelope = _envelope(sender)

        floor_rate, floor_ms = _floor(workdir, envelope, count)
    print(
        f"{count} documents: delivered {delivered_rate:.1f}/s (median {median_delivered_ms:.0f} ms from send to "
        f"'delivered' at the sender, behind the queue), accepted {accepted_rate:.1f}/s; one at a time: "
        f"{median_single_ms:.0f} ms from send to 'delivered'; envelope {len(envelope) / 1024:.0f} KB; "
        f"floor: bare POST of the same bytes {floor_rate:.1f}/s, median {floor_ms:.1f} ms",
        flush=True,
    )
    return [
        Result.against_floor("delivered", "per_second", delivered_rate, floor_rate, None, "docs/s"),
        Result.against_floor("accepted", "per_second", accepted_rate, floor_rate, None, "docs/s"),
        Result.against_floor("send_to_delivered", "median_ms", median_delivered_ms, floor_ms, None, "ms"),
        Result.against_floor("send_to_delivered_one_at_a_time", "median_ms", median_single_ms, floor_ms, None, "ms"),
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench routing", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=500, help="documents to send (default 500)")
    args = parser.parse_args(argv)
    return run_and_report(NAME, lambda: _run(max(args.docs, 5)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
