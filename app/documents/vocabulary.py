"""The closed lists of Decree 30/2020: codes travel in ASCII (or the decree's abbreviation), labels in Vietnamese."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Direction(enum.StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class Urgency(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    VERY_URGENT = "very_urgent"
    EXPRESS = "express"


class Secrecy(enum.StrEnum):
    NORMAL = "normal"
    CONFIDENTIAL = "confidential"
    SECRET = "secret"
    TOP_SECRET = "top_secret"


class Channel(enum.StrEnum):
    PAPER = "paper"
    EMAIL = "email"
    EXCHANGE = "exchange"


class DocumentStatus(enum.StrEnum):
    REGISTERED = "registered"
    DRAFT = "draft"
    SIGNED = "signed"  # by its competent signer; waiting for the clerk to issue it
    ISSUED = "issued"  # numbered and sealed by the clerk: final
    RECALLED = "recalled"  # an incoming document its sender recalled: kept, frozen, out of the active lists


class FileRole(enum.StrEnum):
    MAIN = "main"
    ATTACHMENT = "attachment"


# Labels per enumeration: members of different enumerations compare equal as strings ("normal"),
# so they cannot share one dictionary.
LABELS: dict[type[enum.StrEnum], dict[str, object]] = {
    Direction: {Direction.INCOMING: _l("Incoming"), Direction.OUTGOING: _l("Outgoing")},
    Urgency: {
        Urgency.NORMAL: _l("Normal"),
        Urgency.URGENT: _l("Urgent"),
        Urgency.VERY_URGENT: _l("Very urgent"),
        Urgency.EXPRESS: _l("Express"),
    },
    Secrecy: {
        Secrecy.NORMAL: _l("Not secret"),
        Secrecy.CONFIDENTIAL: _l("Confidential"),
        Secrecy.SECRET: _l("Secret"),
        Secrecy.TOP_SECRET: _l("Top secret"),
    },
    Channel: {Channel.PAPER: _l("Paper"), Channel.EMAIL: _l("E-mail"), Channel.EXCHANGE: _l("Electronic exchange")},
    DocumentStatus: {
        DocumentStatus.REGISTERED: _l("Registered"),
        DocumentStatus.DRAFT: _l("Draft"),
        DocumentStatus.SIGNED: _l("Signed, to issue"),
        DocumentStatus.ISSUED: _l("Issued"),
        DocumentStatus.RECALLED: _l("Recalled by its sender"),
    },
    FileRole: {FileRole.MAIN: _l("Main file"), FileRole.ATTACHMENT: _l("Attachment")},
}


# Decree 30/2020, appendix III: the abbreviations of document types. Công văn has none in its
# notation; it travels as "CV".
DOCUMENT_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CV": "Công văn",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
}


def label(kind: type[enum.StrEnum], value: str | None) -> str:
    """The reader's-language label of a code, or the code itself when it is unknown."""
    if value is None:
        return ""
    return str(LABELS[kind].get(value, value))


def type_label(code: str | None) -> str:
    return DOCUMENT_TYPES.get(code or "", code or "")
