"""What every benchmark needs: the object store, a migrated database, the app under gunicorn,
a timed pool of client threads, and the result file.

A result is one JSON object per measured figure, written to bench/results/NAME.json:
{"name", "metric", "value", "floor", "ratio", "target", "unit"} (a list of them when there are several).
`value` is the application's figure, `floor` the same work done with the bare libraries in the same
run, and `ratio` = value / floor, to be compared with `target`.

`python -m bench.common prepare` (run by `prepare_app`, with the app's environment) migrates the
database and creates the organisation and user described by the JSON it reads on stdin.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"


class BenchmarkFailed(RuntimeError):
    """The run could not be measured, or what it produced is wrong: no result is written."""


# --- Results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    name: str
    metric: str
    value: float
    floor: float
    ratio: float
    target: float | None  # None: the issue asks for the figures, with no target
    unit: str

    @classmethod
    def against_floor(
        cls, name: str, metric: str, value: float, floor: float, target: float | None, unit: str
    ) -> Result:
        ratio = value / floor if floor > 0 else 0.0
        return cls(name, metric, round(value, 3), round(floor, 3), round(ratio, 4), target, unit)

    @property
    def lower_is_better(self) -> bool:
        """Times (metrics named ..._ms) have a ceiling as target; rates have a floor."""
        return self.metric.endswith("_ms")

    @property
    def met(self) -> bool:
        if self.target is None:
            return True
        return self.ratio <= self.target if self.lower_is_better else self.ratio >= self.target

    def describe(self) -> str:
        verdict = "met" if self.met else "MISSED"
        sign = "<=" if self.lower_is_better else ">="
        wanted = "no target" if self.target is None else f"target {sign} {self.target:.2f}: {verdict}"
        return "\n".join(
            [
                f"{self.name}: {self.metric}",
                f"  app    {self.value:12.2f} {self.unit}",
                f"  floor  {self.floor:12.2f} {self.unit}",
                f"  ratio  {self.ratio:12.3f}   ({wanted})",
            ]
        )


def run_and_report(name: str, run: Callable[[], Result | Sequence[Result]]) -> int:
    """A benchmark's main: run it, write and print its results; a failed run says why and exits 1."""
    try:
        results = run()
    except BenchmarkFailed as err:
        print(f"{name}: FAILED: {err}", file=sys.stderr)
        return 1
    write_results(name, results)
    return 0


def write_results(name: str, results: Result | Sequence[Result]) -> Path:
    """Write bench/results/NAME.json (an object for one result, a list for several) and print them."""
    items = [results] if isinstance(results, Result) else list(results)
    payload: Any = asdict(items[0]) if len(items) == 1 else [asdict(r) for r in items]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    for item in items:
        print(item.describe())
    print(f"  written to {path.relative_to(REPO_DIR)}")
    return path


# --- Timing ----------------------------------------------------------------------------------------


@dataclass
class Timed:
    """A parallel run: wall time from the moment every thread was ready until the last one finished."""

    elapsed: float
    outcomes: list[Any]  # per item: what the work returned, or the exception it raised
    latencies: list[float] = field(default_factory=list)  # per item, in seconds

    @property
    def count(self) -> int:
        return len(self.outcomes)

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def errors(self) -> list[tuple[int, BaseException]]:
        return [(i, o) for i, o in enumerate(self.outcomes) if isinstance(o, BaseException)]

    def summary(self, unit: str = "items") -> str:
        lat = sorted(self.latencies)
        return (
            f"{self.count} {unit} in {self.elapsed:.2f}s = {self.rate:.1f}/s; latency "
            f"p50 {percentile(lat, 50) * 1000:.0f} ms, p95 {percentile(lat, 95) * 1000:.0f} ms, "
            f"max {(lat[-1] if lat else 0) * 1000:.0f} ms"
        )


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted sequence (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def run_parallel(
    items: Sequence[Any],
    work: Callable[[Any, Any], Any],
    *,
    threads: int,
    state: Callable[[], Any] = lambda: None,
) -> Timed:
    """Hand `items` out to `threads` threads, each calling `work(its_state, item)` one item at a time.

    Each thread makes its state (a session, a client) before the clock starts; the clock runs from the
    moment all threads are ready until the last item is done. An exception raised by `work` is kept as
    that item's outcome and does not stop the run. A state with a `close` method is closed at the end.
    """
    total = len(items)
    outcomes: list[Any] = [None] * total
    latencies: list[float] = [0.0] * total
    next_index = iter(range(total))
    take = threading.Lock()
    ready = threading.Barrier(threads + 1)
    setup_errors: list[BaseException] = []

    def loop() -> None:
        try:
            mine = state()
        except BaseException as err:
            setup_errors.append(err)
            ready.abort()
            return
        try:
            ready.wait()
            while True:
                with take:
                    index = next(next_index, None)
                if index is None:
                    return
                started = time.perf_counter()
                try:
                    outcomes[index] = work(mine, items[index])
                except Exception as err:
                    outcomes[index] = err
                latencies[index] = time.perf_counter() - started
        except threading.BrokenBarrierError:
            return
        finally:
            close = getattr(mine, "close", None)
            if callable(close):
                close()

    workers = [threading.Thread(target=loop, name=f"bench-client-{n}", daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        for worker in workers:
            worker.join()
        raise BenchmarkFailed(f"a client thread could not start: {setup_errors[0]!r}") from setup_errors[0]
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    return Timed(time.perf_counter() - started, outcomes, latencies)


# --- The object store ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Store:
    endpoint: str
    access_key: str
    secret_key: str
    secure: bool
    embedded: bool

    def client(self) -> Any:
        from minio import Minio

        return Minio(self.endpoint, access_key=self.access_key, secret_key=self.secret_key, secure=self.secure)

    def new_bucket_name(self, prefix: str) -> str:
        return f"{prefix}-{secrets.token_hex(6)}"

    def count_objects(self, bucket: str) -> int:
        return sum(1 for _ in self.client().list_objects(bucket, recursive=True))

    def discard_bucket(self, bucket: str) -> None:
        """Empty and remove a bucket on an external store (an embedded one goes away with its folder)."""
        if self.embedded:
            return
        from minio.deleteobjects import DeleteObject

        client = self.client()
        try:
            if not client.bucket_exists(bucket):
                return
            names = [DeleteObject(o.object_name) for o in client.list_objects(bucket, recursive=True)]
            for problem in client.remove_objects(bucket, names):
                print(f"warning: could not delete {problem.name} from {bucket}: {problem.message}", file=sys.stderr)
            client.remove_bucket(bucket)
        except Exception as err:
            print(f"warning: bucket {bucket} left on {self.endpoint}: {err}", file=sys.stderr)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@contextmanager
def object_store(workdir: Path) -> Iterator[Store]:
    """The store named by S3_ENDPOINT (with S3_ACCESS_KEY / S3_SECRET_KEY), else an embedded one for the run."""
    endpoint = os.environ.get("S3_ENDPOINT")
    if endpoint:
        yield Store(
            endpoint,
            os.environ.get("S3_ACCESS_KEY", "eoffice"),
            os.environ.get("S3_SECRET_KEY", "eoffice-embedded-secret"),
            _truthy(os.environ.get("S3_SECURE")),
            embedded=False,
        )
        return
    from app.storage.embedded import EmbeddedS3

    access_key, secret_key = "bench", secrets.token_hex(16)
    print("starting the embedded store ...", flush=True)
    embedded = EmbeddedS3.on_free_ports(workdir / "s3", access_key, secret_key)
    print(f"  on {embedded.endpoint}", flush=True)
    try:
        yield Store(embedded.endpoint, access_key, secret_key, secure=False, embedded=True)
    finally:
        embedded.stop()


# --- The application -------------------------------------------------------------------------------


def app_environment(workdir: Path, store: Store, bucket: str) -> dict[str, str]:
    """The environment the app runs with: its own SQLite file, instance folder and bucket in `workdir`."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
            "S3_ENDPOINT": store.endpoint,
            "S3_ACCESS_KEY": store.access_key,
            "S3_SECRET_KEY": store.secret_key,
            "S3_SECURE": "1" if store.secure else "0",
            "S3_BUCKET": bucket,
            "INSTANCE_DIR": str(workdir),
            "SEARCH_INDEX_DIR": str(workdir / "search"),
            "SECRET_KEY": secrets.token_hex(32),
        }
    )
    return env


def prepare_app(env: Mapping[str, str], *, organisation: Mapping[str, str], user: Mapping[str, Any]) -> None:
    """Migrate the database and create one organisation and one user in it, in a child process run with `env`.

    A child process reads the configuration exactly as gunicorn's workers will (from the environment).
    """
    spec = json.dumps({"organisation": dict(organisation), "user": dict(user)})
    done = subprocess.run(
        [sys.executable, "-m", "bench.common", "prepare"],
        cwd=REPO_DIR,
        env=dict(env),
        input=spec,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchmarkFailed(f"preparing the database failed:\n{done.stdout}{done.stderr}")


def _prepare_from_stdin() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.service import create_organisation, create_user
    from app.extensions import db

    spec = json.load(sys.stdin)
    app = create_app()
    with app.app_context():
        upgrade()
        org = create_organisation(None, **spec["organisation"])
        create_user(None, org.id, spec["user"])
        db.session.commit()
        db.engine.dispose()


def _tail(path: Path, size: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return ""


def stop_process_group(proc: subprocess.Popen, timeout: float = 30.0) -> None:
    """SIGTERM the process group a child leads, then SIGKILL it if it has not gone within `timeout`."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        proc.wait()


@contextmanager
def gunicorn(
    env: Mapping[str, str],
    workdir: Path,
    *,
    workers: int = 2,
    threads: int = 0,
    timeout: float = 60.0,
    target: str = "wsgi:app",
) -> Iterator[str]:
    """Serve `target` (the application by default) with gunicorn on a free port; yield its base URL; stop it on
    the way out. It must answer GET /api/v1/health with 200 when it is ready.

    Sync workers by default; with `threads`, threaded workers, which keep connections alive between requests
    (for latencies of one request at a time, where a new connection per request would be most of the time).
    """
    import requests

    from app.storage.embedded import free_port_pair, venv_binary

    port = free_port_pair()
    log_path = workdir / "gunicorn.log"
    command = [venv_binary("gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", target]
    if threads:
        command += ["-k", "gthread", "--threads", str(threads), "--keep-alive", "30"]
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO_DIR,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise BenchmarkFailed(f"gunicorn exited with code {proc.returncode}:\n{_tail(log_path)}")
            try:
                if requests.get(base + "/api/v1/health", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise BenchmarkFailed(f"gunicorn did not answer within {timeout:.0f}s:\n{_tail(log_path)}")
            time.sleep(0.2)
        try:
            yield base
        except BenchmarkFailed as failed:  # what the server logged says why a request failed
            raise BenchmarkFailed(f"{failed}\n--- gunicorn's log:\n{_tail(log_path)}") from failed
    finally:
        stop_process_group(proc)


def bearer_token(base: str, username: str, password: str) -> str:
    import requests

    response = requests.post(base + "/api/v1/auth/token", json={"username": username, "password": password}, timeout=60)
    if response.status_code != 201:
        raise BenchmarkFailed(f"no token: {response.status_code} {response.text[:500]}")
    return str(response.json()["token"])


# --- HTTP bodies -----------------------------------------------------------------------------------


def multipart(fields: Mapping[str, str], files: Iterable[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type, built once so the clients only send bytes.

    `files` holds (field name, file name, data, content type) tuples.
    """
    boundary = "bench" + secrets.token_hex(16)
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + value.encode() + b"\r\n")
    for name, filename, data, content_type in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        _prepare_from_stdin()
    else:
        print("usage: python -m bench.common prepare  < spec.json", file=sys.stderr)
        sys.exit(2)


PG_URL = os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432")


@contextmanager
def own_database(prefix: str) -> Iterator[str]:
    """A fresh database on the PostgreSQL server (PG_URL, trust auth), dropped on the way out (also after a
    failure); its URL."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_URL}/{name}"
    finally:
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
