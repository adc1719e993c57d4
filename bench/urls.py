"""The project's pages and the yardsticks of the load benchmark: `bench/bare/`, and the floor of
the stack a rendered page is built on (`bench/queries/<n>/`, `bench/list/`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from governance.models import Case
from lujiazui.urls import handler400, handler403, handler404, handler500  # noqa: F401
from lujiazui.urls import urlpatterns as project_urlpatterns
from residents.models import Street


def bare(request: HttpRequest) -> HttpResponse:
    """A tiny template through `render`, behind the project's whole middleware stack."""
    return render(request, "bench/bare.html", {"greeting": "Hello"})


def queries(request: HttpRequest, count: int) -> HttpResponse:
    """The bare view after `count` of the plainest ORM queries (a street by its key): what a
    page's queries cost before it reads or renders anything of its own."""
    street = Street.objects.order_by("pk").first()
    for _ in range(count - 1):
        street = Street.objects.get(pk=street.pk)
    return render(request, "bench/bare.html", {"greeting": street.code})


def plain_list(request: HttpRequest) -> HttpResponse:
    """A plain 25-row Django list: the newest cases, four columns, one query, a loop in a
    template of its own (no frame, no form, no context processor's work beyond the project's)."""
    rows = Case.objects.order_by("-created_at", "-id").only(
        "number", "title", "status", "created_at"
    )[:25]
    return render(request, "bench/list.html", {"cases": rows})


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/queries/<int:count>/", queries, name="bench_queries"),
    path("bench/list/", plain_list, name="bench_list"),
    *project_urlpatterns,
]
