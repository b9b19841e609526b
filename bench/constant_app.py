"""A WSGI application that answers every request with the same small JSON body and does nothing else: served by
gunicorn as the application is, it measures what the HTTP server and the clients cost on this machine, the ceiling
no Flask view can pass (bench/onestop.py's lookup)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# About the size of a public lookup's answer with its history.
BODY = (
    b'{"code":"000.00.07.M01-260314-0042-K","status":4,"status_name":"\xc4\x90ang x\xe1\xbb\xad l\xc3\xbd",'
    b'"received_at":"2026-03-14T09:12:00+07:00","appointment_at":"2026-03-24T17:00:00+07:00",'
    b'"new_appointment_at":null,"procedure":{"code":"1.100042.000.00.00.H99","name":"Th\xe1\xbb\xa7 t\xe1\xbb\xa5c'
    b' h\xc3\xa0nh ch\xc3\xadnh s\xe1\xbb\x91 42"},"applicant":"Nguy\xe1\xbb\x85n V*** A","history":[]}'
)
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY))), ("Cache-Control", "no-store")]


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
