"""Public PKI endpoints (the CA certificate, its CRL, OCSP, the time-stamp authority) and the signing pages."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from flask import Blueprint, Response, request

from ..errors import InvalidInput, NotFound
from ..security import public
from . import credentials

pki_blueprint = Blueprint("pki", __name__, url_prefix="/pki")
MAX_OCSP_REQUEST = 16 * 1024


@pki_blueprint.get("/ca.crt")
@public
def ca_certificate():  # type: ignore[no-untyped-def]
    ca = credentials.authority_row()
    if ca is None:
        raise NotFound()
    der = credentials.pki.load_pem(ca.certificate.pem).public_bytes(serialization.Encoding.DER)
    return Response(der, mimetype="application/pkix-cert")


@pki_blueprint.get("/crl")
@public
def crl():  # type: ignore[no-untyped-def]
    der = credentials.current_crl().public_bytes(serialization.Encoding.DER)
    response = Response(der, mimetype="application/pkix-crl")
    response.headers["Cache-Control"] = "max-age=300"
    return response


def _ocsp(data: bytes) -> Response:
    if not data or len(data) > MAX_OCSP_REQUEST:
        raise InvalidInput({"request": "An OCSP request (DER), at most 16 KB."})
    return Response(credentials.ocsp_answer(data), mimetype="application/ocsp-response")


@pki_blueprint.post("/ocsp")
@public
def ocsp_post():  # type: ignore[no-untyped-def]
    return _ocsp(request.get_data(cache=False)[: MAX_OCSP_REQUEST + 1])


@pki_blueprint.get("/ocsp/<path:encoded>")
@public
def ocsp_get(encoded: str):  # type: ignore[no-untyped-def]
    try:
        data = base64.b64decode(encoded, validate=False)
    except ValueError:
        raise InvalidInput({"request": "Not base64."}) from None
    return _ocsp(data)
