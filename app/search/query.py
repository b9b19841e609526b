"""From the search box's tree (syntax.py) to a Whoosh query over the fields of schema.py.

A word matches its folded form in the subject, body, issuer and signer; typed with diacritics, it also
matches its exact form, which scores higher. A phrase is its folded syllable pairs, all of them; typed
with diacritics, its exact words add to the score. No query needs word positions (the index keeps none).
A notation as typed ("123/QĐ-UBND") matches the whole notation, far above its parts. A prefix matches folded
words that start with it.
"""

from __future__ import annotations

import re

from whoosh import query as wq

from .analysis import fold, fold_word, nfc, pairs, words
from .syntax import All, Node, Not, OneOf, Phrase, Word

NOTATION_BOOST = 20.0
TEXT_FIELDS = ("subject", "body", "issuer")
# A whole notation: a number, a slash, letters and dashes ("123/QĐ-UBND", "15/2020/NĐ-CP").
NOTATION = re.compile(r"^\d+[a-zA-Z]?(/[\w.-]+)+$")
# The notation without its number ("QĐ-UBND", "UBND-KT").
KYHIEU = re.compile(r"^[^\W\d_][\w.]*(-[\w.]+)+$")


def _one_of(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _all_of(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _word(term: str, fields: tuple[str, ...], prefix: bool = False) -> wq.Query:
    """One word in these text fields: folded always, exact too when it carries diacritics."""
    folded = fold_word(term)
    kind = wq.Prefix if prefix else wq.Term
    found: list[wq.Query] = [kind(f"{field}_f", folded) for field in fields]
    if term != folded and not prefix:
        found += [wq.Term(field, term) for field in fields if field != "signer"]
    return _one_of(found)


def _phrase(terms: list[str], fields: tuple[str, ...]) -> wq.Query:
    """Consecutive words: their folded pairs, all of them; typed with diacritics, its exact words add to the
    score. The subject, issuer and signer have pairs of their own; the body's are those of the three texts
    together, so a phrase in the body alone also asks for each of its words in the body."""
    if len(terms) == 1:
        return _word(terms[0], fields)
    folded = [fold_word(t) for t in terms]
    if fields in (TEXT_FIELDS, ("body",)):
        must = _all_of([wq.Term("pairs_f", p) for p in pairs(folded)])
        if fields == ("body",):
            must = _all_of([must, *(wq.Term("body_f", w) for w in dict.fromkeys(folded))])
    else:
        must = _one_of([_all_of([wq.Term(f"{field}_pairs_f", p) for p in pairs(folded)]) for field in fields])
    exact = [wq.Term(field, t) for t in terms if t != fold_word(t) for field in fields if field != "signer"]
    return wq.AndMaybe(must, _one_of(exact)) if exact else must


def _notation(text: str) -> wq.Query:
    """A notation as typed: the whole one, far above documents that only have its parts."""
    whole = nfc(text).lower()
    parts = [wq.Term("notation_parts", p) for p in fold(whole).replace("/", " ").replace("-", " ").split()]
    return wq.Or([wq.Term("notation_f", fold(whole), boost=NOTATION_BOOST), _all_of(parts)])


def _field_word(word: Word) -> wq.Query | None:
    text = nfc(word.text)
    if word.field == "number":
        return wq.Term("number", text.lower())
    if word.field == "notation":
        if NOTATION.match(text):
            return _notation(text)
        parts = [wq.Term("notation_parts", p) for p in fold(text).replace("/", " ").replace("-", " ").split()]
        return wq.Or([wq.Term("kyhieu_f", fold(text), boost=NOTATION_BOOST), _all_of(parts)]) if parts else None
    if word.field == "document_type":
        return wq.Term("document_type", text.upper())
    if word.field == "year":
        return wq.Term("year", int(text)) if text.isdigit() and len(text) == 4 else None
    fields = {"issuer": ("issuer",), "subject": ("subject",), "signer": ("signer",), "body": ("body",)}[word.field]
    return _plain(text, fields, word.prefix)


def _plain(text: str, fields: tuple[str, ...], prefix: bool = False) -> wq.Query | None:
    """A word as typed outside quotes; a notation, or punctuation inside ("script>alert") splits it in words."""
    if NOTATION.match(text) or KYHIEU.match(text):
        return _notation(text) if NOTATION.match(text) else _field_word(Word(text, field="notation"))
    terms = words(text)
    if not terms:
        return None
    if len(terms) == 1:
        return _word(terms[0], fields, prefix)
    return _phrase(terms, fields)


def compile_query(node: Node | None) -> wq.Query | None:
    """The Whoosh query of a tree; None when nothing in it can match anything (an empty field value)."""
    if node is None:
        return None
    if isinstance(node, Word):
        if node.field is not None:
            return _field_word(node)
        return _plain(nfc(node.text), TEXT_FIELDS, node.prefix)
    if isinstance(node, Phrase):
        terms = [t for w in node.words for t in words(w)]
        if node.field in {"number", "notation", "document_type", "year"}:
            return _field_word(Word(" ".join(node.words), field=node.field))
        fields = (
            TEXT_FIELDS
            if node.field is None
            else (
                {"subject": ("subject",), "issuer": ("issuer",), "signer": ("signer",), "body": ("body",)}[node.field]
            )
        )
        return _phrase(terms, fields) if terms else None
    if isinstance(node, Not):
        inner = compile_query(node.child)
        return wq.Not(inner) if inner is not None else None
    children = [q for q in (compile_query(c) for c in node.children) if q is not None]
    if not children:
        return None
    if isinstance(node, All):
        return _all_of(children)
    assert isinstance(node, OneOf)
    return _one_of(children)
