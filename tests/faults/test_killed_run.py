"""`make run` killed with SIGKILL leaves its store running; the next start takes over its data directory."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap

from minio import Minio

from app.storage.embedded import EmbeddedS3, Ports, _alive


def test_a_store_left_by_a_killed_run_is_stopped_and_its_data_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ports = Ports.free()
    data_dir = tmp_path / "s3"
    starter = textwrap.dedent(f"""
        import io, json, sys, time
        from pathlib import Path
        from minio import Minio
        from app.storage.embedded import EmbeddedS3, Ports, _alive
        store = EmbeddedS3(Path({str(data_dir)!r}), Ports(**{json.dumps(ports.__dict__)}), "k-key", "s-secret-1")
        store.start()
        client = Minio(store.endpoint, "k-key", "s-secret-1", secure=False)
        client.make_bucket("kept")
        client.put_object("kept", "note", io.BytesIO(b"still here"), 10)
        print("ready", flush=True)
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", starter], stdout=subprocess.PIPE, cwd=os.getcwd())
    assert parent.stdout is not None
    assert parent.stdout.readline().strip() == b"ready"
    os.kill(parent.pid, signal.SIGKILL)  # the run dies; its store does not
    parent.wait()
    leftover = int((data_dir / "weed.pid").read_text())
    assert os.path.exists(f"/proc/{leftover}")

    store = EmbeddedS3(data_dir, ports, "k-key", "s-secret-1")
    store.start()
    try:
        assert not _alive(leftover)
        client = Minio(store.endpoint, "k-key", "s-secret-1", secure=False)
        response = client.get_object("kept", "note")
        assert response.read() == b"still here"
        response.close()
        response.release_conn()
        client.put_object("kept", "after", io.BytesIO(b"x"), 1)
    finally:
        store.stop()
    assert not (data_dir / "weed.pid").exists()
