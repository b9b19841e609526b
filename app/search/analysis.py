"""How Vietnamese text becomes index terms.

Two forms of every word are indexed: folded (no diacritics, đ as d), and as written (lower case, NFC) when it
carries diacritics, so that `quyet dinh` finds `Quyết định` while a search typed with its diacritics ranks the
documents that have them exactly above the others. Folded syllable pairs ("khen_thuong") are indexed too:
Vietnamese words are mostly two syllables, and a phrase of n syllables is then n-1 term look-ups instead of a
positional match over every document that has each syllable.

The analyzers live in this importable module: Whoosh pickles them into the index by module path.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Token

from ..text import without_diacritics

# A word: letters and digits (Vietnamese letters are \w once in NFC).
WORD = re.compile(r"\w+", re.UNICODE)
PAIR = "_"


def nfc(text: str | None) -> str:
    """Text in composed form: words would split at combining marks otherwise."""
    return unicodedata.normalize("NFC", text or "")


@functools.lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """One lower-case word without its diacritics: "quyết" -> "quyet", "đường" -> "duong"."""
    return without_diacritics(word).lower()


def fold(text: str | None) -> str:
    """Text folded word by word, spaces kept."""
    return WORD.sub(lambda m: fold_word(m.group(0)), nfc(text).lower())


def words(text: str | None) -> list[str]:
    """The lower-case NFC words of a text, as the analyzers split it."""
    return WORD.findall(nfc(text).lower())


class FoldFilter(Filter):
    """Each token without its diacritics."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold_word(token.text)
            yield token


class DiacriticsFilter(Filter):
    """Only the words that carry diacritics: the others are the same in the folded field, where every query
    looks first (an exact term is only ever asked for a word typed with diacritics)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if fold_word(token.text) != token.text:
                yield token


class PairFilter(Filter):
    """Consecutive words as one term, "khen" "thưởng" -> "khen_thưởng" (positions kept, one per pair).

    Whoosh reuses one Token object for the whole stream, so the previous word is kept as text, not as a token.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        previous: str | None = None
        for token in tokens:
            text = token.text
            if previous is not None:
                token.text = previous + PAIR + text
                yield token
            previous = text


def exact_analyzer() -> object:
    return RegexTokenizer(WORD) | LowercaseFilter() | DiacriticsFilter()


def folded_analyzer() -> object:
    return RegexTokenizer(WORD) | LowercaseFilter() | FoldFilter()


def folded_pairs_analyzer() -> object:
    return RegexTokenizer(WORD) | LowercaseFilter() | FoldFilter() | PairFilter()


def pairs(terms: list[str]) -> list[str]:
    """The pair terms of consecutive words, as PairFilter indexes them."""
    return [a + PAIR + b for a, b in itertools.pairwise(terms)]
