"""Fixtures of the routing tests: issued documents ready to send."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from tests.signing.conftest import signing  # noqa: F401 - the built-in CA, certificates and seals
from tests.support import make_pdf


@pytest.fixture
def issued(api, signing) -> Callable[..., dict[str, Any]]:  # type: ignore[no-untyped-def]  # noqa: F811
    """issued(subject=..., attachments=[(name, bytes)]): an outgoing document of organisation A, signed by
    leader_a and issued by clerk_a, as the API returns it."""

    def make(subject: str = "Về việc phối hợp kiểm tra thị trường", attachments: list | None = None) -> dict:
        data: dict[str, Any] = {
            "direction": "outgoing",
            "document_type": "CV",
            "notation": "UBND-VP",
            "place": "Thử Nghiệm",
            "subject": subject,
            "urgency": "urgent",
            "file": (io.BytesIO(make_pdf(subject)), "cong-van.pdf"),
        }
        if attachments:
            data["attachments"] = [(io.BytesIO(content), name) for name, content in attachments]
        draft = api("specialist_a").post("/api/v1/documents", data=data, content_type="multipart/form-data")
        assert draft.status_code == 201, draft.get_json()
        doc_id = draft.get_json()["id"]
        signed = api("leader_a").post(f"/api/v1/documents/{doc_id}/sign", json={})
        assert signed.status_code == 200, signed.get_json()
        done = api("clerk_a").post(f"/api/v1/documents/{doc_id}/issue", json={})
        assert done.status_code == 200, done.get_json()
        return done.get_json()

    return make
