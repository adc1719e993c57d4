"""The portal's URLs plus a route nobody declared, one level down an include with a namespace,
for the test that the authorisation matrix notices it."""

from django.http import HttpResponse
from django.urls import include, path

from lujiazui.urls import urlpatterns as portal_urlpatterns


def undeclared(request):
    return HttpResponse("nobody declared who may open this")


urlpatterns = [
    *portal_urlpatterns,
    path("extra/", include(([path("page/", undeclared, name="undeclared_page")], "extra"))),
]
