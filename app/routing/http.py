"""Talking to peer servers over HTTP (urllib3, already the object store client's transport)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import urllib3
from flask import current_app

_pool = urllib3.PoolManager(num_pools=32, maxsize=8, retries=False)

MAX_ANSWER_BYTES = 1024 * 1024


class PeerUnreachable(Exception):
    """The peer did not answer (refused, timed out, reset): worth trying again later."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


def _timeout() -> urllib3.Timeout:
    seconds = float(current_app.config.get("EXCHANGE_TIMEOUT_SECONDS", 30))
    return urllib3.Timeout(connect=min(5.0, seconds), read=seconds)


def _request(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
    try:
        response = _pool.request(
            method, url, body=body, headers=headers, timeout=_timeout(), preload_content=False, redirect=False
        )
        try:
            data = response.read(MAX_ANSWER_BYTES + 1, decode_content=True)
        finally:
            response.release_conn()
    except urllib3.exceptions.HTTPError as err:
        raise PeerUnreachable(f"{url}: {type(err).__name__}: {err}") from err
    if len(data) > MAX_ANSWER_BYTES:
        raise PeerUnreachable(f"{url}: the answer is larger than {MAX_ANSWER_BYTES} bytes")
    return Answer(response.status, data)


def get(url: str) -> Answer:
    return _request("GET", url, headers={"Accept": "application/json"})


def post_xml(url: str, body: bytes) -> Answer:
    return _request(
        "POST", url, body, headers={"Content-Type": "application/xml; charset=utf-8", "Accept": "application/json"}
    )
