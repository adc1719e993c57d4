"""Whole-page cache of the public pages, for anonymous visitors only.

A page is kept under a key made of the page's address (with its query string), the active
language, the large-text cookie and the day, together with the generations of what it shows. A
generation is a token in the cache that every change to public content replaces (`bump`), once
when the row is saved and again when its transaction commits; a page kept under an older
generation is rendered again, so a change shows on the next request and no page read before the
commit outlives it. One cache round trip reads the page and the generations together.

Only the pages named in `CACHED_PAGES` are kept, and only a plain 200 HTML answer to a GET by
an anonymous visitor that sets no cookie, changes no session and shows no message. Every page
carries the CSRF token of its header forms (language, large text): it is kept with each token of
this visitor replaced by a placeholder, and every visitor served from the cache gets their own
token in its place, exactly as if the page had been rendered for them. A page where any trace of
the visitor's token would remain is not kept.

The same means keep what signed-in users see, under what it depends on: `kept` values (which
areas' change counters name a user's cases), `cached_fragment` (the dashboard's figures, the
workbench's list) and `kept_page` (the whole workbench page, per user).
"""

import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (
    CSRF_TOKEN_LENGTH,
    CsrfViewMiddleware,
    _unmask_cipher_token,
    get_token,
)
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.safestring import mark_safe

from lujiazui.context_processors import LARGE_TEXT_COOKIE

# What a page shows, as far as invalidation goes: the published content and structure, or the
# seats left in events' sessions (changed by every booking, so kept apart: a rush of bookings
# must not empty the cache of every other page).
CONTENT = "content"
SEATS = "seats"


@dataclass(frozen=True)
class CachedPage:
    scopes: tuple[str, ...] = (CONTENT,)
    # At most this many seconds, whatever PAGE_CACHE_SECONDS says: for pages that change with
    # the clock (opening hours say "open now").
    max_seconds: int | None = None


_HOURS = CachedPage(max_seconds=60)
# The public pages, by URL name. Event pages show the seats left, so a booking or a
# cancellation renews them too; everything else is renewed by a change to public content.
CACHED_PAGES: dict[str, CachedPage] = {
    "home": CachedPage(),
    "governance:area_list": CachedPage(),
    "governance:area_detail": CachedPage(),
    "governance:organization_detail": CachedPage(),
    "governance:brand_list": CachedPage(),
    "governance:brand_detail": CachedPage(),
    "governance:wish_wall": CachedPage(),
    "governance:area_wish_wall": CachedPage(),
    "governance:wish_detail": CachedPage(),
    "forums:forum_list": CachedPage(),
    "forums:forum_detail": CachedPage(),
    "forums:practice_list": CachedPage(),
    "forums:practice_detail": CachedPage(),
    "forums:news_list": CachedPage(),
    "forums:news_detail": CachedPage(),
    "forums:search": CachedPage(),
    "forums:event_list": CachedPage(scopes=(CONTENT, SEATS)),
    "forums:event_detail": CachedPage(scopes=(CONTENT, SEATS)),
    "doorstep:service_list": _HOURS,
    "doorstep:service_detail": _HOURS,
    "doorstep:station_detail": _HOURS,
    "doorstep:area_print": _HOURS,
}

# The models whose rows public pages show, by the scope a change to them renews. Logins, cases,
# their history and counters, imports and API keys are never on a public page. Versions and
# search entries change only with their published item, which is saved too.
PUBLIC_MODELS: dict[str, str] = {
    **{
        f"residents.{name}": CONTENT
        for name in ("Street", "ResidentialArea", "Compound", "BuildingGroup", "Person")
    },
    **{
        f"governance.{name}": CONTENT
        for name in (
            "Organization",
            "Post",
            "Agreement",
            "Category",
            "Indicator",
            "IndicatorReading",
            "Brand",
            "BrandAction",
            "BrandActivity",
            "Wish",
        )
    },
    **{
        f"forums.{name}": CONTENT
        for name in (
            "Event",
            "Topic",
            "Forum",
            "Attendee",
            "Speech",
            "SpeechReview",
            "Practice",
            "NewsItem",
        )
    },
    "forums.EventSession": SEATS,
    "forums.Booking": SEATS,
    **{
        f"doorstep.{name}": CONTENT
        for name in ("Station", "Service", "OpeningPeriod", "ScheduleException")
    },
}

_KEY_PREFIX = "page-cache"
_TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)


def _generation_key(scope: str) -> str:
    return f"{_KEY_PREFIX}:generation:{scope}"


def bump(scope: str) -> None:
    """Give the scope a new generation: every page kept with the old one is never read again."""
    cache.set(_generation_key(scope), secrets.token_hex(8), timeout=None)


def bump_on_commit(scope: str, using: str | None = None) -> None:
    """Renew the scope now (this request sees the change) and again when the transaction
    commits (a page read by another request before the commit is not kept past it)."""
    bump(scope)
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        getattr(func, "page_cache_scope", None) == scope
        for _sids, func, _robust in connection.run_on_commit
    ):
        return  # one renewal per transaction is enough at commit

    def renew() -> None:
        bump(scope)

    renew.page_cache_scope = scope  # type: ignore[attr-defined]
    transaction.on_commit(renew, using=using)


def public_model_changed(sender, instance, using: str, **kwargs) -> None:
    """post_save / post_delete receiver for the models in PUBLIC_MODELS."""
    scope = PUBLIC_MODELS.get(sender._meta.label)
    if scope is not None and not kwargs.get("raw"):
        bump_on_commit(scope, using=using)


def public_relation_changed(sender, instance, action: str, using: str, **kwargs) -> None:
    """m2m_changed receiver: the areas of a forum are public, and so are the areas a user works
    for (the fragments kept per user list them)."""
    if not action.startswith("post_"):
        return
    for model in (type(instance), kwargs.get("model")):
        if model is not None and model._meta.label in PUBLIC_MODELS:
            public_model_changed(model, instance, using)
            return


def kept(
    name: str,
    parts: list[str],
    compute: Callable[[], object],
    scopes: tuple[str, ...] = (CONTENT,),
    counters: list[str] | tuple[str, ...] = (),
) -> object:
    """A value kept until what it depends on changes: the day, the generations of ``scopes``,
    or the values of ``counters`` (cache keys that others increment; which ones is part of what
    the value is kept under). ``parts`` name everything else it depends on. One cache round
    trip reads the value together with all of these.
    Nothing is kept while the page cache is off."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    variant = "|".join([name, *parts, *counters])
    key = f"{_KEY_PREFIX}:kept:{hashlib.sha256(variant.encode()).hexdigest()}"
    version, stored = _read(key, scopes, counters, timezone.localdate().isoformat())
    if stored is not None:
        return stored
    value = compute()
    # Kept with the version read before it was computed: a change meanwhile makes it stale.
    cache.set(key, (version, value), settings.PAGE_CACHE_SECONDS)
    return value


def cached_fragment(
    name: str,
    parts: list[str] | Callable[[], list[str]],
    render: Callable[[], str],
    scopes: tuple[str, ...] = (CONTENT,),
    counters: list[str] | Callable[[], list[str]] = (),
) -> str:
    """A rendered fragment kept like the public pages: until what it shows changes (the
    ``scopes`` and ``counters``, see `kept`), or PAGE_CACHE_SECONDS pass. ``parts`` must name
    everything else it depends on (the user whose choices it lists, the language, the query
    string); functions giving the parts or counters are called only when the cache is on."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return render()
    if callable(parts):
        parts = parts()
    if callable(counters):
        counters = counters()
    html = kept(f"fragment:{name}", parts, lambda: str(render()), scopes, counters)
    return mark_safe(html)  # noqa: S308  (our own rendered template, escaped when rendered)


def _read(key: str, scopes: tuple[str, ...], counters=(), *more: str) -> tuple[list, object | None]:
    """The current version of what is kept under ``key`` (``more``, the generations of its
    scopes and its counters' values) and what is kept for that version, if anything: one
    round trip, unless a scope has no generation yet."""
    generation_keys = [_generation_key(scope) for scope in scopes]
    found = cache.get_many([key, *generation_keys, *counters])
    generations = [found.get(generation_key) for generation_key in generation_keys]
    if None in generations:
        generations = _generations(scopes)
    version = [*more, *generations, *(found.get(counter, 0) for counter in counters)]
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return version, stored[1]
    return version, None


def _generations(scopes: tuple[str, ...]) -> list[str]:
    keys = [_generation_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    missing = {key: secrets.token_hex(8) for key in keys if key not in found}
    for key, token in missing.items():
        # add(): two workers starting a generation at once agree on the first one.
        if not cache.add(key, token, timeout=None):
            missing[key] = cache.get(key) or token
    return [found.get(key) or missing[key] for key in keys]


def _page_key(request: HttpRequest) -> str:
    variant = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            translation.get_language() or "",
            "large" if request.COOKIES.get(LARGE_TEXT_COOKIE) == "on" else "normal",
            timezone.localdate().isoformat(),  # terms expiring, sessions to come
        ]
    )
    return f"{_KEY_PREFIX}:page:{hashlib.sha256(variant.encode()).hexdigest()}"


def _lookup(request: HttpRequest, page: CachedPage) -> tuple[str, list[str], tuple | None]:
    """The page's key, the current generations of what it shows, and the page kept for them
    (None if none is, or it was kept under older generations): one cache round trip."""
    key = _page_key(request)
    generations, kept_page = _read(key, page.scopes)
    return key, generations, kept_page


def _placeholder() -> bytes:
    # Derived from the secret key, so no published text can contain it by chance or on purpose.
    digest = hashlib.sha256(f"page-cache-csrf:{settings.SECRET_KEY}".encode()).hexdigest()
    return f"csrf-placeholder-{digest[:32]}".encode()


def _without_visitor_token(request: HttpRequest, content: bytes) -> bytes | None:
    """The page with each of this visitor's CSRF tokens replaced by the placeholder, or None
    if any other trace of the visitor's secret remains (then the page is not kept)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content

    def replace(match: re.Match) -> bytes:
        if _unmask_cipher_token(match.group().decode()) == secret:
            return _placeholder()
        return match.group()

    content = _TOKEN_RE.sub(replace, content)
    if secret.encode() in content:
        return None
    return content


def _with_visitor_token(request: HttpRequest, content: bytes) -> bytes:
    placeholder = _placeholder()
    if placeholder not in content:
        return content
    # A masked token of its own for this answer (the mask differs from answer to answer, as
    # BREACH asks); get_token also has the CSRF middleware set or renew the visitor's cookie, as
    # for a rendered page. One token serves every form of the page: masking one per form would
    # cost a page of time slots, each with its booking form, a token each.
    return content.replace(placeholder, get_token(request).encode())


def _kept_response(request: HttpRequest, kept: tuple) -> HttpResponse:
    status, headers, content = kept
    response = HttpResponse(_with_visitor_token(request, content), status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(response.content))
    return response


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(get_messages(request)) > 0


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """A plain 200 HTML answer that sets no cookie, changes no session and leaves no message
    to show: the same for every request that shares its key."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not (session is not None and session.modified)
        and not _has_messages(request)
        and not _forbids_caching(response)
    )


def kept_page(
    request: HttpRequest,
    name: str,
    render: Callable[[], HttpResponse],
    scopes: tuple[str, ...] = (CONTENT,),
    counters: Callable[[], list[str]] = list,
) -> HttpResponse:
    """A signed-in user's page, kept whole for that user: until what it shows changes (the
    ``scopes`` and ``counters``, see `kept`), its header changes (the user's name and role, the
    unread count beside the inbox link), the day changes, or PAGE_CACHE_SECONDS pass. It is kept
    per address, language and text size, and neither kept nor served while a message waits to
    be shown. Its CSRF tokens are swapped as on the public pages: every answer carries a token
    of the session asking, so the user's other sessions never see this one's."""
    if (
        settings.PAGE_CACHE_SECONDS <= 0
        or request.method not in ("GET", "HEAD")
        or not request.user.is_authenticated
        or _has_messages(request)
    ):
        return render()
    from inbox.context_processors import UnreadNotifications  # a model: not while apps load

    user = request.user
    counter_keys = counters()
    who = (user.pk, user.username, user.first_name, user.role, user.is_staff, user.is_superuser)
    variant = "|".join(
        [
            name,
            request.get_full_path(),
            translation.get_language() or "",
            "large" if request.COOKIES.get(LARGE_TEXT_COOKIE) == "on" else "normal",
            *map(str, who),
            *counter_keys,
        ]
    )
    key = f"{_KEY_PREFIX}:user-page:{hashlib.sha256(variant.encode()).hexdigest()}"
    unread = str(UnreadNotifications(user).count)
    version, stored = _read(key, scopes, counter_keys, timezone.localdate().isoformat(), unread)
    if stored is not None:
        return _kept_response(request, stored)
    response = render()
    if _keepable(request, response):
        content = _without_visitor_token(request, response.content)
        if content is not None:
            page = (response.status_code, list(response.items()), content)
            cache.set(key, (version, page), settings.PAGE_CACHE_SECONDS)
    return response


def _forbids_caching(response: HttpResponse) -> bool:
    directives = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
        if d
    }
    return bool(directives & {"private", "no-cache", "no-store"})


class PageCacheMiddleware:
    """Serves and keeps the public pages of CACHED_PAGES for anonymous visitors.

    Sits after the authentication and messages middleware: it needs to know the user, the
    language and the pending messages.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and self._may_keep(request, response):
            content = _without_visitor_token(request, response.content)
            if content is not None:
                page = request._page_cache_page
                timeout = settings.PAGE_CACHE_SECONDS
                if page.max_seconds is not None:
                    timeout = min(timeout, page.max_seconds)
                # Kept with the generations read before the view ran: if public content
                # changed meanwhile, the next request finds them stale and renders again.
                kept = (
                    request._page_cache_generations,
                    (response.status_code, list(response.items()), content),
                )
                cache.set(key, kept, timeout)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        page = CACHED_PAGES.get(match.view_name) if match else None
        if page is None or request.user.is_authenticated or _has_messages(request):
            return None
        key, generations, kept = _lookup(request, page)
        if kept is None:
            if request.method == "GET":
                request._page_cache_key = key
                request._page_cache_page = page
                request._page_cache_generations = generations
            return None
        return _kept_response(request, kept)

    @staticmethod
    def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
        return not request.user.is_authenticated and _keepable(request, response)


@functools.lru_cache(maxsize=1024)
def _kept_page_at(urlconf: str, path: str) -> CachedPage | None:
    """The kept page a path names, if any. Remembered per path: resolving walks the URLconf
    pattern by pattern (some sixty for a forum page), the dearest step of serving a kept page,
    and its answer for a path never changes while the URLconf does not (it is part of the key).
    A thousand paths at most, so addresses that answer 404 cannot grow it."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return CACHED_PAGES.get(match.view_name)


class EarlyPageCacheMiddleware:
    """Serves a kept page to a visitor who carries no session and no messages, before the
    session, authentication, messages and the other inner middleware run: such a visitor is
    anonymous and has no message waiting, so the answer is the one PageCacheMiddleware would
    give, for less work. It does what the middleware it passes by would do to this answer: the
    visitor's language (LocaleMiddleware), the visitor's CSRF token and cookie
    (CsrfViewMiddleware) and ``Vary: Cookie``. Anything else goes on down the stack, where
    PageCacheMiddleware serves or keeps the page.

    Sits after the security and CSP middleware (their headers go on every answer) and before
    SessionMiddleware.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.locale = LocaleMiddleware(get_response)
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self._kept(request) or self.get_response(request)

    def _kept(self, request: HttpRequest) -> HttpResponse | None:
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return None
        page = _kept_page_at(settings.ROOT_URLCONF, request.path_info)
        if page is None:
            return None
        self.locale.process_request(request)  # the language the page is kept in
        _key, _generations, kept = _lookup(request, page)
        if kept is None:
            return None
        self.csrf.process_request(request)
        response = _kept_response(request, kept)
        response = self.csrf.process_response(request, response)
        response = self.locale.process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response
