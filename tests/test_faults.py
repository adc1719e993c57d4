"""Error pages, the maintenance page while the database is away, recovery, and /healthz/."""

import io
import json
import logging
from unittest import mock

import pytest
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from tests.faults import database_gone

pytestmark = pytest.mark.django_db


@pytest.fixture
def console_log():
    """What the configured console handler writes, for the test's duration."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.fixture(autouse=True)
def _fault_urls(settings):
    settings.ROOT_URLCONF = "tests.faults_urls"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


# --- Error pages -------------------------------------------------------------------------


def test_404_page_keeps_the_portal_look_in_chinese_by_default(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "页面不存在" in page
    assert "街道概览" in page  # the navigation of base.html
    assert 'href="/static/css/portal.css"' in page


def test_404_page_in_english(english):
    page = english.get("/no-such-page/").content.decode()
    assert '<html lang="en">' in page
    assert "Page not found" in page


def test_error_pages_make_no_query_even_for_a_logged_in_user(
    client, secretary, django_assert_num_queries
):
    client.force_login(secretary)
    with django_assert_num_queries(0):
        assert client.get("/no-such-page/").status_code == 404
        assert client.get("/faults/403/").status_code == 403


def test_403_page(english):
    response = english.get("/faults/403/")
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert "Not allowed" in response.content.decode()


def test_400_page_for_a_suspicious_request(english):
    response = english.get("/faults/400/")
    assert response.status_code == 400
    assert response.templates[0].name == "400.html"
    assert "Bad request" in response.content.decode()


def test_400_page_for_a_foreign_host_name(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert response.templates[0].name == "400.html"


def test_429_page_for_a_throttled_request(english):
    response = english.get("/faults/429/")
    assert response.status_code == 429
    assert response.templates[0].name == "429.html"
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()


def test_csrf_failure_page_says_what_to_do(settings):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert response.templates[0].name == "403_csrf.html"
    assert "The form has expired" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "navigation"), [("zh-hans", "街道概览"), ("en", "Street overview")]
)
def test_500_page_in_both_languages_without_a_traceback(client, language, navigation):
    client.raise_request_exception = False
    client.cookies["django_language"] = language
    response = client.get("/faults/500/")
    assert response.status_code == 500
    assert response.templates[0].name == "500.html"
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert navigation in page
    assert "Traceback" not in page
    assert "RuntimeError" not in page


def test_500_page_says_what_happened(english):
    english.raise_request_exception = False
    assert "Server error" in english.get("/faults/500/").content.decode()


def test_500_page_renders_while_the_database_is_down(client, secretary):
    client.force_login(secretary)
    client.raise_request_exception = False
    with database_gone():
        response = client.get("/faults/500/")
    assert response.status_code == 500
    assert response.templates[0].name == "500.html"
    assert "街道概览" in response.content.decode()


def test_500_page_shows_the_user_already_read_and_no_inbox_query(
    client, secretary, django_assert_max_num_queries
):
    client.force_login(secretary)
    client.raise_request_exception = False
    with django_assert_max_num_queries(2):  # the session and the user, read by the view
        response = client.get("/faults/500-user/")
    assert response.status_code == 500
    assert secretary.username in response.content.decode()


def test_500_falls_back_to_a_bare_page_when_the_template_breaks(client):
    client.raise_request_exception = False
    with mock.patch("lujiazui.errors.loader.get_template", side_effect=ValueError("manifest")):
        response = client.get("/faults/500/")
    assert response.status_code == 500
    assert "服务器错误 / Server error" in response.content.decode()


# --- The database going away ----------------------------------------------------------------


@pytest.mark.parametrize("error", ["OperationalError", "InterfaceError"])
def test_database_lost_mid_request_gives_the_maintenance_page(client, street, error):
    with database_gone(error):
        response = client.get("/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.templates[0].name == "503.html"
    page = response.content.decode()
    assert "Traceback" not in page
    assert error not in page
    assert "server closed the connection" not in page
    assert "街道概览" in page


def test_maintenance_page_for_a_logged_in_user_whose_session_cannot_be_read(client, secretary):
    client.force_login(secretary)
    with database_gone():
        response = client.get(reverse("governance:case_list"))
    assert response.status_code == 503


def test_maintenance_page_when_the_database_fails_after_the_view(client):
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.save",
        side_effect=OperationalError("terminating connection"),  # as Django wraps it
    ):
        client.raise_request_exception = False
        response = client.get("/faults/session/")
    assert response.status_code == 503
    assert response.templates[0].name == "503.html"


def test_portal_recovers_when_the_database_returns(client, street):
    with database_gone():
        assert client.get("/").status_code == 503
        assert client.get("/healthz/").status_code == 503
    assert client.get("/").status_code == 200
    assert client.get("/healthz/").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real lost PostgreSQL connection")
@pytest.mark.django_db(transaction=True)
def test_portal_reconnects_after_the_server_drops_its_connection(client):
    assert client.get("/faults/query/").status_code == 200
    pid = connection.connection.info.backend_pid
    other = connection.copy()  # another session ends ours, as a server restart would
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    assert client.get("/faults/query/").status_code == 503
    close_old_connections()  # what Django does when a request ends and the next one starts
    assert client.get("/faults/query/").status_code == 200
    assert connection.connection.info.backend_pid != pid


def test_database_fault_is_logged_as_one_line(client, street, console_log):
    with database_gone():
        client.get("/?phone=13812345678")
    lines = console_log.getvalue().splitlines()
    faults = [json.loads(line) for line in lines if '"lujiazui.faults"' in line]
    assert len(faults) == 1
    assert faults[0]["level"] == "ERROR"
    assert faults[0]["status"] == 503
    assert faults[0]["path"] == "/"
    assert "13812345678" not in console_log.getvalue()


# --- /healthz/ ------------------------------------------------------------------------------


def test_healthz_reports_database_and_cache(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


def test_healthz_is_503_when_the_database_is_away(client):
    with database_gone():
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "cache": "ok"}


def test_healthz_is_503_when_the_cache_is_away(client):
    with mock.patch("lujiazui.views.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unreachable"}


def test_healthz_needs_no_login_even_when_every_page_does(client, settings):
    # Django 5.1's LoginRequiredMiddleware, which a deployment (or a later change) may add.
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        f"{LoginRequiredMiddleware.__module__}.{LoginRequiredMiddleware.__name__}",
    ]
    assert client.get("/").status_code == 302
    assert client.get("/healthz/").status_code == 200
