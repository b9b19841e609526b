"""Fixtures of the signing tests."""

from __future__ import annotations

import pytest


def give_signing_means(app, world, leader: str, org: str) -> None:  # type: ignore[no-untyped-def]
    """The built-in CA; a certificate and signature image for the user `leader`; a certificate and seal for the
    organisation `org` (world's keys)."""
    from app.auth.models import Organisation, User
    from app.extensions import db
    from app.signing import credentials
    from app.signing.demo import seal_png, signature_png
    from app.signing.service import set_seal, set_signature_image

    with app.app_context():
        credentials.init_authority("CA thử nghiệm")
        signer = db.session.get(User, world.users[leader])
        credentials.issue_for_user(signer)
        set_signature_image(signer, signature_png(signer.full_name))
        organisation = db.session.get(Organisation, world.orgs[org])
        credentials.issue_for_organisation(organisation)
        set_seal(None, organisation.id, seal_png(organisation.name))
        db.session.commit()


@pytest.fixture
def signing(app, world):  # type: ignore[no-untyped-def]
    """The built-in CA; a certificate and signature image for leader_a; a certificate and seal for org A."""
    give_signing_means(app, world, "leader_a", "a")
    return world
