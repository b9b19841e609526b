"""Telling the resolving organisation about a dossier: that one has arrived (transferred from the desk) and that one
will be late (an apology was drafted). The official handling the dossier, the members of the unit of its current
step and the organisation's leaders get a notification (and the e-mail that goes with it), once each per event, in
their own language."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, gettext

from ..auth.models import Role, User, UserRole
from ..clock import to_local
from ..extensions import db
from ..notify.service import notify
from .models import Dossier, DossierApology


def people_to_warn(dossier: Dossier) -> list[User]:
    """The handler, the specialists and leaders of the current step's unit and the resolving organisation's leaders
    (active, each once)."""
    unit_id = None
    if 0 <= dossier.step_index < len(dossier.steps or []):
        unit_id = dossier.steps[dossier.step_index].get("unit_id")

    def having(*roles: Role) -> sa.ColumnElement[bool]:
        return sa.exists().where(UserRole.user_id == User.id, UserRole.role.in_([str(r) for r in roles]))

    resolving = User.organisation_id == dossier.resolving_organisation_id
    who = [User.id == dossier.handler_id, sa.and_(resolving, having(Role.LEADER))]
    if unit_id is not None:  # those of the unit who work on dossiers
        who.append(sa.and_(resolving, User.unit_id == unit_id, having(Role.SPECIALIST, Role.LEADER)))
    return list(
        db.session.scalars(
            sa.select(User).where(User.active.is_(True), sa.or_(*who)).order_by(User.id),
            execution_options={"all_organisations": True},
        )
    )


def _tell(dossier: Dossier, kind: str, key: str, words: Callable[[], tuple[str, str]]) -> int:
    """Notify the people of people_to_warn, each in their own language (`words` gives the subject and body in the
    locale it is called in), once each for `key`; how many were told."""
    told = 0
    for user in people_to_warn(dossier):
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject, body = words()
        link = f"/onestop/dossiers/{dossier.code}"
        if notify(user, kind, subject, body, link, once_key=f"{key}:{user.id}") is not None:
            told += 1
    return told


def warn_of_apology(dossier: Dossier, apology: DossierApology) -> int:
    """Tell the resolving organisation that the dossier cannot make its appointment; how many were told (none twice
    for the same apology, also when the worker's round runs again)."""

    def words() -> tuple[str, str]:
        subject = gettext("Dossier %(code)s will be late: an apology is to be issued", code=dossier.code)
        body = gettext(
            "The remaining steps of dossier %(code)s (%(procedure)s) end after its appointment. An apology "
            "with the new date %(when)s was drafted: check it and issue it, so that the applicant is told.",
            code=dossier.code,
            procedure=dossier.procedure.name,
            when=f"{to_local(apology.proposed_at):%H:%M %d/%m/%Y}",
        )
        return subject, body

    return _tell(dossier, "onestop.late", f"onestop:apology:{apology.id}", words)


def announce_arrival(dossier: Dossier, event_id: int) -> int:
    """Tell the resolving organisation that the desk transferred the dossier to it, to be taken in hand; how many
    were told (none twice for the same transfer)."""

    def words() -> tuple[str, str]:
        subject = gettext(
            "Dossier %(code)s has arrived: %(procedure)s", code=dossier.code, procedure=dossier.procedure.name
        )
        body = gettext(
            "The one-stop desk transferred dossier %(code)s (%(procedure)s) for %(applicant)s. Its result is due "
            "%(when)s: take it in hand.",
            code=dossier.code,
            procedure=dossier.procedure.name,
            applicant=dossier.applicant_name,
            when=f"{to_local(dossier.appointment_at):%H:%M %d/%m/%Y}" if dossier.appointment_at else "—",
        )
        return subject, body

    return _tell(dossier, "onestop.arrived", f"onestop:arrived:{event_id}", words)
