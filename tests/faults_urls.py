"""The portal's URLs plus views that fail on purpose, for the error-page and fault tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django_ratelimit.exceptions import Ratelimited

from lujiazui.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def suspicious(request):
    raise SuspiciousOperation("tampered form")


def forbidden(request):
    raise PermissionDenied


def throttled(request):
    raise Ratelimited


def broken(request):
    raise RuntimeError("bug while booking for 13812345678")


def broken_after_reading_the_user(request):
    assert request.user.is_authenticated
    raise RuntimeError("bug")


def query(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok")


def session_write(request):
    """Answers; the session middleware writes the session afterwards, outside the view."""
    request.session["seen"] = True
    return HttpResponse("ok")


urlpatterns = [
    path("faults/400/", suspicious),
    path("faults/403/", forbidden),
    path("faults/429/", throttled),
    path("faults/500/", broken),
    path("faults/500-user/", broken_after_reading_the_user),
    path("faults/query/", query),
    path("faults/session/", session_write),
    *urlpatterns,
]
