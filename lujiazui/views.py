"""Pages that span the apps: the street overview, the large-text switch, the health check and
the icon browsers ask for by its old name."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from caching.pages import cache_public_page, valid_until
from forums.models import Event
from governance.structure import street_overviews
from lujiazui.context_processors import LARGE_TEXT_COOKIE
from lujiazui.public import PUBLIC_CONTENT, SESSIONS
from residents.models import Street


@cache_public_page(depends_on=PUBLIC_CONTENT + SESSIONS)
def home(request: HttpRequest) -> HttpResponse:
    overviews = street_overviews(Street.objects.visible_to(request.user))
    # The latest events name their next slot: true until a slot starts (or a booking opens).
    valid_until(request, lambda: Event.objects.public().next_change(timezone.now()))
    return render(request, "home.html", {"overviews": overviews})


@login_not_required
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on every page that links no icon (the admin's): without
    this they log a 404 for it. Temporary, since the icon's hashed name changes with it."""
    return redirect(static("img/favicon.svg"))


@login_not_required
@csrf_exempt  # a display preference: no token, so the pages holding the switch stay cacheable
@require_POST
def large_text(request: HttpRequest) -> HttpResponseRedirect:
    """Turn large-text mode on or off for this browser, for a year, and go back to the page.
    A forged request could only change the text size of the visitor's pages."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    if request.POST.get("large_text") == "on":
        response.set_cookie(
            LARGE_TEXT_COOKIE,
            "on",
            max_age=365 * 24 * 60 * 60,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        messages.success(request, _("Large text is on."))
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
        messages.success(request, _("Large text is off."))
    return response


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _cache_answers() -> bool:
    probe = secrets.token_hex(8)
    try:
        cache.set("healthz:probe", probe, timeout=10)
        return cache.get("healthz:probe") == probe
    except Exception:  # a cache client raises its own errors (redis.ConnectionError, OSError)
        return False


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: 200 when the database and the cache answer, 503
    when either does not. One query and one cache round trip; no session, no personal data."""
    checks = {
        "database": "ok" if _database_answers() else "unreachable",
        "cache": "ok" if _cache_answers() else "unreachable",
    }
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
