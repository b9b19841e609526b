"""Task pages: the processing panel of the document page, assigning a document, my tasks, one task with the
actions its reader may take, and the printable processing slip of a document.

The views read the form, call one service function, commit and say what happened; the rules are in service.py
and machine.py. A refusal rolls back whatever the service flushed before refusing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import ValidationError

from ..auth.models import Role, Unit, User
from ..documents import service as documents
from ..documents.models import Document
from ..documents.uploads import Upload
from ..errors import DomainError, Forbidden, InvalidInput, NotFound
from ..extensions import db, utcnow
from ..validation import parse
from . import people, service
from .deadlines import deadline_rules
from .machine import action_named
from .models import STATE_LABELS, ParticipantRole, Task, TaskAction, TaskEvent, TaskState
from .schemas import ACTION_INPUTS, AssignInput, TaskQuery

task_pages = Blueprint("task_pages", __name__)

# The tabs of "my tasks": what each shows, as the list's filters.
VIEWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "todo": (_l("To do"), {"role": "lead", "open": True}),
    "due_soon": (_l("Due soon"), {"role": "lead", "open": True, "overdue": False}),
    "overdue": (_l("Overdue"), {"role": "lead", "overdue": True}),
    "done": (_l("Done"), {"role": "lead", "status": TaskState.COMPLETED}),
    "coordinating": (_l("Coordinating"), {"role": "coordinator", "open": True}),
    "informed": (_l("For information"), {"role": "informed"}),
    "assigned": (_l("Assigned by me"), {"role": "assigned_by_me"}),
}
DUE_SOON_DAYS = 3

ACTION_LABELS: dict[str, Any] = {
    TaskAction.ASSIGN: _l("Assigned"),
    TaskAction.ACCEPT: _l("Accept"),
    TaskAction.PROGRESS: _l("Report progress"),
    TaskAction.REQUEST_EXTENSION: _l("Ask for more time"),
    TaskAction.GRANT_EXTENSION: _l("Grant the extension"),
    TaskAction.REFUSE_EXTENSION: _l("Refuse the extension"),
    TaskAction.TRANSFER: _l("Transfer"),
    TaskAction.COMPLETE: _l("Complete"),
    TaskAction.RETURN: _l("Return to the leader"),
    TaskAction.REOPEN: _l("Reopen"),
    TaskAction.CANCEL: _l("Cancel the task"),
    TaskAction.CONTRIBUTE: _l("Add a contribution"),
    TaskAction.MARK_READ: _l("Mark as read"),
}
# What the timeline says was done.
EVENT_LABELS: dict[str, Any] = {
    TaskAction.ASSIGN: _l("assigned"),
    TaskAction.ACCEPT: _l("accepted"),
    TaskAction.PROGRESS: _l("reported progress"),
    TaskAction.REQUEST_EXTENSION: _l("asked for more time"),
    TaskAction.GRANT_EXTENSION: _l("granted the extension"),
    TaskAction.REFUSE_EXTENSION: _l("refused the extension"),
    TaskAction.TRANSFER: _l("transferred"),
    TaskAction.COMPLETE: _l("completed"),
    TaskAction.RETURN: _l("returned"),
    TaskAction.REOPEN: _l("reopened"),
    TaskAction.CANCEL: _l("cancelled"),
    TaskAction.CONTRIBUTE: _l("contributed"),
    TaskAction.MARK_READ: _l("read"),
}


def _problem(err: DomainError) -> str:
    if isinstance(err, InvalidInput) and err.fields and not err.message:
        return " ".join(err.fields.values())
    return err.text()


def _form() -> dict[str, Any]:
    form = request.form.to_dict()
    form.pop("csrf_token", None)
    return form


# --- The document page's panel ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskPanel:
    tasks: list[Task]
    can_assign: bool


def task_panel(doc: Document) -> TaskPanel | None:
    """The tasks of the document its reader may see, and whether they may assign it; None when there is
    nothing to show (an outgoing document nobody assigned)."""
    if doc.organisation_id != current_user.organisation_id:
        return None
    tasks = list(
        db.session.scalars(sa.select(Task).where(Task.document_id == doc.id).order_by(Task.assigned_at, Task.id))
    )
    can_assign = current_user.has_role(Role.LEADER) and doc.status != "recalled"
    if not tasks and not (can_assign and doc.direction == "incoming"):
        return None
    return TaskPanel(tasks=tasks, can_assign=can_assign)


@task_pages.app_context_processor
def _task_helpers() -> dict[str, Any]:
    return {
        "task_panel": task_panel,
        "task_state": lambda state: STATE_LABELS.get(state, state),
        "task_action": lambda action: ACTION_LABELS.get(action, action),
        "task_event": lambda action: EVENT_LABELS.get(action, action),
        "my_open_tasks": my_open_tasks,
        "now": utcnow,
        "moment": datetime.fromisoformat,
    }


def my_open_tasks() -> int:
    """The number on the menu: tasks the user leads that are still to be done."""
    return service.list_tasks(current_user, TaskQuery(role="lead", open=True), default_per_page=1).total


# --- Assigning -------------------------------------------------------------------------------------------------


def _colleagues(doc: Document) -> tuple[list[User], list[Unit]]:
    users = db.session.scalars(
        sa.select(User).where(User.organisation_id == doc.organisation_id, User.active).order_by(User.full_name)
    ).all()
    units = db.session.scalars(
        sa.select(Unit).where(Unit.organisation_id == doc.organisation_id).order_by(Unit.name)
    ).all()
    return list(users), list(units)


def _target(value: str) -> dict[str, Any]:
    """ "user:12" or "unit:3", as the form's selects send them, into the API's shape."""
    kind, _, key = value.partition(":")
    if kind not in {"user", "unit"} or not key.isdigit():
        return {}
    return {f"{kind}_id": int(key)}


def _assign_input() -> dict[str, Any]:
    form = request.form
    body: dict[str, Any] = {
        "lead": _target(form.get("lead", "")),
        "coordinators": [_target(v) for v in form.getlist("coordinators") if v],
        "informed": [_target(v) for v in form.getlist("informed") if v],
        "instructions": form.get("instructions") or None,
    }
    if form.get("deadline_working_days"):
        body["deadline_working_days"] = form["deadline_working_days"]
    if form.get("deadline"):
        body["deadline"] = form["deadline"]
    return body


def _assign_page(doc: Document, form: dict[str, Any], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    users, units = _colleagues(doc)
    return render_template(
        "tasks/assign.html",
        doc=doc,
        users=users,
        units=units,
        form=form,
        chosen={
            "coordinators": set(request.form.getlist("coordinators")),
            "informed": set(request.form.getlist("informed")),
        },
        errors=errors,
        rules=deadline_rules(),
    ), status


@task_pages.route("/documents/<int:document_id>/assign", methods=["GET", "POST"])
def assign(document_id: int):  # type: ignore[no-untyped-def]
    doc = documents.get_document(current_user, document_id)
    if not current_user.has_role(Role.LEADER):
        raise Forbidden(gettext("Only a leader assigns the processing of a document."))
    if request.method == "GET":
        return _assign_page(doc, {}, {})
    try:
        task = service.assign(current_user, doc.id, parse(AssignInput, _assign_input()))
    except InvalidInput as err:
        db.session.rollback()
        errors = {name.split(".")[0].split("[")[0]: text for name, text in err.fields.items()}
        if err.message and not errors:
            errors["lead"] = err.text()
        return _assign_page(doc, _form(), errors, 422)
    except DomainError as err:
        db.session.rollback()
        flash(_problem(err), "error")
        return redirect(url_for("documents.detail", document_id=doc.id, _anchor="processing"))
    db.session.commit()
    flash(gettext("Assigned. The lead has been told."), "success")
    return redirect(url_for("task_pages.task", task_id=task.id))


# --- My tasks ---------------------------------------------------------------------------------------------------


@task_pages.get("/tasks")
def my_tasks():  # type: ignore[no-untyped-def]
    view = request.args.get("view", "todo")
    if view not in VIEWS:
        view = "todo"
    filters = dict(VIEWS[view][1])
    if view == "due_soon":
        filters["due_before"] = (utcnow() + timedelta(days=DUE_SOON_DAYS)).isoformat()
    page_number = request.args.get("page", "1")
    filters["page"] = int(page_number) if page_number.isdigit() and 0 < int(page_number) <= 100_000 else 1
    page = service.list_tasks(current_user, TaskQuery.model_validate(filters), default_per_page=30)
    counts = {
        name: service.list_tasks(current_user, TaskQuery.model_validate(dict(spec[1])), default_per_page=1).total
        for name, spec in VIEWS.items()
        if name in ("todo", "overdue")
    }
    pages = max(1, -(-page.total // page.per_page))
    return render_template(
        "tasks/list.html", page=page, pages=pages, view=view, views=VIEWS, counts=counts, now=utcnow()
    )


# --- One task ---------------------------------------------------------------------------------------------------


def _task_page(task: Task, errors: dict[str, str] | None = None, form: dict[str, Any] | None = None) -> str:
    users = db.session.scalars(
        sa.select(User)
        .where(User.organisation_id == task.organisation_id, User.active, User.id != current_user.id)
        .order_by(User.full_name)
    ).all()
    return render_template(
        "tasks/task.html",
        task=task,
        events=service.events_of([task.id])[task.id],
        actions=people.actions_for(current_user, task),
        users=users,
        errors=errors or {},
        form=form or {},
        failed=(form or {}).get("_action"),
        now=utcnow(),
    )


@task_pages.get("/tasks/<int:task_id>")
def task(task_id: int):  # type: ignore[no-untyped-def]
    return _task_page(service.get_task(current_user, task_id))


@task_pages.post("/tasks/<int:task_id>/do/<action>")
def act(task_id: int, action: str):  # type: ignore[no-untyped-def]
    chosen = action_named(action)
    if chosen is None:
        raise NotFound(gettext("No such action."))
    form = _form()
    target = url_for("task_pages.task", task_id=task_id)
    uploads = [Upload(f.filename or "", f.read()) for f in request.files.getlist("attachments") if f and f.filename]
    try:
        data = ACTION_INPUTS[chosen].model_validate(form)
        stored = service.store_files(uploads) if uploads and chosen in service.WITH_FILES else []
        done = service.act(current_user, task_id, chosen, data, stored)
    except ValidationError as err:
        fields = {str(e["loc"][0]) if e["loc"] else "form": e["msg"] for e in err.errors()}
        return _refused_form(task_id, chosen, fields, form)
    except InvalidInput as err:
        return _refused_form(task_id, chosen, dict(err.fields) or {"form": err.text()}, form)
    except DomainError as err:
        db.session.rollback()
        flash(_problem(err), "error")
        return redirect(target)
    db.session.commit()
    flash(gettext("Done: %(action)s.", action=ACTION_LABELS[chosen]), "success")
    if chosen == TaskAction.COMPLETE and done.reply_document_id and form.get("create_reply"):
        return redirect(url_for("documents.detail", document_id=done.reply_document_id))
    return redirect(target)


def _refused_form(task_id: int, action: TaskAction, fields: dict[str, str], form: dict[str, Any]) -> tuple[str, int]:
    """The task's page again, the action's form open with what was typed and each problem below its field."""
    db.session.rollback()
    form["_action"] = str(action)
    return _task_page(service.get_task(current_user, task_id), fields, form), 422


# --- The processing slip ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlipEntry:
    who: User
    at: Any
    text: str


def _slip_sections(tasks: list[Task], events: dict[int, list[TaskEvent]]) -> dict[str, list[SlipEntry]]:
    """The three opinions of a processing slip (Decree 30, appendix IV form): the leader's instructions, the unit
    heads' opinions (what the head of the lead's unit wrote on it), and the handlers' proposals and results."""
    sections: dict[str, list[SlipEntry]] = {"leader": [], "unit": [], "handler": []}
    heads = set(db.session.scalars(sa.select(Unit.head_user_id).where(Unit.head_user_id.is_not(None))))
    for task in tasks:
        for event in events[task.id]:
            if not event.note:
                continue
            if event.action in (TaskAction.ASSIGN, TaskAction.REOPEN, TaskAction.GRANT_EXTENSION):
                section = "leader"
            elif event.actor_id in heads and event.action in (TaskAction.TRANSFER, TaskAction.ACCEPT):
                section = "unit"
            elif event.action in (TaskAction.PROGRESS, TaskAction.COMPLETE, TaskAction.CONTRIBUTE, TaskAction.RETURN):
                section = "handler"
            else:
                continue
            sections[section].append(SlipEntry(event.actor, event.at, event.note))
    return sections


@task_pages.get("/documents/<int:document_id>/processing-slip")
def processing_slip(document_id: int):  # type: ignore[no-untyped-def]
    """The processing slip of an incoming document (phiếu giải quyết văn bản đến), for printing."""
    doc = documents.get_document(current_user, document_id)
    tasks = list(
        db.session.scalars(sa.select(Task).where(Task.document_id == doc.id).order_by(Task.assigned_at, Task.id))
    )
    events = service.events_of([t.id for t in tasks])
    return render_template(
        "tasks/slip.html",
        doc=doc,
        tasks=tasks,
        sections=_slip_sections(tasks, events),
        roles=ParticipantRole,
        printed_at=utcnow(),
    )
