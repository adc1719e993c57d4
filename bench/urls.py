"""The project's pages and `bench/bare/`: the yardstick of the load benchmark."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from lujiazui.urls import handler400, handler403, handler404, handler500  # noqa: F401
from lujiazui.urls import urlpatterns as project_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """A tiny template through `render`, behind the project's whole middleware stack."""
    return render(request, "bench/bare.html", {"greeting": "Hello"})


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urlpatterns]
