"""The one state machine of dossiers: which move is allowed from which status, where it leads, and who may make it.
Pure data; processing.py enforces it (409 naming the status for a move not in the table, 403 for the wrong party).
"""

from __future__ import annotations

import enum

from .models import DossierStatus


class Move(enum.StrEnum):
    TRANSFER = "transfer"  # the desk sends it to the resolving organisation's handling unit
    TAKE = "take"  # an official of the resolving organisation takes it in hand (named handler)
    SUBMIT = "submit"  # the handler submits the draft result for the leader's approval
    APPROVE = "approve"  # the leader approves: the result is ready
    SEND_BACK = "send_back"  # the leader sends it back to the handler
    REQUEST_SUPPLEMENT = "request_supplement"  # more papers asked of the applicant: the clock stops
    SUPPLEMENT_RECEIVED = "supplement_received"  # the papers came: the clock runs again, the appointment moves
    SUSPEND = "suspend"  # dừng xử lý, with the reason
    WITHDRAW = "withdraw"  # the applicant withdraws it (at the desk)
    RETURN_RESULT = "return_result"  # the result is handed back to the applicant


class Party(enum.StrEnum):
    DESK = "desk"  # a one-stop officer of the organisation that received it
    RESOLVER = "resolver"  # a specialist or leader of the resolving organisation
    HANDLER = "handler"  # the official who took it in hand (or a leader of the resolving organisation)
    RESOLVER_LEADER = "resolver_leader"  # a leader of the resolving organisation


S = DossierStatus
M = Move

# Where the dossier is being worked on (or waits for the applicant): it may be suspended or withdrawn.
ACTIVE = (S.RECEIVED, S.TRANSFERRED, S.IN_PROCESS, S.AWAITING_APPROVAL, S.SUPPLEMENT_REQUESTED)
# Where its statutory clock runs.
CLOCK_RUNS = (S.RECEIVED, S.TRANSFERRED, S.IN_PROCESS, S.AWAITING_APPROVAL)
# Stopped at the desk: asked to be completed first, or refused. Never received, so never sent to the organisation
# that would resolve it, and in no figure.
NOT_RECEIVED = (S.INCOMPLETE, S.REFUSED)
# Where it has ended for good.
FINAL = (*NOT_RECEIVED, S.SUSPENDED, S.WITHDRAWN, S.RETURNED)

TRANSITIONS: dict[tuple[DossierStatus, Move], DossierStatus] = {
    (S.RECEIVED, M.TRANSFER): S.TRANSFERRED,
    (S.TRANSFERRED, M.TAKE): S.IN_PROCESS,
    (S.IN_PROCESS, M.SUBMIT): S.AWAITING_APPROVAL,
    (S.AWAITING_APPROVAL, M.APPROVE): S.RESULT_READY,
    (S.AWAITING_APPROVAL, M.SEND_BACK): S.IN_PROCESS,
    **{(state, M.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED for state in (S.TRANSFERRED, S.IN_PROCESS)},
    (S.SUPPLEMENT_REQUESTED, M.SUPPLEMENT_RECEIVED): S.IN_PROCESS,
    **{(state, M.SUSPEND): S.SUSPENDED for state in ACTIVE},
    **{(state, M.WITHDRAW): S.WITHDRAWN for state in ACTIVE},
    (S.RESULT_READY, M.RETURN_RESULT): S.RETURNED,
}

PARTIES: dict[Move, tuple[Party, ...]] = {
    M.TRANSFER: (Party.DESK,),
    M.TAKE: (Party.RESOLVER,),
    M.SUBMIT: (Party.HANDLER,),
    M.APPROVE: (Party.RESOLVER_LEADER,),
    M.SEND_BACK: (Party.RESOLVER_LEADER,),
    M.REQUEST_SUPPLEMENT: (Party.HANDLER,),
    M.SUPPLEMENT_RECEIVED: (Party.DESK, Party.HANDLER),
    M.SUSPEND: (Party.RESOLVER_LEADER,),
    M.WITHDRAW: (Party.DESK,),
    M.RETURN_RESULT: (Party.DESK,),
}

# Moves the applicant is told about in the public lookup, and must therefore be given a message for.
NEEDS_PUBLIC_MESSAGE = (M.REQUEST_SUPPLEMENT, M.SUSPEND)
# Moves that need an internal note saying why.
NEEDS_NOTE = (M.SEND_BACK, M.SUSPEND, M.WITHDRAW)


def next_status(status: DossierStatus, move: Move) -> DossierStatus | None:
    return TRANSITIONS.get((status, move))
