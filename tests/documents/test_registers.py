"""Registers (sổ văn bản): numbers from 1 each year, a separate secret series, never skipped, never given twice."""

from __future__ import annotations

import threading
from datetime import date

import sqlalchemy as sa

from tests.support import make_pdf


def _register(app, username: str, **fields):  # type: ignore[no-untyped-def]
    from app.auth.models import User
    from app.documents.schemas import IncomingInput
    from app.documents.service import register_incoming
    from app.documents.uploads import Upload
    from app.extensions import db

    values = {"document_type": "CV", "issuer": "Bộ Nội vụ", "subject": "Về việc thử nghiệm", **fields}
    user = db.session.scalars(sa.select(User).where(User.username == username)).one()
    return register_incoming(user, IncomingInput(**values), Upload("a.pdf", make_pdf()))


def test_numbers_start_at_one_and_follow_each_other(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db

    with app.app_context():
        numbers = []
        for n in range(3):
            numbers.append(_register(app, "clerk_a", number=str(n + 1)).register_number)
            db.session.commit()
    assert numbers == [1, 2, 3]


def test_each_organisation_has_its_own_register(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db

    with app.app_context():
        a = _register(app, "clerk_a", number="7").register_number
        b = _register(app, "clerk_b", number="7").register_number
        db.session.commit()
    assert (a, b) == (1, 1)


def test_numbers_restart_at_one_each_year(app, world) -> None:  # type: ignore[no-untyped-def]
    """Decree 30, art. 15 and 22: the register number restarts on 1 January."""
    from app.documents.service import take_register_number
    from app.documents.vocabulary import Direction

    org = world.orgs["a"]
    with app.app_context():
        assert take_register_number(org, Direction.INCOMING, 2025, False)[1] == 1
        assert take_register_number(org, Direction.INCOMING, 2025, False)[1] == 2
        assert take_register_number(org, Direction.INCOMING, 2026, False)[1] == 1
        assert take_register_number(org, Direction.OUTGOING, 2026, False)[1] == 1
        assert take_register_number(org, Direction.INCOMING, 2025, False)[1] == 3


def test_secret_documents_have_their_own_series(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db

    with app.app_context():
        normal = _register(app, "clerk_a", number="1")
        secret = _register(app, "clerk_a", number="2", secrecy="secret")
        normal2 = _register(app, "clerk_a", number="3")
        db.session.commit()
        assert (normal.register_number, secret.register_number, normal2.register_number) == (1, 1, 2)
        assert secret.register_id != normal.register_id
        assert secret.register.secret and not normal.register.secret


def test_a_registration_rolled_back_gives_its_number_back(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db

    with app.app_context():
        assert _register(app, "clerk_a", number="1").register_number == 1
        db.session.rollback()
        assert _register(app, "clerk_a", number="1").register_number == 1
        db.session.commit()
        assert _register(app, "clerk_a", number="2").register_number == 2
        db.session.commit()


def test_the_register_is_the_year_of_registration(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.clock import local_today
    from app.extensions import db

    with app.app_context():
        doc = _register(app, "clerk_a", number="9", issued_on=date(2020, 12, 30), received_on=date(2021, 1, 4))
        db.session.commit()
        assert doc.register.year == local_today().year


def test_clerks_registering_at_the_same_moment_never_share_or_skip_a_number(app, world) -> None:  # type: ignore[no-untyped-def]
    """16 clerks' requests at once, 5 documents each: numbers 1..80, each exactly once.

    On PostgreSQL (TEST_DATABASE_URL) this runs against real row locks; on SQLite against its
    write lock. Both must give the same answer.
    """
    from app.documents.models import Document
    from app.extensions import db

    threads_count, per_thread = 16, 5
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def clerk(index: int) -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                with app.app_context():
                    _register(app, "clerk_a", number=f"{index}-{n}", notation="CONC")
                    db.session.commit()
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        numbers = sorted(db.session.scalars(sa.select(Document.register_number)))
    assert numbers == list(range(1, threads_count * per_thread + 1))
