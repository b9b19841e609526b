"""The background worker: does the outbox's work (deliveries to peers, statuses back, e-mails) and sends the
reminders of tasks' deadlines, until stopped.

`flask worker` runs it on its own; `make run` runs one in a thread of the server process. Several workers
may run at once against PostgreSQL (see app/outbox.py for how they share the rows).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import Flask

from . import outbox
from .extensions import db

log = logging.getLogger(__name__)


def run_due(app: Flask, limit: int = 20) -> int:
    """Claim and do the due rows once; how many were taken."""
    base = float(app.config.get("OUTBOX_BACKOFF_SECONDS", 2.0))
    cap = float(app.config.get("OUTBOX_BACKOFF_CAP_SECONDS", 600.0))
    lease = timedelta(seconds=float(app.config.get("OUTBOX_LEASE_SECONDS", 60.0)))
    with app.app_context():
        try:
            items = outbox.claim(limit, lease)
        except Exception:
            db.session.rollback()
            raise
        for item in items:
            try:
                outbox.run_one(item, base=base, cap=cap)
            except Exception:  # the row's lease runs out and it is claimed again
                log.exception("outbox row %s could not be recorded", item.id)
                db.session.rollback()
        db.session.remove()
        return len(items)


def run_until_idle(app: Flask, rounds: int = 100) -> None:
    """Do due work until none is left (or `rounds` passes): for tests and one-shot runs."""
    for _ in range(rounds):
        if run_due(app) == 0:
            return


def check_peers(app: Flask) -> None:
    """Ask every peer who it is again: its reachability and its directory of organisations, for the admin page
    and the recipient picker. A peer that now shows another certificate is reported, not taken."""
    from .routing import peers

    with app.app_context():
        try:
            ids = [p.id for p in peers.list_peers() if p.active]
            db.session.rollback()
            for peer_id in ids:
                try:
                    peers.refresh(None, peer_id)
                    db.session.commit()
                except Exception:  # one peer's trouble does not stop the others' check
                    log.exception("the worker could not check peer %s", peer_id)
                    db.session.rollback()
        finally:
            db.session.remove()


def send_reminders(app: Flask) -> int:
    """The reminders of deadlines that are due (app/tasks/reminders.py); how many tasks were reminded of."""
    from .tasks import reminders

    with app.app_context():
        try:
            return reminders.send_reminders()
        except Exception:  # the next round tries again; what was committed stays sent
            log.exception("the worker could not send the reminders")
            db.session.rollback()
            return 0
        finally:
            db.session.remove()


def draft_apologies(app: Flask) -> int:
    """Apologies drafted for the dossiers that can no longer make their appointment (app/onestop/deadlines.py)."""
    from .onestop.deadlines import draft_apologies as draft

    with app.app_context():
        try:
            drafted = draft()
            db.session.commit()
            return drafted
        except Exception:  # the next round tries again
            log.exception("the worker could not check the dossiers' deadlines")
            db.session.rollback()
            return 0
        finally:
            db.session.remove()


def queue_search_index(app: Flask) -> None:
    """A search index made empty at start (none yet, or of other fields) is filled again through the outbox."""
    from .search.indexing import queue_all_if_new

    with app.app_context():
        try:
            queued = queue_all_if_new()
            if queued:
                log.info("the search index is new: %s documents queued for indexing", queued)
        except Exception:
            log.exception("the worker could not check the search index")
            db.session.rollback()
        finally:
            db.session.remove()


def run_forever(app: Flask, stop: threading.Event | None = None, idle_sleep: float | None = None) -> None:
    """Poll the outbox until `stop` is set; sleep a little when there is nothing to do. Every
    PEER_CHECK_SECONDS, check the peers; every REMINDER_CHECK_SECONDS, send the reminders that are due."""
    stop = stop or threading.Event()
    pause = idle_sleep if idle_sleep is not None else float(app.config.get("WORKER_POLL_SECONDS", 0.5))
    every = float(app.config.get("PEER_CHECK_SECONDS", 900))
    next_check = time.monotonic() + min(every, 30.0)
    queue_search_index(app)
    remind_every = float(app.config.get("REMINDER_CHECK_SECONDS", 60))
    next_reminders = time.monotonic()
    while not stop.is_set():
        try:
            taken = run_due(app)
        except Exception:  # the database away for a moment: try again shortly
            log.exception("the worker could not read the outbox")
            taken = 0
        if every > 0 and time.monotonic() >= next_check:
            check_peers(app)
            next_check = time.monotonic() + every
        if remind_every > 0 and time.monotonic() >= next_reminders:
            if send_reminders(app):
                taken = taken or 1  # their e-mails are in the outbox now: no sleep
            draft_apologies(app)
            next_reminders = time.monotonic() + remind_every
        if taken == 0:
            stop.wait(pause)


def start_in_thread(app: Flask) -> tuple[threading.Thread, threading.Event]:
    """The embedded default: one worker thread beside the development server."""
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(app, stop), name="outbox-worker", daemon=True)
    thread.start()
    return thread, stop
