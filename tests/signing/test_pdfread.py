"""The fast hex-string reader gives exactly what pyHanko's own gives, and leaves the stream where it does."""

from __future__ import annotations

import io
import os

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfReadError

from app.signing import pdfread

CASES = [
    b"<>",
    b"<48656c6c6f>",
    b"<48656C6C6F>",
    b"<4 8 6\n5\r6c\t6c\x0c6f\x00>",
    b"<486>",  # odd: a final 0 is implied
    b"<" + os.urandom(20000).hex().encode() + b"0" * 30000 + b">",  # a signature's /Contents, past one chunk
    b"<" + b"ab" * (pdfread._CHUNK // 2) + b">",  # the closing '>' opens the second chunk
    b"<" + b"ab" * (pdfread._CHUNK // 2 - 1) + b"c>",  # ... or closes the first
    b"<feff0056006900e700740020004e0061006d>",  # UTF-16 text
]
BROKEN = [
    b"<4865 % a comment\n6c6c6f>",  # pyHanko skips comments
    b"<48zz>",
    b"<4865",  # no end
    b"",
]


def _stock(data: bytes, trailing: bytes) -> tuple[object, int]:
    stream = io.BytesIO(data + trailing)
    try:
        value: object = pdfread._stock(stream)
    except (PdfReadError, ValueError) as e:
        value = type(e)
    return value, stream.tell()


def _fast(data: bytes, trailing: bytes) -> tuple[object, int]:
    stream = io.BytesIO(data + trailing)
    try:
        value: object = pdfread.read_hex_string(stream)
    except (PdfReadError, ValueError) as e:
        value = type(e)
    return value, stream.tell()


@pytest.mark.parametrize("data", CASES + BROKEN, ids=lambda d: repr(d[:16]))
@pytest.mark.parametrize("trailing", [b"", b" /Type /Sig >>", b">" * 5])
def test_same_value_and_position_as_pyhanko(data: bytes, trailing: bytes) -> None:
    fast, stock = _fast(data, trailing), _stock(data, trailing)
    assert fast == stock
    assert type(fast[0]) is type(stock[0])


def test_it_reads_from_the_middle_of_a_file() -> None:
    data = b"1 0 obj <</Contents <00ff> /V 1>> endobj"
    stream = io.BytesIO(data)
    stream.seek(data.index(b"<00ff>"))
    assert pdfread.read_hex_string(stream) == generic.ByteStringObject(b"\x00\xff")
    assert stream.read() == b" /V 1>> endobj"


def test_pyhanko_reads_objects_with_it() -> None:
    assert generic.read_hex_string_from_stream is pdfread.read_hex_string
    value = generic.read_object(io.BytesIO(b"<</Contents <0a0b>>>"), generic.Reference(1, 0))
    assert value["/Contents"] == b"\x0a\x0b"
