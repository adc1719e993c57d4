"""The portal's URLs with a route nobody declared (one level down an include with a namespace)
and without the health check, for the tests that the authorisation matrix notices both."""

from django.http import HttpResponse
from django.urls import include, path

from lujiazui.urls import urlpatterns as portal_urlpatterns


def undeclared(request):
    return HttpResponse("nobody declared who may open this")


urlpatterns = [
    *(pattern for pattern in portal_urlpatterns if getattr(pattern, "name", None) != "healthz"),
    path("extra/", include(([path("page/", undeclared, name="undeclared_page")], "extra"))),
]
