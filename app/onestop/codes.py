"""The codes on a receipt slip: the dossier's receipt code with its check character, the lookup secret, and the
applicant's name as the public lookup shows it.

The receipt code keeps the shape the national portal uses, `{receiving organisation's code}-{yymmdd}-{NNNN}` (the
day's sequence of that organisation), followed by a check character: `000.00.31.H57-261125-0007-Q`. The check is
Luhn's algorithm over the 36 digits and letters (ISO/IEC 7812's scheme, mod 36), which catches every mistyped
character and every swap of two neighbours; a code whose check is wrong is refused before anything is looked up.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date
from urllib.parse import parse_qs, unquote

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The secret's characters: no 0/O, 1/I/L, which a citizen copying it from paper would confuse.
SECRET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SECRET_LENGTH = 6
RECEIPT_CODE = re.compile(r"^(?P<base>[0-9A-Z.]{1,32}-\d{6}-\d{4,6})-(?P<check>[0-9A-Z])$")
MAX_CODE_LENGTH = 48


def check_character(text: str) -> str:
    """The Luhn mod 36 check character of the digits and letters of `text` (other characters do not count)."""
    values = [ALPHABET.index(c) for c in text.upper() if c in ALPHABET]
    base = len(ALPHABET)
    total = 0
    for position, value in enumerate(reversed(values)):
        if position % 2 == 0:  # from the right, every other one is doubled, starting with the rightmost
            value *= 2
            value = value // base + value % base
        total += value
    return ALPHABET[(base - total % base) % base]


def receipt_code(organisation_code: str, day: date, sequence: int) -> str:
    base = f"{organisation_code.upper()}-{day:%y%m%d}-{sequence:04d}"
    return f"{base}-{check_character(base)}"


def canonical_code(text: str) -> str | None:
    """The receipt code as typed (any case, spaces around or inside), checked; None when it cannot be one (the
    shape is wrong or its check character does not match)."""
    if not isinstance(text, str) or len(text) > MAX_CODE_LENGTH * 2:
        return None
    code = re.sub(r"\s+", "", text).upper()
    found = RECEIPT_CODE.match(code)
    if found is None or len(code) > MAX_CODE_LENGTH or check_character(found["base"]) != found["check"]:
        return None
    return code


def split_lookup_address(text: str) -> tuple[str, str | None]:
    """The code and the secret in the slip's QR code as a scanner types it, the public lookup's address
    (`.../tra-cuu/<code>?s=<secret>`); any other text is a code as typed, with no secret."""
    _, marker, rest = text.strip().partition("/tra-cuu/")
    if not marker:
        return text, None
    path, _, query = rest.partition("?")
    secret = parse_qs(query.partition("#")[0]).get("s", [None])[0]
    return unquote(re.split(r"[#/]", path, maxsplit=1)[0]), secret


def code_from_scan(text: str) -> str | None:
    """The receipt code in what a desk's scanner typed: the slip's barcode (the code itself) or its QR code (the
    public lookup's address); None when there is no valid code in it."""
    if not isinstance(text, str):
        return None
    return canonical_code(split_lookup_address(text)[0])


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def canonical_secret(text: str | None) -> str | None:
    if not isinstance(text, str):
        return None
    secret = re.sub(r"\s+", "", text).upper()
    if len(secret) != SECRET_LENGTH or any(c not in SECRET_ALPHABET for c in secret):
        return None
    return secret


def masked_name(name: str) -> str:
    """The applicant's name as the public sees it: the family name whole, the middle names' first letters, the
    given name's initial ("Nguyễn Văn An" -> "Nguyễn V*** A"); a business's name is shown as it is filed."""
    words = unicodedata.normalize("NFC", name).split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "***"
    middle = [w[0] + "***" for w in words[1:-1]]
    return " ".join([words[0], *middle, words[-1][0]])
