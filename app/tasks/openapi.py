"""The tasks part of the OpenAPI description (app/openapi.py merges it): paths, and the input schemas taken
from the pydantic models that validate the requests."""

from __future__ import annotations

from typing import Any

from ..openapi import _errors, _id, _json, _ref
from .dashboard import FIGURES, Breakdown, DashboardQuery
from .machine import TASK_ACTIONS
from .schemas import ACTION_INPUTS, AssignInput, RulesInput, TaskQuery


def components() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in {AssignInput, RulesInput, *ACTION_INPUTS.values()}:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    schemas.update(dashboard_components())
    person = {"type": ["object", "null"], "description": "id, username, full_name"}
    moment = {"type": ["string", "null"], "format": "date-time"}
    schemas["TaskEvent"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "task_id": {"type": "integer"},
            "action": {"type": "string", "enum": ["assign", *TASK_ACTIONS]},
            "from_state": {"type": ["string", "null"]},
            "to_state": {"type": "string"},
            "actor": person,
            "note": {"type": ["string", "null"]},
            "data": {"type": "object", "description": "What the action carried: percent, deadline, to, ..."},
            "at": {"type": "string", "format": "date-time"},
            "files": {"type": "array", "items": {"type": "object"}},
        },
    }
    schemas["Task"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "state": {
                "type": "string",
                "enum": [
                    "new",
                    "in_progress",
                    "extension_requested",
                    "completed",
                    "returned",
                    "reopened",
                    "cancelled",
                ],
            },
            "overdue": {"type": "boolean", "description": "Deadline passed, neither completed nor cancelled"},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "document": {"type": "object"},
            "assigned_by": person,
            "lead": {"type": "object", "description": "user or unit: exactly one is set"},
            "accepted_by": person,
            "coordinators": {"type": "array", "items": {"type": "object"}},
            "informed": {"type": "array", "items": {"type": "object"}},
            "instructions": {"type": ["string", "null"]},
            "deadline": {"type": "string", "format": "date-time"},
            "deadline_basis": {
                "type": "string",
                "enum": ["given", "working_days", "due_on", "urgency_rule", "extension"],
            },
            "requested_deadline": moment,
            "reply_document_id": {"type": ["integer", "null"]},
            "assigned_at": moment,
            "accepted_at": moment,
            "completed_at": moment,
            "cancelled_at": moment,
            "actions": {"type": "array", "items": {"type": "string"}, "description": "What the caller may do now"},
            "events": {"type": "array", "items": _ref("TaskEvent")},
        },
    }
    return schemas


def paths() -> dict[str, Any]:
    doc_id, task_id = _id("document_id"), _id("task_id")
    conflict = {"description": "Not allowed in the task's state: `error.state` names it", **_json(_ref("Error"))}
    query = TaskQuery.model_json_schema()["properties"]
    return {
        "/documents/{document_id}/assignments": {
            "post": {
                "summary": "A leader assigns the document's processing: lead (a user or a unit), coordinators, "
                "informed, deadline (a moment, a date, or deadline_working_days; by default the due date or the "
                "rule for the urgency) and instructions",
                "parameters": [doc_id],
                "requestBody": _json(_ref("AssignInput")),
                "responses": {
                    "201": {"description": "The task, with its first event", **_json(_ref("Task"))},
                    "409": {"description": "The document was recalled", **_json(_ref("Error"))},
                    **_errors("401", "403", "404", "422"),
                },
            }
        },
        "/documents/{document_id}/timeline": {
            "get": {
                "summary": "Every event of every task of the document, in order: who, what, when, the note",
                "parameters": [doc_id],
                "responses": {
                    "200": {
                        "description": "items, total",
                        **_json({"type": "object", "properties": {"items": {"items": _ref("TaskEvent")}}}),
                    },
                    **_errors("401", "404"),
                },
            }
        },
        "/tasks": {
            "get": {
                "summary": "The caller's tasks, soonest deadline first (role=lead|coordinator|informed|assigned_by_me, "
                "status, due_before, unit, overdue=1)",
                "parameters": [
                    {"name": name, "in": "query", "required": False, "schema": schema} for name, schema in query.items()
                ],
                "responses": {"200": {"description": "items, total, page, per_page"}, **_errors("401", "422")},
            }
        },
        "/tasks/{task_id}": {
            "get": {
                "summary": "One task with its events and the actions the caller may take",
                "parameters": [task_id],
                "responses": {"200": {"description": "OK", **_json(_ref("Task"))}, **_errors("401", "404")},
            }
        },
        "/tasks/{task_id}/{action}": {
            "post": {
                "summary": "Act on a task. The body per action: "
                + ", ".join(f"{a}: {ACTION_INPUTS[a].__name__}" for a in TASK_ACTIONS)
                + ". A progress report may be a form with files in `attachments`.",
                "parameters": [
                    task_id,
                    {"name": "action", "in": "path", "required": True, "schema": {"enum": list(TASK_ACTIONS)}},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"oneOf": [_ref(m.__name__) for m in dict.fromkeys(ACTION_INPUTS.values())]}
                        },
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "percent": {"type": "integer"},
                                    "note": {"type": "string"},
                                    "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
                                },
                            }
                        },
                    }
                },
                "responses": {
                    "200": {"description": "The task after the action", **_json(_ref("Task"))},
                    "409": conflict,
                    "413": {"description": "The body is too large", **_json(_ref("Error"))},
                    **_errors("401", "403", "404", "422", "503"),
                },
            }
        },
        "/tasks/{task_id}/files/{file_id}": {
            "get": {
                "summary": "A file of a progress report, re-hashed before it is sent",
                "parameters": [task_id, _id("file_id")],
                "responses": {
                    "200": {"description": "The bytes", "content": {"application/octet-stream": {}}},
                    **_errors("401", "404", "503"),
                },
            }
        },
        "/task-rules": {
            "get": {
                "summary": "The default deadline in working days per urgency, for documents with no due date",
                "responses": {"200": {"description": "normal, urgent, very_urgent, express"}, **_errors("401")},
            },
            "put": {
                "summary": "Change the default deadlines (a top-level administrator); urgencies left out keep theirs",
                "requestBody": _json(_ref("RulesInput")),
                "responses": {"200": {"description": "The rules now"}, **_errors("401", "403", "422")},
            },
        },
        **dashboard_paths(),
    }


def dashboard_components() -> dict[str, Any]:
    count = {"type": "integer", "minimum": 0}
    figures = {
        **{name: count for name in FIGURES},
        "average_hours": {
            "type": ["number", "null"],
            "description": "Mean elapsed hours from assignment to completion of the completed tasks",
        },
        "tasks": {
            "type": "string",
            "description": "The task list (scope=organisation) of the row's assigned tasks; add "
            "&outcome=completed_on_time (completed_late, in_progress, overdue, cancelled) for one figure's",
        },
    }
    return {
        "TaskDashboard": {
            "type": "object",
            "properties": {
                "period": {
                    "type": "object",
                    "properties": {
                        "date_from": {"type": "string", "format": "date"},
                        "date_to": {"type": "string", "format": "date"},
                    },
                },
                "by": {"type": "string", "enum": [str(b) for b in Breakdown]},
                "rows": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "label": {"type": "string", "description": "The unit's or person's name, to show"},
                            "unit": {"type": ["object", "null"], "description": "id, name; null: no unit"},
                            "person": {
                                "type": ["object", "null"],
                                "description": "by=person: id, username, full_name; null: led by the unit itself",
                            },
                            **figures,
                        },
                    },
                },
                "totals": {"type": "object", "properties": figures},
            },
        }
    }


def dashboard_paths() -> dict[str, Any]:
    parameters = [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in DashboardQuery.model_json_schema()["properties"].items()
    ]
    summary = (
        "per unit (by=unit, the default) or per person (by=person), for the tasks assigned from date_from to "
        "date_to (local days, both included; by default the current month; at most three years): assigned, "
        "completed_on_time, completed_late, in_progress, overdue, cancelled (assigned is their sum) and "
        "average_hours. A leader sees the organisation, the head of a unit their unit"
    )
    refused = _errors("401", "403", "422")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return {
        "/tasks/dashboard": {
            "get": {
                "summary": "The dashboard of tasks " + summary,
                "parameters": parameters,
                "responses": {"200": {"description": "OK", **_json(_ref("TaskDashboard"))}, **refused},
            }
        },
        "/tasks/dashboard.xlsx": {
            "get": {
                "summary": "The same dashboard as an XLSX workbook: a title with the period, a header row, a row "
                "per unit or person, the totals",
                "parameters": parameters,
                "responses": {
                    "200": {"description": "The workbook, as an attachment", "content": {xlsx: {}}},
                    **refused,
                },
            }
        },
    }
