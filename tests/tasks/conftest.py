"""Fixtures of the tasks tests: registered documents, assignments, the people of each party, direct row changes."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from tests.routing.conftest import issued  # noqa: F401 - an issued document of organisation A, for the exchange
from tests.signing.conftest import signing  # noqa: F401 - what `issued` needs
from tests.support import make_pdf
from tests.tasks.support import COORDINATOR, INFORMED, LEAD, assign

_numbers = itertools.count(100)


@pytest.fixture
def incoming(api) -> Callable[..., dict[str, Any]]:  # type: ignore[no-untyped-def]
    """incoming(**fields): an incoming document registered by clerk_a (or `clerk=`), as the API returns it."""

    def make(clerk: str = "clerk_a", **fields: Any) -> dict[str, Any]:
        fields.setdefault("number", str(next(_numbers)))
        response = api(clerk).register(make_pdf("Văn bản đến"), **fields)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


@pytest.fixture
def units(app, world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The unit "Văn phòng" of each organisation, by the organisation's key."""
    from app.auth.models import Unit
    from app.extensions import db

    with app.app_context():
        rows = db.session.execute(sa.select(Unit.organisation_id, Unit.id)).all()
    by_org = {org_id: unit_id for org_id, unit_id in rows}
    return {key: by_org[org_id] for key, org_id in world.orgs.items()}


@pytest.fixture
def assigned(api, world, incoming) -> Callable[..., dict[str, Any]]:  # type: ignore[no-untyped-def]
    """assigned(**body): a task on a new incoming document of A: specialist_a leads, archivist_a coordinates,
    clerk_a is informed, leader_a assigned it."""

    def make(**body: Any) -> dict[str, Any]:
        doc = incoming()
        payload = {
            "lead": {"user_id": world.users[LEAD]},
            "coordinators": [{"user_id": world.users[COORDINATOR]}],
            "informed": [{"user_id": world.users[INFORMED]}],
            "instructions": "Đề nghị chuyên viên tham mưu, báo cáo trước hạn.",
            **body,
        }
        response = assign(api, doc["id"], payload)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make
