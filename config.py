"""Every setting, read from the environment, with defaults that make `make run` work on a fresh machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import ClassVar

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalize_database_url(url: str) -> str:
    """Accept the plain `postgresql://user@host:port/db` form and pick the driver we ship (psycopg 3)."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret_key() -> str:
    """A development key made once per checkout and kept under instance/, so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    ENV_NAME = "development"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = normalize_database_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'eoffice.db'}"
    )
    # No ping on every checkout: extensions.ping_idle_connections pings only a connection that sat idle.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": False}

    # The object store. An unset endpoint means the embedded store that `make run` starts.
    S3_ENDPOINT = os.environ.get("S3_ENDPOINT") or "127.0.0.1:" + os.environ.get("S3_EMBEDDED_PORT", "18333")
    S3_ACCESS_KEY = os.environ.get("S3_ACCESS_KEY", "eoffice")
    S3_SECRET_KEY = os.environ.get("S3_SECRET_KEY", "eoffice-embedded-secret")
    S3_BUCKET = os.environ.get("S3_BUCKET", "eoffice")
    S3_SECURE = _bool(os.environ.get("S3_SECURE"))
    S3_REGION = os.environ.get("S3_REGION", "us-east-1")
    S3_TIMEOUT_SECONDS = float(os.environ.get("S3_TIMEOUT_SECONDS", "5"))

    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "50"))
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search"))
    TSA_URL = os.environ.get("TSA_URL", "")  # empty: the app's own time-stamp authority
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")  # where relying parties reach /pki/crl and /pki/ocsp
    KEY_ENCRYPTION_KEY = os.environ.get("KEY_ENCRYPTION_KEY", "")  # 32 bytes, base64; else derived from SECRET_KEY
    # PKCS#11 libraries users may sign through, by name (a user never names a library file: loading one runs it).
    PKCS11_MODULES: ClassVar[dict[str, str]] = dict(
        item.split("=", 1)
        for item in os.environ.get("PKCS11_MODULES", "softhsm=/usr/lib/softhsm/libsofthsm2.so").split(",")
        if "=" in item
    )
    SMTP_HOST = os.environ.get("SMTP_HOST", "")  # empty: no e-mail, notifications stay in the app
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _bool(os.environ.get("SMTP_STARTTLS"))
    SMTP_FROM = os.environ.get("SMTP_FROM", "e-office@localhost")
    SMTP_TIMEOUT_SECONDS = float(os.environ.get("SMTP_TIMEOUT_SECONDS", "20"))
    # Text messages to applicants through an HTTP SMS gateway (empty: none), and the token the gateway sends with
    # the messages it posts to /api/v1/onestop/sms/inbound (empty: the webhook is closed).
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
    SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
    SMS_GATEWAY_TIMEOUT_SECONDS = float(os.environ.get("SMS_GATEWAY_TIMEOUT_SECONDS", "10"))
    SMS_INBOUND_TOKEN = os.environ.get("SMS_INBOUND_TOKEN", "")
    # How often one client address may look a dossier up, per minute (the public lookup's limit).
    PUBLIC_LOOKUPS_PER_MINUTE = int(os.environ.get("PUBLIC_LOOKUPS_PER_MINUTE", "20"))
    PORT = int(os.environ.get("PORT", "5000"))

    # The outbox and its worker: deliveries to peer servers and statuses back.
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    # A status back to a sender is tried for about a day and a half (the backoff is capped at 10 minutes): a
    # sender's server down for maintenance still hears how its document is processed.
    STATUS_MAX_ATTEMPTS = int(os.environ.get("STATUS_MAX_ATTEMPTS", "400"))
    OUTBOX_BACKOFF_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_SECONDS", "2"))  # the first retry waits up to this
    OUTBOX_BACKOFF_CAP_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_CAP_SECONDS", "600"))
    OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "60"))  # a killed worker's rows come back
    WORKER_POLL_SECONDS = float(os.environ.get("WORKER_POLL_SECONDS", "0.5"))
    REMINDER_CHECK_SECONDS = float(os.environ.get("REMINDER_CHECK_SECONDS", "60"))  # 0: the worker sends none
    TASK_REMIND_WORKING_DAYS = int(os.environ.get("TASK_REMIND_WORKING_DAYS", "2"))  # "due soon"; 0: only overdue
    PEER_CHECK_SECONDS = float(os.environ.get("PEER_CHECK_SECONDS", "900"))  # the worker asks each peer; 0: never
    # The exchange with peer servers.
    EXCHANGE_NAME = os.environ.get("EXCHANGE_NAME", "")  # this server's name in the exchange; else its host
    EXCHANGE_TIMEOUT_SECONDS = float(os.environ.get("EXCHANGE_TIMEOUT_SECONDS", "30"))
    EXCHANGE_MAX_MESSAGE_MB = int(os.environ.get("EXCHANGE_MAX_MESSAGE_MB", "80"))
    # Fault injection for the exchange's crash tests: the process kills itself (SIGKILL) right after it has
    # committed a message from a peer, before it answers. Never set in production.
    EXCHANGE_DIE_AFTER_STORE = _bool(os.environ.get("EXCHANGE_DIE_AFTER_STORE"))

    # Accounts
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    LOGIN_LOCK_MINUTES = 15
    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    TIMEZONE = "Asia/Ho_Chi_Minh"

    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_HEADERS: ClassVar[list[str]] = ["X-CSRFToken", "X-CSRF-Token"]
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PER_PAGE_DEFAULT = 20
    PER_PAGE_MAX = 200

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo")

    def finalize(self) -> None:
        if not self.SECRET_KEY:
            self.SECRET_KEY = _instance_secret_key()


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool(os.environ.get("SESSION_COOKIE_SECURE"), True)

    def finalize(self) -> None:
        if not self.SECRET_KEY or len(self.SECRET_KEY) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        if not os.environ.get("S3_ENDPOINT"):
            raise RuntimeError("S3_ENDPOINT must point at the object store in production.")


def load_config() -> Config:
    name = os.environ.get("EOFFICE_ENV", "development")
    config: Config = ProductionConfig() if name == "production" else Config()
    return config
