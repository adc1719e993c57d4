"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): what the interface reads and how its
answers are written in JSON and XML.

Services are the case categories that have a service code. Service requests are cases. A case
is public here in the measure a public page could show it: every case of every street is
listed, but only with structured fields (number, category, status, area and compound as the
address, the lead party as the agency, the dates). Titles, descriptions, locations, building
groups, reporters, parties' updates and attachments are free text or personal data written for
the parties, so they never appear; neither does anything that depends on who is asking.
"""

import datetime
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from governance.models import (
    Case,
    CaseParty,
    CaseStatus,
    Category,
    ClosureReason,
    PartyRole,
)
from governance.models.cases import FINISHED_STATUSES
from residents.models import ResidentialArea, Street

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The interface's changes that partner systems should know about, newest first.
CHANGESET = datetime.datetime(2026, 11, 28, tzinfo=datetime.UTC)  # the default window in whole days
# Without start_date, requests of today and the 90 days before (as the standard suggests), in
# whole days: the answer then stays the same all day, and can be kept until a case changes.
DEFAULT_DAYS = 90
MAX_RESULTS = 200  # per page; ?page=2 for more, ?page_size= for fewer
MAX_PAGE = 100_000  # beyond any street's cases; a larger page would overflow the database's offset
# Dates the database and the time zone conversion can hold, with room for the default range.
EARLIEST_YEAR, LATEST_YEAR = 1900, 9000
AREA_ATTRIBUTE = "area"
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")

# Open311 knows two statuses: a case is closed once it is resolved, closed or rejected.
CLOSED_STATUSES = [str(status) for status in FINISHED_STATUSES]
STATUS_FILTER = {
    "open": ~Q(status__in=CLOSED_STATUSES),
    "closed": Q(status__in=CLOSED_STATUSES),
}

# For the XML form: the element name of each item of a list, by the list's own name.
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


class Open311Error(Exception):
    """An answer in the standard's error format: an HTTP code and a description."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description

    def as_data(self) -> list[dict[str, Any]]:
        return [{"code": self.status, "description": self.description}]


def services() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).exclude(service_code="").order_by("name")


def service(code: str) -> Category:
    category = services().filter(service_code=code).first()
    if category is None:
        raise Open311Error(404, _("No service has the code %(code)s.") % {"code": code})
    return category


def discovery_data(base_url: str, contact: str) -> dict[str, Any]:
    changeset = CHANGESET.isoformat()
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": _("Keys are issued by the street office to partner systems."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": changeset,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def service_data(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.service_code,
        "service_name": str(category),
        "description": f"{category.name} / {category.name_en}",
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": category.get_lead_kind_display(),
    }


def jurisdiction(params) -> Street | None:
    """The street a jurisdiction_id names by its slug; None when the parameter is absent or
    empty, which the standard treats alike."""
    slug = params.get("jurisdiction_id", "").strip()
    if not slug:
        return None
    street = Street.objects.filter(slug=slug).first()
    if street is None:
        raise Open311Error(404, _("No jurisdiction has the id %(id)s.") % {"id": slug})
    return street


def service_definition_data(category: Category, street: Street | None = None) -> dict[str, Any]:
    areas = ResidentialArea.objects.select_related("street").order_by("street", "pk")
    if street is not None:
        areas = areas.filter(street=street)
    return {
        "service_code": category.service_code,
        "attributes": [
            {
                "variable": True,
                "code": AREA_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _(
                    "The residential area of the problem. Without it, address_string must "
                    "name a compound or area of the street."
                ),
                "order": 1,
                "description": _("residential area"),
                "values": [{"key": area.slug, "name": area.name} for area in areas],
            }
        ],
    }


def _moment(value: str, name: str, *, end: bool = False) -> datetime.datetime:
    """A W3C date-time; a date alone means the start of that day in the portal's time zone,
    or its end for an end_date."""
    value = value.strip()
    if "T" in value:  # the "+" of an offset arrives as a space when the client did not encode it
        value = re.sub(r" (\d{2}:?\d{2})$", r"+\1", value)
    try:
        day = parse_date(value) if DATE_ONLY.fullmatch(value) else None
        moment = None if day else parse_datetime(value)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time())
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s must be a W3C date and time, e.g. 2026-11-01T00:00:00+08:00.")
            % {"name": name},
        )
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise Open311Error(
            400,
            _("%(name)s must be between the years %(first)d and %(last)d.")
            % {"name": name, "first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


# The parameters a GET of the requests reads: no other changes its answer.
REQUEST_PARAMETERS = (
    "jurisdiction_id",
    "service_request_id",
    "service_code",
    "status",
    "start_date",
    "end_date",
    "page",
    "page_size",
)


def requests_query(params) -> str:
    """What of a query decides the answer of `requests_matching`: the parameters it reads, as it
    reads them (the last value of each; an empty one counts as not given). Any other parameter
    leaves it alone, so it cannot make a kept answer be read again."""
    return urlencode([(name, params[name]) for name in REQUEST_PARAMETERS if params.get(name)])


def requests_matching(params, now: datetime.datetime | None = None) -> QuerySet[Case]:
    """The cases a GET requests query asks for, as the standard defines its parameters."""
    cases = public_requests()
    street = jurisdiction(params)
    if street is not None:  # an installation may serve several streets
        cases = cases.filter(street=street)
    ids = _codes(params.get("service_request_id", ""))
    if ids:  # the standard: with service_request_id, the other parameters are ignored
        return cases.filter(number__in=ids[:MAX_RESULTS])
    codes = _codes(params.get("service_code", ""))
    if codes:
        known = set(
            services().filter(service_code__in=codes).values_list("service_code", flat=True)
        )
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise Open311Error(
                400, _("No service has the code %(code)s.") % {"code": ", ".join(unknown)}
            )
        cases = cases.filter(category__service_code__in=codes)
    statuses = _codes(params.get("status", "").lower())
    if statuses:
        if any(status not in STATUS_FILTER for status in statuses):
            raise Open311Error(400, _("status must be open, closed or both."))
        condition = Q()
        for status in set(statuses):
            condition |= STATUS_FILTER[status]
        cases = cases.filter(condition)
    end = _moment(params["end_date"], "end_date", end=True) if params.get("end_date") else None
    if params.get("start_date"):
        start = _moment(params["start_date"], "start_date")
    else:
        start = end or _start_of_day(now or timezone.now())
        start -= datetime.timedelta(days=DEFAULT_DAYS)
    if end and end < start:
        raise Open311Error(400, _("end_date must not be before start_date."))
    cases = cases.filter(created_at__gte=start)
    if end:
        cases = cases.filter(created_at__lte=end)
    try:
        page = max(int(params.get("page") or 1), 1)
    except ValueError:
        raise Open311Error(400, _("page must be a whole number.")) from None
    if page > MAX_PAGE:
        raise Open311Error(400, _("page must be at most %(max)d.") % {"max": MAX_PAGE})
    try:  # not in the standard, but common among servers and sent by clients (three's count=)
        size = min(max(int(params.get("page_size") or MAX_RESULTS), 1), MAX_RESULTS)
    except ValueError:
        raise Open311Error(400, _("page_size must be a whole number.")) from None
    return cases[(page - 1) * size : page * size]


def _start_of_day(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def public_requests() -> QuerySet[Case]:
    """Every case, with what its public fields need and nothing else."""
    return (
        Case.objects.select_related("category", "area", "compound")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=CaseParty.objects.filter(role=PartyRole.LEAD).select_related(
                    "organization"
                ),
                to_attr="lead_parties",
            )
        )
        .only(
            "number",
            "status",
            "closure_reason",
            "created_at",
            "updated_at",
            "due_date",
            "category__name",
            "category__name_en",
            "category__service_code",
            "area__name",
            "compound__name",
            "compound__address",
        )
        .order_by("-created_at", "-pk")
    )


def _status_notes(case: Case) -> str:
    notes = CaseStatus(case.status).label
    if case.status == CaseStatus.REJECTED and case.closure_reason:
        return f"{notes}: {ClosureReason(case.closure_reason).label}"
    return str(notes)


def _w3c(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def request_data(case: Case) -> dict[str, Any]:
    place = [case.area.name]
    if case.compound_id:
        place.insert(0, case.compound.name)  # the standard: from most specific to most general
    lead = case.lead
    expected = datetime.datetime.combine(case.due_date, datetime.time(23, 59, 59))
    return {
        "service_request_id": case.number,
        "status": "closed" if case.status in CLOSED_STATUSES else "open",
        "status_notes": _status_notes(case),
        "service_name": str(case.category),
        "service_code": case.category.service_code,
        "description": " · ".join([str(case.category), *place[:-1]]),
        "agency_responsible": lead.organization.name if lead else "",
        "service_notice": "",
        "requested_datetime": _w3c(case.created_at),
        "updated_datetime": _w3c(case.updated_at),
        "expected_datetime": timezone.make_aware(expected).isoformat(),
        "address": " ".join(place),
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def requests_data(cases: Iterable[Case]) -> list[dict[str, Any]]:
    return [request_data(case) for case in cases]


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_fill(ET.SubElement(element, key), key, inner)
    elif isinstance(value, list):
        for item in value:
            _xml_fill(ET.SubElement(element, XML_ITEMS[name]), XML_ITEMS[name], item)
    else:
        element.text = _xml_value(value)


def to_xml(root: str, data: Any) -> bytes:
    """The XML form of an answer: lists become a root of repeated items (<services><service>),
    single documents a root of their fields (<discovery>, <service_definition>)."""
    element = ET.Element(root)
    _xml_fill(element, root, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)
