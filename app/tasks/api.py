"""Tasks over JSON: assigning a document, acting on a task, the lists, a document's processing timeline."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import jsonify, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..api import api, json_object
from ..auth.models import Unit, User
from ..documents.api import bytes_response
from ..documents.uploads import Upload
from ..errors import InvalidInput, NotFound
from ..extensions import db, utcnow
from ..validation import parse, parse_query
from . import deadlines, people, service
from .dashboard import (
    FIGURES,
    Breakdown,
    Dashboard,
    DashboardQuery,
    DashboardRow,
    Figures,
    TaskOutcome,
    task_dashboard,
)
from .machine import action_named
from .models import Task, TaskEvent, TaskFile, TaskParticipant
from .schemas import ACTION_INPUTS, AssignInput, RulesInput, TaskQuery
from .workbook import dashboard_filename, dashboard_workbook

# A JSON body holds at most a few notes of 10,000 characters: anything far larger is refused before it is read.
MAX_JSON_BYTES = 256 * 1024


def _body() -> dict[str, Any]:
    """The request's fields: a form (with files) or a JSON object; an empty body is an empty object."""
    if request.mimetype == "multipart/form-data":
        return request.form.to_dict()
    too_large = gettext("The request is larger than %(kb)s KB: a note holds at most 10,000 characters.", kb=256)
    return json_object(MAX_JSON_BYTES, too_large)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def person_json(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "full_name": user.full_name}


def unit_json(unit: Unit | None) -> dict[str, Any] | None:
    return {"id": unit.id, "name": unit.name} if unit is not None else None


def participant_json(p: TaskParticipant) -> dict[str, Any]:
    return {"user": person_json(p.user), "unit": unit_json(p.unit), "read_at": _when(p.read_at)}


def file_json(f: TaskFile) -> dict[str, Any]:
    return {
        "id": f.id,
        "filename": f.filename,
        "content_type": f.content_type,
        "size": f.size,
        "sha256": f.blob_sha256,
        "url": url_for("api.task_file", task_id=f.task_id, file_id=f.id),
    }


def event_json(e: TaskEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "task_id": e.task_id,
        "action": e.action,
        "from_state": e.from_state,
        "to_state": e.to_state,
        "actor": person_json(e.actor),
        "note": e.note,
        "data": e.data,
        "at": _when(e.at),
        "files": [file_json(f) for f in e.files],
    }


def task_json(
    t: Task, now: datetime, events: list[TaskEvent] | None = None, actions: list[str] | None = None
) -> dict[str, Any]:
    doc = t.document
    body: dict[str, Any] = {
        "id": t.id,
        "state": t.state,
        "overdue": t.is_overdue(now),
        "progress": t.progress,
        "document": {
            "id": doc.id,
            "direction": doc.direction,
            "document_type": doc.document_type,
            "number": doc.number,
            "notation": doc.notation,
            "register_number": doc.register_number,
            "subject": doc.subject,
            "urgency": doc.urgency,
            "due_on": doc.due_on.isoformat() if doc.due_on else None,
        },
        "assigned_by": person_json(t.assigned_by),
        "lead": {"user": person_json(t.lead_user), "unit": unit_json(t.lead_unit)},
        "accepted_by": person_json(t.accepted_by),
        "coordinators": [participant_json(p) for p in t.participants if p.role == "coordinator"],
        "informed": [participant_json(p) for p in t.participants if p.role == "informed"],
        "instructions": t.instructions,
        "deadline": _when(t.deadline),
        "deadline_basis": t.deadline_basis,
        "requested_deadline": _when(t.requested_deadline),
        "reply_document_id": t.reply_document_id,
        "assigned_at": _when(t.assigned_at),
        "accepted_at": _when(t.accepted_at),
        "completed_at": _when(t.completed_at),
        "cancelled_at": _when(t.cancelled_at),
        "updated_at": _when(t.updated_at),
    }
    if actions is not None:
        body["actions"] = actions
    if events is not None:
        body["events"] = [event_json(e) for e in events]
    return body


def _full(task: Task) -> dict[str, Any]:
    return task_json(task, utcnow(), service.events_of([task.id])[task.id], people.actions_for(current_user, task))


@api.post("/documents/<int:document_id>/assignments")
def assign_document(document_id: int):  # type: ignore[no-untyped-def]
    """A leader assigns the document's processing: lead, coordinators, informed, deadline, instructions."""
    data = parse(AssignInput, _body())
    task = service.assign(current_user, document_id, data)
    body = _full(task)
    db.session.commit()
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_task", task_id=task.id)
    return response


@api.get("/documents/<int:document_id>/timeline")
def document_timeline(document_id: int):  # type: ignore[no-untyped-def]
    events = service.timeline(current_user, document_id)
    return jsonify({"items": [event_json(e) for e in events], "total": len(events)})


@api.get("/tasks")
def list_tasks():  # type: ignore[no-untyped-def]
    query = parse_query(TaskQuery)
    page = service.list_tasks(current_user, query)
    now = utcnow()
    return jsonify(page.as_json(lambda t: task_json(t, now)))


@api.get("/tasks/<int:task_id>")
def get_task(task_id: int):  # type: ignore[no-untyped-def]
    return jsonify(_full(service.get_task(current_user, task_id)))


@api.post("/tasks/<int:task_id>/<action>")
def act_on_task(task_id: int, action: str):  # type: ignore[no-untyped-def]
    """One action of the state machine: accept, progress, request_extension, grant_extension, refuse_extension,
    transfer, complete, return, reopen, cancel, contribute, mark_read. A progress report may come as a form
    with its files in `attachments`."""
    chosen = action_named(action)
    if chosen is None:
        raise NotFound(gettext("No such action."))
    data = parse(ACTION_INPUTS[chosen], _body())
    stored: list[service.StoredUpload] = []
    uploads = [Upload(f.filename or "", f.read()) for f in request.files.getlist("attachments") if f]
    if uploads:
        if chosen not in service.WITH_FILES:
            raise InvalidInput({"attachments": gettext("Files go with a progress report, a result or a contribution.")})
        stored = service.store_files(uploads)
    task = service.act(current_user, task_id, chosen, data, stored)
    body = _full(task)
    db.session.commit()
    return jsonify(body)


@api.get("/tasks/<int:task_id>/files/<int:file_id>")
def task_file(task_id: int, file_id: int):  # type: ignore[no-untyped-def]
    file, data = service.read_file(current_user, task_id, file_id)
    db.session.commit()  # the download's audit event
    return bytes_response(file.filename, file.content_type, file.blob_sha256, data, inline=False)


@api.get("/task-rules")
def task_rules():  # type: ignore[no-untyped-def]
    """The default deadline, in working days, of a document with no due date, per urgency."""
    return jsonify(deadlines.deadline_rules())


@api.put("/task-rules")
def set_task_rules():  # type: ignore[no-untyped-def]
    rules = deadlines.set_deadline_rules(current_user, parse(RulesInput, _body()))
    db.session.commit()
    return jsonify(rules)


# --- The dashboard -----------------------------------------------------------------------------------------


class DrillDown:
    """The links from a dashboard's figures to the task list (scope=organisation) that each one counts.

    The list's URL and the period are encoded once per dashboard, each row adds its own filter: a dashboard
    of a thousand people has seven thousand links.
    """

    def __init__(self, board: Dashboard) -> None:
        period = {"assigned_from": board.period.first.isoformat(), "assigned_to": board.period.last.isoformat()}
        self.prefix = f"{url_for('api.list_tasks')}?{urlencode({'scope': 'organisation', **period})}"
        self.outcomes = [(str(o), f"&outcome={o.value}") for o in TaskOutcome]

    def tasks(self, filters: dict[str, int]) -> str:
        """The list of a row's tasks (or of them all, with no filters): its "assigned" figure."""
        return "&".join([self.prefix, *(f"{name}={value}" for name, value in filters.items())])  # ids: no quoting

    def links(self, filters: dict[str, int]) -> dict[str, str]:
        """For each figure of a row (or of the totals, with no filters), the list's URL."""
        base = self.tasks(filters)
        links = {"assigned": base}
        for name, suffix in self.outcomes:
            links[name] = base + suffix
        return links


def figures_json(figures: Figures) -> dict[str, Any]:
    body: dict[str, Any] = dict(zip(FIGURES, figures.counts, strict=True))
    body["average_hours"] = figures.average_hours
    return body


def dashboard_row_json(board: Dashboard, row: DashboardRow, drill_down: DrillDown) -> dict[str, Any]:
    body: dict[str, Any] = {
        "label": row.label,
        "unit": {"id": row.unit.id, "name": row.unit.name} if row.unit else None,
        **figures_json(row.figures),
        "tasks": drill_down.tasks(row.filters),
    }
    if board.by == Breakdown.PERSON:
        person = row.person
        body["person"] = {"id": person.id, "username": person.username, "full_name": person.name} if person else None
    return body


def dashboard_json(board: Dashboard) -> dict[str, Any]:
    drill_down = DrillDown(board)
    return {
        "period": {"date_from": board.period.first.isoformat(), "date_to": board.period.last.isoformat()},
        "by": str(board.by),
        "rows": [dashboard_row_json(board, row, drill_down) for row in board.rows],
        "totals": {**figures_json(board.totals), "tasks": drill_down.tasks({})},
    }


@api.get("/tasks/dashboard")
def task_dashboard_json():  # type: ignore[no-untyped-def]
    """The leader's figures per unit or per person over a period; each figure links to the tasks it counts."""
    board = task_dashboard(current_user, parse_query(DashboardQuery))
    return jsonify(dashboard_json(board))


@api.get("/tasks/dashboard.xlsx")
def task_dashboard_xlsx():  # type: ignore[no-untyped-def]
    """The same figures as an XLSX workbook."""
    board = task_dashboard(current_user, parse_query(DashboardQuery))
    data = dashboard_workbook(board, current_user.organisation.name)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return bytes_response(dashboard_filename(board), content_type, hashlib.sha256(data).hexdigest(), data, False)
