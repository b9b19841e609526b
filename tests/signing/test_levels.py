"""PAdES levels chosen per organisation: B-B, B-T (timestamp), B-LT (revocation data), B-LTA (archive timestamp)."""

from __future__ import annotations

import io

import pytest

from tests.signing.test_flow import _draft, _main_bytes, pdfsig


def _set_level(app, world, level: str) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.signing.service import signing_profile

    with app.app_context():
        signing_profile(world.orgs["a"]).level = level
        db.session.commit()


def _security_store(data: bytes) -> bool:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return "/DSS" in PdfFileReader(io.BytesIO(data), strict=False).root


@pytest.mark.parametrize("level", ["B-T", "B-LT", "B-LTA"])
def test_each_level_signs_and_issues_to_a_valid_document(app, api, signing, level) -> None:  # type: ignore[no-untyped-def]
    _set_level(app, signing, level)
    draft = _draft(api)
    assert api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={}).status_code == 200
    issued = api("clerk_a").post(f"/api/v1/documents/{draft['id']}/issue", json={})
    assert issued.status_code == 200, issued.get_json()
    report = issued.get_json()["signatures"]
    assert report["verdict"] == "valid", report
    people = [s for s in report["signatures"] if not s["is_document_timestamp"]]
    assert len(people) == 2
    assert all(s["timestamp_time"] for s in people)  # from the app's own time-stamp authority
    final = _main_bytes(api("clerk_a"), issued.get_json())
    assert pdfsig(final).count("Signature is Valid.") >= 2
    assert _security_store(final) == (level in {"B-LT", "B-LTA"})
    if level == "B-LTA":
        assert any(s["is_document_timestamp"] for s in report["signatures"])


def test_an_unknown_level_is_refused(api, signing) -> None:  # type: ignore[no-untyped-def]
    response = api("admin_a").put(f"/api/v1/organisations/{signing.orgs['a']}/signing-level", json={"level": "C-X"})
    assert response.status_code == 422
    other = api("admin_b").put(f"/api/v1/organisations/{signing.orgs['a']}/signing-level", json={"level": "B-T"})
    assert other.status_code == 403
    assert api("admin_a").put(
        f"/api/v1/organisations/{signing.orgs['a']}/signing-level", json={"level": "B-LTA"}
    ).get_json() == {"level": "B-LTA"}
