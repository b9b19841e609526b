"""Accounts: logging in, locking after repeated failures, API tokens, CSRF, the users command."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.support import ORG_B, PASSWORD, csrf_token_from, web_login


def _user(app, username: str):  # type: ignore[no-untyped-def]
    from app.auth.models import User
    from app.extensions import db

    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def test_a_user_logs_in_and_out_with_the_form(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = web_login(client, "clerk_a")
    assert response.status_code == 302
    page = client.get("/documents")
    assert page.status_code == 200
    assert "Người clerk A" in page.get_data(as_text=True)
    token = csrf_token_from(page.get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/documents").status_code == 302


def test_a_wrong_password_says_so_without_telling_which_part_was_wrong(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    wrong = web_login(client, "clerk_a", "nope")
    unknown = web_login(client, "nobody", "nope")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong username or password" in wrong.get_data(as_text=True)
    assert "Wrong username or password" in unknown.get_data(as_text=True)


def test_five_failures_in_fifteen_minutes_lock_the_account_for_fifteen_minutes(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db, utcnow

    client = app.test_client()
    for _ in range(5):
        assert web_login(client, "clerk_a", "wrong").status_code == 401
    locked = web_login(client, "clerk_a")  # the right password no longer opens it
    assert locked.status_code == 401
    assert "locked until" in locked.get_data(as_text=True)
    api_attempt = client.post("/api/v1/auth/token", json={"username": "clerk_a", "password": PASSWORD})
    assert api_attempt.status_code == 401
    with app.app_context():
        user = _user(app, "clerk_a")
        assert timedelta(minutes=14) < user.locked_until - utcnow() <= timedelta(minutes=15)
        user.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes later
        db.session.commit()
    assert web_login(client, "clerk_a").status_code == 302


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db, utcnow

    client = app.test_client()
    for _ in range(4):
        web_login(client, "clerk_a", "wrong")
    with app.app_context():
        user = _user(app, "clerk_a")
        user.failed_window_start = utcnow() - timedelta(minutes=16)
        db.session.commit()
    web_login(client, "clerk_a", "wrong")
    assert web_login(client, "clerk_a").status_code == 302


def test_an_admin_unlocks_an_account(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    for _ in range(5):
        web_login(client, "clerk_a", "wrong")
    admin = app.test_client()
    web_login(admin, "admin_a")
    page = admin.get(f"/admin/organisations/{world.orgs['a']}").get_data(as_text=True)
    response = admin.post(f"/admin/users/{world.users['clerk_a']}/unlock", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert web_login(client, "clerk_a").status_code == 302


def test_a_token_is_stored_hashed_used_listed_and_revoked(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.auth.models import ApiToken
    from app.extensions import db

    client = app.test_client()
    created = client.post("/api/v1/auth/token", json={"username": "clerk_a", "password": PASSWORD, "name": "scanner"})
    assert created.status_code == 201
    token = created.get_json()["token"]
    with app.app_context():
        stored = db.session.scalars(sa.select(ApiToken)).one()
        assert token not in (stored.token_hash, stored.prefix)
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=auth).get_json()["username"] == "clerk_a"
    listed = client.get("/api/v1/auth/tokens", headers=auth).get_json()
    assert [t["name"] for t in listed["items"]] == ["scanner"]
    assert client.delete("/api/v1/auth/token", headers=auth).status_code == 204
    after = client.get("/api/v1/documents", headers=auth)
    assert after.status_code == 401
    assert after.get_json()["error"]["code"] == "unauthorized"


def test_an_expired_or_made_up_token_is_refused(app, world) -> None:  # type: ignore[no-untyped-def]
    from app.auth.models import ApiToken
    from app.extensions import db, utcnow

    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "clerk_a", "password": PASSWORD}).get_json()["token"]
    with app.app_context():
        db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    for value in (token, "eo_made-up", "x" * 5000, ""):
        response = client.get("/api/v1/documents", headers={"Authorization": f"Bearer {value}"})
        assert response.status_code == 401, value[:20]


def test_the_token_endpoint_names_missing_fields_and_refuses_wrong_passwords(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    missing = client.post("/api/v1/auth/token", json={"username": "clerk_a"})
    assert missing.status_code == 422
    assert set(missing.get_json()["error"]["fields"]) == {"password"}
    assert client.post("/api/v1/auth/token", json={"username": 5, "password": ["x"]}).status_code == 422
    assert client.post("/api/v1/auth/token", data="garbage", content_type="application/json").status_code == 422
    wrong = client.post("/api/v1/auth/token", json={"username": "clerk_a", "password": "nope"})
    assert wrong.status_code == 401


def test_one_cannot_revoke_someone_elses_token(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    theirs = client.post("/api/v1/auth/token", json={"username": "clerk_b", "password": PASSWORD}).get_json()
    mine = client.post("/api/v1/auth/token", json={"username": "clerk_a", "password": PASSWORD}).get_json()
    response = client.delete(
        f"/api/v1/auth/tokens/{theirs['id']}", headers={"Authorization": f"Bearer {mine['token']}"}
    )
    assert response.status_code == 404
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {theirs['token']}"}).status_code == 200


def test_forms_without_the_csrf_token_are_refused(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 400
    web_login(client, "clerk_a")
    assert client.post("/logout").status_code == 400


def test_the_api_with_a_session_cookie_needs_the_csrf_header(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, "clerk_a")
    page = client.get("/documents").get_data(as_text=True)
    without = client.delete("/api/v1/auth/token")
    assert without.status_code == 400
    assert without.get_json()["error"]["code"] == "csrf_failed"
    with_header = client.get("/api/v1/documents", headers={"X-CSRFToken": csrf_token_from(page)})
    assert with_header.status_code == 200


def test_login_never_redirects_off_site(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    page = client.get("/login?next=//evil.example/x").get_data(as_text=True)
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": "clerk_a", "password": PASSWORD, "csrf_token": csrf_token_from(page)},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_the_users_command_creates_a_user_who_can_log_in(app, world) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "thuky",
            "--org",
            ORG_B,
            "--role",
            "clerk",
            "--role",
            "leader",
            "--password",
            "mat-khau-1",
            "--full-name",
            "Thư ký Sở",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created user thuky" in result.output
    assert web_login(app.test_client(), "thuky", "mat-khau-1").status_code == 302
    with app.app_context():
        assert {str(r) for r in _user(app, "thuky").roles} == {"clerk", "leader"}


def test_the_users_command_explains_what_is_wrong(app, world) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    taken = runner.invoke(args=["users", "create", "clerk_a", "--org", ORG_B, "--role", "clerk", "--password", "abcd"])
    assert taken.exit_code == 2
    assert "username" in taken.output
    no_org = runner.invoke(
        args=["users", "create", "x1", "--org", "999.99.99.Z99", "--role", "clerk", "--password", "abcd"]
    )
    assert no_org.exit_code == 2
    assert "999.99.99.Z99" in no_org.output
    bad_role = runner.invoke(args=["users", "create", "x2", "--org", ORG_B, "--role", "king", "--password", "abcd"])
    assert bad_role.exit_code == 2


def test_passwords_are_hashed_with_argon2(app, world) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = _user(app, "clerk_a")
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
