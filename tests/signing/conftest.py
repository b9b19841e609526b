"""Fixtures of the signing tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def signing(app, world):  # type: ignore[no-untyped-def]
    """The built-in CA; a certificate and signature image for leader_a; a certificate and seal for org A."""
    from app.auth.models import Organisation, User
    from app.extensions import db
    from app.signing import credentials
    from app.signing.demo import seal_png, signature_png
    from app.signing.service import set_seal, set_signature_image

    with app.app_context():
        credentials.init_authority("CA thử nghiệm")
        leader = db.session.get(User, world.users["leader_a"])
        credentials.issue_for_user(leader)
        set_signature_image(leader, signature_png(leader.full_name))
        org = db.session.get(Organisation, world.orgs["a"])
        credentials.issue_for_organisation(org)
        set_seal(None, org.id, seal_png(org.name))
        db.session.commit()
    return world
