"""One error vocabulary: each domain error knows its HTTP status, its code and a message a person understands."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext, lazy_gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    status = 400
    code = "bad_request"
    default_message = lazy_gettext("The request could not be processed.")

    def __init__(self, message: str | None = None, **details: Any) -> None:
        super().__init__(message or str(self.default_message))
        self.message = message
        self.details = details

    def text(self) -> str:
        return str(self.message or self.default_message)

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.text()}
        body.update(self.details)
        return body


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = lazy_gettext("Not found.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = lazy_gettext("You are not allowed to do this.")


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    default_message = lazy_gettext("Log in first.")


class InvalidInput(DomainError):
    """Bad input; `fields` maps each field name to what is wrong with it."""

    status = 422
    code = "invalid_input"
    default_message = lazy_gettext("Some fields are missing or invalid.")

    def __init__(self, fields: dict[str, str] | None = None, message: str | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.fields = {k: str(v) for k, v in (fields or {}).items()}

    def text(self) -> str:
        base = super().text()
        if self.fields and not self.message:
            listed = "; ".join(f"{name}: {problem}" for name, problem in self.fields.items())
            return f"{base} {listed}"
        return base

    def payload(self) -> dict[str, Any]:
        body = super().payload()
        if self.fields:
            body["fields"] = self.fields
        return body


class InvalidParameter(InvalidInput):
    """A query or path parameter that is missing or out of range (a year, a page): 400, naming each one."""

    status = 400
    code = "bad_request"
    default_message = lazy_gettext("Some parameters are missing or invalid.")


class InvalidState(DomainError):
    status = 409
    code = "conflict"
    default_message = lazy_gettext("This cannot be done in the document's current state.")


class TooLarge(DomainError):
    status = 413
    code = "too_large"
    default_message = lazy_gettext("The upload is too large.")


class TooManyRequests(DomainError):
    """Too many requests from one client in a while; `retry_after` seconds until it may ask again."""

    status = 429
    code = "too_many_requests"
    default_message = lazy_gettext("Too many requests. Wait a moment.")

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class DependencyDown(DomainError):
    status = 503
    code = "unavailable"
    default_message = lazy_gettext("A service the application needs is not answering. Try again in a moment.")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, body: dict[str, Any]) -> tuple[Response, int] | tuple[str, int]:
    if wants_json():
        return jsonify({"error": body}), status
    return render_template("error.html", status=status, error=body), status


def register_error_handlers(app: Flask) -> None:
    from .extensions import db

    @app.errorhandler(DomainError)
    def _domain(err: DomainError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        response = error_response(err.status, err.payload())
        if isinstance(err, TooManyRequests):
            return response[0], response[1], {"Retry-After": str(err.retry_after)}
        return response

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        message = gettext("The form has expired or did not come from this site. Reload the page and try again.")
        return error_response(400, {"code": "csrf_failed", "message": message})

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):  # type: ignore[no-untyped-def]
        db.session.rollback()
        messages = {
            400: gettext("The request could not be understood."),
            401: gettext("Log in first."),
            403: gettext("You are not allowed to do this."),
            404: gettext("Not found."),
            405: gettext("This method is not allowed here."),
            413: gettext("The upload is larger than the limit of %(mb)s MB.", mb=app.config["MAX_UPLOAD_MB"]),
            429: gettext("Too many requests. Wait a moment."),
        }
        codes = {
            400: "bad_request",
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
            429: "too_many_requests",
        }
        status = err.code or 500
        body = {"code": codes.get(status, "http_error"), "message": messages.get(status, err.description or "")}
        return error_response(status, body)

    if app.testing:
        return

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):  # type: ignore[no-untyped-def]
        db.session.rollback()
        app.logger.exception("unhandled error")
        body = {"code": "internal_error", "message": gettext("Something went wrong on our side. Nothing was saved.")}
        return error_response(500, body)
