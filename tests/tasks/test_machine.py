"""The state machine, walked from its own table: every allowed (state, action) leads where the table says,
every other pair is a conflict naming the state, and every action belongs to its party."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.tasks.machine import PARTIES, TASK_ACTIONS, TRANSITIONS, Party
from app.tasks.models import TaskAction, TaskState
from tests.tasks.support import ASSIGNER, COORDINATOR, INFORMED, LEAD, STRANGER, act, count, set_task

ACTOR = {
    Party.LEAD: LEAD,
    Party.LEAD_OR_UNIT_HEAD: LEAD,
    Party.ASSIGNER: ASSIGNER,
    Party.COORDINATOR: COORDINATOR,
    Party.INFORMED: INFORMED,
}


def _body(action: TaskAction, world) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A valid body for each action, so that only the state or the party decides."""
    far = (datetime.now(UTC) + timedelta(days=90)).isoformat()
    return {
        TaskAction.PROGRESS: {"percent": 50, "note": "Đang làm."},
        TaskAction.REQUEST_EXTENSION: {"deadline": far, "reason": "Chờ số liệu."},
        TaskAction.REFUSE_EXTENSION: {"reason": "Không gia hạn."},
        TaskAction.TRANSFER: {"user_id": world.users[STRANGER]},
        TaskAction.RETURN: {"reason": "Không thuộc thẩm quyền."},
        TaskAction.CONTRIBUTE: {"note": "Ý kiến phối hợp."},
    }.get(action, {})


def _in_state(app, assigned, state: TaskState) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    task = assigned()
    extra = {"requested_deadline": datetime.now(UTC) + timedelta(days=40)} if state == "extension_requested" else {}
    set_task(app, task["id"], state=str(state), **extra)
    return task


def test_the_table_covers_every_state_and_every_action() -> None:
    assert {state for state, _ in TRANSITIONS} == set(TaskState)
    assert {action for _, action in TRANSITIONS} == set(TASK_ACTIONS)
    assert set(PARTIES) == set(TaskAction) - {TaskAction.ASSIGN}
    # Nothing leaves a cancelled task but reading it; a completed one only reopens.
    assert {a for s, a in TRANSITIONS if s == TaskState.CANCELLED} == {TaskAction.MARK_READ}
    assert {a for s, a in TRANSITIONS if s == TaskState.COMPLETED} == {TaskAction.REOPEN, TaskAction.MARK_READ}


@pytest.mark.parametrize("state", list(TaskState))
def test_every_action_not_in_the_table_is_a_conflict_naming_the_state(app, api, world, assigned, state) -> None:  # type: ignore[no-untyped-def]
    from app.tasks.models import TaskEvent

    task = _in_state(app, assigned, state)
    refused = [a for a in TASK_ACTIONS if (state, a) not in TRANSITIONS]
    events = count(app, TaskEvent)
    for action in refused:
        response = act(api, task["id"], str(action), ACTOR[PARTIES[action]], **_body(action, world))
        assert response.status_code == 409, (state, action, response.get_json())
        error = response.get_json()["error"]
        assert error["code"] == "conflict"
        assert error["state"] == state, (state, action)
    assert count(app, TaskEvent) == events
    assert api(ASSIGNER).get(f"/api/v1/tasks/{task['id']}").get_json()["state"] == state


@pytest.mark.parametrize(("state", "action"), sorted(TRANSITIONS))
def test_every_action_in_the_table_leads_where_the_table_says(app, api, world, assigned, state, action) -> None:  # type: ignore[no-untyped-def]
    task = _in_state(app, assigned, state)
    response = act(api, task["id"], str(action), ACTOR[PARTIES[action]], **_body(action, world))
    assert response.status_code == 200, (state, action, response.get_json())
    body = response.get_json()
    assert body["state"] == TRANSITIONS[(state, action)]
    last = body["events"][-1]
    assert (last["action"], last["from_state"], last["to_state"]) == (action, state, TRANSITIONS[(state, action)])


@pytest.mark.parametrize("action", TASK_ACTIONS)
def test_someone_outside_the_party_is_forbidden(app, api, world, assigned, action) -> None:  # type: ignore[no-untyped-def]
    from app.tasks.models import TaskEvent

    state = next(s for s, a in sorted(TRANSITIONS) if a == action)
    task = _in_state(app, assigned, state)
    events = count(app, TaskEvent)
    outsiders = [who for who in (LEAD, ASSIGNER, COORDINATOR, INFORMED, STRANGER) if who != ACTOR[PARTIES[action]]]
    for who in outsiders:
        response = act(api, task["id"], str(action), who, **_body(action, world))
        assert response.status_code == 403, (action, who, response.get_json())
        assert response.get_json()["error"]["code"] == "forbidden"
    assert count(app, TaskEvent) == events


def test_people_acting_at_the_same_moment_are_taken_one_after_the_other(app, api, world, assigned) -> None:  # type: ignore[no-untyped-def]
    """Eight requests at once, the lead completing and the leader cancelling: exactly one wins, the others
    see the state it left (on PostgreSQL through the row lock, on SQLite through its write lock)."""
    import threading

    from app.auth.models import User
    from app.errors import InvalidState
    from app.extensions import db
    from app.tasks import service
    from app.tasks.models import TaskEvent
    from app.tasks.schemas import CompleteInput, NoteInput

    task = assigned()
    assert act(api, task["id"], "accept", LEAD).status_code == 200
    barrier = threading.Barrier(8)
    won: list[str] = []
    lost: list[str] = []
    errors: list[BaseException] = []

    def attempt(index: int) -> None:
        who, action, data = (
            (LEAD, TaskAction.COMPLETE, CompleteInput()) if index % 2 else (ASSIGNER, TaskAction.CANCEL, NoteInput())
        )
        try:
            with app.app_context():
                actor = db.session.get(User, world.users[who])
                db.session.commit()  # no transaction (on SQLite, no write lock) held while waiting for the others
                barrier.wait(timeout=30)
                try:
                    service.act(actor, task["id"], action, data)
                    db.session.commit()
                    won.append(str(action))
                except InvalidState as err:
                    db.session.rollback()
                    lost.append(err.details["state"])
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert len(won) == 1 and len(lost) == 7
    final = {"complete": "completed", "cancel": "cancelled"}[won[0]]
    assert set(lost) == {final}
    assert count(app, TaskEvent, TaskEvent.task_id == task["id"], TaskEvent.action == won[0]) == 1
    assert api(ASSIGNER).get(f"/api/v1/tasks/{task['id']}").get_json()["state"] == final
