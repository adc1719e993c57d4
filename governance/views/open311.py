"""The Open311 GeoReport v2 interface (/open311/v2/): public reads and partner systems' posts.

No session is used: every reader gets the same public answer, and a post is authenticated by
its api_key alone, so the post endpoint is exempt from CSRF (there is no cookie to forge).
"""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from caching.values import cached
from governance import open311
from governance.models import ApiClient
from governance.open311 import Open311Error
from governance.services.open311 import open311_request_create

XML_CONTENT_TYPE = "text/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"  # the standard names the charset
# What the public request list shows: cases, their parties and public updates, categories, areas.
OPEN311_REQUESTS = (
    "governance.Case",
    "governance.CaseParty",
    "governance.CaseUpdate",
    "governance.Category",
    "governance.Organization",
    "residents.ResidentialArea",
    "residents.Street",
)


def _content(fmt: str, root: str, data: Any) -> bytes:
    if fmt == "xml":
        return open311.to_xml(root, data)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def _response(fmt: str, content: bytes, status: int = 200) -> HttpResponse:
    content_type = XML_CONTENT_TYPE if fmt == "xml" else JSON_CONTENT_TYPE
    return HttpResponse(content, content_type=content_type, status=status)


def _answer(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    return _response(fmt, _content(fmt, root, data), status)


def _error(fmt: str, error: Open311Error) -> HttpResponse:
    return _answer(fmt, "errors", error.as_data(), status=error.status)


def _refuse_nul(request: HttpRequest) -> None:
    """A NUL character is in no name, code or text, and PostgreSQL cannot store one."""
    for params in (request.GET, request.POST):
        if any("\x00" in value for _name, values in params.lists() for value in values):
            raise Open311Error(400, _("A parameter contains a NUL character."))


def _endpoint(*methods: str) -> Callable:
    """Answer only the given methods and turn Open311Error into the standard's error format."""

    def decorate(view: Callable) -> Callable:
        def wrapper(request: HttpRequest, fmt: str, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = _error(fmt, Open311Error(405, _("Method not allowed.")))
                response["Allow"] = ", ".join(methods)
                return response
            try:
                _refuse_nul(request)
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                return _error(fmt, error)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


@_endpoint("GET", "HEAD")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base_url = request.build_absolute_uri(reverse("governance:open311_root"))
    data = open311.discovery_data(base_url, settings.OPEN311_CONTACT)
    return _answer(fmt, "discovery", data)


def root(request: HttpRequest) -> HttpResponse:
    """The endpoint's base address: the discovery document, in JSON."""
    return discovery(request, "json")


@_endpoint("GET", "HEAD")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    open311.jurisdiction(request.GET)  # every street is offered the same services
    data = [open311.service_data(category) for category in open311.services()]
    return _answer(fmt, "services", data)


@_endpoint("GET", "HEAD")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    street = open311.jurisdiction(request.GET)
    data = open311.service_definition_data(open311.service(code), street)
    return _answer(fmt, "service_definition", data)


@csrf_exempt
@_endpoint("GET", "HEAD", "POST")
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the public list of service requests; POST: a partner system reports a problem."""
    if request.method == "POST":
        return _request_create(request, fmt)
    # Partner systems poll the same addresses, and each answer reads up to 200 cases: it is kept
    # until a case changes, or the categories, areas and parties it names do (or midnight, which
    # moves its default window).
    content = cached(
        "open311-requests",
        parts=[fmt, get_language(), open311.requests_query(request.GET)],
        depends_on=OPEN311_REQUESTS,
        compute=lambda: _content(
            fmt,
            "service_requests",
            open311.requests_data(open311.requests_matching(request.GET)),
        ),
    )
    return _response(fmt, content)


@_endpoint("GET", "HEAD")
def request_detail(request: HttpRequest, fmt: str, number: str) -> HttpResponse:
    cases = open311.public_requests()
    street = open311.jurisdiction(request.GET)
    if street is not None:
        cases = cases.filter(street=street)
    case = cases.filter(number=number).first()
    if case is None:
        raise Open311Error(404, _("No service request has this id."))
    return _answer(fmt, "service_requests", open311.requests_data([case]))


@_endpoint("GET", "HEAD")
def not_found(request: HttpRequest, fmt: str) -> HttpResponse:
    """Any other resource, e.g. tokens (requests get their id at once): the standard's 404."""
    raise Open311Error(404, _("The interface has no such resource."))


def _client_key(group: str, request: HttpRequest) -> str:
    return str(request.open311_client.pk)


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    key = request.POST.get("api_key", "")
    if not key and request.GET.get("api_key"):
        # Some old clients put the key in the URL, where access logs would keep it: refuse,
        # and say where it belongs.
        raise Open311Error(403, _("Send the api_key in the body of the POST, not in the URL."))
    if not key:
        raise Open311Error(403, _("An api_key is required to post a service request."))
    client = ApiClient.objects.with_key(key).select_related("street").first()
    if client is None:
        raise Open311Error(403, _("The api_key is not valid."))
    # Clients send jurisdiction_id with the form or in the URL (node open311 does the latter).
    street = open311.jurisdiction(request.POST) or open311.jurisdiction(request.GET)
    if street is not None and street != client.street:
        raise Open311Error(403, _("The api_key is not valid for this jurisdiction."))
    request.open311_client = client
    if is_ratelimited(
        request,
        group="open311-post",
        key=_client_key,
        rate=settings.OPEN311_RATE_LIMIT,
        increment=True,
    ):
        raise Open311Error(429, _("Too many service requests from this key; try again later."))
    code = request.POST.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = open311.service(code)
    name = " ".join(
        part.strip()
        for part in (request.POST.get("first_name", ""), request.POST.get("last_name", ""))
        if part.strip()
    )
    try:
        case = open311_request_create(
            client=client,
            category=category,
            area_slug=request.POST.get(f"attribute[{open311.AREA_ATTRIBUTE}]", "").strip(),
            address=request.POST.get("address_string", ""),
            description=request.POST.get("description", ""),
            reporter_name=name,
            reporter_phone=request.POST.get("phone", ""),
        )
    except PermissionDenied:
        raise Open311Error(403, _("The api_key is not valid.")) from None
    except ValidationError as error:
        raise Open311Error(400, " ".join(error.messages)) from None
    data = [{"service_request_id": case.number, "service_notice": "", "account_id": ""}]
    return _answer(fmt, "service_requests", data, status=201)
