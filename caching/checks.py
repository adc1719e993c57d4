"""Deploy checks: what must be shared between processes is not kept in one process's memory.

With several workers (gunicorn, several machines), a per-process cache would serve each worker
its own kept pages, so a change seen by one worker would stay hidden in the others; the booking
throttle and the login lockout would count per worker, multiplying the limits; a session ended
in one worker would live on in the others.
"""

from django.conf import settings
from django.core import checks

PER_PROCESS_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache": "keeps its entries in one process",
    "django.core.cache.backends.dummy.DummyCache": "keeps nothing",
}


def _per_process(alias: str) -> str | None:
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    return PER_PROCESS_BACKENDS.get(backend)


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    uses = []
    if settings.PAGE_CACHE_SECONDS > 0:
        uses.append(("default", "the page cache (PAGE_CACHE_SECONDS)", "caching.E001"))
    uses.append(
        (
            getattr(settings, "RATELIMIT_USE_CACHE", "default"),
            "the booking and Open311 throttles (django-ratelimit)",
            "caching.E002",
        )
    )
    if getattr(settings, "AXES_HANDLER", "").endswith("AxesCacheHandler"):
        uses.append(
            (getattr(settings, "AXES_CACHE", "default"), "the login lockout", "caching.E003")
        )
    if settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    ):
        uses.append((settings.SESSION_CACHE_ALIAS, "sessions", "caching.E004"))
    for alias, use, error_id in uses:
        reason = _per_process(alias)
        if reason is not None:
            errors.append(
                checks.Error(
                    f"The cache {alias!r} used by {use} {reason}: with several workers each "
                    "would have its own.",
                    hint="Set DJANGO_CACHE_URL to a shared cache (redis://127.0.0.1:6379/1).",
                    id=error_id,
                )
            )
    return errors


@checks.register(checks.Tags.caches)
def check_declared_pages(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Every model a cacheable page depends on invalidates on bulk writes too."""
    from django.urls import URLPattern, URLResolver, get_resolver

    from caching.pages import untracked_dependencies

    def views(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield pattern.callback

    errors = []
    for view in views(get_resolver().url_patterns):
        page = getattr(view, "public_page", None)
        for label in untracked_dependencies(page) if page else ():
            errors.append(
                checks.Error(
                    f"{view.__module__}.{view.__qualname__} is cached and shows {label}, whose "
                    "querysets do not invalidate the cache on bulk writes.",
                    hint="Base the model's queryset on caching.versions.InvalidatingQuerySet.",
                    id="caching.E010",
                )
            )
    return errors
