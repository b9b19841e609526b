"""Admin pages: an admin manages their organisation and everything below it, at any depth."""

from __future__ import annotations

import sqlalchemy as sa

from tests.support import csrf_token_from, web_login


def _admin(app, username: str = "admin_a"):  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, username)
    return client


def _token(client, url: str) -> str:  # type: ignore[no-untyped-def]
    return csrf_token_from(client.get(url).get_data(as_text=True))


def test_the_tree_has_any_depth(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.auth.models import Organisation
    from app.auth.service import organisation_tree, subtree_ids
    from app.extensions import db

    client = _admin(app)
    parent = world.orgs["b"]
    codes = ["000.01.31.H99", "000.02.31.H99", "000.03.31.H99", "000.04.31.H99"]
    for level, code in enumerate(codes):
        response = client.post(
            "/admin/organisations",
            data={
                "csrf_token": _token(client, "/admin/organisations"),
                "parent_id": parent,
                "code": code,
                "name": f"Cấp {level + 3}",
                "abbreviation": f"C{level}",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        with app.app_context():
            parent = db.session.scalars(sa.select(Organisation.id).where(Organisation.code == code)).one()
    with app.app_context():
        assert len(subtree_ids(world.orgs["a"])) == 3 + len(codes)
        depths = {org.code: depth for org, depth in organisation_tree()}
        assert depths["000.04.31.H99"] == 5
    html = client.get("/admin/organisations").get_data(as_text=True)
    assert "Cấp 6" in html


def test_an_admin_manages_below_but_not_beside_or_above(app, world) -> None:  # type: ignore[no-untyped-def]
    province = _admin(app, "admin_a")
    department = _admin(app, "admin_b")
    assert province.get(f"/admin/organisations/{world.orgs['b']}").status_code == 200
    assert department.get(f"/admin/organisations/{world.orgs['b']}").status_code == 200
    assert department.get(f"/admin/organisations/{world.orgs['a']}").status_code == 404
    assert department.get(f"/admin/organisations/{world.orgs['c']}").status_code == 404
    assert department.get(f"/admin/users/{world.users['clerk_a']}").status_code == 404
    assert province.get(f"/admin/users/{world.users['clerk_b']}").status_code == 200


def test_only_admins_open_admin_pages(app, world) -> None:  # type: ignore[no-untyped-def]
    clerk = _admin(app, "clerk_a")
    assert clerk.get("/admin/organisations").status_code == 403


def test_an_admin_adds_a_user_with_roles_and_a_unit(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.auth.models import Unit, User
    from app.extensions import db

    client = _admin(app)
    url = f"/admin/organisations/{world.orgs['b']}/users/new"
    with app.app_context():
        unit_id = db.session.scalars(sa.select(Unit.id).where(Unit.organisation_id == world.orgs["b"])).first()
    response = client.post(
        url,
        data={
            "csrf_token": _token(client, url),
            "username": "Nguyen.Van.B",
            "full_name": "Nguyễn Văn B",
            "position": "Chuyên viên",
            "unit_id": str(unit_id),
            "roles": ["specialist", "archivist"],
            "password": "abcd1234",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == "nguyen.van.b")).one()
        assert user.organisation_id == world.orgs["b"]
        assert {str(r) for r in user.roles} == {"specialist", "archivist"}
    assert web_login(app.test_client(), "nguyen.van.b", "abcd1234").status_code == 302


def test_bad_user_fields_are_shown_next_to_the_fields(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.auth.models import User
    from app.extensions import db

    client = _admin(app)
    url = f"/admin/organisations/{world.orgs['a']}/users/new"
    response = client.post(
        url,
        data={
            "csrf_token": _token(client, url),
            "username": "clerk_a",
            "full_name": "",
            "roles": ["emperor"],
            "password": "x",
            "email": "not-an-email",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("username", "full_name", "password", "email"):
        assert f'id="err-{field}"' in html, field
    assert "Unknown role" in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 15


def test_an_admin_cannot_add_users_to_an_organisation_it_does_not_manage(app, world) -> None:  # type: ignore[no-untyped-def]
    client = _admin(app, "admin_b")
    url = f"/admin/organisations/{world.orgs['c']}/users/new"
    assert client.get(url).status_code == 404


def test_an_invalid_organisation_code_is_refused(app, world) -> None:  # type: ignore[no-untyped-def]
    client = _admin(app)
    response = client.post(
        "/admin/organisations",
        data={
            "csrf_token": _token(client, "/admin/organisations"),
            "parent_id": world.orgs["a"],
            "code": "abc",
            "name": "X",
            "abbreviation": "X",
        },
    )
    assert response.status_code == 422
    assert "000.00.31.H57" in response.get_data(as_text=True)


def test_an_admin_cannot_lock_themselves_out(app, world) -> None:  # type: ignore[no-untyped-def]
    client = _admin(app)
    url = f"/admin/users/{world.users['admin_a']}"
    response = client.post(
        url, data={"csrf_token": _token(client, url), "full_name": "Admin", "roles": ["clerk"], "active": "on"}
    )
    assert response.status_code == 422
