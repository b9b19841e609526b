"""tasks: the leader's dashboard and "my tasks" on PostgreSQL with 100,000 tasks, through HTTP, against the bare SQL.

A database of its own on PostgreSQL (127.0.0.1:5432, user postgres, trust auth; PG_URL to change), created and
dropped by the run, migrated, then filled with Core bulk inserts (not timed): one organisation, 50 units, 1,000
people (the first of each unit heads it), and N tasks (--tasks, default 100,000) assigned over the last year,
each on a minimal incoming document of its own (no files). The spread: 85% led by a person (one busy person
leads 2%), 15% by a unit; deadlines 2 to 30 days after the assignment; of the tasks whose deadline has passed,
70% completed on time, 15% late, 5% cancelled, 10% still open (overdue); of the others, 30% completed, 3%
cancelled, the rest open. 30% have a coordinator, 20% someone informed; 0.5% are on confidential documents
granted to their lead only.

Measured one request at a time (latencies) against gunicorn (one worker, two threads, keep-alive):

- the dashboard, by unit and by person, over the last quarter (91 days) and the last year (365 days);
- "my tasks" (GET /api/v1/tasks, the first page of 50) for the busy person.

The floor of a dashboard is its one SQL statement (`figures_statement` in app/tasks/dashboard.py), built for
the same leader and period, compiled once and run with psycopg straight to PostgreSQL, in the same run. The floor
of "my tasks" is the SQL the list runs (the count, the page and the loads of its related rows), recorded from
one call of the service and replayed the same way. Printed: median and p95 of each, and their ratio.
Target: the dashboard's median at most 2x its bare statement.

    .venv/bin/python -m bench tasks [--tasks N] [--runs N]
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    BenchmarkFailed,
    Result,
    app_environment,
    bearer_token,
    gunicorn,
    object_store,
    own_database,
    percentile,
    prepare_app,
    run_and_report,
)

NAME = "tasks"
TARGET = 2.0
UNITS, PEOPLE, PER_UNIT = 50, 1_000, 20
BATCH = 5_000
ORG = {"code": "000.00.00.T01", "name": "Ủy ban nhân dân tỉnh Đo Hiệu Năng", "abbreviation": "UBND"}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức", "Thu", "Hoài"]
GIVEN = ["An", "Bình", "Cúc", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Quân", "Tâm"]
OPEN_STATES = ["new", "in_progress", "extension_requested", "reopened"]


# --- The database ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filled:
    leader_password: str
    busy_username: str
    tasks: int


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[start : start + BATCH])


def fill(url: str, count: int, password: str, seed: int = 20261125) -> Filled:
    """Units, people, documents, tasks and their participants, with Core inserts of the same keys on every row."""
    import sqlalchemy as sa

    from app.auth.models import Organisation, Unit, User, UserRole
    from app.documents.models import Document, DocumentGrant
    from app.tasks.models import Task, TaskParticipant
    from config import normalize_database_url

    rng = random.Random(seed)
    engine = sa.create_engine(normalize_database_url(url))
    now = datetime.now(UTC)
    with engine.begin() as conn:
        org_id, leader_id, leader_hash = conn.execute(
            sa.select(Organisation.id, User.id, User.password_hash)
            .join(User, User.organisation_id == Organisation.id)
            .where(Organisation.code == ORG["code"])
        ).one()
        units = [
            {"id": 1_000 + n, "organisation_id": org_id, "name": f"Phòng {n:02d}", "created_at": now}
            for n in range(1, UNITS + 1)
        ]
        _insert(conn, Unit.__table__, [{**u, "parent_id": None, "code": None, "head_user_id": None} for u in units])
        people = []
        for n in range(PEOPLE):
            full_name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            people.append(
                {
                    "id": 10_000 + n,
                    "username": f"cv{n:04d}",
                    "full_name": full_name,
                    "position": "Chuyên viên",
                    "email": None,
                    "organisation_id": org_id,
                    "unit_id": units[n // PER_UNIT]["id"],
                    "password_hash": leader_hash,
                    "active": True,
                    "locale": None,
                    "failed_logins": 0,
                    "created_at": now,
                }
            )
        _insert(conn, User.__table__, people)
        _insert(conn, UserRole.__table__, [{"user_id": p["id"], "role": "specialist"} for p in people])
        for index, unit in enumerate(units):
            head = people[index * PER_UNIT]["id"]
            conn.execute(sa.update(Unit).where(Unit.id == unit["id"]).values(head_user_id=head))
        busy = people[1]

        documents, tasks, participants, grants = [], [], [], []
        for n in range(1, count + 1):
            assigned_at = now - timedelta(seconds=rng.uniform(0, 365 * 86_400))
            deadline = assigned_at + timedelta(days=rng.uniform(2, 30))
            state, completed_at, cancelled_at = _fate(rng, assigned_at, deadline, now)
            roll = rng.random()
            lead_user = None if roll < 0.15 else (busy if roll < 0.17 else rng.choice(people))
            lead_unit = rng.choice(units)["id"] if lead_user is None else None
            secret = rng.random() < 0.005 and lead_user is not None
            documents.append(
                {
                    "id": n,
                    "organisation_id": org_id,
                    "direction": "incoming",
                    "status": "registered",
                    "document_type": "CV",
                    "number": str(n),
                    "notation": "UBND-VP",
                    "subject": f"V/v triển khai nhiệm vụ số {n}",
                    "urgency": "normal",
                    "secrecy": "confidential" if secret else "normal",
                    "issuer_folded": "",
                    "search_text": "",
                    "created_by_id": leader_id,
                    "created_at": assigned_at - timedelta(hours=2),
                    "updated_at": assigned_at,
                }
            )
            if secret:
                grants.append({"document_id": n, "user_id": lead_user["id"], "granted_at": assigned_at})
            tasks.append(
                {
                    "id": n,
                    "organisation_id": org_id,
                    "document_id": n,
                    "state": state,
                    "assigned_by_id": leader_id,
                    "lead_user_id": lead_user["id"] if lead_user else None,
                    "lead_unit_id": lead_unit,
                    "deadline": deadline,
                    "deadline_basis": "given",
                    "progress": 100 if state == "completed" else 0,
                    "assigned_at": assigned_at,
                    "completed_at": completed_at,
                    "cancelled_at": cancelled_at,
                    "updated_at": completed_at or cancelled_at or assigned_at,
                }
            )
            for role, share in (("coordinator", 0.3), ("informed", 0.2)):
                if rng.random() < share:
                    other = rng.choice(people)
                    if lead_user is None or other["id"] != lead_user["id"]:
                        participants.append({"task_id": n, "role": role, "user_id": other["id"], "unit_id": None})
        _insert(conn, Document.__table__, documents)
        _insert(conn, DocumentGrant.__table__, grants)
        _insert(conn, Task.__table__, tasks)
        _insert(conn, TaskParticipant.__table__, participants)
        for table in ("units", "users", "documents", "tasks", "task_participants"):
            # Rows were given their ids: the sequences go on after them. Our own table names.
            moved = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            conn.execute(sa.text(moved))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    return Filled(password, busy["username"], count)


def _fate(rng: random.Random, assigned_at: datetime, deadline: datetime, now: datetime) -> tuple[Any, ...]:
    """(state, completed_at, cancelled_at) of one task, by whether its deadline has passed."""

    def between(first: datetime, last: datetime) -> datetime:
        return first + (last - first) * rng.random()

    roll = rng.random()
    if deadline < now:
        if roll < 0.70:
            return "completed", between(assigned_at, deadline), None
        if roll < 0.85:
            return "completed", between(deadline, min(now, deadline + timedelta(days=20))), None
        if roll < 0.90:
            return "cancelled", None, between(assigned_at, now)
        return rng.choice(OPEN_STATES), None, None
    if roll < 0.30:
        return "completed", between(assigned_at, now), None
    if roll < 0.33:
        return "cancelled", None, between(assigned_at, now)
    return rng.choice(OPEN_STATES), None, None


# --- Timing -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    median: float
    p95: float

    @classmethod
    def of(cls, run: Callable[[], object], runs: int, warmup: int = 3) -> Timing:
        for _ in range(warmup):
            run()
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            run()
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        return cls(statistics.median(samples), percentile(samples, 95))


class Bare:
    """SQL run with psycopg straight to PostgreSQL: compiled once, executed and fetched each time."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def run(self, statements: list[tuple[str, Any]]) -> list[list[Any]]:
        out = []
        with self.conn.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                out.append(cursor.fetchall())
        return out

    def close(self) -> None:
        self.conn.close()


def _local_days(days: int) -> tuple[date, date]:
    from app.clock import local_today

    last = local_today()
    return last - timedelta(days=days - 1), last


def bare_statements(url: str, env: dict[str, str], busy: str) -> dict[str, Any]:
    """The dashboard's statement for each case, compiled for the leader; and the SQL one "my tasks" call runs."""
    import sqlalchemy as sa

    from app import create_app
    from app.auth.models import User
    from app.extensions import db, utcnow
    from app.scoping import set_scope
    from app.tasks import service
    from app.tasks.dashboard import Period, figures_statement
    from app.tasks.schemas import TaskQuery
    from config import Config, normalize_database_url

    settings = {
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(url),
        "SECRET_KEY": env["SECRET_KEY"],
        **{k: env[k] for k in ("S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET")},
    }
    app = create_app(Config(), settings)
    found: dict[str, Any] = {}
    with app.test_request_context():
        leader = db.session.scalar(sa.select(User).where(User.username == "leader"))
        for days, span in ((91, "quarter"), (365, "year")):
            for by in ("unit", "person"):
                period = Period(*_local_days(days))
                compiled = figures_statement(leader, by, period, utcnow()).compile(dialect=db.engine.dialect)
                expanded = compiled.construct_expanded_state()  # the period's ends written in, as the app runs it
                found[f"{by}-{span}"] = (period, [(expanded.statement, expanded.parameters)])
        person = db.session.scalar(sa.select(User).where(User.username == busy))
        set_scope(db.session(), person.organisation_id)
        recorded: list[tuple[str, Any]] = []

        def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
            recorded.append((statement, parameters))

        sa.event.listen(db.engine, "before_cursor_execute", record)
        page = service.list_tasks(person, TaskQuery())
        sa.event.remove(db.engine, "before_cursor_execute", record)
        found["my-tasks"] = (page.total, recorded)
        db.session.rollback()
        db.engine.dispose()
    return found


# --- The run --------------------------------------------------------------------------------------------------


def _get(session: Any, url: str) -> Any:
    """The answer, read as JSON (to check it; not while timing)."""
    return _fetch(session, url).json()


def _fetch(session: Any, url: str) -> Any:
    """The answer's bytes, all read: what the timed requests do (the floor, too, only fetches its rows)."""
    response = session.get(url, timeout=120)
    if response.status_code != 200:
        raise BenchmarkFailed(f"GET {url}: {response.status_code} {response.text[:300]}")
    return response


def _run(count: int, runs: int) -> list[Result]:
    import requests

    results: list[Result] = []
    password = "bench-" + secrets.token_hex(8)
    with (
        tempfile.TemporaryDirectory(prefix="bench-tasks-") as tmp,
        object_store(Path(tmp)) as store,
        own_database("bench_tasks") as url,
    ):
        workdir = Path(tmp)
        env = app_environment(workdir, store, store.new_bucket_name("bench-tasks"))
        env["DATABASE_URL"] = url
        print(f"migrating {url.rsplit('/', 1)[-1]} and filling it with {count} tasks (not timed) ...", flush=True)
        prepare_app(
            env,
            organisation=ORG,
            user={"username": "leader", "full_name": "Lê Hoàng Nam", "roles": ["leader"], "password": password},
        )
        started = time.perf_counter()
        filled = fill(url, count, password)
        print(f"  filled in {time.perf_counter() - started:.1f}s", flush=True)
        cases = bare_statements(url, env, filled.busy_username)
        bare = Bare(url)
        try:
            with gunicorn(env, workdir, workers=1, threads=2) as base:
                leader = requests.Session()
                leader.headers["Authorization"] = "Bearer " + bearer_token(base, "leader", password)
                busy = requests.Session()
                busy.headers["Authorization"] = "Bearer " + bearer_token(base, filled.busy_username, password)
                for name, (period, statements) in ((k, v) for k, v in cases.items() if k != "my-tasks"):
                    by = name.split("-")[0]
                    url_of = (
                        f"{base}/api/v1/tasks/dashboard?by={by}&date_from={period.first.isoformat()}"
                        f"&date_to={period.last.isoformat()}"
                    )
                    answer = _get(leader, url_of)
                    rows = bare.run(statements)[0]
                    if answer["totals"]["assigned"] != sum(int(r[_assigned_index(by)]) for r in rows):
                        raise BenchmarkFailed(f"{name}: the app and the bare statement count differently")
                    app_time = Timing.of(lambda u=url_of: _fetch(leader, u), runs)
                    bare_time = Timing.of(lambda s=statements: bare.run(s), runs)
                    print(
                        f"dashboard {name}: {answer['totals']['assigned']} tasks in {len(answer['rows'])} rows; "
                        f"app median {app_time.median:.1f} ms, p95 {app_time.p95:.1f} ms; bare statement median "
                        f"{bare_time.median:.1f} ms, p95 {bare_time.p95:.1f} ms",
                        flush=True,
                    )
                    results += [
                        Result.against_floor(
                            f"dashboard-{name}", "median_ms", app_time.median, bare_time.median, TARGET, "ms"
                        ),
                        Result.against_floor(f"dashboard-{name}", "p95_ms", app_time.p95, bare_time.p95, None, "ms"),
                    ]
                total, statements = cases["my-tasks"]
                mine_url = f"{base}/api/v1/tasks"
                answer = _get(busy, mine_url)
                if answer["total"] != total:
                    raise BenchmarkFailed(f"my tasks: {answer['total']} over HTTP, {total} from the service")
                app_time = Timing.of(lambda: _fetch(busy, mine_url), runs)
                bare_time = Timing.of(lambda: bare.run(statements), runs)
                print(
                    f"my tasks ({filled.busy_username}): {total} tasks, a page of {len(answer['items'])}; app median "
                    f"{app_time.median:.1f} ms, p95 {app_time.p95:.1f} ms; its {len(statements)} SQL statements "
                    f"replayed: median {bare_time.median:.1f} ms, p95 {bare_time.p95:.1f} ms",
                    flush=True,
                )
                results += [
                    Result.against_floor("my-tasks", "median_ms", app_time.median, bare_time.median, None, "ms"),
                    Result.against_floor("my-tasks", "p95_ms", app_time.p95, bare_time.p95, None, "ms"),
                ]
        finally:
            bare.close()
    return results


def _assigned_index(by: str) -> int:
    """The position of `assigned` in a row of the statement (after the row's keys and names)."""
    return 2 if by == "unit" else 6


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench tasks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000, help="tasks to generate (default 100,000)")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per case (default 30)")
    args = parser.parse_args(argv)
    return run_and_report(NAME, lambda: _run(max(args.tasks, 100), max(args.runs, 5)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
