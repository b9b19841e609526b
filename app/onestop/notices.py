"""Telling the applicant: on receipt, when papers are asked for, when the result is ready, and when it will be late
(the apology), by text message through an SMS gateway and by e-mail.

Durable and at most once. A notice is queued in the outbox in the transaction of what it tells (it exists exactly
when that commits). The worker sends it on the first channel the applicant has (text message, then e-mail): each
channel's attempt is claimed in the database and committed *before* the message leaves, so a worker killed while
sending never sends it twice (the claim stays "sending" and is not retried); a channel that surely failed (the
gateway refused, or could not be reached) is marked so and the next channel is tried; if every channel failed, the
outbox tries again later. A gateway that did not answer in time may have sent it: "unknown", never resent.

Phone numbers and the gateway's secret never reach a log or an error message: errors name the channel and the
status only, and a phone is shown as its last three digits.

The gateway is an interface with one implementation, an HTTP gateway configured by URL (SMS_GATEWAY_URL, a bearer
SMS_GATEWAY_TOKEN): POST {"to", "text", "id"} as JSON, any 2xx is sent. Texts are folded to ASCII (no diacritics)
and cut to 160 characters, the length of one message.
"""

from __future__ import annotations

import logging
from datetime import datetime
from email.utils import make_msgid
from typing import Any, Protocol

import requests
import sqlalchemy as sa
from flask import current_app

from .. import outbox
from ..clock import to_local
from ..extensions import db, insert_or_ignore, utcnow
from ..text import without_diacritics
from .models import ApplicantNotice, Dossier, NoticeState

log = logging.getLogger(__name__)

NOTICE = "onestop.notice"
SMS_LENGTH = 160


class ChannelFailed(Exception):
    """The channel surely did not send the message (its words name no phone, address or secret)."""


class ChannelUnsure(Exception):
    """The channel may have sent the message: it is not tried again."""


class SmsGateway(Protocol):
    def send(self, phone: str, text: str, message_id: str) -> None: ...


class HttpSmsGateway:
    """An SMS gateway reached over HTTP: POST {"to", "text", "id"} with a bearer token; any 2xx is sent."""

    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, phone: str, text: str, message_id: str) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            answer = requests.post(
                self.url, json={"to": phone, "text": text, "id": message_id}, headers=headers, timeout=self.timeout
            )
        except requests.ConnectionError:
            raise ChannelFailed("the SMS gateway could not be reached") from None
        except requests.Timeout:
            raise ChannelUnsure("the SMS gateway did not answer in time") from None
        if not 200 <= answer.status_code < 300:
            raise ChannelFailed(f"the SMS gateway answered {answer.status_code}")


def sms_gateway() -> SmsGateway | None:
    url = current_app.config.get("SMS_GATEWAY_URL")
    if not url:
        return None
    timeout = float(current_app.config.get("SMS_GATEWAY_TIMEOUT_SECONDS", 10))
    return HttpSmsGateway(url, current_app.config.get("SMS_GATEWAY_TOKEN", ""), timeout)


def sms_text(text: str) -> str:
    """A text message: no diacritics (đ as d), one line, at most 160 characters."""
    flat = " ".join(without_diacritics(text).split()) if text else ""
    flat = "".join(c for c in flat if 32 <= ord(c) < 127)
    return flat if len(flat) <= SMS_LENGTH else flat[: SMS_LENGTH - 3].rstrip() + "..."


def masked_phone(phone: str | None) -> str:
    return f"***{phone[-3:]}" if phone else "none"


# --- What is said, and when ---------------------------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    local = to_local(moment)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}" if local is not None else ""


def notice_text(dossier: Dossier, kind: str, message: str | None = None, when: datetime | None = None) -> str:
    """The notice in Vietnamese (the text message is this, folded)."""
    code = dossier.code
    if kind == "received":
        due = _when(dossier.appointment_at)
        return f"Hồ sơ {code} ({dossier.procedure.name}) đã được tiếp nhận. Hẹn trả kết quả {due}."
    if kind == "supplement":
        return f"Hồ sơ {code} cần bổ sung giấy tờ: {message or ''}"
    if kind == "result_ready":
        return f"Hồ sơ {code} đã có kết quả. Mời ông/bà đến nhận tại bộ phận một cửa."
    assert kind == "late"
    return f"Hồ sơ {code} chậm so với ngày hẹn. Thành thật xin lỗi ông/bà; hẹn lại ngày trả kết quả {_when(when)}."


def queue_notice(dossier: Dossier, key: str, text: str) -> None:
    """Queue the notice in the caller's transaction, when the applicant gave a phone or an e-mail address."""
    if not (dossier.applicant_phone or dossier.applicant_email):
        return
    outbox.enqueue(NOTICE, {"dossier_id": dossier.id, "key": key, "text": text})


# --- Sending ---------------------------------------------------------------------------------------------------


def _claim(dossier_id: int, key: str, channel: str) -> bool:
    """Take this notice's attempt on this channel (committed before sending); False when it was sent, is being
    sent, or may have been."""
    table = ApplicantNotice.__table__
    values = {
        "dossier_id": dossier_id,
        "key": key,
        "channel": channel,
        "state": NoticeState.SENDING,
        "claimed_at": utcnow(),
    }
    inserted = db.session.execute(insert_or_ignore(table, values).returning(table.c.id)).scalar()
    if inserted is None:  # tried before: again only if it surely failed
        retried = db.session.execute(
            sa.update(table)
            .where(table.c.dossier_id == dossier_id, table.c.key == key, table.c.channel == channel)
            .where(table.c.state == NoticeState.FAILED)
            .values(state=NoticeState.SENDING, claimed_at=utcnow(), error=None)
            .returning(table.c.id)
        ).scalar()
        if retried is None:
            db.session.commit()
            return False
    db.session.commit()
    return True


def _settle(dossier_id: int, key: str, channel: str, state: NoticeState, error: str | None = None) -> None:
    table = ApplicantNotice.__table__
    db.session.execute(
        sa.update(table)
        .where(table.c.dossier_id == dossier_id, table.c.key == key, table.c.channel == channel)
        .values(state=state, error=error, sent_at=utcnow() if state == NoticeState.SENT else None)
    )
    db.session.commit()


def _send_email(dossier: Dossier, text: str, key: str) -> None:
    from ..notify.service import send_mail

    payload = {
        "to": dossier.applicant_email,
        "name": dossier.applicant_name,
        "subject": f"Hồ sơ {dossier.code}",
        "body": text,
        "message_id": make_msgid(idstring=f"{dossier.id}.{key}", domain="e-office"),
    }
    try:
        send_mail(payload)
    except (OSError, outbox.GiveUp) as err:
        raise ChannelFailed(f"the mail server did not take it ({type(err).__name__})") from None


@outbox.handler(NOTICE)
def deliver_notice(payload: dict[str, Any]) -> None:
    """Send the notice on the first channel that takes it (see the module's words on at-most-once)."""
    dossier = db.session.get(Dossier, payload["dossier_id"])
    if dossier is None:
        return
    key, text = payload["key"], payload["text"]
    channels: list[str] = []
    gateway = sms_gateway()
    if dossier.applicant_phone and gateway is not None:
        channels.append("sms")
    if dossier.applicant_email and current_app.config.get("SMTP_HOST"):
        channels.append("email")
    failures = []
    for channel in channels:
        if not _claim(dossier.id, key, channel):
            return  # sent, or may have been, on this channel: never twice
        try:
            if channel == "sms":
                assert gateway is not None
                gateway.send(dossier.applicant_phone or "", sms_text(text), f"{dossier.code}:{key}")
            else:
                _send_email(dossier, text, key)
        except ChannelUnsure as err:
            _settle(dossier.id, key, channel, NoticeState.UNKNOWN, str(err))
            log.warning("notice %s of dossier %s: %s", key, dossier.code, err)
            return
        except ChannelFailed as err:
            _settle(dossier.id, key, channel, NoticeState.FAILED, str(err))
            log.warning(
                "notice %s of dossier %s to %s failed: %s",
                key,
                dossier.code,
                masked_phone(dossier.applicant_phone) if channel == "sms" else "e-mail",
                err,
            )
            failures.append(f"{channel}: {err}")
            continue
        _settle(dossier.id, key, channel, NoticeState.SENT)
        return
    if failures:
        raise RuntimeError("; ".join(failures))  # the outbox tries again later
