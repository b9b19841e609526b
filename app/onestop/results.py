"""A dossier's result as an outgoing document: the handler drafts it in the documents module from the dossier (a
decision, a licence, a written reply), where it is signed by the competent leader and issued by the clerk with its
register number and notation; the dossier shows that number and notation as its result, and its approval waits for
the document to be issued."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from flask_babel import gettext
from pydantic import BaseModel, ConfigDict, Field

from ..audit.models import AuditAction
from ..auth.models import User
from ..documents.schemas import DocumentType, DraftInput
from ..documents.service import create_draft
from ..documents.uploads import Upload
from ..documents.vocabulary import DocumentStatus
from ..errors import Forbidden, InvalidInput, InvalidState
from ..extensions import utcnow
from ..validation import Text
from .intake import get_dossier
from .machine import Party
from .models import Dossier, DossierStatus
from .processing import audit_dossier, is_party, lock_dossier, on_timeline

# The documents a procedure's result usually is, first the default.
RESULT_TYPES = ("QĐ", "CV", "TB")


class ResultDraftInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_type: DocumentType = "QĐ"  # a Decree 30 abbreviation: QĐ (a decision), CV (a reply), TB (a notice)
    subject: Annotated[Text, Field(min_length=1, max_length=4000)] | None = None  # default: from the procedure


@dataclass
class Result:
    document_id: int
    status: str
    subject: str
    number: str | None
    notation: str | None
    issued_on: date | None

    @property
    def issued(self) -> bool:
        return self.status == DocumentStatus.ISSUED


def result_of(dossier: Dossier) -> Result | None:
    """The dossier's result document as it stands (its number and notation once issued)."""
    doc = dossier.result_document
    if doc is None:
        return None
    return Result(doc.id, doc.status, doc.subject, doc.number, doc.notation, doc.issued_on)


def can_draft_result(actor: User, dossier: Dossier) -> bool:
    return (
        dossier.status == DossierStatus.IN_PROCESS
        and dossier.result_document_id is None
        and is_party(actor, dossier, Party.HANDLER)
    )


def _check_may_draft(actor: User, dossier: Dossier) -> None:
    if dossier.status != DossierStatus.IN_PROCESS:
        raise InvalidState(gettext("The result is drafted while the dossier is in process."), state=dossier.status)
    if not is_party(actor, dossier, Party.HANDLER):
        raise Forbidden(gettext("Only the dossier's handler drafts its result."))
    if dossier.result_document_id is not None:
        raise InvalidState(gettext("The dossier's result is drafted already."), state=dossier.status)


def draft_result(actor: User, code: str, data: ResultDraftInput, main: Upload | None) -> Dossier:
    """Open the outgoing draft of the dossier's result in the documents module, with `main` (the PDF the leader
    will sign) as its text: the handler, or a leader of the resolving organisation, while the dossier is in
    process; one per dossier.

    Checked first without a lock, so that a refusal costs nothing; the file is put in the store before the
    transaction writes; then the dossier is locked and checked again (two drafts at once: the second is refused)."""
    _check_may_draft(actor, get_dossier(actor, code))
    if main is None:
        raise InvalidInput({"file": gettext("Attach the result as a PDF: it is what the leader signs.")})
    dossier = get_dossier(actor, code)
    subject = data.subject or f"Về việc giải quyết thủ tục {dossier.procedure.name} cho {dossier.applicant_name}"
    draft = DraftInput(
        document_type=data.document_type,
        subject=subject,
        recipients=dossier.applicant_name,
        notes=f"Kết quả giải quyết hồ sơ {dossier.code} (thủ tục {dossier.procedure.code}).",
    )
    doc = create_draft(actor, draft, main)
    dossier = lock_dossier(actor, code, (Party.HANDLER,), gettext("Only the dossier's handler drafts its result."))
    _check_may_draft(actor, dossier)
    dossier.result_document = doc
    on_timeline(dossier, actor, utcnow(), result_document=doc.id)
    audit_dossier(AuditAction.DOSSIER_RESULT_DRAFTED, actor, dossier, document_id=doc.id)
    return dossier
