"""Logging without personal data: one line per record, mobile numbers masked, no query strings
of pages that take personal data, no request bodies, and short error mails to the ADMINS."""

import datetime
import json
import logging
import re

from django.utils.log import AdminEmailHandler

# A mainland mobile number as people write it: 13812345678, 138 1234 5678, 138-1234-5678, +86...
MOBILE_NUMBER = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])")
MASK = "[mobile]"
# Pages whose query strings may carry names, numbers, booking codes, keys or search terms.
SENSITIVE_PATHS = ("/accounts/", "/admin/", "/events/", "/open311/", "/people/", "/search/")
_SENSITIVE = "|".join(map(re.escape, SENSITIVE_PATHS))
QUERY_STRING = re.compile(r"(?P<path>(?:" + _SENSITIVE + r")[^\s?\"]*)\?[^\s\"]*")


def redact(text: str) -> str:
    """Masks mobile numbers and drops the query strings of sensitive pages."""
    return MOBILE_NUMBER.sub(MASK, QUERY_STRING.sub(r"\g<path>", text))


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message and traceback without personal data; keeps every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class NotServiceUnavailable(logging.Filter):
    """Keeps 503 answers (the database away, /healthz/ saying so) out of the error mails: an
    outage would send one per request; monitoring watches /healthz/ instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 503


def _request_fields(record: logging.LogRecord) -> dict:
    """Method, path (never the query string or the body) and status of a request's record."""
    fields = {}
    request = getattr(record, "request", None)
    if request is not None and hasattr(request, "path"):
        fields["method"] = request.method
        fields["path"] = redact(request.path)
    status = getattr(record, "status_code", None)
    if status is not None:
        fields["status"] = status
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line; a traceback is a field of it, so an error stays one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_request_fields(record),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """`time=... level=... logger=... method=... path=... status=... message="..."` for people
    reading a console; a traceback follows on the next lines."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            **_request_fields(record),
        }
        line = " ".join(f"{key}={value}" for key, value in fields.items())
        line += " message=" + json.dumps(record.getMessage(), ensure_ascii=False)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + record.exc_text
        return line


class PrivateAdminEmailHandler(AdminEmailHandler):
    """Mails the ADMINS the error line and its traceback only: Django's report would add the
    query string, the form fields, the cookies and every frame's variables."""

    def emit(self, record: logging.LogRecord) -> None:
        subject = self.format_subject(f"{record.levelname}: {record.getMessage()}")
        self.send_mail(subject, self.format(record), fail_silently=True)
