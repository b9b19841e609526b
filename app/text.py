"""Vietnamese text without its diacritics: one rule for the search index, the staff's searches and text messages.

NFD splits a letter from its marks ("ế" into "e" and two combining marks), which are then dropped; "đ" and "Đ" are
letters of their own, not "d" with a mark, so they are mapped by hand.
"""

from __future__ import annotations

import re
import unicodedata


def without_diacritics(text: str) -> str:
    """The text without its diacritics, case kept: "Đã tiếp nhận" -> "Da tiep nhan"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str | None) -> str:
    """Case- and diacritic-insensitive form, spaces collapsed: "Quyết  định" -> "quyet dinh"."""
    if not text:
        return ""
    return re.sub(r"\s+", " ", without_diacritics(text).casefold()).strip()
