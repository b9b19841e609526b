"""The rules of the procedures catalogue: saving a procedure (the admin, an import, the seed) and reading it.

A procedure is saved whole, by its code: a second save of the same code replaces its fields, papers and steps
(dossiers already received keep the statutory time and steps they were received with). Its steps' working days
add up to its statutory time; each step is done by a unit of the resolving organisation (named by name or
code) or, with no unit, by the one-stop desk.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import selectinload

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Organisation, Role, Unit, User
from ..errors import Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..pagination import Page
from ..tables import header_key
from ..validation import parse
from .models import Procedure, ProcedurePaper, ProcedureStep
from .schemas import ProcedureInput


def _check_admin(actor: User | None) -> None:
    """Only the admin edits the catalogue (None: the command line or the seed)."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise Forbidden(gettext("Only an administrator edits the procedures catalogue."))


def _organisation(code: str) -> Organisation:
    found = db.session.scalars(sa.select(Organisation).where(Organisation.code == code)).one_or_none()
    if found is None or not found.active:
        raise InvalidInput({"organisation": gettext("No organisation has the code %(code)s.", code=code)})
    return found


def _units(organisation: Organisation, data: ProcedureInput) -> list[Unit | None]:
    """Each step's unit, found by name or code among the resolving organisation's units (case, diacritics and
    punctuation aside)."""
    units = db.session.scalars(sa.select(Unit).where(Unit.organisation_id == organisation.id)).all()
    by_key = {header_key(u.name): u for u in units} | {header_key(u.code): u for u in units if u.code}
    found: list[Unit | None] = []
    problems: dict[str, str] = {}
    for n, step in enumerate(data.steps):
        if not step.unit:
            found.append(None)
            continue
        unit = by_key.get(header_key(step.unit))
        if unit is None:
            problems[f"steps.{n}.unit"] = gettext(
                "%(org)s has no unit named %(unit)s.", org=organisation.name, unit=step.unit
            )
        found.append(unit)
    if problems:
        raise InvalidInput(problems)
    return found


def save_procedure(actor: User | None, data: ProcedureInput, editing: str | None = None) -> tuple[Procedure, bool]:
    """Make the procedure, or replace the one with its code; with whether it was made. `editing` is the code of the
    procedure the admin opened to edit: it must stay its code (a procedure's code names it on every dossier)."""
    _check_admin(actor)
    if editing is not None and data.code != editing.strip().upper():
        message = gettext(
            "This procedure's code is %(code)s and cannot change: add a new procedure for another code.",
            code=editing.strip().upper(),
        )
        raise InvalidInput({"code": message})
    problem = data.steps_problem()
    if problem:
        raise InvalidInput({"steps": problem})
    organisation = _organisation(data.organisation)
    units = _units(organisation, data)
    procedure = db.session.scalars(
        sa.select(Procedure).where(Procedure.code == data.code).with_for_update()
    ).one_or_none()
    made = procedure is None
    if procedure is None:
        procedure = Procedure(code=data.code)
        db.session.add(procedure)
    procedure.name = data.name
    procedure.field = data.field
    procedure.resolving_organisation = organisation
    procedure.channels = ",".join(data.channels)
    procedure.statutory_days = data.statutory_days
    procedure.fees = [fee.model_dump() for fee in data.fees]
    procedure.active = data.active
    procedure.papers = [
        ProcedurePaper(position=n, name=p.name, form=str(p.form), copies=p.copies, required=p.required)
        for n, p in enumerate(data.papers)
    ]
    procedure.steps = [
        ProcedureStep(position=n, name=s.name, unit=unit, days=s.days)
        for n, (s, unit) in enumerate(zip(data.steps, units, strict=True))
    ]
    db.session.flush()
    record(
        AuditAction.PROCEDURE_SAVED,
        actor=actor,
        organisation_id=organisation.id,
        obj=("procedure", procedure.id),
        code=procedure.code,
        made=made,
    )
    return procedure, made


def procedure_input(raw: dict) -> ProcedureInput:
    """A procedure given as a dict (JSON, an import's row), validated (InvalidInput names the bad fields)."""
    return parse(ProcedureInput, raw)


def get_procedure(code: str) -> Procedure:
    found = db.session.scalars(
        sa.select(Procedure)
        .where(Procedure.code == code.strip().upper())
        .options(selectinload(Procedure.papers), selectinload(Procedure.steps))
    ).one_or_none()
    if found is None:
        raise NotFound(gettext("No procedure has the code %(code)s.", code=code))
    return found


def list_procedures(
    *,
    q: str = "",
    field: str | None = None,
    organisation_id: int | None = None,
    active_only: bool = True,
    page: int = 1,
    per_page: int = 50,
) -> Page[Procedure]:
    """The catalogue, by code; filtered by words of the name or code, field and resolving organisation."""
    where = []
    if active_only:
        where.append(Procedure.active.is_(True))
    if field:
        where.append(Procedure.field == field)
    if organisation_id:
        where.append(Procedure.resolving_organisation_id == organisation_id)
    for word in q.split()[:10]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(sa.or_(Procedure.name.ilike(pattern, escape="\\"), Procedure.code.ilike(pattern, escape="\\")))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Procedure).where(*where)) or 0
    items = db.session.scalars(
        sa.select(Procedure)
        .where(*where)
        .order_by(Procedure.code)
        .options(selectinload(Procedure.papers), selectinload(Procedure.steps))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(items), total, page, per_page)
