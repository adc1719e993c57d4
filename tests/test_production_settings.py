"""Production is the default: with DEBUG off, HTTPS, HSTS and secure cookies need no variable;
with DEBUG on, a developer's plain-HTTP server works."""

import json
import os
import subprocess
import sys

from django.conf import settings

FLAGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]
SHOW = (
    "import json; from django.conf import settings as s; "
    f"print(json.dumps({{k: getattr(s, k) for k in {FLAGS!r}}}))"
)
SECRET = "production-key-" + "x7Qp2Lm9" * 8


def _manage(*args, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_debug_off_and_no_https_variable(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DJANGO_CACHE_URL="redis://127.0.0.1:6379/1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_turns_on_every_secure_flag():
    result = _manage("shell", "-v", "0", "-c", SHOW, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=SECRET)
    assert json.loads(result.stdout) == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }, result.stderr


def test_debug_on_serves_plain_http_for_development():
    result = _manage("shell", "-v", "0", "-c", SHOW, DJANGO_DEBUG="true")
    assert json.loads(result.stdout) == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
    }, result.stderr


def test_https_can_be_turned_off_behind_a_plain_http_test_setup():
    result = _manage(
        "shell",
        "-v",
        "0",
        "-c",
        SHOW,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_HTTPS="false",
    )
    assert json.loads(result.stdout)["SECURE_SSL_REDIRECT"] is False, result.stderr


def test_lint_runs_the_deployment_checklist():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "lint: install-test deploy-check" in makefile
    assert "check --deploy --fail-level WARNING" in makefile


def test_check_deploy_fails_with_the_default_per_process_cache(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DJANGO_PAGE_CACHE_SECONDS="300",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode != 0
    assert "caching.E001" in result.stderr and "caching.E002" in result.stderr
