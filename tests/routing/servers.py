"""Real app servers side by side for the exchange between servers: each its own process (gunicorn), database,
bucket and worker process, on loopback. Used by the fault tests and by `python -m bench routing`.

    with Cluster(tmp_path, s3) as cluster:
        a = cluster.server("tinh-a", "000.00.00.A01", "UBND tỉnh A")
        b = cluster.server("bo-b", "000.00.00.B01", "Bộ B", env={"EXCHANGE_DIE_AFTER_STORE": "1"})
        cluster.pair(a, b)             # each registers the other with `flask peers add ... --yes`
        a.start_worker()
        doc = a.issued_document()      # drafted, signed and issued over the API
        a.client("clerk").post(...)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "cluster-password-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _venv(name: str) -> str:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def wait_until(condition: Callable[[], object], timeout: float = 30.0, every: float = 0.1, what: str = "") -> Any:
    """Poll until `condition()` is truthy; its value, or AssertionError naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(every)


@dataclass
class Client:
    base: str
    token: str
    session: requests.Session = field(default_factory=requests.Session)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.base + path, headers=self._headers(), timeout=60, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.post(self.base + path, headers=self._headers(), timeout=120, **kwargs)


@dataclass
class Server:
    name: str
    code: str
    org_name: str
    workdir: Path
    env: dict[str, str]
    port: int
    web: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None
    clients: dict[str, Client] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- processes ---------------------------------------------------------------------------------------

    def flask(
        self, *args: str, check: bool = True, env: Mapping[str, str] | None = None, answer: str | None = None
    ) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [_venv("flask"), "--app", "wsgi", *args],
            cwd=REPO,
            env={**self.env, **(env or {})},
            input=answer,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"flask {' '.join(args)} on {self.name} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def _spawn(self, command: list[str], log_name: str) -> subprocess.Popen:
        log = open(self.workdir / log_name, "ab")  # noqa: SIM115 - the child keeps it
        return subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start(self) -> None:
        self.web = self._spawn(
            [
                _venv("gunicorn"),
                "-w",
                "1",
                "-k",
                "gthread",
                "--threads",
                "4",
                "--graceful-timeout",
                "2",
                "-b",
                f"127.0.0.1:{self.port}",
                "wsgi:app",
            ],
            "web.log",
        )
        wait_until(self.answers, 60, what=f"{self.name} to answer")

    def answers(self) -> bool:
        try:
            return requests.get(self.base + "/api/v1/health", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def start_worker(self) -> None:
        self.worker = self._spawn([_venv("flask"), "--app", "wsgi", "worker"], "worker.log")

    def kill_web(self) -> None:
        _kill(self.web)
        self.web = None

    def kill_worker(self) -> None:
        _kill(self.worker)
        self.worker = None

    def stop(self) -> None:
        self.kill_worker()
        self.kill_web()

    def log(self, name: str = "web.log") -> str:
        path = self.workdir / name
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    # --- the API ---------------------------------------------------------------------------------------

    def client(self, username: str) -> Client:
        if username not in self.clients:
            response = requests.post(
                self.base + "/api/v1/auth/token", json={"username": username, "password": PASSWORD}, timeout=60
            )
            assert response.status_code == 201, response.text
            self.clients[username] = Client(self.base, response.json()["token"])
        return self.clients[username]

    def issued_document(
        self,
        subject: str = "Về việc phối hợp liên thông văn bản",
        pdf: bytes | None = None,
        attachments: list[tuple[str, bytes]] | None = None,
    ) -> dict:
        from tests.support import make_pdf

        files: list[tuple[str, tuple[str, Any, str]]] = [
            ("file", ("cong-van.pdf", io.BytesIO(pdf or make_pdf(subject)), "application/pdf"))
        ]
        for name, content in attachments or []:
            files.append(("attachments", (name, io.BytesIO(content), "application/octet-stream")))
        data = {"direction": "outgoing", "document_type": "CV", "notation": "VP", "subject": subject}
        draft = self.client("clerk").post("/api/v1/documents", data=data, files=files)
        assert draft.status_code == 201, draft.text
        doc_id = draft.json()["id"]
        signed = self.client("leader").post(f"/api/v1/documents/{doc_id}/sign", json={})
        assert signed.status_code == 200, signed.text
        issued = self.client("clerk").post(f"/api/v1/documents/{doc_id}/issue", json={})
        assert issued.status_code == 200, issued.text
        return issued.json()

    # --- its database, read directly --------------------------------------------------------------------

    def scalar(self, sql: str, **params: Any) -> Any:
        engine = sa.create_engine(self.env["DATABASE_URL"])
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text(sql), params).scalar()
        finally:
            engine.dispose()


def _kill(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


class Cluster:
    """Servers sharing one S3 server (a bucket each) and one database server when the suite runs on
    PostgreSQL (a database each); else a SQLite file each."""

    def __init__(self, workdir: Path, s3: Any, postgres_url: str | None = None) -> None:
        self.workdir = workdir
        self.s3 = s3
        self.postgres_url = postgres_url if postgres_url is not None else os.environ.get("TEST_DATABASE_URL")
        self.servers: list[Server] = []
        self.databases: list[str] = []

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers:
            server.stop()
        self._drop_databases()

    def _database(self, name: str) -> str:
        if not self.postgres_url:
            return f"sqlite:///{self.workdir / name / 'eoffice.db'}"
        from config import normalize_database_url

        base = normalize_database_url(self.postgres_url)
        db_name = f"peer_{name.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{db_name}"'))
        engine.dispose()
        self.databases.append(db_name)
        return str(sa.engine.make_url(base).set(database=db_name).render_as_string(hide_password=False))

    def _drop_databases(self) -> None:
        if not self.databases or not self.postgres_url:
            return
        from config import normalize_database_url

        engine = sa.create_engine(normalize_database_url(self.postgres_url), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for name in self.databases:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    def server(self, name: str, code: str, org_name: str, env: Mapping[str, str] | None = None) -> Server:
        workdir = self.workdir / name
        workdir.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        environment = {
            **os.environ,
            "DATABASE_URL": self._database(name),
            "S3_ENDPOINT": self.s3.endpoint,
            "S3_ACCESS_KEY": self.s3.access_key,
            "S3_SECRET_KEY": self.s3.secret_key,
            "S3_SECURE": "1" if self.s3.secure else "0",
            "S3_BUCKET": f"peer-{name}-{uuid.uuid4().hex[:8]}",
            "INSTANCE_DIR": str(workdir),
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            "EXCHANGE_NAME": name,
            "EXCHANGE_TIMEOUT_SECONDS": "10",
            "OUTBOX_BACKOFF_SECONDS": "0.3",
            "OUTBOX_BACKOFF_CAP_SECONDS": "1",
            "OUTBOX_LEASE_SECONDS": "3",
            "WORKER_POLL_SECONDS": "0.1",
            **(env or {}),
        }
        environment.pop("TEST_DATABASE_URL", None)
        server = Server(name, code, org_name, workdir, environment, port)
        spec = json.dumps({"code": code, "name": org_name})
        done = subprocess.run(
            [sys.executable, "-m", "tests.routing.servers"],
            cwd=REPO,
            env=environment,
            input=spec,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if done.returncode != 0:
            raise AssertionError(f"preparing {name} failed:\n{done.stdout}\n{done.stderr}")
        self.servers.append(server)
        server.start()
        return server

    @staticmethod
    def pair(*servers: Server) -> None:
        """Each server adds every other as a peer, through the command line."""
        for one in servers:
            for other in servers:
                if one is not other:
                    one.flask("peers", "add", other.name, other.base, "--yes")


def _prepare() -> None:
    """In a child process with the server's environment: the schema, one organisation with a clerk and a
    leader, the built-in CA, their certificates, the leader's signature image and the organisation's seal."""
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.service import create_organisation, create_user
    from app.extensions import db
    from app.signing import credentials
    from app.signing.demo import seal_png, signature_png
    from app.signing.service import set_seal, set_signature_image

    spec = json.load(sys.stdin)
    app = create_app()
    with app.app_context():
        upgrade()
        org = create_organisation(None, code=spec["code"], name=spec["name"], abbreviation="VP", place="Hà Nội")
        people = {}
        for username, roles, full_name in (
            ("clerk", ["clerk"], "Nguyễn Thị Văn Thư"),
            ("leader", ["leader"], "Trần Văn Lãnh Đạo"),
            ("admin", ["admin"], "Lê Quản Trị"),
        ):
            people[username] = create_user(
                None,
                org.id,
                {
                    "username": username,
                    "full_name": full_name,
                    "position": "Chánh Văn phòng",
                    "roles": roles,
                    "password": PASSWORD,
                },
            )
        credentials.init_authority(f"CA {spec['name']}")
        credentials.issue_for_user(people["leader"])
        set_signature_image(people["leader"], signature_png(people["leader"].full_name))
        credentials.issue_for_organisation(org)
        set_seal(None, org.id, seal_png(org.name))
        db.session.commit()
        db.engine.dispose()


if __name__ == "__main__":
    _prepare()
