"""Helpers of the tasks tests: requests in one line, direct row changes, counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

# Who acts for each party of the state machine on the tasks the `assigned` fixture makes.
LEAD, ASSIGNER, COORDINATOR, INFORMED, STRANGER = "specialist_a", "leader_a", "archivist_a", "clerk_a", "admin_a"


def assign(api, doc_id: int, body: dict[str, Any], who: str = ASSIGNER):  # type: ignore[no-untyped-def]
    return api(who).post(f"/api/v1/documents/{doc_id}/assignments", json=body)


def act(api, task_id: int, action: str, who: str, **body: Any):  # type: ignore[no-untyped-def]
    return api(who).post(f"/api/v1/tasks/{task_id}/{action}", json=body)


def set_task(app, task_id: int, **values: Any) -> None:  # type: ignore[no-untyped-def]
    """Change a task's row directly (a state or a deadline the tests need), as a later moment would."""
    from app.extensions import db
    from app.tasks.models import Task

    with app.app_context():
        db.session.execute(sa.update(Task).where(Task.id == task_id).values(**values))
        db.session.commit()


def count(app, model: type, *where: Any) -> int:  # type: ignore[no-untyped-def]
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def moment(text: str | None) -> datetime:
    assert text is not None
    return datetime.fromisoformat(text).astimezone(UTC)
