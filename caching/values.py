"""Any value kept until a model it depends on changes, or it stops being true."""

import datetime
import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from caching.lifetime import seconds_to_keep
from caching.versions import is_tracked, label_of, model_of, read

T = TypeVar("T")


@functools.cache
def _require_tracked(labels: tuple[str, ...]) -> None:
    """A value may depend only on models whose every write invalidates it."""
    untracked = [label for label in labels if not is_tracked(model_of(label))]
    if untracked:
        raise ImproperlyConfigured(
            f"Kept values cannot depend on {', '.join(untracked)}: base the querysets on "
            "caching.versions.InvalidatingQuerySet."
        )


def cached(
    name: str,
    *,
    parts: Iterable[str] | Callable[[], Iterable[str]],
    depends_on: Iterable[type[models.Model] | str],
    compute: Callable[[], T],
    valid_until: datetime.datetime | None = None,
    seconds: int | None = None,
) -> T:
    """``compute()``, kept under ``name`` and ``parts`` (everything the value depends on
    besides the models: the user's scope, the language, the query parameters it reads) until a
    model of ``depends_on`` is written to, ``valid_until`` or ``seconds`` pass, or midnight.
    ``parts`` may be a function, called only when the cache is on. Nothing is kept while
    PAGE_CACHE_SECONDS is 0."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    labels = tuple(label_of(model) for model in depends_on)
    _require_tracked(labels)
    if callable(parts):
        parts = parts()
    variant = "\x1f".join([name, *parts])
    key = f"value:{hashlib.sha256(variant.encode()).hexdigest()}"
    found, versions = read([key], labels)
    stored = found.get(key)
    if stored is not None and stored[0] == versions:
        return stored[1]
    value = compute()
    timeout = seconds_to_keep(valid_until, seconds)
    if timeout > 0:
        # Under the versions read before computing: a write meanwhile makes it stale at once.
        cache.set(key, (versions, value), timeout)
    return value
