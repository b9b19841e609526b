"""The reasons of the signature validator (app.signing.validation) in the reader's language.

The validator is a library without Flask and writes its reasons as English sentences; they are stored as they are
(SignatureReport rows, the API) and translated only when shown. Each sentence shape the validator can produce is
written below as it is in validation.py, with <name> where a value goes, and compiled into a regular expression; its
Vietnamese text takes the same values: names of signers, fields and authorities and quoted library messages as
they are, dates as dd/mm/yyyy (still UTC, as the validator says), the fixed vocabularies (kind of signature, change
levels, certification permissions, counts) translated.

Composition is translated clause by clause, the way the validator builds it:
  * "<kind> '<field>' by <signer>: <reason>" (the document's reasons name the signature they are about),
  * "after the last signature, <clause>" and "after this <kind>, <clause>" (changes after a signature),
  * "<reason>; <reason>; ..." (several reasons given as one text, as when a refusal quotes them).
The head of a composed reason is matched by its own expression and the clause after it is translated on its own
as a sentence; a split is only taken when that clause is understood too, so a colon or a comma inside a name
does not get in the way. In a list, each reason may be a sentence or a composed one.

Anything not understood comes back unchanged: an English reason is better than a wrong or half-translated one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["COMPOSITIONS", "SENTENCES", "localise", "localise_report"]

KINDS = {"signature": "chữ ký số", "document timestamp": "dấu thời gian của văn bản"}

# validation._level_words: what changed after a signature.
LEVELS = {
    "no changes": "không có thay đổi",
    "validation data or document timestamps were added": "đã thêm dữ liệu xác thực hoặc dấu thời gian của văn bản",
    "form fields were filled in or signed": "đã điền hoặc ký vào trường biểu mẫu",
    "annotations were added or changed": "đã thêm hoặc sửa chú thích",
    "other changes": "có thay đổi khác",
}

# validation._docmdp_words: what a certification signature allows.
DOCMDP = {
    "no changes allowed": "không cho phép thay đổi",
    "only form filling and signing allowed": "chỉ cho phép điền biểu mẫu và ký",
    "only form filling, signing and annotations allowed": "chỉ cho phép điền biểu mẫu, ký và thêm chú thích",
}

# The validator's words for a name it does not have.
UNKNOWN_NAMES = {
    "an unknown issuer": "tổ chức cấp không xác định",
    "an unknown authority": "tổ chức không xác định",
}

REVOKED_OR_EXPIRED = {"was revoked": "bị thu hồi", "expired": "hết hạn"}
WHOSE = {
    "the certificate": "chứng thư số",
    "the certificate of its issuing authority": "chứng thư số của tổ chức chứng thực cấp chứng thư này",
}

# validation._count: "the signature", "all 3 signatures", "the document timestamp", "all 2 document timestamps".
COUNT_PARTS = (
    (re.compile(r"the signature"), "chữ ký số"),
    (re.compile(r"all (\d+) signatures"), r"cả \1 chữ ký số"),
    (re.compile(r"the document timestamp"), "dấu thời gian của văn bản"),
    (re.compile(r"all (\d+) document timestamps"), r"cả \1 dấu thời gian của văn bản"),
)


def _either(words: Mapping[str, str]) -> str:
    """An alternation of fixed words, the longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _vi_day(text: str) -> str:
    year, month, day = text.split("-")
    return f"{day}/{month}/{year}"


def _vi_moment(text: str) -> str:
    """validation._when: "2026-11-20 08:30 UTC" -> "20/11/2026 08:30 UTC"."""
    day, time, zone = text.split(" ")
    return f"{_vi_day(day)} {time} {zone}"


def _vi_count(text: str) -> str:
    parts = []
    for part in text.split(" and "):
        for pattern, words in COUNT_PARTS:
            if pattern.fullmatch(part):
                parts.append(pattern.sub(words, part))
                break
    return " và ".join(parts)


def _vi_signer(text: str | None) -> str:
    return f" của {text}" if text else ""


def _vi_subfilter(text: str) -> str:
    return "không có" if text == "none" else text


# What each <name> of a shape matches, and how its value is written in Vietnamese (as it is, by default).
@dataclass(frozen=True)
class _Part:
    pattern: str
    vi: Callable[[str], str] = str


PARTS: dict[str, _Part] = {
    "kind": _Part(_either(KINDS), KINDS.__getitem__),
    "day": _Part(r"\d{4}-\d{2}-\d{2}", _vi_day),
    "when": _Part(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", _vi_moment),
    "level": _Part(_either(LEVELS), LEVELS.__getitem__),
    "docmdp": _Part(_either(DOCMDP), DOCMDP.__getitem__),
    "what": _Part(_either(REVOKED_OR_EXPIRED), REVOKED_OR_EXPIRED.__getitem__),
    "whose": _Part(_either(WHOSE), WHOSE.__getitem__),
    "count": _Part(
        r"(?:the signature|all \d+ signatures)(?: and (?:the document timestamp|all \d+ document timestamps))?"
        r"|the document timestamp|all \d+ document timestamps",
        _vi_count,
    ),
    "are": _Part("is|are", lambda verb: " đều" if verb == "are" else ""),
    "field": _Part(".*"),
    "issuer": _Part(".*", lambda name: UNKNOWN_NAMES.get(name, name)),
    "authority": _Part(".*", lambda name: UNKNOWN_NAMES.get(name, name)),
    "subfilter": _Part(".+", _vi_subfilter),
    "by": _Part(r"(?: by .+)?", lambda text: _vi_signer(text[len(" by ") :])),
    "detail": _Part(".*"),
}
PLACEHOLDER = re.compile(r"<(\w+)>")


def _compile(shape: str) -> re.Pattern[str]:
    """The regular expression of a shape: its text literally, each <name> as a named group."""
    pieces = PLACEHOLDER.split(shape)
    regex = "".join(
        re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>{PARTS[piece].pattern})" for i, piece in enumerate(pieces)
    )
    return re.compile(regex, re.DOTALL)


def _values(match: re.Match[str]) -> dict[str, str]:
    return {name: PARTS[name].vi(value or "") for name, value in match.groupdict().items()}


@dataclass(frozen=True)
class Sentence:
    """A reason (or clause) shape of the validator, its expression, and its Vietnamese."""

    shape: str
    vi: str
    pattern: re.Pattern[str]

    def translate(self, text: str) -> str | None:
        match = self.pattern.fullmatch(text)
        return self.vi.format(**_values(match)) if match else None


@dataclass(frozen=True)
class Composition:
    """A head, a separator and a rest that is a reason or clause of its own: {rest} in the Vietnamese."""

    shape: str
    separator: str
    vi: str
    pattern: re.Pattern[str]


def _sentence(shape: str, vi: str) -> Sentence:
    return Sentence(shape, vi, _compile(shape))


def _composition(shape: str, separator: str, vi: str) -> Composition:
    return Composition(shape, separator, vi, _compile(shape))


# Every sentence the validator writes, in the order of validation.py. "chữ ký số" for a signature, "chứng thư số"
# for a certificate, "tổ chức chứng thực" for a certificate authority, "văn bản" for the document, "tệp" for the file.
SENTENCES: tuple[Sentence, ...] = (
    # UnreadablePdf (_reader, _open, _collect)
    _sentence("the file is not a readable PDF (<detail>)", "tệp không phải là tệp PDF đọc được ({detail})"),
    _sentence(
        "the PDF is encrypted; its signatures cannot be checked without decrypting it",
        "tệp PDF đã được mã hóa; không thể kiểm tra chữ ký số khi chưa giải mã tệp",
    ),
    _sentence(
        "the form fields of the PDF cannot be read (<detail>)",
        "không đọc được các trường biểu mẫu của tệp PDF ({detail})",
    ),
    # _trust_reasons
    _sentence(
        "the certificate was issued by '<issuer>', which is not one of the trusted certificate authorities",
        "chứng thư số do '{issuer}' cấp, tổ chức này không thuộc các tổ chức chứng thực được tin cậy",
    ),
    _sentence(
        "the certificate is not allowed to sign documents (its key usage does not permit it)",
        "chứng thư số không được phép dùng để ký văn bản (mục đích sử dụng khóa không cho phép)",
    ),
    _sentence(
        "the revocation information for the certificate is out of date; try again later",
        "thông tin thu hồi của chứng thư số đã cũ; hãy kiểm tra lại sau",
    ),
    _sentence(
        "there is no proof that the signature existed while its certificate was valid",
        "không có bằng chứng rằng chữ ký số đã có từ khi chứng thư số còn hiệu lực",
    ),
    _sentence(
        "the certificate issued by '<issuer>' could not be traced to a trusted certificate authority",
        "không truy được chứng thư số do '{issuer}' cấp về một tổ chức chứng thực được tin cậy",
    ),
    _sentence(
        "the certificate chain from '<issuer>' to a trusted certificate authority could not be validated "
        "(for example, its revocation status could not be established)",
        "không xác thực được chuỗi chứng thư số từ '{issuer}' đến tổ chức chứng thực được tin cậy "
        "(chẳng hạn, không xác định được tình trạng thu hồi)",
    ),
    # _coverage_reason
    _sentence(
        "the signed byte ranges leave out more than the signature value, so part of the file is not signed",
        "phạm vi ký chừa ra nhiều hơn phần giá trị chữ ký, nên một phần của tệp không được ký",
    ),
    _sentence(
        "the signature does not cover the whole revision it belongs to",
        "phạm vi ký của chữ ký số không bao trùm toàn bộ phiên bản tệp chứa nó",
    ),
    # _assess_integrity
    _sentence(
        "the signed bytes were changed after signing: their hash does not match the signature",
        "nội dung được ký đã bị sửa đổi sau khi ký: giá trị băm không khớp với chữ ký số",
    ),
    _sentence(
        "the <kind> value does not verify against the signer's certificate",
        "giá trị {kind} không khớp với chứng thư số của người ký",
    ),
    _sentence(
        "the timestamp on the signature is damaged: it does not match the signature",
        "dấu thời gian của chữ ký số bị hỏng: không khớp với chữ ký số",
    ),
    _sentence(
        "the timestamp on the signature comes from '<authority>', which is not trusted",
        "dấu thời gian của chữ ký số do '{authority}' cấp, tổ chức cấp dấu thời gian này không tin cậy được",
    ),
    # _assess_validity_period
    _sentence(
        "the certificate had expired on <day>, before the <kind> was made on <when>",
        "chứng thư số đã hết hạn ngày {day}, trước khi {kind} được tạo lúc {when}",
    ),
    _sentence(
        "the certificate only became valid on <day>, after the <kind> was made on <when>",
        "chứng thư số chỉ có hiệu lực từ ngày {day}, sau khi {kind} được tạo lúc {when}",
    ),
    # _assess_trust
    _sentence(
        "the certificate <what> on <day>, but a trusted timestamp proves the <kind> was made earlier, on <when>",
        "chứng thư số {what} ngày {day}, nhưng dấu thời gian tin cậy chứng minh {kind} đã được tạo trước đó, "
        "lúc {when}",
    ),
    _sentence("<whose> was revoked on <day>", "{whose} đã bị thu hồi ngày {day}"),
    _sentence(
        "the signer claims to have signed on <when>, before the revocation, but no trusted timestamp proves it",
        "người ký cho biết đã ký lúc {when}, trước thời điểm thu hồi, nhưng không có dấu thời gian tin cậy "
        "nào chứng minh điều đó",
    ),
    _sentence(
        "the <kind> uses an algorithm or key size that is no longer accepted",
        "{kind} dùng thuật toán hoặc độ dài khóa không còn được chấp nhận",
    ),
    _sentence(
        "the certificate expired on <day>; the <kind> claims to have been made on <when>, "
        "but no trusted timestamp proves it",
        "chứng thư số đã hết hạn ngày {day}; {kind} ghi thời điểm tạo là {when}, nhưng không có dấu thời gian "
        "tin cậy nào chứng minh điều đó",
    ),
    # _assess_modifications
    _sentence(
        "the document was changed after this <kind> in a way that adding signatures or filling in "
        "form fields does not explain",
        "văn bản đã bị sửa đổi sau khi có {kind} này, và thay đổi đó không phải là việc ký thêm hay điền "
        "trường biểu mẫu",
    ),
    _sentence(
        "the document was changed after this <kind> (<level>), which its certification (<docmdp>) does not permit",
        "văn bản đã bị sửa đổi sau khi có {kind} này ({level}), điều mà chế độ chứng nhận của nó ({docmdp}) "
        "không cho phép",
    ),
    # _check_signature, _collect: a signature that cannot be checked at all
    _sentence("the <kind> could not be checked: <detail>", "không kiểm tra được {kind}: {detail}"),
    _sentence(
        "the <kind> uses a format that cannot be checked (<subfilter>)",
        "{kind} dùng định dạng không kiểm tra được ({subfilter})",
    ),
    _sentence(
        "the <kind> data is damaged and cannot be read (<detail>)",
        "dữ liệu {kind} bị hỏng, không đọc được ({detail})",
    ),
    # _after_last: the clauses after "after the last signature, " and "after this <kind>, "
    _sentence(
        "data was appended after the end of the document",
        "có dữ liệu được ghi nối vào sau phần kết thúc của văn bản",
    ),
    _sentence(
        "form fields were filled in or changed, and no signature covers them",
        "trường biểu mẫu đã được điền hoặc sửa mà không có chữ ký số nào bao trùm",
    ),
    _sentence(
        "annotations were added or changed, and no signature covers them",
        "chú thích đã được thêm hoặc sửa mà không có chữ ký số nào bao trùm",
    ),
    _sentence("the file was changed", "tệp đã bị sửa đổi"),
    # _with_notes: the clause after "after this <kind>, " when a later signature covers the changes
    _sentence(
        "<level>; a later signature covers these changes",
        "{level}; một chữ ký số sau đó đã bao trùm các thay đổi này",
    ),
    # _report
    _sentence("the document has no signatures", "văn bản không có chữ ký số nào"),
    _sentence(
        "<count> <are> valid and trusted, and the document is exactly what the last signer signed",
        "{count}{are} hợp lệ và tin cậy được, và văn bản đúng nguyên như khi người ký cuối cùng ký",
    ),
    _sentence(
        "only validation data (no visible change) was added after the last signature",
        "sau chữ ký số cuối cùng chỉ có dữ liệu xác thực được thêm vào (nội dung hiển thị không thay đổi)",
    ),
)

# How the validator puts a reason together from a head and a reason or clause of its own.
COMPOSITIONS: tuple[Composition, ...] = (
    # _report: the document's reasons about one signature
    _composition("<kind> '<field>'<by>", ": ", "{kind} '{field}'{by}: {rest}"),
    # _report: what the last signature does not cover
    _composition("after the last signature", ", ", "sau chữ ký số cuối cùng, {rest}"),
    # _with_notes: a signature's notes about later changes
    _composition("after this <kind>", ", ", "sau {kind} này, {rest}"),
)

# Several reasons in one text (service.issue_document quotes the leader's reasons this way).
LIST_SEPARATOR = "; "
# Field and signer names come from the PDF: a text longer than any the validator writes about an honest file, or
# one of more pieces than a list of reasons has, is left alone instead of being searched for ways to split it.
MAX_LENGTH = 2000
MAX_PIECES = 24


def localise(reason: str, locale: str) -> str:
    """The validator's `reason` in Vietnamese when `locale` is Vietnamese ("vi", "vi_VN"...); otherwise, or when
    the reason is not one the validator writes, the reason as it is."""
    if not str(locale).lower().startswith("vi") or len(reason) > MAX_LENGTH:
        return reason
    translated = _as_reason(reason) or _as_list(reason)
    return reason if translated is None else translated


def localise_report(body: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """A report as JSON (DocumentReport.to_json, or a stored one) with every reason in `locale`."""
    out = dict(body)
    out["reasons"] = [localise(r, locale) for r in body.get("reasons") or []]
    out["signatures"] = [
        {**sig, "reasons": [localise(r, locale) for r in sig.get("reasons") or []]}
        for sig in body.get("signatures") or []
    ]
    return out


def _as_reason(text: str) -> str | None:
    """One reason: a sentence, or a head and a sentence."""
    return _as_sentence(text) or _as_composition(text)


def _as_sentence(text: str) -> str | None:
    for sentence in SENTENCES:
        translated = sentence.translate(text)
        if translated is not None:
            return translated
    return None


def _as_composition(text: str) -> str | None:
    """A head and a sentence: each place of the separator is tried, the leftmost where both are understood wins."""
    for composition in COMPOSITIONS:
        separator = composition.separator
        at = text.find(separator)
        while at >= 0:
            head = composition.pattern.fullmatch(text, 0, at)
            if head is not None:
                rest = _as_sentence(text[at + len(separator) :])
                if rest is not None:
                    return composition.vi.format(**_values(head), rest=rest)
            at = text.find(separator, at + 1)
    return None


def _as_list(text: str) -> str | None:
    """Reasons joined with "; ", every one of them understood (a reason may have "; " in it too)."""
    pieces = text.split(LIST_SEPARATOR)
    if not 2 <= len(pieces) <= MAX_PIECES:
        return None
    # done[j]: the first j pieces as translated reasons, or None when they are not reasons.
    done: list[str | None] = ["", *([None] * len(pieces))]
    for end in range(1, len(pieces) + 1):
        for start in range(end):
            before = done[start]
            if before is None:
                continue
            translated = _as_reason(LIST_SEPARATOR.join(pieces[start:end]))
            if translated is not None:
                done[end] = f"{before}{LIST_SEPARATOR}{translated}" if start else translated
                break
    return done[-1]
