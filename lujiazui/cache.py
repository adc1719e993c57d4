"""Django's Redis cache backend, keeping one Redis client per connection pool.

Django's own builds a new ``redis.Redis`` object for every cache call; on a page served from the
page cache that construction was a good part of the cost. The client holds no state of its own
beyond its pool, and each thread has its own cache object (django.core.cache.caches), so one
client per pool is safe.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
