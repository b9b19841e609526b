from __future__ import annotations

from flask_babel import lazy_gettext

from ..errors import DependencyDown, DomainError


class StorageUnavailable(DependencyDown):
    code = "storage_unavailable"
    default_message = lazy_gettext(
        "The file store is not answering, so nothing was saved. Try again in a moment; "
        "the list and the document pages still work."
    )


class BlobMissing(DomainError):
    status = 500
    code = "blob_missing"
    default_message = lazy_gettext("The stored file is missing from the file store. Tell the administrator.")


class BlobCorrupt(DomainError):
    """The bytes read back do not hash to the name they are stored under."""

    status = 500
    code = "integrity_error"
    default_message = lazy_gettext(
        "The stored file failed its integrity check and was not served. Tell the administrator."
    )
