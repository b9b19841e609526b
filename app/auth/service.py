"""Accounts: passwords, lock-out, API tokens, and the organisation tree an admin manages."""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import gettext
from sqlalchemy.orm import joinedload

from ..audit.models import AuditAction
from ..audit.service import record
from ..errors import Forbidden, InvalidInput, NotFound
from ..extensions import db, utcnow
from .models import ORG_CODE_PATTERN, ApiToken, Organisation, Role, Unit, User, UserRole

TOKEN_PREFIX = "eo_"


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg.get("ARGON2_TIME_COST", 3),
        memory_cost=cfg.get("ARGON2_MEMORY_COST", 65536),
        parallelism=cfg.get("ARGON2_PARALLELISM", 4),
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _check_password(user: User | None, password: str) -> bool:
    hasher = _hasher()
    if user is None:
        # Spend the same time on unknown names, so a response time does not reveal which names exist.
        with contextlib.suppress(VerificationError):
            hasher.verify(_dummy_hash(), password)
        return False
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


_DUMMY: dict[tuple, str] = {}


def _dummy_hash() -> str:
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash(secrets.token_hex(8))
    return _DUMMY[key]


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    error: str | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None and self.error is None


def authenticate(username: str, password: str, *, channel: str = "web") -> LoginOutcome:
    """Check a password, counting failures: 5 failures within 15 minutes lock the account for 15 minutes.

    The outcome is returned rather than raised, because the failure count must be committed.
    """
    cfg = current_app.config
    now = utcnow()
    user = db.session.scalars(
        sa.select(User).where(User.username == (username or "").strip().lower()).with_for_update(of=User)
    ).one_or_none()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        record(AuditAction.LOGIN_FAILED, actor=user, obj=("user", user.id), reason="locked", channel=channel)
        return LoginOutcome(None, "locked", user.locked_until)
    if not _check_password(user, password or ""):
        if user is None:
            record(AuditAction.LOGIN_FAILED, username=(username or "")[:80], reason="unknown", channel=channel)
            return LoginOutcome(None, "invalid")
        window = timedelta(minutes=cfg["LOGIN_WINDOW_MINUTES"])
        if user.failed_window_start is None or now - user.failed_window_start > window:
            user.failed_window_start = now
            user.failed_logins = 0
        user.failed_logins += 1
        record(AuditAction.LOGIN_FAILED, actor=user, obj=("user", user.id), reason="password", channel=channel)
        if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
            user.failed_window_start = None
            record(AuditAction.LOGIN_LOCKED, actor=user, obj=("user", user.id), until=user.locked_until.isoformat())
            return LoginOutcome(None, "locked", user.locked_until)
        return LoginOutcome(None, "invalid")
    if not user.active:
        record(AuditAction.LOGIN_FAILED, actor=user, obj=("user", user.id), reason="inactive", channel=channel)
        return LoginOutcome(None, "inactive")
    user.failed_logins = 0
    user.failed_window_start = None
    user.locked_until = None
    user.last_login_at = now
    record(AuditAction.LOGIN_SUCCEEDED, actor=user, obj=("user", user.id), channel=channel)
    return LoginOutcome(user)


def login_error_message(outcome: LoginOutcome) -> str:
    if outcome.error == "locked":
        from flask_babel import format_datetime

        return gettext(
            "Too many failed attempts: this account is locked until %(time)s.",
            time=format_datetime(outcome.locked_until, "HH:mm"),
        )
    if outcome.error == "inactive":
        return gettext("This account is disabled. Ask your administrator.")
    return gettext("Wrong username or password.")


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str | None = None) -> tuple[ApiToken, str]:
    """Make a bearer token; only its hash is kept, so the caller shows the token once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=_token_digest(token),
        prefix=token[:10],
        name=(name or "")[:100] or None,
        expires_at=utcnow() + timedelta(days=current_app.config["API_TOKEN_DAYS"]),
    )
    db.session.add(row)
    db.session.flush()
    record(AuditAction.TOKEN_CREATED, actor=user, obj=("api_token", row.id))
    return row, token


@dataclass(frozen=True)
class TokenHolder:
    user: User
    token_id: int
    stale: bool  # last used more than five minutes ago: worth writing down


def user_for_token(token: str) -> TokenHolder | None:
    """The active user a live token belongs to, or None. Reads only; see `touch_token`."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = (
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.token_hash == _token_digest(token))
            .options(joinedload(ApiToken.user).joinedload(User.role_rows))
        )
        .unique()
        .one_or_none()
    )
    now = utcnow()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if not row.user.active:
        return None
    stale = row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5)
    return TokenHolder(row.user, row.id, stale)


def touch_token(token_id: int) -> None:
    """Write down when a token was last used (at most every five minutes, so most requests only read)."""
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))


def revoke_token(actor: User, token_id: int) -> ApiToken:
    """A user revokes their own tokens; an admin also those of users they manage."""
    row = db.session.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.id and not can_manage_user(actor, row.user)):
        raise NotFound()
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(AuditAction.TOKEN_REVOKED, actor=actor, obj=("api_token", row.id), owner=row.user_id)
    return row


def revoke_token_value(actor: User, token: str) -> ApiToken:
    row = db.session.scalars(sa.select(ApiToken).where(ApiToken.token_hash == _token_digest(token))).one_or_none()
    if row is None or row.user_id != actor.id:
        raise NotFound()
    return revoke_token(actor, row.id)


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


# --- The organisation tree -------------------------------------------------------------------


def subtree_ids(root_id: int) -> set[int]:
    """The organisation and everything below it, at any depth (a recursive CTE)."""
    tree = sa.select(Organisation.id).where(Organisation.id == root_id).cte("tree", recursive=True)
    tree = tree.union_all(sa.select(Organisation.id).where(Organisation.parent_id == tree.c.id))
    return set(db.session.scalars(sa.select(tree.c.id)))


def managed_org_ids(actor: User) -> set[int]:
    """An admin manages their own organisation and every organisation below it."""
    if not actor.has_role(Role.ADMIN):
        return set()
    return subtree_ids(actor.organisation_id)


def can_manage_user(actor: User, user: User) -> bool:
    return user.organisation_id in managed_org_ids(actor)


def require_admin_of(actor: User, organisation_id: int) -> None:
    if organisation_id not in managed_org_ids(actor):
        raise Forbidden()


def organisation_tree(root_ids: set[int] | None = None) -> list[tuple[Organisation, int]]:
    """Organisations in tree order with their depth, for indented lists and pickers."""
    orgs = list(db.session.scalars(sa.select(Organisation).order_by(Organisation.code)))
    by_parent: dict[int | None, list[Organisation]] = {}
    for org in orgs:
        by_parent.setdefault(org.parent_id, []).append(org)
    known = {o.id for o in orgs}
    tops = [o for o in orgs if o.parent_id is None or o.parent_id not in known]
    if root_ids is not None:
        tops = [o for o in orgs if o.id in root_ids and (o.parent_id not in root_ids)]
    out: list[tuple[Organisation, int]] = []

    def walk(org: Organisation, depth: int) -> None:
        out.append((org, depth))
        for child in by_parent.get(org.id, []):
            walk(child, depth + 1)

    for top in tops:
        walk(top, 0)
    return out


def _clean(value: Any, limit: int) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]", "", str(value or "")).strip()
    return text[:limit]


def create_organisation(
    actor: User | None,
    *,
    code: str,
    name: str,
    abbreviation: str,
    parent_id: int | None = None,
    place: str | None = None,
) -> Organisation:
    """Add an organisation under a parent the admin manages (only the command line may add a root)."""
    errors: dict[str, str] = {}
    code = (code or "").strip().upper()
    if not re.match(ORG_CODE_PATTERN, code):
        errors["code"] = gettext("Use the agency identifier form, for example 000.00.31.H57.")
    elif db.session.scalar(sa.select(Organisation.id).where(Organisation.code == code)):
        errors["code"] = gettext("This code is already used.")
    if not _clean(name, 300):
        errors["name"] = gettext("Required.")
    if not _clean(abbreviation, 40):
        errors["abbreviation"] = gettext("Required.")
    if parent_id is not None and db.session.get(Organisation, parent_id) is None:
        errors["parent_id"] = gettext("Unknown organisation.")
    if errors:
        raise InvalidInput(errors)
    if actor is not None:
        if parent_id is None:
            raise Forbidden(gettext("Only the command line can add a top-level organisation."))
        require_admin_of(actor, parent_id)
    org = Organisation(
        code=code,
        name=_clean(name, 300),
        abbreviation=_clean(abbreviation, 40),
        parent_id=parent_id,
        place=_clean(place, 120) or None,
    )
    db.session.add(org)
    db.session.flush()
    record(
        AuditAction.ORGANISATION_CREATED,
        actor=actor,
        organisation_id=org.id,
        obj=("organisation", org.id),
        code=org.code,
    )
    return org


def update_organisation(
    actor: User, org_id: int, *, name: str, abbreviation: str, place: str | None, active: bool
) -> Organisation:
    require_admin_of(actor, org_id)
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound()
    errors = {}
    if not _clean(name, 300):
        errors["name"] = gettext("Required.")
    if not _clean(abbreviation, 40):
        errors["abbreviation"] = gettext("Required.")
    if errors:
        raise InvalidInput(errors)
    if org.id == actor.organisation_id and not active:
        raise InvalidInput({"active": gettext("You cannot disable your own organisation.")})
    org.name, org.abbreviation, org.place, org.active = (
        _clean(name, 300),
        _clean(abbreviation, 40),
        _clean(place, 120) or None,
        active,
    )
    record(AuditAction.ORGANISATION_UPDATED, actor=actor, organisation_id=org.id, obj=("organisation", org.id))
    return org


def create_unit(
    actor: User | None, organisation_id: int, name: str, code: str | None = None, parent_id: int | None = None
) -> Unit:
    if actor is not None:
        require_admin_of(actor, organisation_id)
    name = _clean(name, 300)
    if not name:
        raise InvalidInput({"name": gettext("Required.")})
    if db.session.scalar(sa.select(Unit.id).where(Unit.organisation_id == organisation_id, Unit.name == name)):
        raise InvalidInput({"name": gettext("This organisation already has a unit with this name.")})
    if parent_id is not None:
        parent = db.session.get(Unit, parent_id)
        if parent is None or parent.organisation_id != organisation_id:
            raise InvalidInput({"parent_id": gettext("Unknown unit.")})
    unit = Unit(organisation_id=organisation_id, name=name, code=_clean(code, 40) or None, parent_id=parent_id)
    db.session.add(unit)
    db.session.flush()
    record(AuditAction.UNIT_CREATED, actor=actor, organisation_id=organisation_id, obj=("unit", unit.id))
    return unit


def set_unit_head(actor: User, unit_id: int, user_id: int | None) -> Unit:
    """Name the head of a unit (or none): an admin of the unit's organisation, a head who belongs to the unit.

    The head accepts the tasks given to the unit and may transfer them to its members.
    """
    if not actor.has_role(Role.ADMIN):
        raise Forbidden(gettext("Only an administrator names the head of a unit."))
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.organisation_id not in managed_org_ids(actor):
        raise NotFound(gettext("No such unit."))
    if user_id is not None:
        head = db.session.get(User, user_id)
        if head is None or head.organisation_id != unit.organisation_id or not head.active:
            raise InvalidInput({"user_id": gettext("No such user in this organisation.")})
        if head.unit_id != unit.id:
            raise InvalidInput({"user_id": gettext("The head of a unit must belong to it.")})
    previous = unit.head_user_id
    unit.head_user_id = user_id
    db.session.flush()
    record(
        AuditAction.UNIT_HEAD_SET,
        actor=actor,
        organisation_id=unit.organisation_id,
        obj=("unit", unit.id),
        head_user_id=user_id,
        previous=previous,
    )
    return unit


USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,79}$"


def _user_fields(values: dict[str, Any], creating: bool) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    if creating:
        username = (values.get("username") or "").strip().lower()
        if not re.match(USERNAME_PATTERN, username):
            errors["username"] = gettext("2 to 80 lower-case letters, digits, dots, dashes or underscores.")
        elif db.session.scalar(sa.select(User.id).where(User.username == username)):
            errors["username"] = gettext("This username is taken.")
        out["username"] = username
    out["full_name"] = _clean(values.get("full_name"), 200)
    if not out["full_name"]:
        errors["full_name"] = gettext("Required.")
    out["position"] = _clean(values.get("position"), 200) or None
    out["email"] = _clean(values.get("email"), 254) or None
    if out["email"] and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", out["email"]):
        errors["email"] = gettext("Not an e-mail address.")
    roles = values.get("roles") or []
    if isinstance(roles, str):
        roles = [r for r in re.split(r"[,\s]+", roles) if r]
    try:
        out["roles"] = {Role(r) for r in roles}
    except ValueError:
        errors["roles"] = gettext("Unknown role: use clerk, specialist, leader, archivist or admin.")
    password = values.get("password")
    if creating or password:
        if not password or len(str(password)) < 4:
            errors["password"] = gettext("At least 4 characters.")
        out["password"] = password
    return out, errors


def create_user(actor: User | None, organisation_id: int, values: dict[str, Any]) -> User:
    """Add a user to an organisation the admin manages (the command line may add anywhere)."""
    if actor is not None:
        require_admin_of(actor, organisation_id)
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise InvalidInput({"organisation": gettext("Unknown organisation.")})
    fields, errors = _user_fields(values, creating=True)
    unit_id = values.get("unit_id") or None
    if unit_id is not None:
        unit = db.session.get(Unit, int(unit_id))
        if unit is None or unit.organisation_id != organisation_id:
            errors["unit_id"] = gettext("Unknown unit.")
    if errors:
        raise InvalidInput(errors)
    user = User(
        username=fields["username"],
        full_name=fields["full_name"],
        position=fields["position"],
        email=fields["email"],
        organisation_id=organisation_id,
        unit_id=int(unit_id) if unit_id else None,
        password_hash=hash_password(str(fields["password"])),
    )
    user.role_rows = [UserRole(role=str(r)) for r in sorted(fields["roles"])]
    db.session.add(user)
    db.session.flush()
    record(
        AuditAction.USER_CREATED,
        actor=actor,
        organisation_id=organisation_id,
        obj=("user", user.id),
        username=user.username,
        roles=sorted(fields["roles"]),
    )
    return user


def update_user(actor: User, user_id: int, values: dict[str, Any]) -> User:
    user = db.session.get(User, user_id)
    if user is None or not can_manage_user(actor, user):
        raise NotFound()
    fields, errors = _user_fields(values, creating=False)
    unit_id = values.get("unit_id") or None
    if unit_id is not None:
        unit = db.session.get(Unit, int(unit_id))
        if unit is None or unit.organisation_id != user.organisation_id:
            errors["unit_id"] = gettext("Unknown unit.")
    active = bool(values.get("active", user.active))
    if user.id == actor.id and (not active or Role.ADMIN not in fields.get("roles", {Role.ADMIN})):
        errors["roles"] = gettext("You cannot disable yourself or remove your own admin role.")
    if errors:
        raise InvalidInput(errors)
    user.full_name, user.position, user.email = fields["full_name"], fields["position"], fields["email"]
    user.unit_id = int(unit_id) if unit_id else None
    user.active = active
    if {Role(r.role) for r in user.role_rows} != fields["roles"]:
        user.role_rows = [UserRole(role=str(r)) for r in sorted(fields["roles"])]
    if fields.get("password"):
        user.password_hash = hash_password(str(fields["password"]))
        user.locked_until = None
    record(
        AuditAction.USER_UPDATED,
        actor=actor,
        organisation_id=user.organisation_id,
        obj=("user", user.id),
        password_changed=bool(fields.get("password")),
    )
    return user


def unlock_user(actor: User, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not can_manage_user(actor, user):
        raise NotFound()
    user.locked_until = None
    user.failed_logins = 0
    record(
        AuditAction.USER_UPDATED,
        actor=actor,
        organisation_id=user.organisation_id,
        obj=("user", user.id),
        unlocked=True,
    )
    return user


def organisation_by_code(code: str) -> Organisation:
    org = db.session.scalars(sa.select(Organisation).where(Organisation.code == code.strip().upper())).one_or_none()
    if org is None:
        raise NotFound(gettext("No organisation with code %(code)s.", code=code))
    return org
