"""Versions of the models that kept pages and values depend on, and their invalidation.

A version is a number from the clock (nanoseconds), stored in the cache under the model's
label. What is kept carries the versions it was computed under and is used only while they are
all still current. Any write to a model gives it a new version: once at the write (the writing
request sees its own change) and once more when the transaction commits (a page another request
rendered before the commit, from the old rows, is not used past it). A version missing from the
cache (evicted, or a cache restarted empty) starts again from the clock: it can never equal a
version anything was kept under before, so nothing old comes back.

A model is kept track of when its default manager's querysets are ``InvalidatingQuerySet``:
saves and deletes are seen by signals, and ``update()``, ``bulk_create()`` and
``bulk_update()`` by the queryset itself, so no write path skips the invalidation.
"""

import time
from collections.abc import Iterable

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

PREFIX = "version"


def label_of(model: type[models.Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label


def model_of(label: str) -> type[models.Model]:
    """The model a label names: ``app.Model``, or ``app.Model.field`` for a volatile field."""
    return apps.get_model(".".join(label.split(".")[:2]))


def written(model: type[models.Model], fields=None) -> list[str]:
    """What a write to ``fields`` of the model (None: any field, or a new or deleted row)
    invalidates. A model may name ``cache_volatile_fields``, columns that change far more often
    than the rest (the seats taken of a time slot, at every booking): a write to those alone
    invalidates ``app.Model.field`` only, so pages that do not show them are kept."""
    volatile = getattr(model, "cache_volatile_fields", frozenset())
    if fields and volatile and set(fields) <= volatile:
        return [f"{model._meta.label}.{name}" for name in sorted(fields)]
    return [model._meta.label]


def _key(label: str) -> str:
    return f"{PREFIX}:{label}"


def read(keys: Iterable[str], depends_on: Iterable[str]) -> tuple[dict, tuple[int, ...]]:
    """The cache entries under ``keys`` and the current versions of the models ``depends_on``
    names, in one round trip (two when a version has to be started)."""
    keys = list(keys)
    version_keys = [_key(label) for label in depends_on]
    found = cache.get_many([*keys, *version_keys])
    missing = [key for key in version_keys if key not in found]
    if missing:
        start = time.time_ns()
        for key in missing:
            cache.add(key, start, timeout=None)  # two processes starting one agree on the first
        found.update(cache.get_many(missing))
    return found, tuple(found.get(key, 0) for key in version_keys)


def _renew(labels: Iterable[str]) -> None:
    now = time.time_ns()
    cache.set_many({_key(label): now for label in labels}, timeout=None)


def invalidate(*depends_on: type[models.Model] | str, using: str | None = None) -> None:
    """Give the models (or labels) new versions now and again when the current transaction
    commits."""
    labels = sorted({label_of(model) for model in depends_on})
    _renew(labels)
    transaction.on_commit(lambda: _renew(labels), using=using)


class InvalidatingQuerySet(models.QuerySet):
    """The querysets of a model that kept pages show: bulk writes invalidate it too."""

    def update(self, **kwargs) -> int:
        count = super().update(**kwargs)
        invalidate(*written(self.model, kwargs), using=self.db)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        invalidate(self.model, using=self.db)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        count = super().bulk_update(objs, fields, *args, **kwargs)
        invalidate(*written(self.model, fields), using=self.db)
        return count

    bulk_update.alters_data = True


def is_tracked(model: type[models.Model]) -> bool:
    return isinstance(model._default_manager.all(), InvalidatingQuerySet)


def tracked_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if is_tracked(model)]


def _saved_or_deleted(sender, instance, using: str, **kwargs) -> None:
    if not kwargs.get("raw"):  # fixtures loading
        invalidate(*written(sender, kwargs.get("update_fields")), using=using)


def _relation_changed(sender, instance, action: str, using: str, model=None, **kwargs) -> None:
    if action.startswith("post_"):
        changed = [m for m in (type(instance), model) if m is not None and is_tracked(m)]
        if changed:
            invalidate(*changed, using=using)


def connect_signals() -> None:
    for model in tracked_models():
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"caching:{model}")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"caching:{model}")
    m2m_changed.connect(_relation_changed, dispatch_uid="caching:m2m")
