"""The room for the signature container is measured once per signer and level, and measured again when a
container outgrows it; every signature made either way is valid."""

from __future__ import annotations

from app.signing import pdf as signing_pdf
from app.signing.validation import validate
from tests.signing import pdfs
from tests.support import make_pdf


def _seal(identity: pdfs.Identity, options: signing_pdf.SigningOptions | None = None) -> bytes:
    return signing_pdf.sign_attachment(
        make_pdf(), identity.signer, ["15/SCT-VP"], options=options or signing_pdf.SigningOptions()
    )


def test_the_room_is_learnt_from_the_first_signature_and_reused() -> None:
    ca = pdfs.Authority.create()
    clerk = ca.person("Văn thư Sở Công Thương")
    key = signing_pdf._room_key(clerk.signer, signing_pdf.SigningOptions())
    assert key not in signing_pdf._ROOM
    first = _seal(clerk)
    room = signing_pdf._ROOM[key]
    assert signing_pdf._room_taken(first, 0) == room > 0
    second = _seal(clerk)
    assert signing_pdf._room_taken(second, 0) == room
    for signed in (first, second):
        assert validate(signed, [ca.cert]).verdict == "valid"


def test_a_container_larger_than_the_room_learnt_is_measured_again() -> None:
    ca = pdfs.Authority.create()
    clerk = ca.person("Văn thư Sở Tài chính")
    options = signing_pdf.SigningOptions(level="B-T", timestamper=ca.timestamper())
    key = signing_pdf._room_key(clerk.signer, options)
    signing_pdf._ROOM[key] = 200  # far too small for any container with a timestamp
    signed = _seal(clerk, options)
    assert signing_pdf._ROOM[key] > 200
    report = validate(signed, [ca.cert])
    assert report.verdict == "valid", report
    assert report.signatures[0].timestamp_time is not None


def test_each_level_and_signer_has_its_own_room() -> None:
    ca = pdfs.Authority.create()
    one, other = ca.person("Một"), ca.person("Hai")
    plain = signing_pdf.SigningOptions()
    stamped = signing_pdf.SigningOptions(level="B-T", timestamper=ca.timestamper())
    keys = {
        signing_pdf._room_key(one.signer, plain),
        signing_pdf._room_key(other.signer, plain),
        signing_pdf._room_key(one.signer, stamped),
    }
    assert len(keys) == 3
