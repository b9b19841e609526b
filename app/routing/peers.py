"""The peer registry: other servers, the organisations they host, and the certificate that signs what they send."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from cryptography import x509
from flask_babel import gettext

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Organisation, Role, User
from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import db, read_before_writing, utcnow
from . import http
from .identity import fingerprint
from .models import Peer, PeerOrganisation

IDENTITY_PATH = "/api/v1/exchange/identity"
MESSAGES_PATH = "/api/v1/exchange/messages"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_CODE = re.compile(r"^[0-9A-Za-z.]{3,32}$")


def require_admin(actor: User | None) -> None:
    """Peers decide whose signatures this server accepts: a top-level administrator's decision."""
    if actor is None:
        return  # the command line
    if not actor.has_role(Role.ADMIN) or actor.organisation.parent_id is not None:
        raise Forbidden(gettext("Only an administrator of the top-level organisation manages peer servers."))


def normalise_url(base_url: object) -> str:
    if not isinstance(base_url, str) or len(base_url) > 500:
        raise InvalidInput({"base_url": gettext("Give the peer's address, such as https://vpdt.example.gov.vn.")})
    parts = urlsplit(base_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise InvalidInput({"base_url": gettext("Give the peer's address, such as https://vpdt.example.gov.vn.")})
    return base_url.strip().rstrip("/")


@dataclass(frozen=True)
class Identity:
    """What a peer says of itself, checked: its certificate parses and the fingerprint is computed here."""

    name: str
    certificate_pem: str
    fingerprint: str
    organisations: list[dict[str, str]]


def parse_identity(body: Any) -> Identity:
    if not isinstance(body, dict):
        raise InvalidInput({"base_url": gettext("The peer did not answer with its identity.")})
    pem = body.get("certificate")
    orgs = body.get("organisations")
    if not isinstance(pem, str) or not isinstance(orgs, list):
        raise InvalidInput({"base_url": gettext("The peer did not answer with its identity.")})
    try:
        x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        raise InvalidInput({"base_url": gettext("The peer's certificate cannot be read.")}) from None
    cleaned = []
    for org in orgs[:5000]:
        if (
            isinstance(org, dict)
            and isinstance(org.get("code"), str)
            and _CODE.match(org["code"])
            and isinstance(org.get("name"), str)
        ):
            cleaned.append({"code": org["code"], "name": org["name"][:300]})
    name = body.get("name") if isinstance(body.get("name"), str) else ""
    return Identity(name[:100], pem, fingerprint(pem), cleaned)


def fetch_identity(base_url: str) -> Identity:
    """Ask a server who it is (GET BASE_URL/api/v1/exchange/identity)."""
    url = normalise_url(base_url) + IDENTITY_PATH
    try:
        answer = http.get(url)
    except http.PeerUnreachable as err:
        raise InvalidInput({"base_url": gettext("The peer does not answer: %(error)s", error=str(err))}) from None
    if answer.status != 200:
        raise InvalidInput(
            {"base_url": gettext("The peer answered %(status)s instead of its identity.", status=answer.status)}
        )
    return parse_identity(answer.json())


def _check_codes(identity: Identity, peer_id: int | None) -> None:
    codes = [o["code"] for o in identity.organisations]
    ours = set(db.session.scalars(sa.select(Organisation.code).where(Organisation.code.in_(codes))))
    others = {
        row.code: row.peer.name
        for row in db.session.scalars(sa.select(PeerOrganisation).where(PeerOrganisation.code.in_(codes)))
        if row.peer_id != peer_id
    }
    if ours:
        raise InvalidState(
            gettext("The peer claims organisations hosted here: %(codes)s.", codes=", ".join(sorted(ours)))
        )
    if others:
        taken = ", ".join(f"{code} ({name})" for code, name in sorted(others.items()))
        raise InvalidState(gettext("Another peer already hosts: %(codes)s.", codes=taken))


def _set_directory(peer: Peer, organisations: list[dict[str, str]]) -> None:
    db.session.execute(sa.delete(PeerOrganisation).where(PeerOrganisation.peer_id == peer.id))
    for org in organisations:
        db.session.add(PeerOrganisation(code=org["code"], peer_id=peer.id, name=org["name"]))
    peer.organisations = organisations
    peer.directory_fetched_at = utcnow()


def add_peer(actor: User | None, name: object, base_url: object, identity: Identity) -> Peer:
    """Register a peer with the identity fetched from it (and confirmed by the administrator)."""
    require_admin(actor)
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidInput({"name": gettext("A short name: letters, digits, dots, dashes.")})
    url = normalise_url(base_url)
    if db.session.scalar(sa.select(Peer.id).where(Peer.name == name)) is not None:
        raise InvalidState(gettext("A peer named %(name)s exists already.", name=name))
    if db.session.scalar(sa.select(Peer.id).where(Peer.fingerprint == identity.fingerprint)) is not None:
        raise InvalidState(gettext("A peer with this certificate exists already."))
    _check_codes(identity, None)
    peer = Peer(
        name=name,
        base_url=url,
        certificate_pem=identity.certificate_pem,
        fingerprint=identity.fingerprint,
        organisations=[],
        last_ok_at=utcnow(),
    )
    db.session.add(peer)
    db.session.flush()
    _set_directory(peer, identity.organisations)
    record(
        AuditAction.PEER_ADDED,
        actor=actor,
        obj=("peer", peer.id),
        name=name,
        base_url=url,
        fingerprint=identity.fingerprint,
        organisations=len(identity.organisations),
    )
    return peer


def refresh(actor: User | None, peer_id: int) -> Peer:
    """Fetch the peer's directory again. A changed certificate is not taken: it is reported, and an
    administrator must remove and add the peer again after checking the new fingerprint.

    The peer is asked before the transaction starts: no database lock is held while it answers."""
    require_admin(actor)
    found = read_before_writing(sa.select(Peer.base_url).where(Peer.id == peer_id))
    if not found:
        raise NotFound(gettext("No such peer."))
    try:
        identity: Identity | None = fetch_identity(found[0].base_url)
        problem = None
    except InvalidInput as err:
        identity, problem = None, next(iter(err.fields.values()), err.text())
    peer = get_peer(peer_id)
    if identity is None:
        peer.last_error = problem
        return peer
    if identity.fingerprint != peer.fingerprint:
        peer.last_error = gettext("The peer now presents another certificate (%(fp)s).", fp=identity.fingerprint)
        return peer
    _check_codes(identity, peer.id)
    _set_directory(peer, identity.organisations)
    peer.last_ok_at = utcnow()
    peer.last_error = None
    record(AuditAction.PEER_UPDATED, actor=actor, obj=("peer", peer.id), organisations=len(identity.organisations))
    return peer


def list_peers() -> list[Peer]:
    return list(db.session.scalars(sa.select(Peer).order_by(Peer.name)))


def get_peer(peer_id: int) -> Peer:
    peer = db.session.get(Peer, peer_id)
    if peer is None:
        raise NotFound(gettext("No such peer."))
    return peer


def peer_by_name(name: str) -> Peer:
    peer = db.session.scalars(sa.select(Peer).where(Peer.name == name)).first()
    if peer is None:
        raise NotFound(gettext("No such peer."))
    return peer


def peer_hosting(code: str) -> Peer | None:
    row = db.session.get(PeerOrganisation, code)
    return row.peer if row is not None and row.peer.active else None


def directory(query: str | None = None) -> list[dict[str, Any]]:
    """Every organisation a document can be sent to: those of this server and those of the peers."""
    needle = (query or "").strip().lower()
    local = [
        {"code": o.code, "name": o.name, "peer": None}
        for o in db.session.scalars(sa.select(Organisation).where(Organisation.active.is_(True)))
    ]
    remote = [
        {"code": o.code, "name": o.name, "peer": o.peer.name}
        for o in db.session.scalars(sa.select(PeerOrganisation))
        if o.peer.active
    ]
    every = sorted(local + remote, key=lambda o: (o["peer"] or "", o["code"]))
    if needle:
        every = [o for o in every if needle in o["name"].lower() or needle in o["code"].lower()]
    return every
