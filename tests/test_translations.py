"""The Vietnamese catalogue: complete for the code and templates as they are now, and used by the pages and the API.

The completeness and placeholder checks read messages.po itself (not the compiled .mo), so they say what is
missing even before `make install`. After `make translations`, run this file to see which msgids still need
a Vietnamese text, with the file and line of each.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import Flask

from tests.support import PASSWORD, ApiClient, World, make_pdf, web_login

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "app" / "translations"
VI_PO = TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po"
VI_MO = VI_PO.with_suffix(".mo")

# The keywords of `make translations`: Babel's defaults plus `-k _l -k lazy_gettext`.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

# A printf conversion: %(name)s, %s, %d, %.1f ... and the escaped percent sign %%.
CONVERSION = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?(?P<kind>[diouxXeEfFgGcrsa%])")


def _place_order(place: str) -> tuple[str, int]:
    filename, _, line = place.rpartition(":")
    return filename, int(line)


def _key(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


@lru_cache(maxsize=1)
def extracted() -> dict[tuple[str, str | None], list[str]]:
    """Every msgid in the code and templates, with where it is used, extracted as `make translations` does."""
    with BABEL_CFG.open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(BABEL_CFG))
    found: dict[tuple[str, str | None], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault((_key(message), context), []).append(f"{filename}:{lineno}")
    return found


@lru_cache(maxsize=1)
def vi_catalog() -> Catalog:
    with VI_PO.open("rb") as po:
        return read_po(po, locale="vi")


def entries() -> list[Message]:
    return [m for m in vi_catalog() if m.id]


def forms(message: Message) -> list[str]:
    """The translated texts of an entry: one, or one per plural form."""
    if isinstance(message.string, (tuple, list)):
        return list(message.string)
    return [message.string]


def conversions(text: str) -> Counter:
    """The %-conversions of a text: placeholders by name (or kind when positional) and escaped percent signs."""
    return Counter(m["name"] if m["name"] is not None else "%" + m["kind"] for m in CONVERSION.finditer(text))


def stray_percent(text: str) -> bool:
    """A % that is neither a conversion nor %%: formatting the text would fail or eat a character."""
    return "%" in CONVERSION.sub("", text)


def vi(msgid: str) -> str:
    """The Vietnamese text of an msgid, read from the .po."""
    message = vi_catalog().get(msgid)
    assert message is not None and message.string, f"{msgid!r} has no Vietnamese text"
    return message.string


# --- The catalogue ---------------------------------------------------------------------------------


def test_the_extraction_finds_the_code_and_the_templates() -> None:
    """Guards the other checks: an extraction that finds nothing would find nothing missing."""
    files = {where.rsplit(":", 1)[0] for places in extracted().values() for where in places}
    assert any(f.endswith(".py") for f in files), files
    assert any(f.endswith(".html") for f in files), files
    assert ("Log in", None) in extracted()
    assert ("Clerk", None) in extracted(), "lazy_gettext as _l is not extracted"


def test_every_msgid_in_the_code_and_templates_has_a_vietnamese_translation() -> None:
    catalog = vi_catalog()
    missing = []
    for (msgid, context), places in sorted(extracted().items(), key=lambda item: _place_order(item[1][0])):
        message = catalog.get(msgid, context=context)
        if message is None:
            problem = "not in messages.po"
        elif message.fuzzy:
            problem = "fuzzy"
        elif not all(text.strip() for text in forms(message)):
            problem = "empty msgstr"
        else:
            continue
        missing.append(f"  {places[0]}: {msgid!r} ({problem})")
    assert not missing, (
        f"{len(missing)} msgid(s) without a Vietnamese translation in {VI_PO.relative_to(ROOT)}"
        " (run `make translations`, fill them in, then `make install`):\n" + "\n".join(missing)
    )


def test_the_catalogue_is_vietnamese_with_one_plural_form_and_no_fuzzy_entries() -> None:
    catalog = vi_catalog()
    assert str(catalog.locale) == "vi"
    assert catalog.num_plurals == 1
    assert "nplurals=1" in catalog.plural_forms
    assert catalog.charset.lower() == "utf-8"
    fuzzy = [m.id for m in entries() if m.fuzzy]
    assert not fuzzy, f"fuzzy entries left: {fuzzy}"
    for message in entries():
        if message.pluralizable:
            assert len(forms(message)) == 1, f"{message.id!r}: Vietnamese has one plural form, msgstr[0] only"


def test_translations_are_nfc_and_not_copies_of_the_english() -> None:
    """Vietnamese text in composed form (NFC), as the rest of the application stores it."""
    not_nfc = [m.id for m in entries() for t in forms(m) if t != unicodedata.normalize("NFC", t)]
    assert not not_nfc, f"not NFC: {not_nfc}"
    # An msgstr equal to its msgid is left untranslated, unless it is a code, a format or a sample value.
    same = [m.id for m in entries() if forms(m) == [_key(m.id)] and re.search(r"[a-z]{3}", _key(m.id))]
    assert not same, f"msgstr copied from the msgid: {same}"


def test_every_placeholder_of_a_msgid_is_in_its_msgstr_and_no_other() -> None:
    problems = []
    for message in entries():
        ids = list(message.id) if isinstance(message.id, tuple) else [message.id]
        wanted = conversions(ids[-1])  # the plural msgid names every placeholder the one Vietnamese form needs
        for text in forms(message):
            if not text:
                continue
            have = conversions(text)
            lost = sorted((wanted - have).keys())
            extra = sorted((have - wanted).keys())
            if lost or extra:
                problems.append(f"  {message.id!r} -> {text!r}: missing {lost}, unknown {extra}")
            elif stray_percent(text):
                problems.append(f"  {message.id!r} -> {text!r}: a lone % (write %% for a percent sign)")
    assert not problems, "placeholders differ between msgid and msgstr:\n" + "\n".join(problems)


def test_the_compiled_catalogue_is_the_current_po() -> None:
    """The .mo the application loads says what the .po says (`make install` compiles it)."""
    assert VI_MO.exists(), f"{VI_MO.relative_to(ROOT)} is missing: run `make install`"
    with VI_MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for message in entries():
        if message.pluralizable and message.context:
            got = compiled.npgettext(message.context, message.id[0], message.id[1], 1)
        elif message.pluralizable:
            got = compiled.ngettext(message.id[0], message.id[1], 1)
        elif message.context:
            got = compiled.pgettext(message.context, message.id)
        else:
            got = compiled.gettext(message.id)
        if got != forms(message)[0]:
            stale.append(_key(message.id))
    assert not stale, f"the .mo is older than the .po (run `make install`); differs for: {stale[:10]}"


# --- Through the application -----------------------------------------------------------------------


def test_the_login_page_is_vietnamese_by_default_and_english_after_choosing_it(app: Flask) -> None:
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html
    assert "Log in" not in html

    switched = client.get("/lang/en?next=/login")
    assert switched.status_code == 302
    assert switched.headers["Location"].endswith("/login")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Username" in html
    assert "Đăng nhập" not in html

    client.get("/lang/vi")
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_pages_after_login_speak_the_chosen_language_and_the_choice_is_remembered(app: Flask, world: World) -> None:
    client = app.test_client()
    assert web_login(client, "clerk_a", lang=None).status_code == 302
    html = client.get("/documents?direction=incoming").get_data(as_text=True)
    assert vi("Incoming documents") in html
    assert vi("Register incoming") in html
    assert vi("Log out") in html

    client.get("/lang/en")
    html = client.get("/documents?direction=incoming").get_data(as_text=True)
    assert "Incoming documents" in html
    assert vi("Log out") not in html

    # The choice is kept on the account: a new browser, once logged in, gets English.
    other = app.test_client()
    assert web_login(other, "clerk_a", PASSWORD, lang=None).status_code == 302
    assert "Log out" in other.get("/documents").get_data(as_text=True)


def test_a_missing_field_in_the_api_is_reported_in_the_session_language(app: Flask, world: World) -> None:
    clerk = ApiClient.login(app, "clerk_a", PASSWORD)

    clerk.client.get("/lang/vi")
    response = clerk.register(make_pdf(), subject=None)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"] == {"subject": vi("Required.")}
    assert error["message"].startswith(vi("Some fields are missing or invalid."))

    clerk.client.get("/lang/en")
    error = clerk.register(make_pdf(), subject=None).get_json()["error"]
    assert error["fields"] == {"subject": "Required."}
    assert error["message"].startswith("Some fields are missing or invalid.")


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("Urgency", "Độ khẩn"),
        ("Secrecy", "Độ mật"),
        ("Subject", "Trích yếu"),
        ("Notation", "Ký hiệu"),
        ("Issuing organisation", "Cơ quan ban hành"),
        ("Signed by", "Người ký"),
        ("Date received", "Ngày đến"),
        ("Due date", "Hạn xử lý"),
        ("Received by", "Hình thức nhận"),
        ("Electronic exchange", "Liên thông điện tử"),
        ("Express", "Hỏa tốc"),
        ("Top secret", "Tuyệt mật"),
        ("Clerk", "Văn thư"),
        ("Specialist", "Chuyên viên"),
        ("Leader", "Lãnh đạo"),
        ("Archivist", "Lưu trữ"),
        ("Administrator", "Quản trị"),
    ],
)
def test_the_terms_of_decree_30_are_used(msgid: str, expected: str) -> None:
    assert vi(msgid) == expected


@pytest.mark.parametrize(("locale", "days", "written"), [("vi", 0.5, "0,5"), ("vi", 5.0, "5"), ("en", 0.5, "0.5")])
def test_working_days_are_written_as_an_official_writes_them(app, locale: str, days: float, written: str) -> None:  # type: ignore[no-untyped-def]
    from flask_babel import force_locale

    from app.templating import day_count

    with app.test_request_context(), force_locale(locale):
        assert day_count(days) == written
