"""Work a transaction leaves for its commit: kept on the session, done just before the commit, dropped with the
(sub)transaction that asked for it when that rolls back.

Two kinds use it. The audit log's events are written at the commit, so that the chain's head, one row every
audited change in the deployment goes through, is locked for the last few statements of a transaction instead of
from the audited change to the end of the request (see audit/service.py). And documents changed in a transaction are
queued for re-indexing at its commit (search/indexing.py).

A savepoint (`begin_nested`) that rolls back drops only the work asked for inside it: the rest of the transaction
keeps its events and its queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_KINDS: list[AtCommit] = []


class AtCommit:
    """One kind of work: `finish(session, items)` is called in the session's transaction just before it commits,
    with the items added (in order) by that transaction and its savepoints that did not roll back. Kinds are
    finished by `order`, lowest first."""

    def __init__(self, name: str, finish: Callable[[Session, list[Any]], None], order: int = 0) -> None:
        self.key = f"at_commit:{name}"
        self.finish = finish
        self.order = order
        _KINDS.append(self)
        _KINDS.sort(key=lambda kind: kind.order)

    def add(self, session: Session, item: Any) -> None:
        """Keep `item` for the commit of the session's transaction (begun here if it has none yet)."""
        transaction = session.get_nested_transaction() or session.get_transaction()
        if transaction is None:
            transaction = session.begin()
        session.info.setdefault(self.key, []).append((transaction, item))

    def pending(self, session: Session) -> list[Any]:
        return [item for _, item in session.info.get(self.key, [])]


def _inside(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "before_commit")
def _finish(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: its work waits for the transaction's commit
    if session.new or session.dirty or session.deleted:
        session.flush()  # what the flush adds (documents changed) is finished with the rest
    for kind in _KINDS:
        items = session.info.pop(kind.key, None)
        if items:
            kind.finish(session, [item for _, item in items])


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, ended: SessionTransaction) -> None:
    _drop(session, ended)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, ended: SessionTransaction) -> None:
    if ended.parent is None:  # the transaction, however it ended (a commit finished its work before)
        _drop(session, ended)


def _drop(session: Session, ended: SessionTransaction) -> None:
    for kind in _KINDS:
        items = session.info.get(kind.key)
        if items:
            kept = [(transaction, item) for transaction, item in items if not _inside(transaction, ended)]
            if kept:
                session.info[kind.key] = kept
            else:
                session.info.pop(kind.key)
