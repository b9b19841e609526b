"""Receipt codes, their check character, the lookup secret and the masked name (pure logic)."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest

from app.onestop.codes import (
    ALPHABET,
    SECRET_ALPHABET,
    canonical_code,
    canonical_secret,
    check_character,
    code_from_scan,
    masked_name,
    new_secret,
    receipt_code,
    split_lookup_address,
)


def test_the_official_shape_with_a_check_character():
    code = receipt_code("000.00.31.h57", date(2026, 11, 25), 7)
    assert code.startswith("000.00.31.H57-261125-0007-") and len(code) == len("000.00.31.H57-261125-0007-") + 1
    assert canonical_code(code) == code
    assert canonical_code(f"  {code.lower()} ") == code
    assert receipt_code("000.00.31.H57", date(2026, 11, 25), 12345).startswith("000.00.31.H57-261125-12345-")


def test_every_mistyped_character_and_swapped_neighbours_are_caught():
    rng = random.Random(5)
    for _ in range(200):
        code = receipt_code(
            rng.choice(["000.00.31.H57", "001.01.00.H57", "000.00.00.H99"]),
            date(2020, 1, 1) + timedelta(days=rng.randrange(3000)),
            rng.randrange(1, 10000),
        )
        for i, c in enumerate(code[:-2]):  # every digit or letter of the base
            if c in ".-":
                continue
            for other in "0123456789" if c.isdigit() else ALPHABET:
                if other != c:
                    assert canonical_code(code[:i] + other + code[i + 1 :]) is None, (code, i, other)
        digits = [i for i, c in enumerate(code[:-2]) if c.isdigit()]
        for a, b in itertools.pairwise(digits):
            if b == a + 1 and code[a] != code[b]:
                swapped = code[:a] + code[b] + code[a] + code[b + 1 :]
                assert canonical_code(swapped) is None, (code, a)
    assert check_character("") == "0"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "000.00.31.H57-261125-0007",
        "000.00.31.H57-261125-0007-",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "000.00.31.H57-261125-0007-Q;DROP TABLE dossiers",
        "x" * 10_000,
        "000.00.31.H57-2611-0007-Q",
    ],
)
def test_anything_else_is_no_code(text):
    assert canonical_code(text) is None


def test_a_scanned_slip_gives_its_code():
    code = receipt_code("000.00.31.H57", date(2026, 11, 25), 7)
    assert code_from_scan(code) == code  # the barcode
    assert code_from_scan(f" {code.lower()} ") == code
    for address in (
        f"https://motcua.example.vn/tra-cuu/{code}?s=ABC234",  # the QR code
        f"http://127.0.0.1:5000/tra-cuu/{code}",
        f"https://motcua.example.vn/tra-cuu/{code}/#top",
        f"https://motcua.example.vn/tra-cuu/{code.replace('.', '%2E')}?s=X",
    ):
        assert code_from_scan(address) == code, address
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    for text in (wrong, f"https://motcua.example.vn/tra-cuu/{wrong}", "https://motcua.example.vn/tra-cuu/", "", None):
        assert code_from_scan(text) is None, text  # type: ignore[arg-type]
    assert code_from_scan(f"https://elsewhere.example/{code}") is None  # an address of something else
    assert split_lookup_address(f"https://x.vn/tra-cuu/{code}?s=ABC234#top") == (code, "ABC234")
    assert split_lookup_address(f"https://x.vn/tra-cuu/{code}?lang=vi") == (code, None)
    assert split_lookup_address(f" {code} ") == (f" {code} ", None)  # typed: left as typed, checked later


def test_secrets():
    made = {new_secret() for _ in range(500)}
    assert len(made) == 500
    assert all(len(s) == 6 and set(s) <= set(SECRET_ALPHABET) for s in made)
    secret = next(iter(made))
    assert canonical_secret(f" {secret.lower()} ") == secret
    for bad in (None, "", "ABC", "ABCDE0", "ABCDEFG", 123456, "A B C D E F G"):
        assert canonical_secret(bad) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Nguyễn Văn An", "Nguyễn V*** A"),
        ("Trần Thị Thu Hà", "Trần T*** T*** H"),
        ("Lê Bình", "Lê B"),
        ("Hải", "H***"),
        ("  Đỗ   Đức   Anh ", "Đỗ Đ*** A"),
        ("", ""),
    ],
)
def test_the_public_sees_a_masked_name(name, shown):
    assert masked_name(name) == shown
