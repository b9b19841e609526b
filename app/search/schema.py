"""The index's fields, and a document as the index holds it.

Each text is indexed as written (lower case) and folded; the folded fields are what every query matches, the
exact ones only add to the score, so that a search typed with diacritics ranks exact matches first. `pairs_f`
holds the folded syllable pairs of the subject, body and issuer, for phrases (a phrase's exact words add to its
score; exact pairs as well would double the cost of indexing for no better order); the subject, issuer and
signer have pairs of their own, for a phrase in one of them (`coquan:"Sở Công thương"`). No field keeps word
positions: a phrase is its pairs, and postings without positions are read four times faster by the search
(engine.py). The notation is kept whole ("123/qđ-ubnd") and in parts. Facets and filters read sortable columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import (
    exact_analyzer,
    fold,
    folded_analyzer,
    folded_pairs_analyzer,
    nfc,
)

# Raised whenever the fields change: an index of another version is rebuilt (see index.py).
SCHEMA_VERSION = 4

# How much an exact (diacritics as typed) match weighs against a folded one, and the fields against each other.
EXACT_BOOST = 2.0
SUBJECT_BOOST = 3.0
ISSUER_BOOST = 1.5


def make_schema() -> Schema:
    exact, folded, pairs = exact_analyzer(), folded_analyzer(), folded_pairs_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        version=STORED(),  # what the document looked like when indexed: `flask search check` compares it
        org=ID(),
        secrecy=ID(),
        readers=KEYWORD(),  # a secret document: the users it was granted to (everyone may read the others)
        direction=ID(sortable=True),
        document_type=ID(sortable=True),
        urgency=ID(),
        year=NUMERIC(int, bits=32, sortable=True, signed=False),
        day=NUMERIC(int, bits=32, sortable=True, signed=False),  # yyyymmdd of issue (or entry)
        issuer_facet=ID(sortable=True),  # the issuer's name as written, for the facet
        number=ID(),  # lower case
        notation=ID(),  # "123/qđ-ubnd", whole, NFC lower case
        notation_f=ID(),  # the same folded
        kyhieu_f=ID(),  # the notation without its number, folded: "qd-ubnd"
        notation_parts=KEYWORD(lowercase=True),  # "123 qd ubnd", folded
        subject=TEXT(analyzer=exact, field_boost=SUBJECT_BOOST * EXACT_BOOST, phrase=False),
        subject_f=TEXT(analyzer=folded, field_boost=SUBJECT_BOOST, phrase=False),
        body=TEXT(analyzer=exact, field_boost=EXACT_BOOST, phrase=False),
        body_f=TEXT(analyzer=folded, phrase=False),
        issuer=TEXT(analyzer=exact, field_boost=ISSUER_BOOST * EXACT_BOOST, phrase=False),
        issuer_f=TEXT(analyzer=folded, field_boost=ISSUER_BOOST, phrase=False),
        signer_f=TEXT(analyzer=folded, phrase=False),
        pairs_f=TEXT(analyzer=pairs, phrase=False),
        subject_pairs_f=TEXT(analyzer=pairs, field_boost=SUBJECT_BOOST, phrase=False),
        issuer_pairs_f=TEXT(analyzer=pairs, field_boost=ISSUER_BOOST, phrase=False),
        signer_pairs_f=TEXT(analyzer=pairs, phrase=False),
    )


@dataclass(frozen=True)
class IndexedDocument:
    """What the index is given for one document (built from the database and the extracted text)."""

    id: int
    version: str
    organisation_id: int
    secrecy: str
    direction: str
    document_type: str
    urgency: str
    day: date
    issuer: str
    number: str
    notation: str
    subject: str
    signer: str
    body: str
    readers: tuple[int, ...] = ()

    def fields(self) -> dict[str, object]:
        notation = nfc(self.notation).lower()
        number = nfc(self.number).lower()
        whole = f"{number}/{notation}" if number and notation else number or notation
        subject, body, issuer = nfc(self.subject), nfc(self.body), nfc(self.issuer)
        # The pairs of the three texts go in one field: a pair across the end of one and the start of the next
        # is a rare false match, and one field is one look-up per pair.
        joined = "\n".join((subject, issuer, body))
        return {
            "id": str(self.id),
            "version": self.version,
            "org": str(self.organisation_id),
            "secrecy": self.secrecy,
            "readers": " ".join(str(r) for r in self.readers),
            "direction": self.direction,
            "document_type": self.document_type,
            "urgency": self.urgency,
            "year": self.day.year,
            "day": self.day.year * 10000 + self.day.month * 100 + self.day.day,
            "issuer_facet": issuer,
            "number": number,
            "notation": whole,
            "notation_f": fold(whole),
            "kyhieu_f": fold(notation),
            "notation_parts": " ".join(fold(whole).replace("/", " ").replace("-", " ").split()),
            "subject": subject,
            "subject_f": subject,
            "body": body,
            "body_f": body,
            "issuer": issuer,
            "issuer_f": issuer,
            "signer_f": nfc(self.signer),
            "pairs_f": joined,
            "subject_pairs_f": subject,
            "issuer_pairs_f": issuer,
            "signer_pairs_f": nfc(self.signer),
        }
