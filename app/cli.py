"""`flask` commands: storage, audit, users, organisations and the demo data."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db


@contextmanager
def _committed() -> Iterator[None]:
    """One unit of work per command: commit on success; on a domain error, say why and exit 2."""
    from .errors import DomainError, InvalidInput

    try:
        yield
    except InvalidInput as err:
        db.session.rollback()
        for field, problem in err.fields.items():
            click.echo(f"{field}: {problem}", err=True)
        sys.exit(2)
    except DomainError as err:
        db.session.rollback()
        click.echo(err.text(), err=True)
        sys.exit(2)
    db.session.commit()


storage_cli = AppGroup("storage", help="Check and tidy the object store.")
audit_cli = AppGroup("audit", help="The hash-chained audit log.")
users_cli = AppGroup("users", help="User accounts.")
orgs_cli = AppGroup("orgs", help="Organisations.")
pki_cli = AppGroup("pki", help="The built-in certificate authority.")
search_cli = AppGroup("search", help="The full-text index of documents.")


@pki_cli.command("init")
@click.option("--name", default="E-office Root CA", show_default=True)
def pki_init(name: str) -> None:
    """Create the built-in CA (once), its time-stamp authority, and trust it."""
    from .signing.credentials import init_authority

    with _committed():
        ca = init_authority(name)
    click.echo(f"certificate authority: {ca.certificate.subject} (serial {ca.certificate.serial})")


@pki_cli.command("issue")
@click.argument("username")
def pki_issue(username: str) -> None:
    """Issue a personal signing certificate to a user."""
    import sqlalchemy as sa

    from .auth.models import User
    from .errors import NotFound
    from .signing.credentials import issue_for_user

    with _committed():
        user = db.session.scalars(sa.select(User).where(User.username == username.strip().lower())).first()
        if user is None:
            raise NotFound(f"No user {username}.")
        cred = issue_for_user(user)
    click.echo(f"issued certificate {cred.certificate.serial} to {user.username}: {cred.certificate.subject}")


@pki_cli.command("issue-org")
@click.argument("code")
def pki_issue_org(code: str) -> None:
    """Issue an organisation's certificate (its digital seal)."""
    from .auth.service import organisation_by_code
    from .signing.credentials import issue_for_organisation

    with _committed():
        cred = issue_for_organisation(organisation_by_code(code))
    click.echo(f"issued certificate {cred.certificate.serial}: {cred.certificate.subject}")


@pki_cli.command("revoke")
@click.argument("serial")
@click.option("--reason", default="unspecified", show_default=True)
def pki_revoke(serial: str, reason: str) -> None:
    """Revoke a certificate of the built-in CA by its serial number (hex)."""
    from .signing.credentials import revoke

    with _committed():
        row = revoke(None, serial, reason)
    click.echo(f"revoked {row.serial}: {row.subject}")


@storage_cli.command("verify")
def storage_verify() -> None:
    """Re-hash every blob the database references; list the missing and the corrupt (exit 1 if any)."""
    from .storage.service import verify_blobs

    report = verify_blobs()
    for sha in report.missing:
        click.echo(f"MISSING {sha}")
    for sha in report.corrupt:
        click.echo(f"CORRUPT {sha}")
    click.echo(f"checked {report.checked} blobs: {len(report.missing)} missing, {len(report.corrupt)} corrupt")
    sys.exit(0 if report.ok else 1)


@storage_cli.command("gc")
@click.option("--min-age-minutes", default=60, show_default=True, help="Keep unreferenced blobs younger than this.")
def storage_gc(min_age_minutes: int) -> None:
    """Delete blobs that no row references (older than an hour by default)."""
    from .storage.service import collect_garbage

    deleted = collect_garbage(timedelta(minutes=min_age_minutes))
    for sha in deleted:
        click.echo(f"deleted {sha}")
    click.echo(f"{len(deleted)} unreferenced blobs deleted")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check the hash chain; report the first tampered or missing row (exit 1)."""
    from .audit.service import verify_chain

    checked, problem = verify_chain()
    if problem is None:
        click.echo(f"audit log intact: {checked} events")
        return
    click.echo(f"TAMPERED at event {problem.seq}: {problem.reason} ({checked} events before it are intact)")
    sys.exit(1)


@search_cli.command("reindex")
def search_reindex() -> None:
    """Rebuild the index from the database and the store."""
    from .search.indexing import reindex
    from .search.service import all_document_ids

    total = len(all_document_ids())
    with click.progressbar(length=total, label="indexing", show_pos=True) as bar:
        done = reindex(progress=bar.update)
    click.echo(f"indexed {done} documents")


@search_cli.command("check")
def search_check() -> None:
    """List the documents missing from the index or stale in it (exit 1 if any)."""
    from .search.service import check_index

    found = check_index()
    for label, ids in (("MISSING", found.missing), ("STALE", found.stale), ("EXTRA", found.extra)):
        for document_id in ids:
            click.echo(f"{label} {document_id}")
    click.echo(f"{len(found.missing)} missing, {len(found.stale)} stale, {len(found.extra)} no longer in the database")
    sys.exit(0 if found.ok else 1)


@users_cli.command("create")
@click.argument("username")
@click.option("--org", "org_code", required=True, help="Organisation code, e.g. 000.00.31.H57")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["clerk", "specialist", "leader", "archivist", "admin"]),
)
@click.option("--password", required=True)
@click.option("--full-name", default=None)
@click.option("--position", default=None)
def users_create(
    username: str, org_code: str, roles: tuple[str, ...], password: str, full_name: str | None, position: str | None
) -> None:
    """Create a user: flask users create USERNAME --org CODE --role ROLE --password PASSWORD"""
    from .auth.service import create_user, organisation_by_code

    with _committed():
        org = organisation_by_code(org_code)
        user = create_user(
            None,
            org.id,
            {
                "username": username,
                "full_name": full_name or username,
                "position": position,
                "roles": list(roles),
                "password": password,
            },
        )
    click.echo(f"created user {user.username} (id {user.id}) in {org.code} with roles {', '.join(sorted(roles))}")


@orgs_cli.command("create")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--abbreviation", required=True)
@click.option("--parent", "parent_code", default=None, help="Parent organisation code")
@click.option("--place", default=None)
def orgs_create(code: str, name: str, abbreviation: str, parent_code: str | None, place: str | None) -> None:
    """Create an organisation (a top-level one when --parent is not given)."""
    from .auth.service import create_organisation, organisation_by_code

    with _committed():
        parent_id = organisation_by_code(parent_code).id if parent_code else None
        org = create_organisation(
            None, code=code, name=name, abbreviation=abbreviation, parent_id=parent_id, place=place
        )
    click.echo(f"created organisation {org.code} (id {org.id})")


@click.command("seed-demo")
def seed_demo() -> None:
    """Add the demo province once: organisations, users of every role, sample documents."""
    from .seed import seed_demo_data

    created = seed_demo_data()
    db.session.commit()
    click.echo("demo data added" if created else "demo data already present")


peers_cli = AppGroup("peers", help="Peer servers of the exchange between agencies.")


@peers_cli.command("identity")
def peers_identity() -> None:
    """Print this server's exchange certificate fingerprint (read it to a peer's administrator)."""
    from .routing.identity import own_identity, server_name, spaced

    with _committed():
        row = own_identity()
    click.echo(f"{server_name()}: SHA-256 {spaced(row.fingerprint)}")


@peers_cli.command("add")
@click.argument("name")
@click.argument("base_url")
@click.option("--yes", is_flag=True, help="Take the certificate without asking (after checking its fingerprint).")
def peers_add(name: str, base_url: str, yes: bool) -> None:
    """Add the peer server at BASE_URL under NAME, after fetching and confirming its identity."""
    from .routing import peers
    from .routing.identity import spaced

    with _committed():
        identity = peers.fetch_identity(base_url)
        click.echo(f"{base_url} is {identity.name or '(no name)'}")
        click.echo(f"  certificate SHA-256 {spaced(identity.fingerprint)}")
        click.echo(f"  hosts {len(identity.organisations)} organisation(s):")
        for org in identity.organisations[:20]:
            click.echo(f"    {org['code']}  {org['name']}")
        if len(identity.organisations) > 20:
            click.echo(f"    ... and {len(identity.organisations) - 20} more")
        if not yes and not click.confirm("Is this the fingerprint its administrator reads out?", default=False):
            click.echo("not added")
            sys.exit(1)
        peer = peers.add_peer(None, name, base_url, identity)
    click.echo(f"added peer {peer.name} ({peer.base_url})")


@peers_cli.command("list")
def peers_list() -> None:
    """List the peers, their organisations and when they last answered."""
    from .routing import peers

    for peer in peers.list_peers():
        state = f"last answered {peer.last_ok_at:%Y-%m-%d %H:%M}" if peer.last_ok_at else "never answered"
        error = f"; last error: {peer.last_error}" if peer.last_error else ""
        click.echo(f"{peer.name}  {peer.base_url}  {len(peer.organisations)} organisation(s), {state}{error}")


@peers_cli.command("refresh")
@click.argument("name")
def peers_refresh(name: str) -> None:
    """Fetch the directory of a peer's organisations again."""
    from .routing import peers

    with _committed():
        peer_id = peers.peer_by_name(name).id
        db.session.rollback()  # the peer is asked outside any transaction
        peer = peers.refresh(None, peer_id)
    if peer.last_error:
        click.echo(f"{peer.name}: {peer.last_error}", err=True)
        sys.exit(1)
    click.echo(f"{peer.name}: {len(peer.organisations)} organisation(s)")


@click.command("worker")
@click.option("--once", is_flag=True, help="Do the work that is due, then stop.")
def worker(once: bool) -> None:
    """Do the outbox's work (deliveries to peer servers, statuses back, e-mails) and send the reminders of
    deadlines, until stopped with Ctrl-C."""
    from flask import current_app

    from . import worker as background

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        background.send_reminders(app)
        background.run_until_idle(app)
        return
    click.echo("worker: doing the outbox's work (Ctrl-C stops it)")
    try:
        background.run_forever(app)
    except KeyboardInterrupt:
        click.echo("worker: stopped")


def register_cli(app: Flask) -> None:
    for group in (storage_cli, audit_cli, users_cli, orgs_cli, pki_cli, peers_cli, search_cli):
        app.cli.add_command(group)
    app.cli.add_command(seed_demo)
    app.cli.add_command(worker)

    from .archive.cli import archive_cli
    from .onestop.cli import onestop_cli

    app.cli.add_command(archive_cli)
    app.cli.add_command(onestop_cli)
