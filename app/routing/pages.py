"""Routing pages: the incoming queue and one arrived document (accept, return, answer a recall), the sending
panel of the document page (send, send again, recall or replace), and the peer servers' page.

The views read the form, call one service function, commit and say what happened; the rules are in
service.py, peers.py and federation.py. A refusal answered with a redirect rolls back first, so that nothing
a service flushed before refusing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from ..auth.models import Role
from ..documents.api import bytes_response
from ..documents.models import Document
from ..documents.uploads import Upload
from ..documents.vocabulary import Direction, DocumentStatus
from ..errors import DomainError, Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import db
from ..storage.service import read_blob
from . import federation, peers, service
from .identity import own_identity, spaced
from .models import Arrival, ArrivalStatus, ChangeKind, Dispatch, DispatchEvent, DispatchStatus

routing_pages = Blueprint("routing_pages", __name__)

# What the sender sees of each recipient, and the recipient of each arrival, in the reader's language.
DISPATCH_STATUSES = {
    DispatchStatus.SENT: _l("Sent (being delivered)"),
    DispatchStatus.DELIVERED: _l("Delivered (waiting for the recipient)"),
    DispatchStatus.ACCEPTED: _l("Received and registered"),
    DispatchStatus.RETURNED: _l("Returned"),
    DispatchStatus.ASSIGNED: _l("Assigned for handling"),
    DispatchStatus.IN_PROGRESS: _l("Being handled"),
    DispatchStatus.COMPLETED: _l("Handled"),
    DispatchStatus.RECALL_REQUESTED: _l("Recall or replacement asked"),
    DispatchStatus.RECALLED: _l("Recalled"),
    DispatchStatus.REPLACED: _l("Replaced"),
    DispatchStatus.CHANGE_REFUSED: _l("Recall or replacement refused"),
    DispatchStatus.FAILED: _l("Delivery failed"),
}
ARRIVAL_STATUSES = {
    ArrivalStatus.WAITING: _l("Waiting"),
    ArrivalStatus.ACCEPTED: _l("Accepted"),
    ArrivalStatus.RETURNED: _l("Returned"),
    ArrivalStatus.RECALLED: _l("Recalled"),
}
CHANGE_KINDS = {
    ChangeKind.RECALL: _l("Recall"),
    ChangeKind.UPDATE: _l("Update"),
    ChangeKind.REPLACE: _l("Replace"),
}
# What the recipient's clerk is asked, in the queue and on the arrival's page.
CHANGE_ASKED = {
    ChangeKind.RECALL: _l("The sender asks to recall it"),
    ChangeKind.UPDATE: _l("The sender asks to update it"),
    ChangeKind.REPLACE: _l("The sender asks to replace it"),
}
# The queue's tabs, in order; "all" is every status.
INBOX_TABS = [
    (ArrivalStatus.WAITING, _l("Waiting")),
    (ArrivalStatus.ACCEPTED, _l("Accepted")),
    (ArrivalStatus.RETURNED, _l("Returned")),
    (ArrivalStatus.RECALLED, _l("Recalled")),
    ("all", _l("All")),
]
LABELS: dict[str, dict[Any, Any]] = {
    "dispatch": DISPATCH_STATUSES,
    "arrival": ARRIVAL_STATUSES,
    "change": CHANGE_KINDS,
    "asked": CHANGE_ASKED,
}
# The colour of a recipient's status: went well (green), went badly (red), anything else is still moving (blue).
_SETTLED_WELL = {DispatchStatus.ACCEPTED, DispatchStatus.ASSIGNED, DispatchStatus.IN_PROGRESS, DispatchStatus.COMPLETED}
_SETTLED_BADLY = {DispatchStatus.RETURNED, DispatchStatus.FAILED, DispatchStatus.CHANGE_REFUSED}


def routing_label(kind: str, code: str | None) -> str:
    """The label of a status or change kind ("dispatch", "arrival", "change", "asked"); the code when unknown."""
    if code is None:
        return ""
    return str(LABELS[kind].get(code, code))


def dispatch_tone(status: str) -> str:
    """The colour class of a recipient's status: ok, bad or pending."""
    if status in _SETTLED_WELL:
        return "ok"
    if status in _SETTLED_BADLY:
        return "bad"
    return "pending"


def arrived_count() -> int:
    """How many arrived documents wait for the current user's organisation, for the menu."""
    return service.waiting_count(current_user)


def iso_date(value: str | None) -> str:
    """A date of the sender's details (ISO text in the stored JSON) as dd/mm/yyyy."""
    if not value:
        return ""
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


# --- The sending panel of the document page ------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An organisation the document can be sent to, and whether it was sent to it already."""

    code: str
    name: str
    sent: bool


@dataclass(frozen=True)
class CandidateGroup:
    peer: str | None  # None: this server
    organisations: list[Candidate]


@dataclass(frozen=True)
class DispatchPanel:
    rows: list[tuple[Dispatch, list[DispatchEvent]]]
    can_send: bool
    can_change: bool
    groups: list[CandidateGroup] = field(default_factory=list)
    find: str = ""

    @property
    def any_to_send(self) -> bool:
        return any(not o.sent for g in self.groups for o in g.organisations)


def dispatch_panel(doc: Document) -> DispatchPanel | None:
    """The per-recipient table and the sending forms of an outgoing document of one's organisation; None when the
    document is not one that travels (a draft, an incoming document, another organisation's)."""
    if doc.direction != Direction.OUTGOING or doc.organisation_id != current_user.organisation_id:
        return None
    rows = service.dispatches(current_user, doc.id)
    if doc.status != DocumentStatus.ISSUED and not rows:
        return None
    clerk = current_user.has_role(Role.CLERK)
    can_send = clerk and doc.status == DocumentStatus.ISSUED and not doc.is_secret
    can_change = can_send and any(d.status in service.CHANGEABLE and d.pending_change is None for d in rows)
    groups: list[CandidateGroup] = []
    find = (request.args.get("find") or "").strip()[:100]
    if can_send:
        sent = {d.recipient_code for d in rows}
        own = current_user.organisation.code
        for entry in peers.directory(find or None):
            if entry["code"] == own:
                continue
            if not groups or groups[-1].peer != entry["peer"]:
                groups.append(CandidateGroup(entry["peer"], []))
            groups[-1].organisations.append(Candidate(entry["code"], entry["name"], entry["code"] in sent))
    events = service.histories([d.id for d in rows])
    histories = [(d, events[d.id]) for d in rows]
    return DispatchPanel(histories, can_send=can_send, can_change=can_change, groups=groups, find=find)


@routing_pages.app_context_processor
def _routing_helpers() -> dict[str, Any]:
    return {
        "arrived_count": arrived_count,
        "dispatch_panel": dispatch_panel,
        "routing_label": routing_label,
        "dispatch_tone": dispatch_tone,
    }


@routing_pages.app_template_filter("iso_date")
def _iso_date(value: str | None) -> str:
    return iso_date(value)


# --- Saying what happened ------------------------------------------------------------------------------------


def _problem(err: DomainError) -> str:
    """What to tell the user: the field problems of bad input (their names are for programs), or the message."""
    if isinstance(err, InvalidInput) and err.fields and not err.message:
        return " ".join(err.fields.values())
    return err.text()


def _refused(err: DomainError, target: str) -> WerkzeugResponse:
    """Back to the page with the reason; whatever the service flushed before refusing is not kept."""
    db.session.rollback()
    flash(_problem(err), "error")
    return redirect(target)


def _done(message: str, target: str) -> WerkzeugResponse:
    db.session.commit()
    flash(message, "success")
    return redirect(target)


# --- The incoming queue ------------------------------------------------------------------------------------------


def _to_arrival(arrival_id: int, anchor: str | None = None) -> str:
    return url_for("routing_pages.arrival", arrival_id=arrival_id, _anchor=anchor)


@routing_pages.get("/inbox")
def inbox():  # type: ignore[no-untyped-def]
    status = request.args.get("status") or ArrivalStatus.WAITING
    arrivals = service.inbox(current_user, None if status == "all" else status)
    return render_template("routing/inbox.html", arrivals=arrivals, status=status, tabs=INBOX_TABS)


def _arrival_page(arrival: Arrival, errors: dict[str, str] | None = None, form: dict[str, str] | None = None) -> str:
    return render_template("routing/arrival.html", arrival=arrival, errors=errors or {}, form=form or {})


@routing_pages.get("/inbox/<int:arrival_id>")
def arrival(arrival_id: int):  # type: ignore[no-untyped-def]
    return _arrival_page(service.get_arrival(current_user, arrival_id))


def _file_of(files: list[dict[str, Any]] | None, index: int) -> dict[str, Any]:
    if not files or index >= len(files):
        raise NotFound(gettext("No such file."))
    return files[index]


def _send_file(f: dict[str, Any]) -> WerkzeugResponse:
    inline = request.args.get("inline") == "1"
    return bytes_response(f["filename"], f["content_type"], f["sha256"], read_blob(f["sha256"]), inline=inline)


@routing_pages.get("/inbox/<int:arrival_id>/files/<int:index>")
def arrival_file(arrival_id: int, index: int):  # type: ignore[no-untyped-def]
    return _send_file(_file_of(service.get_arrival(current_user, arrival_id).files, index))


@routing_pages.get("/inbox/<int:arrival_id>/proposed-files/<int:index>")
def proposed_file(arrival_id: int, index: int):  # type: ignore[no-untyped-def]
    """A file the sender proposes in place of the one that arrived, while the clerk decides."""
    return _send_file(_file_of(service.get_arrival(current_user, arrival_id).pending_files, index))


@routing_pages.post("/inbox/<int:arrival_id>/accept")
def accept(arrival_id: int):  # type: ignore[no-untyped-def]
    target = _to_arrival(arrival_id)
    if request.form.get("confirm") != "yes":
        flash(gettext("Tick the box to confirm that you register this document."), "error")
        return redirect(target)
    try:
        accepted = service.accept(current_user, arrival_id)
    except (InvalidInput, InvalidState, Forbidden) as err:
        return _refused(err, target)
    return _done(gettext("Accepted and registered in the incoming register."), _to_arrival(accepted.id))


def _with_field_error(arrival_id: int, err: InvalidInput, name: str) -> tuple[str, int]:
    """The arrival's page again with the form as typed and the problem below its field."""
    db.session.rollback()
    form = request.form.to_dict()
    form.pop("csrf_token", None)
    problem = err.fields.get("reason") or _problem(err)
    return _arrival_page(service.get_arrival(current_user, arrival_id), {name: problem}, form), 422


@routing_pages.post("/inbox/<int:arrival_id>/return")
def return_arrival(arrival_id: int):  # type: ignore[no-untyped-def]
    try:
        service.return_arrival(current_user, arrival_id, request.form.get("reason", ""))
    except InvalidInput as err:
        return _with_field_error(arrival_id, err, "reason")
    except (InvalidState, Forbidden) as err:
        return _refused(err, _to_arrival(arrival_id))
    return _done(gettext("Returned to the sender with your reason."), _to_arrival(arrival_id))


@routing_pages.post("/inbox/<int:arrival_id>/change")
def answer_change(arrival_id: int):  # type: ignore[no-untyped-def]
    answer = request.form.get("answer")
    agree = {"agree": True, "refuse": False}.get(answer or "")
    reason = request.form.get("refusal_reason") if agree is False else None
    try:
        service.answer_change(current_user, arrival_id, agree, reason)
    except InvalidInput as err:
        return _with_field_error(arrival_id, err, "refusal_reason")
    except (InvalidState, Forbidden) as err:
        return _refused(err, _to_arrival(arrival_id))
    agreed, refused = gettext("You agreed; the sender is told."), gettext("You refused; the sender is told why.")
    return _done(agreed if agree else refused, _to_arrival(arrival_id))


# --- Sending from the document page --------------------------------------------------------------------------------


def _to_panel(document_id: int) -> str:
    return url_for("documents.detail", document_id=document_id, _anchor="dispatches")


@routing_pages.post("/documents/<int:document_id>/send")
def send(document_id: int):  # type: ignore[no-untyped-def]
    try:
        sent = service.send(current_user, document_id, request.form.getlist("recipients"))
    except (InvalidInput, InvalidState, Forbidden) as err:
        return _refused(err, _to_panel(document_id))
    message = ngettext("Sent to %(num)s recipient.", "Sent to %(num)s recipients.", len(sent))
    return _done(message, _to_panel(document_id))


@routing_pages.post("/documents/<int:document_id>/dispatches/<int:dispatch_id>/resend")
def resend(document_id: int, dispatch_id: int):  # type: ignore[no-untyped-def]
    try:
        dispatch = federation.resend(current_user, dispatch_id)
    except (InvalidState, Forbidden) as err:
        return _refused(err, _to_panel(document_id))
    return _done(gettext("Sending again to %(name)s.", name=dispatch.recipient_name), _to_panel(dispatch.document_id))


def _replacement() -> Upload | None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    return Upload(upload.filename, upload.read())


@routing_pages.post("/documents/<int:document_id>/change")
def request_change(document_id: int):  # type: ignore[no-untyped-def]
    kind = request.form.get("kind", "")
    try:
        asked = service.request_change(current_user, document_id, kind, request.form.get("reason", ""), _replacement())
    except (InvalidInput, InvalidState, Forbidden) as err:
        return _refused(err, _to_panel(document_id))
    message = ngettext(
        "Asked of %(num)s recipient; each answers in turn.",
        "Asked of %(num)s recipients; each answers in turn.",
        len(asked),
    )
    return _done(message, _to_panel(document_id))


# --- Peer servers ------------------------------------------------------------------------------------------------


def _peers_page(
    errors: dict[str, str] | None = None, form: dict[str, str] | None = None, candidate: peers.Identity | None = None
) -> str:
    body = render_template(
        "routing/peers.html",
        peers=peers.list_peers(),
        own=own_identity(),
        spaced=spaced,
        errors=errors or {},
        form=form or {},
        candidate=candidate,
    )
    db.session.commit()  # this server's identity is made on first use
    return body


def _typed() -> dict[str, str]:
    return {"name": request.form.get("name", "").strip(), "base_url": request.form.get("base_url", "").strip()}


@routing_pages.get("/admin/peers")
def peer_list():  # type: ignore[no-untyped-def]
    peers.require_admin(current_user)
    return _peers_page()


@routing_pages.post("/admin/peers/identity")
def peer_identity():  # type: ignore[no-untyped-def]
    """Step 1 of adding a peer: ask the address who it is, and show the administrator what it says."""
    peers.require_admin(current_user)
    form = _typed()
    try:
        identity = peers.fetch_identity(form["base_url"])
    except InvalidInput as err:
        return _peers_page(err.fields, form), 422
    return _peers_page(form=form, candidate=identity)


@routing_pages.post("/admin/peers")
def add_peer():  # type: ignore[no-untyped-def]
    """Step 2: the administrator confirmed the fingerprint; the peer is asked again and must still show it."""
    peers.require_admin(current_user)
    form = _typed()
    if request.form.get("confirm") != "yes":
        message = gettext("Tick the box to confirm that you compared the fingerprint.")
        return _peers_page({"form": message}, form), 422
    confirmed = request.form.get("fingerprint", "")
    try:
        identity = peers.fetch_identity(form["base_url"])
        if identity.fingerprint != confirmed:
            raise InvalidState(
                gettext(
                    "The peer now shows another certificate than the one you confirmed. Check its fingerprint "
                    "with the peer's administrator again."
                )
            )
        peer = peers.add_peer(current_user, form["name"], form["base_url"], identity)
    except InvalidInput as err:
        db.session.rollback()
        return _peers_page(err.fields, form), 422
    except InvalidState as err:
        db.session.rollback()
        return _peers_page({"form": err.text()}, form), 409
    message = ngettext(
        "Peer %(name)s added, with %(num)s organisation.",
        "Peer %(name)s added, with %(num)s organisations.",
        len(peer.organisations),
        name=peer.name,
    )
    return _done(message, url_for("routing_pages.peer_list"))


@routing_pages.post("/admin/peers/<int:peer_id>/refresh")
def refresh_peer(peer_id: int):  # type: ignore[no-untyped-def]
    peers.require_admin(current_user)
    target = url_for("routing_pages.peer_list")
    try:
        peer = peers.refresh(current_user, peer_id)
    except InvalidState as err:
        return _refused(err, target)
    if peer.last_error:
        db.session.commit()  # the error is kept on the peer, for the list
        flash(gettext("%(name)s did not answer as expected: %(error)s", name=peer.name, error=peer.last_error), "error")
        return redirect(target)
    return _done(gettext("%(name)s answered; its organisations are up to date.", name=peer.name), target)
