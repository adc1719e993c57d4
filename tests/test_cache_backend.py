"""The Redis cache backend: Django's, keeping one client per connection pool."""

import json

import pytest
from django.urls import reverse

from lujiazui.cache import ReusedClientRedisCache
from tests.test_production_settings import SECRET, _manage


def test_one_redis_client_serves_every_call(monkeypatch):
    cache = ReusedClientRedisCache("redis://127.0.0.1:6379/9", {})
    built = []

    def client(connection_pool):
        built.append(connection_pool)
        return object()

    monkeypatch.setattr(cache._cache, "_client", client)

    first = cache._cache.get_client("a")
    again = cache._cache.get_client("b", write=True)

    assert first is again
    assert len(built) == 1


def _cache_and_sessions(**env: str) -> list[str]:
    shown = _manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], s.SESSION_ENGINE]))",
        DJANGO_SECRET_KEY=SECRET,
        **env,
    )
    return json.loads(shown.stdout.strip().splitlines()[-1])


def test_a_redis_cache_url_picks_the_backend_and_keeps_sessions_in_it():
    assert _cache_and_sessions(DJANGO_CACHE_URL="redis://127.0.0.1:6379/9") == [
        "lujiazui.cache.ReusedClientRedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_a_per_process_cache_never_holds_sessions():
    # A session ended in one worker would live on in another's memory.
    assert _cache_and_sessions(DJANGO_CACHE_URL="locmemcache://") == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]


@pytest.mark.django_db
def test_a_session_kept_in_the_cache_ends_at_logout(client, settings, django_user_model):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    user = django_user_model.objects.create_user("cached-session", password="x-Pass-2026-long")
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("governance:case_list")).status_code == 200

    client.post(reverse("logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie  # the old cookie, replayed

    assert client.get(reverse("governance:case_list")).status_code == 302
