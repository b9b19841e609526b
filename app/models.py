"""Imports every domain's models so that SQLAlchemy and Alembic see all tables."""

from .archive.models import ArchiveImport, RecordFile, RecordFileDocument  # noqa: F401
from .audit.models import AuditChainHead, AuditEvent  # noqa: F401
from .auth.models import ApiToken, Organisation, Unit, User, UserRole  # noqa: F401
from .calendar.models import CalendarDay, OfficeHours  # noqa: F401
from .documents.models import Document, DocumentChange, DocumentFile, DocumentGrant, Register  # noqa: F401
from .notify.models import Notification  # noqa: F401
from .onestop.models import (  # noqa: F401
    ApplicantNotice,
    Dossier,
    DossierApology,
    DossierEvent,
    DossierPaper,
    Procedure,
    ProcedurePaper,
    ProcedureStep,
    ReceiptCounter,
)
from .outbox import OutboxItem  # noqa: F401
from .ratelimit import RateWindow  # noqa: F401
from .routing.models import (  # noqa: F401
    Arrival,
    Dispatch,
    DispatchEvent,
    ExchangeIdentity,
    Peer,
    PeerOrganisation,
    ReceivedMessage,
)
from .search.models import BlobText  # noqa: F401
from .signing.models import (  # noqa: F401
    Certificate,
    CertificateAuthority,
    Credential,
    SignatureImage,
    SignatureReport,
    SigningProfile,
    TrustRoot,
)
from .storage.models import Blob  # noqa: F401
from .tasks.models import (  # noqa: F401
    Task,
    TaskDeadlineRule,
    TaskEvent,
    TaskFile,
    TaskParticipant,
    TaskReminder,
)
