"""The public lookup over JSON, without logging in: GET /api/v1/public/dossiers/<code>?s=<secret>; and the SMS
gateway's webhook for the text messages `HS <code> <secret>`, answered under the same rules."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from flask import current_app, jsonify, request
from flask_babel import gettext

from ..api import api, json_object
from ..clock import to_local
from ..errors import InvalidInput, NotFound, Unauthorized
from ..ratelimit import client_key, hit
from ..security import public
from .lookup import PublicDossier, find_public, lookups_per_minute
from .notices import sms_text


def _moment(value: Any) -> str | None:
    local = to_local(value)
    return local.isoformat() if local is not None else None


def public_json(found: PublicDossier) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": found.code,
        "status": found.portal_status,
        "status_name": found.status_name,
        "received_at": _moment(found.received_at),
        "appointment_at": _moment(found.appointment_at),
        "new_appointment_at": _moment(found.promised_at) if found.promised_at != found.appointment_at else None,
    }
    if found.full:
        body["procedure"] = {"code": found.procedure_code, "name": found.procedure_name}
        body["applicant"] = found.applicant
        body["history"] = [
            {"at": _moment(s.at), "status": s.portal_status, "status_name": s.status_name, "message": s.message}
            for s in found.steps
        ]
    return body


@api.get("/public/dossiers/<path:code>")
@public
def public_dossier(code: str):  # type: ignore[no-untyped-def]
    """A dossier's status and dates by its receipt code; with the slip's secret (`s`), its procedure, masked
    applicant and the messages written for the applicant. Limited per client address (429, Retry-After)."""
    found = find_public(client_key("lookup"), lookups_per_minute(), code, request.args.get("s"))
    response = jsonify(public_json(found))
    response.headers["Cache-Control"] = "no-store"
    return response


# The gateway's token comes in a header of its own: an Authorization header would be read as a user's API token.
INBOUND_HEADER = "X-SMS-Gateway-Token"
INBOUND = re.compile(r"^\s*HS\s+(?P<code>\S+)\s+(?P<secret>\S+)\s*$", re.IGNORECASE)
TEXTS_PER_MINUTE = 10


def inbound_reply(sender: str, text: str) -> str:
    """The short answer to a text message `HS <code> <secret>`: the status and dates, folded for a phone; the
    same words for an unknown code and a wrong secret. Each sender may ask TEXTS_PER_MINUTE times a minute."""
    counter = "sms:" + hashlib.sha256(sender.strip().encode()).hexdigest()[:40]
    found = INBOUND.match(text or "")
    if found is None:
        hit(counter, TEXTS_PER_MINUTE, 60)  # counted all the same
        return sms_text("Cu phap: HS <ma ho so> <ma bi mat>, vi du HS 000.00.31.H57-261125-0007-Q A2B3C4")
    try:
        dossier = find_public(counter, TEXTS_PER_MINUTE, found["code"], found["secret"])
    except NotFound:
        return sms_text("Khong tim thay ho so voi ma ho so va ma bi mat nay. Kiem tra lai tren giay tiep nhan.")
    due = to_local(dossier.promised_at)
    when = f"; hen tra {due:%H:%M %d/%m/%Y}" if due is not None else ""
    return sms_text(f"HS {dossier.code}: {dossier.status_name}{when}")


@api.post("/onestop/sms/inbound")
@public
def sms_inbound():  # type: ignore[no-untyped-def]
    """A text message the SMS gateway received ({"from", "text"}), answered with {"reply"}: the gateway sends the
    reply back. The gateway authenticates with SMS_INBOUND_TOKEN in the X-SMS-Gateway-Token header; each sender
    may ask 10 times a minute."""
    expected = current_app.config.get("SMS_INBOUND_TOKEN") or ""
    given = request.headers.get(INBOUND_HEADER, "").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized(gettext("The SMS gateway's token is missing or wrong."))
    body = json_object(16 * 1024)
    sender, text = body.get("from"), body.get("text")
    if not isinstance(sender, str) or not sender.strip() or not isinstance(text, str) or len(text) > 1000:
        raise InvalidInput(
            {"from": gettext("Required.")} if not isinstance(sender, str) else {"text": gettext("Required.")}
        )
    return jsonify({"reply": inbound_reply(sender, text)})
