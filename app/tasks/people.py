"""Who is who in a task: the people and units an assignment names, and who may take each action."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..auth.models import Unit, User
from ..documents.models import Document
from ..extensions import db
from .machine import PARTIES, Party, next_state
from .models import ParticipantRole, Task, TaskParticipant
from .schemas import Assignee, AssignInput


@dataclass(frozen=True)
class Target:
    """A person or a unit named in an assignment."""

    user: User | None = None
    unit: Unit | None = None

    @property
    def key(self) -> tuple[str, int]:
        if self.user is not None:
            return ("user", self.user.id)
        assert self.unit is not None
        return ("unit", self.unit.id)

    def json(self) -> dict[str, int]:
        kind, key = self.key
        return {f"{kind}_id": key}


def user_of(organisation_id: int, user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.organisation_id == organisation_id and user.active else None


def _resolve(organisation_id: int, ref: Assignee) -> Target | str:
    """The user or unit of the document's organisation, or what is wrong with the reference."""
    if (ref.user_id is None) == (ref.unit_id is None):
        return gettext("Give either a user_id or a unit_id.")
    if ref.user_id is not None:
        user = user_of(organisation_id, ref.user_id)
        if user is None:
            return gettext("No such user in the document's organisation: %(id)s.", id=ref.user_id)
        return Target(user=user)
    unit = db.session.get(Unit, ref.unit_id)
    if unit is None or unit.organisation_id != organisation_id:
        return gettext("No such unit in the document's organisation: %(id)s.", id=ref.unit_id)
    return Target(unit=unit)


@dataclass
class People:
    """Who an assignment names, each once, and what is wrong with the names, by field."""

    lead: Target | None = None
    coordinators: list[Target] = field(default_factory=list)
    informed: list[Target] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def named_people(doc: Document, data: AssignInput) -> People:
    """The lead, coordinators and informed of an assignment: all of the document's organisation (a user must
    be active), nobody twice, the lead in no other list, and on a secret document no unit (the people named
    are given access to it, a whole unit is not)."""
    people = People()
    lead = _resolve(doc.organisation_id, data.lead)
    if isinstance(lead, str):
        people.errors["lead"] = lead
    else:
        people.lead = lead
    seen = {people.lead.key} if people.lead else set()
    for name, refs, found_list in (
        ("coordinators", data.coordinators, people.coordinators),
        ("informed", data.informed, people.informed),
    ):
        for ref in refs:
            found = _resolve(doc.organisation_id, ref)
            if isinstance(found, str):
                people.errors.setdefault(name, found)
            elif people.lead and found.key == people.lead.key:
                people.errors.setdefault(name, gettext("The lead is not also a coordinator or informed."))
            elif found.key not in seen:
                seen.add(found.key)
                found_list.append(found)
    if doc.is_secret:
        named = (("lead", [people.lead] if people.lead else []), ("coordinators", people.coordinators))
        for name, targets in (*named, ("informed", people.informed)):
            if any(t.unit is not None for t in targets):
                people.errors.setdefault(name, gettext("A secret document is assigned to people, not to units."))
    return people


def unit_ids_of(user: User) -> set[int]:
    """The user's own unit and every unit they head."""
    ids = set(db.session.scalars(sa.select(Unit.id).where(Unit.head_user_id == user.id)))
    if user.unit_id is not None:
        ids.add(user.unit_id)
    return ids


def _heads(user: User, unit_id: int | None) -> bool:
    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    return unit is not None and unit.head_user_id == user.id


def _stands_for(user: User, user_id: int | None, unit_id: int | None) -> bool:
    """Whether the user is this person, or a member or the head of this unit."""
    if user_id is not None:
        return user_id == user.id
    return unit_id is not None and (user.unit_id == unit_id or _heads(user, unit_id))


def is_lead(user: User, task: Task) -> bool:
    return _stands_for(user, task.lead_user_id, task.lead_unit_id)


def lead_unit_headed_by(user: User, task: Task) -> Unit | None:
    """The lead's unit (the lead unit, or the lead user's unit) when this user heads it."""
    unit_id = task.lead_unit_id if task.lead_unit_id is not None else (task.lead_user and task.lead_user.unit_id)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    return unit if unit is not None and unit.head_user_id == user.id else None


def participant_as(user: User, task: Task, role: ParticipantRole) -> TaskParticipant | None:
    for p in task.participants:
        if p.role == role and _stands_for(user, p.user_id, p.unit_id):
            return p
    return None


def may(user: User, task: Task, party: Party) -> bool:
    """Whether the user is of this party for the task (machine.PARTIES says which party each action needs)."""
    if party == Party.LEAD:
        return is_lead(user, task)
    if party == Party.LEAD_OR_UNIT_HEAD:
        return is_lead(user, task) or lead_unit_headed_by(user, task) is not None
    if party == Party.ASSIGNER:
        return task.assigned_by_id == user.id
    if party == Party.COORDINATOR:
        return participant_as(user, task, ParticipantRole.COORDINATOR) is not None
    return participant_as(user, task, ParticipantRole.INFORMED) is not None


REFUSALS: dict[Party, Any] = {
    Party.LEAD: _l("Only the lead assignee of this task may do this."),
    Party.LEAD_OR_UNIT_HEAD: _l("Only the lead assignee or the head of their unit may transfer this task."),
    Party.ASSIGNER: _l("Only the leader who assigned this task may do this."),
    Party.COORDINATOR: _l("Only a coordinator of this task adds contributions."),
    Party.INFORMED: _l("Only someone informed of this task marks it read."),
}


def actions_for(user: User, task: Task) -> list[str]:
    """The actions this user may take on the task now."""
    return [str(a) for a, party in PARTIES.items() if next_state(task.state, a) is not None and may(user, task, party)]
