"""Scoped by organisation by default: ORM queries made for a user see only their organisation's rows.

A request sets the scope once (after login); every SELECT through the ORM then carries
`organisation_id = <theirs>` for each `OrgScoped` entity, relationships included. Work that must cross
organisations (routing, the command line) runs without a scope or says so with
`execution_options(all_organisations=True)`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, with_loader_criteria

SCOPE_KEY = "organisation_scope"


class OrgScoped:
    """A row that belongs to one organisation (the column comes with the mixin)."""

    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)


def set_scope(session: Session, organisation_id: int | None) -> None:
    if organisation_id is None:
        session.info.pop(SCOPE_KEY, None)
    else:
        session.info[SCOPE_KEY] = organisation_id


@event.listens_for(Session, "do_orm_execute")
def _only_own_organisation(state: ORMExecuteState) -> None:
    org_id = state.session.info.get(SCOPE_KEY)
    if (
        org_id is None
        or not state.is_select
        or state.is_column_load
        or state.is_relationship_load
        or state.execution_options.get("all_organisations", False)
    ):
        return
    state.statement = state.statement.options(
        with_loader_criteria(OrgScoped, lambda cls: cls.organisation_id == org_id, include_aliases=True)
    )
