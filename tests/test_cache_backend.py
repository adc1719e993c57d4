"""The Redis cache backend: Django's, keeping one client per connection pool."""

import json

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


def test_a_redis_cache_url_picks_the_backend():
    shown = _manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; "
        "print(json.dumps(s.CACHES['default']['BACKEND']))",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_CACHE_URL="redis://127.0.0.1:6379/9",
    )

    assert json.loads(shown.stdout.strip().splitlines()[-1]) == (
        "lujiazui.cache.ReusedClientRedisCache"
    )
