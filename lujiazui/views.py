"""Pages that span the apps: the street overview and the health check."""

import secrets

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from governance.structure import street_overviews
from residents.models import Street


def home(request: HttpRequest) -> HttpResponse:
    overviews = street_overviews(Street.objects.visible_to(request.user))
    return render(request, "home.html", {"overviews": overviews})


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
