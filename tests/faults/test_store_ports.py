"""The embedded store started on free ports: a port taken between the choice and the start (the system also gives
ports of that range to outgoing connections) is a clear PortTaken, and a start on free ports tries other ones."""

from __future__ import annotations

import socket

import pytest
from minio import Minio

from app.storage.embedded import EmbeddedS3, Ports, PortTaken


def _held() -> tuple[socket.socket, Ports]:
    """Free ports for a store, its S3 port then taken by a listening socket."""
    ports = Ports.free()
    holder = socket.socket()
    holder.bind(("127.0.0.1", ports.s3))
    holder.listen()
    return holder, ports


def test_a_taken_port_is_named_and_nothing_is_started(tmp_path) -> None:  # type: ignore[no-untyped-def]
    holder, ports = _held()
    store = EmbeddedS3(tmp_path / "s3", ports, "p-key", "p-secret-1")
    try:
        with pytest.raises(PortTaken, match=str(ports.s3)):
            store.start()
    finally:
        holder.close()
    assert store.process is None
    assert not (tmp_path / "s3" / "weed.pid").exists()


def test_a_start_on_free_ports_tries_other_ports_when_one_was_taken(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    holder, taken = _held()
    choices = iter([taken])
    free = Ports.free
    monkeypatch.setattr(Ports, "free", classmethod(lambda cls: next(choices, None) or free()))
    try:
        store = EmbeddedS3.on_free_ports(tmp_path / "s3", "p-key", "p-secret-1")
    finally:
        holder.close()
    try:
        assert store.ports != taken
        client = Minio(store.endpoint, "p-key", "p-secret-1", secure=False)
        client.make_bucket("ports")
        assert client.bucket_exists("ports")
    finally:
        store.stop()
