"""Public pages kept whole for visitors without a session.

A view opts in with ``@cache_public_page``, naming the models it shows and the query
parameters it reads. The middleware serves a kept page, before the session and authentication
middleware run, to a GET or HEAD without a session or messages cookie, under a key of the host,
the path, the declared parameters, the visitor's language and text size, and keeps a plain 200
HTML answer that sets no cookie for as long as the models it shows do not change, and never
past what the view says with ``valid_until``, the page's ``seconds``, the setting or midnight.
A request with a parameter the page does not read is redirected to the address without it, so
stray parameters never make entries of their own.
"""

import datetime
import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re

from caching.lifetime import seconds_to_keep
from caching.versions import is_tracked, label_of, model_of, read
from lujiazui.context_processors import LARGE_TEXT_COOKIE


@dataclass(frozen=True)
class PublicPage:
    depends_on: tuple[str, ...]
    params: frozenset[str]
    seconds: int | None = None


def cache_public_page(
    *,
    depends_on: Iterable[type[models.Model] | str],
    params: Iterable[str] = (),
    seconds: int | None = None,
) -> Callable:
    """Declare a view's page cacheable for visitors without a session: it shows the rows of
    ``depends_on`` (models whose querysets invalidate, see caching.versions), reads the query
    parameters ``params`` and nothing else of the request, and is true for ``seconds`` at most
    (for pages that change with the clock)."""
    page = PublicPage(
        depends_on=tuple(sorted({label_of(model) for model in depends_on})),
        params=frozenset(params),
        seconds=seconds,
    )

    def declare(view: Callable) -> Callable:
        view.public_page = page
        return view

    return declare


def valid_until(
    request: HttpRequest,
    moment: datetime.datetime | Callable[[], datetime.datetime | None] | None,
) -> None:
    """Say that the page being rendered stops being true at ``moment`` (a booking opens, a
    session starts): it is not kept past it. ``moment`` may be a function, called only when
    the page is being kept, so a page rendered for a signed-in user or with the cache off
    spends no query on it."""
    if not getattr(request, "keeping_page", False):
        return
    if callable(moment):
        moment = moment()
    if moment is None:
        return
    earliest = getattr(request, "cache_valid_until", None)
    if earliest is None or moment < earliest:
        request.cache_valid_until = moment


def untracked_dependencies(page: PublicPage) -> list[str]:
    return [label for label in page.depends_on if not is_tracked(model_of(label))]


@functools.lru_cache(maxsize=1024)
def _page_at(urlconf: str, path: str) -> PublicPage | None:
    """The declaration of the page at ``path``. Remembered per path: resolving tries the
    URLconf's patterns one by one, the dearest step of serving a kept page. At most a thousand
    paths, so addresses that answer 404 cannot grow it."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "public_page", None)


def _key(request: HttpRequest, page: PublicPage) -> str:
    query = sorted((name, value) for name in page.params for value in request.GET.getlist(name))
    variant = "\x1f".join(
        [
            request.scheme,
            request.get_host(),
            request.path,
            repr(query),
            translation.get_language_from_request(request),
            "large" if request.COOKIES.get(LARGE_TEXT_COOKIE) == "on" else "normal",
        ]
    )
    return f"page:{hashlib.sha256(variant.encode()).hexdigest()}"


def _without_undeclared(request: HttpRequest, page: PublicPage) -> HttpResponseRedirect:
    query = QueryDict(mutable=True)
    for name in request.GET:
        if name in page.params:
            query.setlist(name, request.GET.getlist(name))
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def _forbids_caching(response: HttpResponse) -> bool:
    directives = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
        if d
    }
    return bool(directives & {"private", "no-cache", "no-store"})


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """A plain 200 HTML answer for an anonymous visitor that sets no cookie (no session
    started, no message left, no CSRF token handed out): the same for every visitor."""
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not _forbids_caching(response)
        and user is not None
        and not user.is_authenticated
    )


class PublicPageCacheMiddleware:
    """Serves and keeps the pages declared with ``@cache_public_page``.

    Sits after the security and CSP middleware (their headers go on every answer) and before
    SessionMiddleware: a visitor without a session cookie is anonymous, so a kept page is served
    without the session, authentication, locale and messages middleware running. What those add
    to the answer (Content-Language, Vary) is kept with it.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page = self._page(request)
        if page is None:
            return self.get_response(request)
        if not set(request.GET) <= page.params:
            return _without_undeclared(request, page)
        key = _key(request, page)
        found, versions = read([key], page.depends_on)
        stored = found.get(key)
        if stored is not None and stored[0] == versions:
            status, headers, content = stored[1]
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        request.keeping_page = True
        response = self.get_response(request)
        if _keepable(request, response):
            timeout = seconds_to_keep(getattr(request, "cache_valid_until", None), page.seconds)
            if timeout > 0:
                # Under the versions read before the view ran: a write meanwhile makes it stale.
                kept = (response.status_code, list(response.items()), response.content)
                cache.set(key, (versions, kept), timeout)
        return response

    @staticmethod
    def _page(request: HttpRequest) -> PublicPage | None:
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return None
        return _page_at(settings.ROOT_URLCONF, request.path_info)
