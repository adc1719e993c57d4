"""Error pages (400, 403, 404, 429, 500, and 503 while the database is away).

They keep the portal's look but never touch the database: the context holds no lazy user,
session or inbox count, so a page renders even when the error is the database itself.
"""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.functional import lazy
from django_ratelimit.exceptions import Ratelimited

from lujiazui.context_processors import site_links

logger = logging.getLogger("lujiazui.faults")

# Errors that mean the database is away (down, restarting, unreachable, connection dropped).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds a client is asked to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30

# Served when even the error template cannot be rendered (a missing static file, a broken
# template): Chinese first, as every page.
BARE_PAGES = {
    500: "服务器错误 / Server error",
    503: "系统维护中 / Down for maintenance",
}


def _error_context(request: HttpRequest) -> dict:
    """What base.html needs, without a database query: the user only when a middleware or the
    view already loaded it, and the CSRF token from its cookie."""
    context = {
        "request": request,
        "csrf_token": lazy(get_token, str)(request),
        **site_links(request),
    }
    user = getattr(request, "_cached_user", None)  # set by AuthenticationMiddleware once read
    if user is not None:
        context["user"] = user
    return context


def render_error(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    try:
        content = loader.get_template(template_name).render(_error_context(request))
    except Exception:
        if status < 500:
            raise
        logger.exception("error page %s could not be rendered", template_name)
        title = BARE_PAGES[status]
        content = (
            f'<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>{title}'
            f"</title></head><body><main><h1>{title}</h1><p>请稍后再试。Please try again later."
            "</p></main></body></html>"
        )
    return HttpResponse(content, status=status)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The maintenance page: the database is away; the client may try again shortly."""
    response = render_error(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render_error(request, "400.html", status=400)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, Ratelimited):
        return too_many_requests(request)
    return render_error(request, "403.html", status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render_error(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception: one raised outside a view (a middleware
    # saving the session) that means the database is away still gets the maintenance page.
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    return render_error(request, "500.html", status=500)


@login_not_required
def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = render_error(request, "429.html", status=429)
    response["Retry-After"] = "600"
    return response


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its token (an old page, cookies refused): say what to do."""
    return render_error(request, "403_csrf.html", status=403)
