"""Pages that span the apps: the street overview and the health check."""

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


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for the load balancer)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
