"""The search box's language, read into a tree: words, "phrases", prefixes (khen*), AND / OR / NOT (or a leading
minus), parentheses, and fields (so:123, kyhieu:QĐ-UBND, coquan:"Sở Công thương", trichyeu:..., loai:QĐ,
nam:2024, nguoiky:...).

People type what they type: an unclosed quote ends at the end of the query, an unmatched parenthesis is
dropped, an unknown field is read as words, a lone operator is ignored. Only a query with nothing to search
for is refused (by the caller, which knows whether filters were given).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Field names as people type them (Vietnamese, with or without diacritics) -> the field the query means.
FIELDS: dict[str, str] = {
    "so": "number",
    "số": "number",
    "kyhieu": "notation",
    "ký hiệu": "notation",
    "kýhiệu": "notation",
    "coquan": "issuer",
    "cơquan": "issuer",
    "trichyeu": "subject",
    "tríchyếu": "subject",
    "loai": "document_type",
    "loại": "document_type",
    "nam": "year",
    "năm": "year",
    "nguoiky": "signer",
    "ngườiký": "signer",
    "noidung": "body",
    "nộidung": "body",
}
MAX_LENGTH = 1000
MAX_CLAUSES = 64


@dataclass(frozen=True)
class Word:
    text: str  # as typed, NFC; may hold punctuation (a notation like 123/QĐ-UBND)
    prefix: bool = False
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class OneOf:
    children: tuple[Node, ...]


Node = Word | Phrase | Not | All | OneOf

_TOKEN = re.compile(
    r"""
    (?P<open>\()|(?P<close>\))
    |(?P<field>[^\s():"]+):(?=\S)
    |(?P<quote>"[^"]*"?)
    |(?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
_OPERATORS = {"AND", "OR", "NOT", "VÀ", "HOẶC", "KHÔNG"}
_AND, _OR, _NOT = {"AND", "VÀ"}, {"OR", "HOẶC"}, {"NOT", "KHÔNG"}
_TRIM = re.compile(r"^[^\w]+|[^\w*]+$")


def _tokens(text: str) -> list[tuple[str, str]]:
    found = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "word"
        found.append((kind, m.group(kind)))
    return found


class _Reader:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0
        self.clauses = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def any_(self, depth: int) -> Node | None:
        parts = [self.all_(depth)]
        while (token := self.peek()) is not None and token[0] == "word" and token[1].upper() in _OR:
            self.take()
            parts.append(self.all_(depth))
        kept = tuple(p for p in parts if p is not None)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else OneOf(kept)

    def all_(self, depth: int) -> Node | None:
        parts: list[Node] = []
        while (token := self.peek()) is not None:
            kind, value = token
            if kind == "close":
                if depth > 0:
                    break
                self.take()  # an unmatched ")" is dropped
                continue
            if kind == "word" and value.upper() in _OR:
                break
            if kind == "word" and value.upper() in _AND:
                self.take()
                continue
            part = self.unary(depth)
            if part is not None:
                parts.append(part)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def unary(self, depth: int) -> Node | None:
        kind, value = self.peek() or ("", "")
        if kind == "word" and (value.upper() in _NOT or (value.startswith("-") and len(value) > 1)):
            if value.upper() in _NOT:
                self.take()
                child = self.unary(depth) if self.peek() is not None else None
            else:
                self.tokens[self.at] = ("word", value[1:])
                child = self.unary(depth)
            return Not(child) if child is not None else None
        return self.primary(depth)

    def primary(self, depth: int) -> Node | None:
        kind, value = self.take()
        if kind == "open":
            inner = self.any_(depth + 1)
            if (token := self.peek()) is not None and token[0] == "close":
                self.take()
            return inner  # an unclosed "(" ends at the end of the query
        if kind == "field":
            field = FIELDS.get(value.lower())
            if field is None:  # not a field of ours: the text as words
                return self._term(value, None)
            if self.peek() is None:
                return None
            next_kind, next_value = self.take()
            if next_kind == "quote":
                return self._phrase(next_value, field)
            if next_kind == "word":
                return self._term(next_value, field)
            self.at -= 1
            return None
        if kind == "quote":
            return self._phrase(value, None)
        if kind == "word" and value.upper() in _OPERATORS:
            return None  # an operator with nothing to work on
        return self._term(value, None)

    def _count(self) -> None:
        self.clauses += 1

    def _term(self, value: str, field: str | None) -> Node | None:
        text = _TRIM.sub("", value)
        if not text or text.strip("*") == "":
            return None
        self._count()
        if text.endswith("*") and len(text.rstrip("*")) >= 2:
            return Word(text.rstrip("*"), prefix=True, field=field)
        return Word(text.rstrip("*"), field=field)

    def _phrase(self, quoted: str, field: str | None) -> Node | None:
        inside = quoted.strip('"')
        found = tuple(w for w in re.findall(r"[^\s]+", inside) if _TRIM.sub("", w))
        if not found:
            return None
        self._count()
        if len(found) == 1:
            return Word(_TRIM.sub("", found[0]), field=field)
        return Phrase(tuple(_TRIM.sub("", w) for w in found), field=field)


class QueryTooLong(ValueError):
    pass


class QueryTooComplex(ValueError):
    pass


def parse(text: str) -> Node | None:
    """The query's tree, or None when it holds nothing to search for."""
    if len(text) > MAX_LENGTH:
        raise QueryTooLong(MAX_LENGTH)
    reader = _Reader(_tokens(unicodedata.normalize("NFC", text)))
    node = reader.any_(0)
    while reader.peek() is not None:  # what an unmatched ")" left over
        reader.take()
        more = reader.any_(0)
        if more is not None:
            node = more if node is None else All((node, more))
    if reader.clauses > MAX_CLAUSES:
        raise QueryTooComplex(MAX_CLAUSES)
    return node
