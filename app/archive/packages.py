"""Records files as ZIP files: the export of one file, and the transfer package (gói nộp lưu) of several.

Both hold each filed document's current main file and attachments, read from the object store (each read is
re-hashed), in a folder per document named by its place in the file, its number and its notation, with
`manifest.csv` and `manifest.json` listing every document's metadata and each file's name, size and SHA-256.
The transfer package adds the metadata of Decree 30/2020, Appendix VI: one `HoSo.xml` per records file and one
`VanBan.xml` per document.

The ZIP is built whole in a temporary file before anything is sent or recorded: when the store stops answering
half-way, the request fails with 503, no byte of the ZIP has left, and no download is recorded. Each file that
went into a ZIP gets a `document:file:downloaded` event on its document (its view history) saying it came through
this export.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from flask_babel import gettext

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import User
from ..clock import local_now, local_today
from ..documents.models import Document, DocumentFile
from ..documents.vocabulary import Channel, Secrecy, type_label
from ..errors import Forbidden, InvalidState
from ..extensions import utcnow
from ..storage.service import read_blob
from . import retention, service
from .models import RecordFile

VIA_EXPORT = "record_file_export"
VIA_TRANSFER = "transfer_package"

# The values of Appendix VI's closed fields, in Vietnamese whatever the reader's language: the package is read
# by the archive, not shown on a page.
LANGUAGE = "Tiếng Việt"
PERMANENT = "Vĩnh viễn"
ACCESS: dict[str, str] = {  # chế độ sử dụng, from the document's secrecy
    Secrecy.NORMAL: "Công khai",
    Secrecy.CONFIDENTIAL: "Mật",
    Secrecy.SECRET: "Tối mật",
    Secrecy.TOP_SECRET: "Tuyệt mật",
}
ACCESS_ORDER = [Secrecy.NORMAL, Secrecy.CONFIDENTIAL, Secrecy.SECRET, Secrecy.TOP_SECRET]
BORN_DIGITAL, DIGITISED = "Gốc điện tử", "Số hóa"  # mức độ tin cậy

CSV_COLUMNS = [
    "records_code",
    "position",
    "document_id",
    "direction",
    "document_type",
    "number",
    "notation",
    "issued_on",
    "issuer",
    "subject",
    "page_count",
    "role",
    "filename",
    "path",
    "size",
    "sha256",
]


@dataclass
class Package:
    """A finished ZIP in a temporary file (deleted when closed), ready to be sent."""

    filename: str
    file: IO[bytes]
    size: int
    sha256: str


@dataclass
class _Part:
    """One stored file of a document, as it went into the ZIP."""

    file: DocumentFile
    path: str
    size: int
    sha256: str


@dataclass
class _DocumentPart:
    position: int
    folder: str
    document: Document
    parts: list[_Part] = field(default_factory=list)


@dataclass
class _RecordFilePart:
    record_file: RecordFile
    records_code: str
    folder: str
    documents: list[_DocumentPart] = field(default_factory=list)


# --- Names ------------------------------------------------------------------------------------------------------

_NOT_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def ascii_name(text: str | None, limit: int = 60) -> str:
    """A name any unzip tool and file system take: ASCII letters, digits, dot, dash and underscore only,
    Vietnamese letters folded (Đ to D), no leading dots, at most `limit` characters."""
    folded = unicodedata.normalize("NFKD", (text or "").replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    safe = _NOT_SAFE.sub("-", folded).strip("-._")
    return re.sub(r"-{2,}", "-", safe)[:limit].rstrip("-._")


def _file_name(filename: str, taken: set[str]) -> str:
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ext = ascii_name(ext, 10).lower()
    base = ascii_name(stem, 80) or "file"
    name = f"{base}.{ext}" if ext else base
    n = 2
    while name.lower() in taken:
        name = f"{base}-{n}.{ext}" if ext else f"{base}-{n}"
        n += 1
    taken.add(name.lower())
    return name


def document_folder(position: int, doc: Document) -> str:
    """`001_15_SCT-VP`: the place in the records file, the number and the notation."""
    parts = [f"{position:03d}", ascii_name(doc.number, 20), ascii_name(doc.notation, 60)]
    named = "_".join(p for p in parts if p)
    return named if named != parts[0] else f"{parts[0]}_document-{doc.id}"


def records_code(f: RecordFile, organisation_code: str) -> str:
    """Mã hồ sơ (Decree 30/2020, Appendix VI): the organisation's code, the file's year, its số và ký hiệu."""
    return f"{organisation_code}.{f.year}.{f.code}"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


# --- Metadata ---------------------------------------------------------------------------------------------------


def document_metadata(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "direction": doc.direction,
        "status": doc.status,
        "document_type": doc.document_type,
        "type_name": type_label(doc.document_type),
        "number": doc.number,
        "notation": doc.notation,
        "register_number": doc.register_number,
        "register_year": doc.register_year,
        "issuer": doc.issuer,
        "issuer_code": doc.issuer_code,
        "place": doc.place,
        "issued_on": _day(doc.issued_on) or None,
        "received_on": _day(doc.received_on) or None,
        "subject": doc.subject,
        "signer_name": doc.signer_name,
        "signer_position": doc.signer_position,
        "urgency": doc.urgency,
        "secrecy": doc.secrecy,
        "page_count": doc.page_count,
        "notes": doc.notes,
    }


def record_file_metadata(part: _RecordFilePart) -> dict[str, Any]:
    f = part.record_file
    return {
        "id": f.id,
        "records_code": part.records_code,
        "year": f.year,
        "code": f.code,
        "title": f.title,
        "retention_years": f.retention_years,
        "permanent": f.retention_years is None,
        "keeper": f.keeper.full_name if f.keeper else None,
        "opened_on": _day(f.opened_on) or None,
        "closed_on": _day(f.closed_on) or None,
        "expires_on": _day(retention.expires_on(f)) or None,
        "transfer_due_on": _day(retention.transfer_due_on(f)),
        "notes": f.notes,
        "document_count": len(part.documents),
        "documents": [
            {
                "position": d.position,
                "folder": d.folder,
                "document": document_metadata(d.document),
                "files": [
                    {
                        "file_id": p.file.id,
                        "role": p.file.role,
                        "version": p.file.version,
                        "filename": p.file.filename,
                        "content_type": p.file.content_type,
                        "path": p.path,
                        "size": p.size,
                        "sha256": p.sha256,
                    }
                    for p in d.parts
                ],
            }
            for d in part.documents
        ],
    }


def _spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (the JSON manifest keeps the exact text)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def manifest_csv(parts: list[_RecordFilePart]) -> bytes:
    """One row per file, UTF-8 with a byte-order mark so that spreadsheets read the Vietnamese letters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rf in parts:
        for d in rf.documents:
            doc = d.document
            for p in d.parts:
                row = [
                    rf.records_code,
                    d.position,
                    doc.id,
                    doc.direction,
                    doc.document_type,
                    doc.number or "",
                    doc.notation or "",
                    _day(doc.issued_on),
                    doc.issuer or "",
                    doc.subject,
                    doc.page_count if doc.page_count is not None else "",
                    p.file.role,
                    p.file.filename,
                    p.path,
                    p.size,
                    p.sha256,
                ]
                writer.writerow([_spreadsheet_safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def manifest_json(kind: str, actor: User, parts: list[_RecordFilePart]) -> bytes:
    body = {
        "kind": kind,
        "organisation": {"code": actor.organisation.code, "name": actor.organisation.name},
        "generated_at": utcnow().isoformat(),
        "generated_by": actor.username,
        "record_files": [record_file_metadata(p) for p in parts],
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


# --- Decree 30/2020, Appendix VI, as XML ------------------------------------------------------------------------


def _element(parent: ET.Element, name: str, value: Any = None) -> ET.Element:
    child = ET.SubElement(parent, name)
    if value is not None and value != "":
        child.text = _NOT_XML.sub("", str(value))
    return child


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _access(secrecies: list[str]) -> str:
    rank = max((ACCESS_ORDER.index(s) for s in secrecies if s in ACCESS_ORDER), default=0)
    return ACCESS[ACCESS_ORDER[rank]]


def _retention_text(f: RecordFile) -> str:
    return PERMANENT if f.retention_years is None else f"{f.retention_years} năm"


def _document_day(doc: Document) -> date | None:
    return doc.issued_on or doc.received_on


def document_xml(rf: _RecordFilePart, d: _DocumentPart) -> bytes:
    """Thông tin đầu vào của văn bản lưu trữ (Decree 30/2020, Appendix VI), with the files it comes with.

    Dates are ISO 8601 (YYYY-MM-DD). Fields the application does not keep (ký hiệu thông tin, từ khóa, bút
    tích, tình trạng vật lý) are present and empty.
    """
    doc = d.document
    root = ET.Element("VanBan")
    _element(root, "MaHoSo", rf.records_code)
    _element(root, "SoThuTuVanBan", d.position)
    _element(root, "TenLoaiVanBan", type_label(doc.document_type))
    _element(root, "SoVanBan", doc.number)
    _element(root, "KyHieuVanBan", doc.notation)
    _element(root, "NgayThangNamVanBan", _day(_document_day(doc)))
    _element(root, "TenCoQuanBanHanh", doc.issuer)
    _element(root, "TrichYeuNoiDung", doc.subject)
    _element(root, "NgonNgu", LANGUAGE)
    _element(root, "SoTrang", doc.page_count)
    _element(root, "KyHieuThongTin")
    _element(root, "TuKhoa")
    _element(root, "CheDoSuDung", _access([doc.secrecy]))
    _element(root, "MucDoTinCay", DIGITISED if doc.channel == Channel.PAPER else BORN_DIGITAL)
    _element(root, "ButTich")
    _element(root, "TinhTrangVatLy")
    _element(root, "GhiChu", doc.notes)
    files = _element(root, "TepTin")
    for p in d.parts:
        item = _element(files, "Tep")
        _element(item, "VaiTro", p.file.role)
        _element(item, "TenTep", p.file.filename)
        _element(item, "DuongDan", p.path)
        _element(item, "KichThuoc", p.size)
        _element(item, "SHA256", p.sha256)
    return _xml(root)


def record_file_xml(rf: _RecordFilePart, organisation_name: str) -> bytes:
    """Thông tin đầu vào của hồ sơ (Decree 30/2020, Appendix VI), and the list of its documents' XML files.

    The start and end are the earliest and latest dates of its documents (the days it was opened and closed
    when no document has one); the pages are those the documents state.
    """
    f = rf.record_file
    days = [day for d in rf.documents if (day := _document_day(d.document)) is not None]
    root = ET.Element("HoSo")
    _element(root, "MaHoSo", rf.records_code)
    _element(root, "TieuDeHoSo", f.title)
    _element(root, "ThoiHanBaoQuan", _retention_text(f))
    _element(root, "CheDoSuDung", _access([d.document.secrecy for d in rf.documents]))
    _element(root, "NgonNgu", LANGUAGE)
    _element(root, "ThoiGianBatDau", _day(min(days) if days else f.opened_on))
    _element(root, "ThoiGianKetThuc", _day(max(days) if days else f.closed_on))
    _element(root, "TongSoVanBan", len(rf.documents))
    _element(root, "TongSoTrang", sum(d.document.page_count or 0 for d in rf.documents))
    _element(root, "GhiChu", f.notes)
    _element(root, "NamHinhThanh", f.year)
    _element(root, "SoKyHieuHoSo", f.code)
    _element(root, "CoQuanLapHoSo", organisation_name)
    _element(root, "NguoiLapHoSo", f.keeper.full_name if f.keeper else None)
    _element(root, "NgayMoHoSo", _day(f.opened_on))
    _element(root, "NgayKetThucHoSo", _day(f.closed_on))
    listed = _element(root, "DanhSachVanBan")
    for d in rf.documents:
        item = _element(listed, "VanBan")
        _element(item, "SoThuTuVanBan", d.position)
        _element(item, "DuongDan", f"{rf.folder}/{d.folder}/VanBan.xml")
    return _xml(root)


# --- Building ---------------------------------------------------------------------------------------------------


class _ZipBuilder:
    """A ZIP written into a temporary file; `finish` hands it over, `discard` throws it away."""

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
        self.zip = zipfile.ZipFile(self.tmp, "w", compression=zipfile.ZIP_DEFLATED)
        self.moment = local_now().timetuple()[:6]

    def add(self, path: str, data: bytes) -> None:
        info = zipfile.ZipInfo(path, date_time=self.moment)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, data)

    def finish(self, filename: str) -> Package:
        self.zip.close()
        size = self.tmp.tell()
        self.tmp.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: self.tmp.read(1024 * 1024), b""):
            digest.update(chunk)
        self.tmp.seek(0)
        return Package(filename, self.tmp, size, digest.hexdigest())

    def discard(self) -> None:
        self.zip.close()
        self.tmp.close()


def _gather(actor: User, files: list[RecordFile], nested: bool) -> list[_RecordFilePart]:
    """Each file's documents in their order; refused when one of them is a secret document the user may not
    read (a package is whole or not made)."""
    parts = []
    folders: set[str] = set()
    for f in files:
        code = records_code(f, actor.organisation.code)
        folder = ascii_name(code, 100) if nested else ""
        if folder.lower() in folders:  # two codes that fold to one name (HĐ and HD)
            folder = f"{folder}-{f.id}"
        folders.add(folder.lower())
        part = _RecordFilePart(f, code, folder)
        for e in service.entries_of(actor, f):
            if not e.readable:
                raise Forbidden(
                    gettext(
                        "The records file %(code)s holds secret documents you may not read: it cannot be exported "
                        "by you.",
                        code=f.code,
                    )
                )
            part.documents.append(
                _DocumentPart(e.entry.position, document_folder(e.entry.position, e.document), e.document)
            )
        parts.append(part)
    return parts


def _write_files(builder: _ZipBuilder, parts: list[_RecordFilePart]) -> None:
    """Each document's current main file and attachments, read (and re-hashed) from the store."""
    for rf in parts:
        for d in rf.documents:
            stored = [f for f in (d.document.main_file, *d.document.attachments) if f is not None]
            taken: set[str] = {"vanban.xml"}
            for stored_file in stored:
                data = read_blob(stored_file.blob_sha256)
                name = _file_name(stored_file.filename, taken)
                path = "/".join(p for p in (rf.folder, d.folder, name) if p)
                builder.add(path, data)
                d.parts.append(_Part(stored_file, path, len(data), hashlib.sha256(data).hexdigest()))


def _record_downloads(actor: User, parts: list[_RecordFilePart], via: str, package: Package) -> None:
    for rf in parts:
        for d in rf.documents:
            # The keys of a direct download (documents.read_file), one event per file, so that the document's
            # view history names each file; `via` and the records file say how it left.
            for p in d.parts:
                record(
                    AuditAction.DOCUMENT_FILE_DOWNLOADED,
                    actor=actor,
                    obj=("document", d.document.id),
                    file_id=p.file.id,
                    sha256=p.sha256,
                    via=via,
                    record_file_id=rf.record_file.id,
                    record_file_code=rf.record_file.code,
                )
        record(
            AuditAction.RECORD_FILE_EXPORTED,
            actor=actor,
            obj=("record_file", rf.record_file.id),
            kind=via,
            documents=len(rf.documents),
            files=sum(len(d.parts) for d in rf.documents),
            package=package.filename,
            package_sha256=package.sha256,
        )


def _build(actor: User, parts: list[_RecordFilePart], via: str, filename: str) -> Package:
    builder = _ZipBuilder()
    try:
        _write_files(builder, parts)
        if via == VIA_TRANSFER:
            for rf in parts:
                builder.add(f"{rf.folder}/HoSo.xml", record_file_xml(rf, actor.organisation.name))
                for d in rf.documents:
                    builder.add(f"{rf.folder}/{d.folder}/VanBan.xml", document_xml(rf, d))
        builder.add("manifest.csv", manifest_csv(parts))
        builder.add("manifest.json", manifest_json(via, actor, parts))
        package = builder.finish(filename)
    except BaseException:
        builder.discard()
        raise
    _record_downloads(actor, parts, via, package)
    return package


def export_record_file(actor: User, record_file_id: int) -> Package:
    """One records file as a ZIP: its documents' files in a folder each, and the manifests. Anyone who reads
    records files may export one whose documents they may all read."""
    f = service.get_record_file(actor, record_file_id)
    parts = _gather(actor, [f], nested=False)
    return _build(actor, parts, VIA_EXPORT, f"ho-so-{f.year}-{ascii_name(f.code, 50) or f.id}.zip")


def transfer_package(actor: User, record_file_ids: list[int]) -> Package:
    """The package handed to the agency's archive (gói nộp lưu) for closed records files of the organisation: a
    folder per file with its HoSo.xml, a folder per document with its VanBan.xml and files, and the manifests.

    Made by an archivist or a clerk; every file must be closed (its content no longer changes) and each of
    their documents readable by them. Making it does not mark the files transferred.
    """
    if not service.may_manage(actor):
        raise Forbidden(gettext("Only an archivist or a clerk makes a transfer package."))
    files = [service.get_record_file(actor, record_file_id) for record_file_id in record_file_ids]
    for f in files:
        if f.closed_on is None:
            raise InvalidState(
                gettext("The records file %(code)s is not closed: close it before packaging it.", code=f.code),
                record_file_id=f.id,
            )
    parts = _gather(actor, files, nested=True)
    abbreviation = ascii_name(actor.organisation.abbreviation, 30) or "org"
    return _build(actor, parts, VIA_TRANSFER, f"nop-luu-{abbreviation}-{local_today().isoformat()}.zip")
