"""The deploy check: nothing that several workers must share is kept in one process's memory."""

import pytest
from django.test import override_settings

from caching.checks import check_shared_cache

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
}


def _ids(**settings) -> list[str]:
    with override_settings(**settings):
        return [error.id for error in check_shared_cache(None)]


def test_the_local_memory_cache_fails_the_deploy_check_for_pages_and_throttles():
    assert _ids(CACHES=LOCAL, PAGE_CACHE_SECONDS=300) == ["caching.E001", "caching.E002"]


def test_the_throttle_alone_needs_a_shared_cache_too():
    assert _ids(CACHES=LOCAL, PAGE_CACHE_SECONDS=0) == ["caching.E002"]


def test_sessions_and_the_lockout_kept_in_a_local_cache_fail_it():
    ids = _ids(
        CACHES=LOCAL,
        PAGE_CACHE_SECONDS=0,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        AXES_HANDLER="axes.handlers.cache.AxesCacheHandler",
    )

    assert ids == ["caching.E002", "caching.E003", "caching.E004"]


def test_a_shared_cache_passes():
    assert _ids(CACHES=REDIS, PAGE_CACHE_SECONDS=300) == []


@pytest.mark.parametrize("url", ["locmemcache://", "dummycache://"])
def test_the_page_cache_is_off_by_default_with_a_per_process_cache(url):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.conf import settings; print(settings.PAGE_CACHE_SECONDS)",
        ],
        cwd=settings.BASE_DIR,
        env={
            "DJANGO_SETTINGS_MODULE": "lujiazui.settings",
            "DJANGO_DEBUG": "true",
            "DJANGO_CACHE_URL": url,
            "PATH": "/usr/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.strip() == "0", result.stderr
