"""Structured logs and private error reports.

Every log line is one JSON object on stdout, so a log collector can read it without parsing
free text. RequestLogMiddleware writes one line per request (method, path, status, duration)
and gives every line written during the request the same request id, which the response
carries in X-Request-ID.

What must never reach a log line or an error mail: participant codes, passwords, form
contents. So the request line has the path without its query string (searches in the admin
can hold a participant code), and the error mails hide every POST and GET value.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import log
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

# A request id from the reverse proxy is kept only if it looks like one.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# Paths that carry a secret of their own: the key of a password-reset or email-confirmation
# link opens an account, so it stays out of the log as well.
_SECRET_IN_PATH = re.compile(r"(/(?:password/reset/key|confirm-email)/)[^/\s]+")

# Attributes a record may carry (through `extra=`) that belong in the JSON line.
_REQUEST_FIELDS = ("method", "path", "status", "duration_ms")

request_logger = logging.getLogger("asfnet.request")


def without_secrets(text: str) -> str:
    return _SECRET_IN_PATH.sub(r"\1[hidden]", text)


class JSONFormatter(logging.Formatter):
    """One JSON object per record: timestamp, level, logger, message and request fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "timestamp": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": without_secrets(record.getMessage()),
        }
        for field in _REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if isinstance(entry.get("path"), str):
            entry["path"] = without_secrets(entry["path"])
        # django.request names the status status_code.
        if "status" not in entry and hasattr(record, "status_code"):
            entry["status"] = record.status_code
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    """One log line per request, and a request id on every line written meanwhile."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - start) * 1000, 1)
            response["X-Request-ID"] = request_id
            # Load balancers ask /healthz every few seconds: that is noise at INFO.
            level = logging.DEBUG if request.path == "/healthz" else logging.INFO
            if response.status_code >= 500:
                level = logging.ERROR
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,  # never the query string
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports show which form fields were sent, never their values, DEBUG or not."""

    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def get_post_parameters(self, request: HttpRequest | None):
        if request is None:
            return {}
        return self._cleanse_multivaluedict(request.POST, "__ALL__")

    def get_cleansed_multivaluedict(self, request, multivaluedict):
        return self._cleanse_multivaluedict(multivaluedict, "__ALL__")

    def get_safe_request_meta(self, request: HttpRequest):
        meta = super().get_safe_request_meta(request)
        for key in ("QUERY_STRING", "REQUEST_URI", "RAW_URI"):
            if meta.get(key):
                meta[key] = self.cleansed_substitute
        return meta


class PrivateExceptionReporter(ExceptionReporter):
    """The query string's values stay out of error mails too (admin searches, filters)."""

    def get_traceback_data(self) -> dict:
        data = super().get_traceback_data()
        if self.request is not None:
            hidden = self.filter.cleansed_substitute
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            if "request_insecure_uri" in data:
                raw = data["request_insecure_uri"]
                data["request_insecure_uri"] = raw.split("?", 1)[0]
        return data


class AdminEmailHandler(log.AdminEmailHandler):
    """Django's error mail to ADMINS, which never takes the visitor's 500 page with it.

    The mail goes to the outbox (the worker sends it), so a mail server that is down costs the
    request nothing. Should even the outbox fail (the database is down: the very error being
    reported), the failure is written to the log and the visitor still gets the 500 page.
    """

    def emit(self, record: logging.LogRecord) -> None:
        from .views import database_unavailable

        if record.exc_info and database_unavailable(record.exc_info[1]):
            # The outbox is in the database that cannot be reached: storing the mail would
            # only make the visitor wait for a second timeout. The log line has it all.
            return
        try:
            super().emit(record)
        except Exception as error:
            logging.getLogger("asfnet.errors").warning(
                "The error mail to the admins could not be stored: %r", error
            )
