"""Bulk import of past documents from a CSV manifest: one row per document, its PDF beside the manifest.

Each row is checked by the rules documents are registered by (the same schemas, the same PDF check); a row that
fails is rejected with its line and every problem, and the others go on. An accepted row becomes a document in
the state its paper original is in (incoming: registered; outgoing: issued), keeping its own number and notation,
with its PDF in the object store, its creation in the audit log, and an `ArchiveImport` row whose key says which
past document it is, so importing the same manifest again (or the rest of an interrupted one) makes nothing twice.

Nothing here commits: `import_manifest` yields after each batch's rows are written, and the command commits
there, so an interrupted import keeps its finished batches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from ..auth.models import Organisation, Role, User
from ..auth.service import organisation_by_code
from ..clock import local_today
from ..documents.models import Document, Register
from ..documents.schemas import DraftInput, IncomingInput
from ..documents.service import StoredFile, add_document, check_new_document, duplicate_key_of, fold
from ..documents.uploads import Upload, pdf_page_count, safe_filename
from ..documents.vocabulary import Direction, DocumentStatus, FileRole, Secrecy, label
from ..errors import DomainError, Forbidden, InvalidInput, NotFound
from ..extensions import db, insert_or_ignore, read_before_writing
from ..storage.service import PutBlob, put_blob
from ..validation import parse
from .manifest import Manifest, ManifestRow, Vocabulary, split_number_notation
from .models import ArchiveImport

BATCH_SIZE = 200
# A batch also ends before its files pass this size: they are held in memory until the batch is written.
BATCH_BYTES = 256 * 1024 * 1024
# Columns that are not fields of a document: read by the importer itself.
_OWN_FIELDS = {"direction", "number_notation", "register_number", "file", "organisation"}


def row_key(organisation_code: str, direction: str, data: IncomingInput | DraftInput, issuer: str | None) -> str:
    """What says which past document a row is: its organisation, direction, number, notation, issuer and date of
    issue, folded (leading zeros of the number and spaces of the notation ignored), hashed. A row with neither
    number nor notation is told apart by its subject as well."""
    parts = [
        fold(organisation_code),
        direction,
        fold(data.number).lstrip("0"),
        fold(data.notation).replace(" ", ""),
        fold(issuer),
        data.issued_on.isoformat() if data.issued_on else "",
    ]
    if not (data.number or data.notation):
        parts.append(fold(data.subject))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# --- Results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    row: ManifestRow
    problems: tuple[str, ...]

    @property
    def line(self) -> int:
        return self.row.line

    @property
    def reason(self) -> str:
        return "; ".join(self.problems)


@dataclass
class Batch:
    """What one batch did: the rows it went through, in manifest order within each list."""

    rows: int = 0
    imported: list[tuple[int, int | None]] = field(default_factory=list)  # (line, document id; None in a dry run)
    already: list[int] = field(default_factory=list)  # lines
    rejected: list[Rejection] = field(default_factory=list)


@dataclass
class _Candidate:
    row: ManifestRow
    direction: str
    values: dict[str, Any]  # what the document schema reads
    problems: list[str]
    data: IncomingInput | DraftInput | None = None
    key: str | None = None
    register_number: int | None = None
    file_text: str = ""
    upload: Upload | None = None
    stored: StoredFile | None = None
    pages: int | None = None

    @property
    def register_claim(self) -> tuple[str, int, bool, int] | None:
        """(direction, year, secret series, number): the register entry the row asks for."""
        if self.register_number is None or self.data is None:
            return None
        day = getattr(self.data, "received_on", None) if self.direction == Direction.INCOMING else self.data.issued_on
        if day is None:
            return None
        return self.direction, day.year, self.data.secrecy != Secrecy.NORMAL, self.register_number


class _EntryTaken(Exception):
    """The register number a row gives was taken while the batch was written."""


# --- Who imports -------------------------------------------------------------------------------------------


def importing_user(username: str, organisation_code: str | None = None) -> tuple[User, Organisation]:
    """The user the documents are created by, and the organisation they are imported into (the user's own when
    no code is given). Only a clerk or an archivist of that organisation imports its past documents."""
    user = db.session.scalars(sa.select(User).where(User.username == username.strip().lower())).one_or_none()
    if user is None or not user.active:
        raise NotFound(gettext("There is no active user %(username)s.", username=username))
    organisation = organisation_by_code(organisation_code) if organisation_code else user.organisation
    if user.organisation_id != organisation.id:
        raise Forbidden(
            gettext("%(username)s is not a member of %(code)s.", username=user.username, code=organisation.code)
        )
    if not user.has_role(Role.CLERK, Role.ARCHIVIST):
        raise Forbidden(gettext("Only a clerk or an archivist imports past documents."))
    return user, organisation


# --- Importing ----------------------------------------------------------------------------------------------


class _Importer:
    """One run over one manifest; remembers across batches which keys and register entries its rows took."""

    def __init__(
        self,
        manifest: Manifest,
        actor: User,
        organisation: Organisation,
        *,
        allow_outside: bool,
        batch_size: int,
    ) -> None:
        self.manifest = manifest
        self.actor = actor
        self.organisation = organisation
        self.allow_outside = allow_outside
        self.batch_size = max(1, batch_size)
        self.folder = manifest.folder
        self.max_bytes = int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024
        self.vocabulary = Vocabulary.load()
        self.first_line_of: dict[str, int] = {}  # row key -> the line it was first met on in this run
        self.claimed: dict[tuple[str, int, bool, int], int] = {}  # register entry -> the line that took it

    def chunks(self) -> Iterator[list[ManifestRow]]:
        """The rows a batch at a time: at most `batch_size` rows, and files of at most BATCH_BYTES together."""
        chunk: list[ManifestRow] = []
        size = 0
        for row in self.manifest.rows:
            hint = self._size_hint(row)
            if chunk and (len(chunk) >= self.batch_size or size + hint > BATCH_BYTES):
                yield chunk
                chunk, size = [], 0
            chunk.append(row)
            size += hint
        if chunk:
            yield chunk

    # Phase one, outside any transaction: read and check the rows, then put their files in the store.

    def prepare(self, rows: list[ManifestRow]) -> tuple[Batch, list[_Candidate]]:
        """Sort a batch's rows into already imported, rejected (with every problem), and ready to write."""
        batch = Batch(rows=len(rows))
        candidates = [self._candidate(row) for row in rows]
        imported = self._imported_keys([c.key for c in candidates if c.key])
        checked: list[_Candidate] = []
        for candidate in candidates:
            line = candidate.row.line
            if candidate.key is not None:
                first = self.first_line_of.setdefault(candidate.key, line)
                if first != line:
                    batch.rejected.append(self._rejection(candidate, self._repeats(first)))
                    continue
                if candidate.key in imported:
                    batch.already.append(line)
                    continue
            self._check(candidate)
            if candidate.problems:
                batch.rejected.append(Rejection(candidate.row, tuple(candidate.problems)))
            else:
                checked.append(candidate)
        alike = self._recorded_alike(checked)
        taken = self._entries_taken(checked)
        ready = []
        for candidate in checked:
            claim = candidate.register_claim
            if candidate.key in alike:
                message = gettext("This document is already recorded (document %(id)s).", id=alike[candidate.key])
                batch.rejected.append(self._rejection(candidate, message))
            elif claim is not None and (claim in taken or claim in self.claimed):
                batch.rejected.append(self._rejection(candidate, self._entry_used(claim)))
            else:
                if claim is not None:
                    self.claimed[claim] = candidate.row.line
                ready.append(candidate)
        return batch, ready

    def store(self, ready: list[_Candidate]) -> None:
        """Put each ready row's PDF in the store, before the batch's transaction; the same bytes once. When the
        store fails, the error says the line of the row whose file could not be put."""
        put_now: dict[str, PutBlob] = {}
        for candidate in ready:
            upload = candidate.upload
            assert upload is not None
            sha256 = hashlib.sha256(upload.data).hexdigest()
            filename = safe_filename(upload.filename, "document.pdf")
            if sha256 not in put_now:
                try:
                    put_now[sha256] = put_blob(upload.data, "application/pdf", filename)
                except DomainError as err:  # the store stopped answering
                    err.details.setdefault("line", candidate.row.line)
                    raise
            candidate.stored = StoredFile(FileRole.MAIN, filename, put_now[sha256], upload.data)

    def _candidate(self, row: ManifestRow) -> _Candidate:
        """A row's values as the document schema reads them (codes for what a clerk wrote in words), and its key
        when its fields are valid. Problems that are not the schema's are collected here."""
        raw = self.manifest.values(row)
        problems: list[str] = []
        if len(row.cells) > len(self.manifest.headers):
            problems.append(
                gettext(
                    "The row has %(cells)s values but the manifest has %(columns)s columns.",
                    cells=len(row.cells),
                    columns=len(self.manifest.headers),
                )
            )
        direction = self.vocabulary.code(self.vocabulary.directions, raw.get("direction", ""))
        if direction not in {Direction.INCOMING, Direction.OUTGOING}:
            problems.append(
                self._problem("direction", gettext("Must be one of: %(values)s.", values="incoming, outgoing"))
            )
        org_code = raw.get("organisation", "")
        if org_code and org_code.upper() != self.organisation.code:
            message = gettext(
                "This import is for %(code)s, not %(other)s.", code=self.organisation.code, other=org_code
            )
            problems.append(self._problem("organisation", message))
        values: dict[str, Any] = {name: text for name, text in raw.items() if name not in _OWN_FIELDS and text}
        if raw.get("number_notation") and not (values.get("number") or values.get("notation")):
            number, notation = split_number_notation(raw["number_notation"])
            values.update({k: v for k, v in (("number", number), ("notation", notation)) if v})
        for name, choices in (
            ("document_type", self.vocabulary.types),
            ("urgency", self.vocabulary.urgencies),
            ("secrecy", self.vocabulary.secrecies),
        ):
            if name in values:
                values[name] = self.vocabulary.code(choices, values[name])
        candidate = _Candidate(row, direction, values, problems, file_text=raw.get("file", ""))
        register_text = raw.get("register_number", "")
        if register_text:
            if register_text.isdigit() and 0 < int(register_text) < 10**9:
                candidate.register_number = int(register_text)
            else:
                problems.append(self._problem("register_number", gettext("Not a whole number.")))
        if not problems:
            try:
                candidate.data = parse(IncomingInput if direction == Direction.INCOMING else DraftInput, values)
            except InvalidInput:
                candidate.data = None  # its problems are named with the file's when the row is checked in full
        if candidate.data is not None:
            candidate.key = row_key(self.organisation.code, direction, candidate.data, self._issuer(candidate))
        return candidate

    def _check(self, candidate: _Candidate) -> None:
        """The full check of a row not imported before: every problem of its fields and of its file at once, by the
        rules a clerk's registration follows, and what a past document needs besides."""
        upload = self._read(candidate)
        try:
            data = check_new_document(candidate.direction, candidate.values, upload, [])
        except InvalidInput as err:
            for name, message in err.fields.items():
                if name == "file" and upload is None and candidate.file_text:
                    continue  # the file's own problem is said already
                candidate.problems.append(self._problem(name, message))
            return
        candidate.data = data
        received_on = getattr(data, "received_on", None)
        for name, day in (("issued_on", data.issued_on), ("received_on", received_on)):
            if day is not None and day > local_today():
                candidate.problems.append(self._problem(name, gettext("The date is in the future.")))
        if candidate.direction == Direction.OUTGOING:
            for name in ("number", "issued_on"):  # an issued document has both (Decree 30, art. 15)
                if getattr(data, name) is None:
                    candidate.problems.append(self._problem(name, gettext("Required.")))
        if candidate.register_number is not None and candidate.register_claim is None:
            name = "received_on" if candidate.direction == Direction.INCOMING else "issued_on"
            message = gettext("A register number needs this date: it gives the register's year.")
            candidate.problems.append(self._problem(name, message))
        if candidate.problems or upload is None:
            return
        candidate.upload = upload
        candidate.pages = pdf_page_count(upload.data)  # remembered from the check: not parsed again
        if candidate.key is None:
            candidate.key = row_key(self.organisation.code, candidate.direction, data, self._issuer(candidate))

    def _issuer(self, candidate: _Candidate) -> str | None:
        """An outgoing document is issued by the organisation itself unless the row names another issuer."""
        assert candidate.data is not None
        if candidate.direction == Direction.OUTGOING:
            return candidate.data.issuer or self.organisation.name
        return candidate.data.issuer

    def _locate(self, text: str) -> tuple[Path | None, str | None]:
        """The file a row names, relative to the manifest's folder or absolute, or why it cannot be used. The path
        is resolved (links followed) before it is compared with the folder, so no ../ or link leads out of it."""
        try:
            path = Path(text.replace("\\", "/"))
            resolved = (path if path.is_absolute() else self.folder / path).resolve()
        except (OSError, ValueError, RuntimeError):
            return None, gettext("No such file: %(path)s.", path=text)
        if not self.allow_outside and not resolved.is_relative_to(self.folder):
            return None, gettext(
                "%(path)s is outside the manifest's folder (allowed only with --allow-outside).", path=text
            )
        if not resolved.exists():
            return None, gettext("No such file: %(path)s.", path=text)
        if not resolved.is_file():
            return None, gettext("Not a file: %(path)s.", path=text)
        return resolved, None

    def _size_hint(self, row: ManifestRow) -> int:
        text = self.manifest.values(row).get("file", "")
        path = self._locate(text)[0] if text else None
        try:
            return path.stat().st_size if path is not None else 0
        except OSError:
            return 0

    def _read(self, candidate: _Candidate) -> Upload | None:
        """The row's file, or None with the reason among the row's problems (none when no file is named: the
        document's own check says a PDF is needed)."""
        if not candidate.file_text:
            return None
        path, problem = self._locate(candidate.file_text)
        if path is None:
            candidate.problems.append(self._problem("file", problem or ""))
            return None
        try:
            if path.stat().st_size > self.max_bytes:
                limit = current_app.config["MAX_UPLOAD_MB"]
                message = gettext("The upload is larger than the limit of %(mb)s MB.", mb=limit)
                candidate.problems.append(self._problem("file", message))
                return None
            data = path.read_bytes()
        except OSError as err:
            why = err.strerror or type(err).__name__
            candidate.problems.append(self._problem("file", gettext("The file cannot be read (%(why)s).", why=why)))
            return None
        return Upload(path.name, data)

    def _problem(self, name: str, message: str) -> str:
        return f"{self.manifest.header_of(name)}: {message}"

    def _rejection(self, candidate: _Candidate, message: str) -> Rejection:
        return Rejection(candidate.row, (message,))

    def _repeats(self, line: int) -> str:
        return gettext("The same document as line %(line)s (same number, notation, issuer and date).", line=line)

    def _entry_used(self, claim: tuple[str, int, bool, int]) -> str:
        direction, year, _secret, number = claim
        return self._problem(
            "register_number",
            gettext(
                "Number %(number)s is already used in the %(direction)s register of %(year)s.",
                number=number,
                direction=label(Direction, direction).lower(),
                year=year,
            ),
        )

    # What is recorded already, read before the batch's transaction.

    def _imported_keys(self, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        table = ArchiveImport.__table__
        rows = read_before_writing(
            sa.select(table.c.row_key).where(table.c.organisation_id == self.organisation.id, table.c.row_key.in_(keys))
        )
        return {row.row_key for row in rows}

    def _recorded_alike(self, candidates: list[_Candidate]) -> dict[str, int]:
        """Rows whose document is already recorded otherwise (registered or issued in the application, say):
        the same number, notation and issuer, and the same date of issue, since numbers restart every year.
        By row key, the document's id."""
        table = Document.__table__
        found: dict[str, int] = {}
        incoming = {}
        for candidate in candidates:
            assert candidate.data is not None and candidate.key is not None
            if candidate.direction == Direction.INCOMING and candidate.data.issued_on is not None:
                data = candidate.data
                duplicate_key = duplicate_key_of(data.number, data.notation, data.issuer)
                if duplicate_key is not None:
                    incoming[(duplicate_key, data.issued_on)] = candidate.key
        if incoming:
            rows = read_before_writing(
                sa.select(table.c.id, table.c.duplicate_key, table.c.issued_on).where(
                    table.c.organisation_id == self.organisation.id,
                    table.c.direction == Direction.INCOMING,
                    table.c.duplicate_key.in_({key for key, _ in incoming}),
                )
            )
            for row in rows:
                key = incoming.get((row.duplicate_key, row.issued_on))
                if key is not None:
                    found.setdefault(key, row.id)
        outgoing: dict[tuple[str, str, date], str] = {}
        for candidate in candidates:
            data = candidate.data
            assert data is not None and candidate.key is not None
            if candidate.direction == Direction.OUTGOING and data.issued_on is not None:
                outgoing[(fold(data.number).lstrip("0"), fold(data.notation).replace(" ", ""), data.issued_on)] = (
                    candidate.key
                )
        if outgoing:
            rows = read_before_writing(
                sa.select(table.c.id, table.c.number, table.c.notation, table.c.issued_on).where(
                    table.c.organisation_id == self.organisation.id,
                    table.c.direction == Direction.OUTGOING,
                    table.c.status != DocumentStatus.DRAFT,
                    table.c.issued_on.in_({day for _, _, day in outgoing}),
                )
            )
            for row in rows:
                number = fold(row.number).lstrip("0")
                key = outgoing.get((number, fold(row.notation).replace(" ", ""), row.issued_on))
                if key is not None and number:
                    found.setdefault(key, row.id)
        return found

    def _entries_taken(self, candidates: list[_Candidate]) -> set[tuple[str, int, bool, int]]:
        """The register entries these rows ask for that documents hold already."""
        claims = {c.register_claim for c in candidates} - {None}
        if not claims:
            return set()
        documents, registers = Document.__table__, Register.__table__
        rows = read_before_writing(
            sa.select(registers.c.direction, registers.c.year, registers.c.secret, documents.c.register_number)
            .join(documents, documents.c.register_id == registers.c.id)
            .where(
                registers.c.organisation_id == self.organisation.id,
                registers.c.year.in_({claim[1] for claim in claims if claim}),
                documents.c.register_number.in_({claim[3] for claim in claims if claim}),
            )
        )
        return {(row.direction, row.year, bool(row.secret), row.register_number) for row in rows} & claims

    # Phase two, in the batch's transaction: the documents, their register entries, their import rows.

    def write(self, ready: list[_Candidate], batch: Batch) -> None:
        """Write the ready rows; the caller commits. A row imported meanwhile by another run is counted as
        already imported; each row is written under a savepoint, so a row refused here leaves nothing behind."""
        keys = [c.key for c in ready if c.key]
        present = set(
            db.session.scalars(
                sa.select(ArchiveImport.row_key).where(
                    ArchiveImport.organisation_id == self.organisation.id, ArchiveImport.row_key.in_(keys)
                )
            )
        )
        for candidate in ready:
            assert candidate.key is not None
            if candidate.key in present:
                batch.already.append(candidate.row.line)
                continue
            try:
                with db.session.begin_nested():
                    doc = self._create(candidate)
            except _EntryTaken:
                claim = candidate.register_claim
                assert claim is not None
                batch.rejected.append(self._rejection(candidate, self._entry_used(claim)))
                continue
            except IntegrityError:
                if candidate.key not in self._imported_keys([candidate.key]):
                    raise
                batch.already.append(candidate.row.line)
                continue
            batch.imported.append((candidate.row.line, doc.id))

    def _create(self, candidate: _Candidate) -> Document:
        data, stored = candidate.data, candidate.stored
        assert data is not None and stored is not None and candidate.key is not None
        org = self.organisation
        values = data.model_dump(exclude={"confirm_duplicate", "page_count"})
        if candidate.direction == Direction.OUTGOING:
            values["issuer"] = values.get("issuer") or org.name
            values["issuer_code"] = values.get("issuer_code") or org.code
            values["place"] = values.get("place") or org.place
        claim = candidate.register_claim
        register = self._enter(claim) if claim is not None else None
        status = DocumentStatus.REGISTERED if candidate.direction == Direction.INCOMING else DocumentStatus.ISSUED
        with db.session.no_autoflush:
            doc = Document(
                direction=candidate.direction,
                status=str(status),
                **values,
                page_count=data.page_count or candidate.pages,
                register=register,
                register_number=claim[3] if claim is not None else None,
                organisation=org,
                created_by=self.actor,
            )
        source = f"{self.manifest.path.name}:{candidate.row.line}"
        add_document(doc, self.actor, [stored], imported_from=self.manifest.path.name, line=candidate.row.line)
        db.session.add(
            ArchiveImport(organisation_id=org.id, row_key=candidate.key, document_id=doc.id, source=source[-500:])
        )
        db.session.flush()
        return doc

    def _enter(self, claim: tuple[str, int, bool, int]) -> Register:
        """The register a row's own number goes into, opened if need be. Its last number is raised to the row's
        number (never lowered), so the application's own numbering of that register goes on after the entries of
        the paper register, not through them. The register's row is locked first: a clerk numbering in it now
        is waited for, then seen."""
        direction, year, secret, number = claim
        where = (
            Register.organisation_id == self.organisation.id,
            Register.direction == direction,
            Register.year == year,
            Register.secret == secret,
        )
        opened = {"organisation_id": self.organisation.id, "direction": direction, "year": year, "secret": secret}
        db.session.execute(insert_or_ignore(Register.__table__, {**opened, "last_number": 0}))
        register = db.session.scalars(
            sa.select(Register).where(*where).with_for_update().execution_options(populate_existing=True)
        ).one()
        used = db.session.scalar(
            sa.select(Document.id).where(Document.register_id == register.id, Document.register_number == number)
        )
        if used is not None:
            raise _EntryTaken
        if register.last_number < number:
            register.last_number = number
        return register


def import_manifest(
    manifest: Manifest,
    actor: User,
    organisation: Organisation,
    *,
    allow_outside: bool = False,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Batch]:
    """Import a manifest's past documents into `organisation` as `actor`, a batch at a time; after each batch is
    written (nothing is, in a dry run) this yields what it did, and the caller commits.

    Each row becomes one document: incoming ones registered, outgoing ones issued, with the row's own number and
    notation and, only when the row gives it, its register number in that year's register (no number is taken
    from the registers of the application). A row already imported (by its key: organisation, direction, number,
    notation, issuer, date) is skipped, so running a manifest again, or the whole of one stopped halfway, makes
    every document once. Files go to the store before their batch's transaction begins: a store that stops
    raises StorageUnavailable with nothing of that batch written, and the batches before it stay.
    """
    importer = _Importer(manifest, actor, organisation, allow_outside=allow_outside, batch_size=batch_size)
    for rows in importer.chunks():
        batch, ready = importer.prepare(rows)
        if dry_run:
            batch.imported.extend((candidate.row.line, None) for candidate in ready)
        else:
            importer.store(ready)
            importer.write(ready, batch)
        batch.imported.sort()
        batch.already.sort()
        batch.rejected.sort(key=lambda rejection: rejection.line)
        yield batch
