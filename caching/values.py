"""Any value kept until a model it depends on changes, or it stops being true."""

import datetime
import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models

from caching.lifetime import seconds_to_keep
from caching.versions import label_of, read

T = TypeVar("T")


def cached(
    name: str,
    *,
    parts: Iterable[str],
    depends_on: Iterable[type[models.Model] | str],
    compute: Callable[[], T],
    valid_until: datetime.datetime | None = None,
    seconds: int | None = None,
) -> T:
    """``compute()``, kept under ``name`` and ``parts`` (everything the value depends on
    besides the models: the user's scope, the language, the query parameters it reads) until a
    model of ``depends_on`` is written to, ``valid_until`` or ``seconds`` pass, or midnight.
    Nothing is kept while PAGE_CACHE_SECONDS is 0."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    variant = "\x1f".join([name, *parts])
    key = f"value:{hashlib.sha256(variant.encode()).hexdigest()}"
    found, versions = read([key], [label_of(model) for model in depends_on])
    stored = found.get(key)
    if stored is not None and stored[0] == versions:
        return stored[1]
    value = compute()
    timeout = seconds_to_keep(valid_until, seconds)
    if timeout > 0:
        # Under the versions read before computing: a write meanwhile makes it stale at once.
        cache.set(key, (versions, value), timeout)
    return value
