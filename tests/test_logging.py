"""Logs and error mails without personal data."""

import io
import json
import logging
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db.utils import OperationalError

from lujiazui.logs import JsonFormatter, KeyValueFormatter, PersonalDataFilter, redact
from tests.faults import database_gone

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _fault_urls(settings):
    settings.ROOT_URLCONF = "tests.faults_urls"


@pytest.fixture
def console_log():
    """What the configured console handler writes, for the test's duration."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def _record(msg, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("lujiazui", logging.ERROR, __file__, 1, msg, args, exc_info)


@pytest.mark.parametrize(
    "written", [PHONE, "138 1234 5678", "138-1234-5678", "+8613812345678", "+86 138 1234 5678"]
)
def test_mobile_numbers_are_masked_however_written(written):
    assert redact(f"booked by {written}.") == "booked by [mobile]."


@pytest.mark.parametrize("kept", ["021-58881234", "2026-11-27", "LJZ-2026-0042", "213812345678"])
def test_landlines_dates_and_case_numbers_are_kept(kept):
    assert redact(f"see {kept}") == f"see {kept}"


def test_query_strings_of_sensitive_pages_are_dropped_and_others_kept():
    line = '"GET /events/bookings/?code=K7QM-2XPA HTTP/1.1" 200; "GET /cases/?status=new HTTP/1.1"'
    assert redact(line) == '"GET /events/bookings/ HTTP/1.1" 200; "GET /cases/?status=new HTTP/1.1"'
    assert redact("/search/?q=王小明") == "/search/"
    assert redact("/open311/v2/requests.json?api_key=secret") == "/open311/v2/requests.json"


def test_filter_masks_arguments_and_tracebacks():
    try:
        raise ValueError(f"duplicate phone {PHONE}")
    except ValueError:
        record = _record("booking for %s failed", PHONE, exc_info=sys.exc_info())
    assert PersonalDataFilter().filter(record) is True
    line = JsonFormatter().format(record)
    assert PHONE not in line
    entry = json.loads(line)
    assert entry["message"] == "booking for [mobile] failed"
    assert "ValueError: duplicate phone [mobile]" in entry["exception"]
    assert "\n" not in line  # one line, traceback included


def test_key_value_lines_for_people_reading_a_console():
    line = KeyValueFormatter().format(_record("cache %s", "down"))
    assert "level=ERROR logger=lujiazui" in line
    assert line.endswith('message="cache down"')


def test_a_server_error_is_one_json_line_without_personal_data(client, console_log):
    client.raise_request_exception = False
    client.post(f"/faults/500/?phone={PHONE}", {"name": "王小明", "phone": PHONE})
    lines = console_log.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "django.request"
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/faults/500/", 500)
    assert "RuntimeError: bug while booking for [mobile]" in entry["exception"]
    assert PHONE not in lines[0]
    assert "王小明" not in lines[0]


def test_a_not_found_page_is_one_warning_line(client, console_log):
    client.get("/no-such-page/")
    [line] = console_log.getvalue().splitlines()
    assert json.loads(line)["level"] == "WARNING"
    assert json.loads(line)["status"] == 404


def test_server_errors_are_mailed_to_the_admins_without_personal_data(client, settings):
    settings.ADMINS = [("Ops", "ops@example.org")]
    client.raise_request_exception = False
    client.cookies["sessionid"] = "secret-session-id"
    client.post(f"/faults/500/?phone={PHONE}", {"name": "王小明", "address": "崂山路 1 号"})
    [message] = mail.outbox
    assert message.to == ["ops@example.org"]
    assert "Internal Server Error: /faults/500/" in message.subject
    assert "RuntimeError: bug while booking for [mobile]" in message.body
    for private in (PHONE, "王小明", "崂山路", "secret-session-id", "phone="):
        assert private not in message.subject + message.body
    assert not message.alternatives  # no HTML report with the request's details


def test_no_mail_when_the_database_is_away(client, settings, street, console_log):
    settings.ADMINS = [("Ops", "ops@example.org")]
    client.raise_request_exception = False
    with database_gone():
        assert client.get("/").status_code == 503
        assert client.get("/healthz/").status_code == 503
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.save",
        side_effect=OperationalError("terminating connection"),
    ):
        assert client.get("/faults/session/").status_code == 503
    assert mail.outbox == []
    assert len(console_log.getvalue().splitlines()) == 3  # each still one line in the log


def test_admins_come_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "from django.conf import settings; print(settings.ADMINS)",
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DJANGO_ADMINS": "Wang Fang <wf@example.org>,ops@example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip() == "[('Wang Fang', 'wf@example.org'), ('', 'ops@example.org')]", (
        result.stderr
    )
