"""Hostile query strings on every page of the portal: the answer is never a 500, and a GET
stores nothing.

Each route that answers GET is declared once in GET_VIEWS (who opens it, on which demo record,
and the names its filters, form or view read); a test checks the table against the URLconf, so
a new page without an entry fails. The names come from the FilterSets' and forms' own fields
where there are some, so a filter added later is fuzzed too. Every example runs in its own
savepoint, rolled back after it."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_filters import DateFilter
from hypothesis import example, given, settings
from hypothesis import strategies as st

from brands.filters import BrandFilter
from brands.forms import BrandActivityFilterForm
from brands.models import BrandActivity
from doorstep.filters import ServiceFilter
from doorstep.models import Service, Station
from forums.filters import ForumFilter, NewsFilter, PracticeFilter
from forums.forms import BookingLookupForm, SpeechForm
from forums.models import Booking, Event, Forum, NewsItem, Practice, PublicationStatus, Speech
from forums.views.events import SESSION_KEY
from governance import open311
from governance.exports import FORMATS
from governance.filters import CaseFilter, PersonFilter
from governance.forms.reports import DashboardForm
from governance.models import Attachment, AttachmentKind, Category, Organization, RosterImport
from governance.services import case_attach
from inbox.models import Notification
from residents.models import Person, ResidentialArea, User
from tests.authorization_routes import GET_NOT_ALLOWED, POST_ONLY, ROUTES, _png
from tests.commits import committed
from tests.factories import RosterImportFactory
from tests.security.test_fuzz import (
    FORM_VIEWS,
    FUZZ,
    _area,
    _body,
    _case,
    _client_for,
    _event_session,
    _other_ids,
    _row_counts,
    _url_patterns,
    _values,
    _wish,
)
from wishes.filters import WishFilter, WishManageFilter
from wishes.models import Wish, WishStatus

pytestmark = pytest.mark.django_db

GET_FUZZ = settings(FUZZ, max_examples=15)

# Sent to every page besides the names it reads: the page number every list reads, and names
# no page reads, which a view that trusts any parameter would meet.
JUNK = ["page", "format", "next", "id", "o", "x[]", "__proto__", "utm_source"]


def _filters(filterset) -> list[str]:
    return list(filterset.base_filters)


def _fields(form) -> list[str]:
    return list(form.base_fields)


OPEN311_PARAMETERS = list(open311.REQUEST_PARAMETERS)


@dataclass
class GetView:
    """A page: who opens it, the URL arguments of a demo record they may see (one set, or a list
    of them: a CSV and an XLSX of the same export), and the query names it reads."""

    username: str | None
    target: Callable[[], dict | list[dict]] = dict
    params: list[str] = field(default_factory=list)
    may_write: set[str] = field(default_factory=set)  # tables the page itself writes on a GET
    plain: tuple[int, ...] = (200, 302)  # the answers to the URL without a query


def _form_page(name: str, params: list[str] | None = None, **options) -> GetView:
    """The page of a form fuzzed in test_fuzz.py: the same user and record; its fields are sent
    too, since a form page must not bind a GET."""
    view = FORM_VIEWS[name]
    return GetView(
        view.username, lambda: view.target()[0], [*(params or []), *view.fields], **options
    )


def _pk(record) -> dict:
    return {"pk": record.pk}


def _slug(record) -> dict:
    return {"slug": record.slug}


def _both_formats() -> list[dict]:
    return [{"fmt": fmt} for fmt in FORMATS]


def _this_month() -> dict:
    today = timezone.localdate()
    return {"year": today.year, "month": today.month}


def _first(queryset):
    record = queryset.order_by("pk").first()
    assert record is not None, f"the demo has no {queryset.model.__name__} for this page"
    return record


def _organization() -> Organization:
    return _first(Organization.objects.filter(area__slug="laosan"))


def _person() -> Person:
    return _first(Person.objects.filter(area__slug="laosan"))


def _forum() -> Forum:
    return _first(Forum.objects.published())


def _practice() -> Practice:
    return _first(Practice.objects.published())


def _news() -> NewsItem:
    return _first(NewsItem.objects.published())


def _event() -> Event:
    return _event_session().event


def _booking() -> Booking:
    return _first(Booking.objects.all())


def _with_file(record, name: str, filename: str, content: bytes):
    """The record with its file in this test's private storage (the demo's is gone)."""
    getattr(record, name).save(filename, ContentFile(content))
    return record


def _activity() -> BrandActivity:
    activity = _first(BrandActivity.objects.exclude(photo=""))
    return _with_file(activity, "photo", "photo.png", _png())


def _fulfilled_wish() -> Wish:
    wish = _first(Wish.objects.filter(status__in=[WishStatus.FULFILLED, WishStatus.THANKED]))
    return _with_file(wish, "fulfilment_photo", "photo.png", _png())


def _covered_forum() -> Forum:
    forum = _forum()
    forum.cover_alt = "会场"
    return _with_file(forum, "cover", "cover.png", _png())


def _attachment() -> Attachment:
    """The demo's cases carry no files: one of laosan's, uploaded as its secretary (the file is
    written when the upload commits)."""
    with committed():
        return case_attach(
            case=_case(),
            actor=User.objects.get(username="laosan"),
            kind=AttachmentKind.BEFORE,
            upload=SimpleUploadedFile("before.png", _png()),
        )


def _roster_import() -> RosterImport:
    return RosterImportFactory(street=_area().street, actor=User.objects.get(username="laosan"))


def _draft_speech() -> Speech:
    return _first(Speech.objects.filter(forum__status=PublicationStatus.DRAFT))


def _notification() -> Notification:
    return _first(Notification.objects.filter(recipient__username="laosan"))


def _station() -> Station:
    return _first(Station.objects.filter(area__slug="laosan"))


def _service() -> Service:
    return _first(Service.objects.filter(station__area__slug="laosan"))


# The names read as dates, where one end of a range alone is tried too.
DATES = {
    name
    for source in (
        *(f.base_filters for f in (CaseFilter, PersonFilter, WishFilter, WishManageFilter)),
        *(f.base_filters for f in (BrandFilter, ForumFilter, PracticeFilter, NewsFilter)),
        ServiceFilter.base_filters,
        *(f.base_fields for f in (DashboardForm, BrandActivityFilterForm, BookingLookupForm)),
    )
    for name, item in source.items()
    if isinstance(item, DateFilter | forms.DateField)
} | {"start_date", "end_date"}  # Open311's
CASE_FILTERS = _filters(CaseFilter)
WISH_MANAGE_FILTERS = _filters(WishManageFilter)

GET_VIEWS: dict[str, GetView] = {
    "home": GetView(None),
    "healthz": GetView(None),
    "favicon": GetView(None),
    "login": _form_page("login"),
    "two_step": _form_page("two_step", may_write={"otp_totp.TOTPDevice"}),
    "set_language": GetView(None, params=["language", "next"]),
    # governance: structure
    "governance:area_list": GetView(None),
    "governance:area_detail": GetView(None, lambda: _slug(_area())),
    "governance:organization_detail": GetView(None, lambda: _pk(_organization())),
    "governance:organization_history": GetView(
        "laosan", lambda: _pk(_organization()), params=["page"]
    ),
    "governance:post_create": _form_page("governance:post_create"),
    "governance:post_end": _form_page("governance:post_end"),
    "governance:person_list": GetView("admin", params=_filters(PersonFilter)),
    "governance:person_create": _form_page("governance:person_create"),
    "governance:person_detail": GetView("laosan", lambda: _pk(_person())),
    "governance:person_update": _form_page("governance:person_update"),
    "governance:person_history": GetView("laosan", lambda: _pk(_person()), params=["page"]),
    "governance:organization_export": GetView("admin", _both_formats, ["area"]),
    "governance:roster_import": _form_page("governance:roster_import"),
    "governance:roster_import_detail": GetView("laosan", lambda: _pk(_roster_import())),
    "governance:roster_template": GetView("laosan", _both_formats),
    # governance: cases
    "governance:case_list": GetView("admin", params=CASE_FILTERS),
    "governance:case_create": _form_page("governance:case_create"),
    "governance:case_efficiency": GetView("admin"),
    "governance:case_export": GetView("admin", _both_formats, CASE_FILTERS),
    "governance:case_detail": GetView("laosan", lambda: {"number": _case().number}),
    "governance:case_edit": _form_page("governance:case_edit"),
    "governance:case_attachment": GetView(
        "laosan", lambda: {"number": (a := _attachment()).case.number, "pk": a.pk}
    ),
    # governance: brands
    "brands:brand_list": GetView(None, params=_filters(BrandFilter)),
    "brands:brand_detail": GetView(
        None, lambda: _slug(_activity().brand), _fields(BrandActivityFilterForm)
    ),
    "brands:brand_activity_delete": _form_page("brands:brand_activity_delete"),
    "brands:brand_activity_photo": GetView(
        None, lambda: {"slug": (a := _activity()).brand.slug, "pk": a.pk}
    ),
    # governance: wishes
    "wishes:wish_wall": GetView(None, params=_filters(WishFilter)),
    "wishes:area_wish_wall": GetView(None, lambda: _slug(_area()), _filters(WishFilter)),
    "wishes:wish_manage_list": GetView("admin", params=WISH_MANAGE_FILTERS),
    "wishes:wish_claim_list": GetView("admin"),
    "wishes:wish_create": _form_page("wishes:wish_create"),
    "wishes:wish_export": GetView("admin", _both_formats, WISH_MANAGE_FILTERS),
    "wishes:wish_detail": GetView(None, lambda: _pk(_wish(WishStatus.PUBLISHED))),
    "wishes:wish_manage_detail": GetView("admin", lambda: _pk(_wish(WishStatus.PUBLISHED))),
    "wishes:wish_edit": _form_page("wishes:wish_edit"),
    "wishes:wish_withdraw": _form_page("wishes:wish_withdraw"),
    "wishes:wish_photo": GetView("admin", lambda: _pk(_fulfilled_wish())),
    # governance: Open311, whose filters test_fuzz.py also fuzzes on their own
    "governance:open311_root": GetView(None),
    "governance:open311_discovery": GetView(None, lambda: {"fmt": "json"}, OPEN311_PARAMETERS),
    "governance:open311_services": GetView(None, lambda: {"fmt": "xml"}, OPEN311_PARAMETERS),
    "governance:open311_service": GetView(
        None,
        lambda: {
            "code": _first(Category.objects.exclude(service_code="")).service_code,
            "fmt": "json",
        },
        OPEN311_PARAMETERS,
    ),
    "governance:open311_requests": GetView(None, lambda: {"fmt": "json"}, OPEN311_PARAMETERS),
    "governance:open311_request": GetView(
        None, lambda: {"number": _case().number, "fmt": "xml"}, OPEN311_PARAMETERS
    ),
    "governance:open311_not_found": GetView(
        None, lambda: {"fmt": "json"}, OPEN311_PARAMETERS, plain=(404,)
    ),
    # governance: dashboard
    "governance:dashboard": GetView("admin", params=_fields(DashboardForm)),
    "governance:dashboard_report": GetView("admin", _this_month, ["area"]),
    "governance:dashboard_report_xlsx": GetView("admin", _this_month, ["area"]),
    # forums: publishing
    "forums:forum_list": GetView(None, params=_filters(ForumFilter)),
    "forums:forum_feed": GetView(None),
    "forums:forum_detail": GetView(None, lambda: _slug(_forum())),
    "forums:forum_cover": GetView(None, lambda: _slug(_covered_forum())),
    "forums:forum_version": GetView(None, lambda: {**_slug(_forum()), "number": 1}),
    "forums:forum_correct": _form_page("forums:forum_correct"),
    # Speeches are added to a draft, which the form fuzz's first forum is not.
    "forums:speech_create": GetView(
        "admin", lambda: _slug(_draft_speech().forum), _fields(SpeechForm)
    ),
    "forums:speech_edit": GetView(
        "admin",
        lambda: {"slug": (s := _draft_speech()).forum.slug, "pk": s.pk},
        _fields(SpeechForm),
    ),
    "forums:speech_correct": _form_page("forums:speech_correct"),
    "forums:practice_list": GetView(None, params=_filters(PracticeFilter)),
    "forums:practice_detail": GetView(None, lambda: _slug(_practice())),
    "forums:practice_version": GetView(None, lambda: {**_slug(_practice()), "number": 1}),
    "forums:news_list": GetView(None, params=_filters(NewsFilter)),
    "forums:news_feed": GetView(None),
    "forums:news_detail": GetView(None, lambda: _slug(_news())),
    "forums:news_version": GetView(None, lambda: {**_slug(_news()), "number": 1}),
    "forums:search": GetView(None, params=["q", "kind"]),
    # forums: events and bookings (a booking's pages open in the browser that made it)
    "forums:calendar_feed": GetView(None),
    "forums:event_list": GetView(None),
    "forums:event_detail": GetView(None, lambda: _slug(_event())),
    "forums:session_book": _form_page("forums:session_book"),
    "forums:event_manage": GetView("admin", lambda: _slug(_event())),
    "forums:session_attendees": GetView(
        "admin", lambda: {"slug": (s := _event_session()).event.slug, "pk": s.pk}
    ),
    "forums:event_export": GetView("admin", lambda: _slug(_event())),
    "forums:event_export_xlsx": GetView("admin", lambda: _slug(_event())),
    "forums:booking_lookup": GetView(None, params=_fields(BookingLookupForm)),
    "forums:booking_detail": GetView(None, lambda: {"code": _booking().code}),
    "forums:booking_ics": GetView(None, lambda: {"code": _booking().code}),
    "forums:booking_cancel": _form_page("forums:booking_cancel"),
    # inbox
    "inbox:inbox": GetView("laosan"),
    "inbox:preferences": _form_page("inbox:preferences"),
    "inbox:open": GetView("laosan", lambda: _pk(_notification())),
    # doorstep
    "doorstep:service_list": GetView(None, params=_filters(ServiceFilter)),
    "doorstep:manage": GetView("laosan"),
    "doorstep:service_create": _form_page("doorstep:service_create", ["station"]),
    "doorstep:service_detail": GetView(None, lambda: _pk(_service())),
    "doorstep:service_edit": _form_page("doorstep:service_edit"),
    "doorstep:service_delete": _form_page("doorstep:service_delete"),
    "doorstep:station_create": _form_page("doorstep:station_create"),
    "doorstep:station_detail": GetView(None, lambda: _pk(_station())),
    "doorstep:station_edit": _form_page("doorstep:station_edit"),
    "doorstep:area_print": GetView(None, lambda: _slug(_area())),
}
# Routes that answer a GET with a 405, or send it to the login page and then a 405: actions.
NOT_PAGES = {name for name, route in ROUTES.items() if route.get in (GET_NOT_ALLOWED, POST_ONLY)}


def test_every_page_is_fuzzed():
    """A new route that answers GET must be added to GET_VIEWS, or this fails."""
    routes = {name for name, _callback in _url_patterns()}

    assert len(GET_VIEWS) > 80
    assert routes - GET_VIEWS.keys() - NOT_PAGES == set()
    assert GET_VIEWS.keys() - routes == set()
    assert GET_VIEWS.keys() & NOT_PAGES == set()


def _urls(name: str) -> list[str]:
    target = GET_VIEWS[name].target()
    return [
        reverse(name, kwargs=kwargs)
        for kwargs in (target if isinstance(target, list) else [target])
    ]


def _remember_booking(client) -> None:
    """The browser that made the booking: its pages open for it."""
    session = client.session
    session[SESSION_KEY] = [_booking().code]
    session.save()


def _opened(client, name: str):
    view = GET_VIEWS[name]
    client = _client_for(client, view.username)
    if name.startswith("forums:booking_"):
        _remember_booking(client)
    return client


def _examples(params: list[str]) -> list[dict]:
    """What a fuzzer may take long to find: a NUL in every text, a page past any list, dates
    beyond what the database stores."""
    return [
        {},
        dict.fromkeys(params, "a\x00b"),
        dict.fromkeys(params, "\x00"),
        {"page": "9" * 30},
        {"page": "461168601842738791"},
        dict.fromkeys(params, "0001-01-01"),
        dict.fromkeys(params, "10000-01-01"),
        {key: ["9999-12-31", "\x00"] for key in params},
        # One end of a range alone, at the edge of the calendar
        *({key: day} for key in params if key in DATES for day in ("0001-01-01", "9999-12-31")),
    ]


PAGE_ANSWERS = (200, 302, 400, 404)


def _check_get(client, url: str, data: dict, may_write=frozenset()) -> None:
    cache.clear()  # no throttle or cached figures left from the last example
    with transaction.atomic():
        before = _row_counts(may_write)
        query = _body(data)
        response = client.get(f"{url}?{query}" if query else url)
        answered = f"{response.status_code} to {url}?{query[:300]}"
        assert response.status_code in PAGE_ANSWERS, answered
        assert _row_counts(may_write) == before, answered
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(GET_VIEWS))
def test_the_declared_record_opens(name, demo_street, db, client):
    """The fuzz reaches the page itself: its plain GET is not refused."""
    client = _opened(client, name)
    for url in _urls(name):
        response = client.get(url)
        assert response.status_code in GET_VIEWS[name].plain, url


@pytest.mark.parametrize("name", sorted(GET_VIEWS))
def test_hostile_query_strings_never_fail_and_a_get_stores_nothing(name, demo_street, db, client):
    view = GET_VIEWS[name]
    client = _opened(client, name)
    urls = _urls(name)
    params = [*dict.fromkeys([*view.params, *JUNK])]
    other_ids = [*_other_ids(), *ResidentialArea.objects.values_list("slug", flat=True)]

    def fuzz(url, data):
        _check_get(client, url, data, view.may_write)

    fuzz = given(
        url=st.sampled_from(urls),
        data=st.dictionaries(st.sampled_from(params), _values(other_ids), max_size=len(params)),
    )(fuzz)
    for data in _examples(params):
        for url in urls:
            fuzz = example(url=url, data=data)(fuzz)
    GET_FUZZ(fuzz)()


def test_the_check_catches_a_get_that_stores_a_row(demo_street, db, client, monkeypatch):
    """The harness can fail: a page that writes a row while it answers a GET is reported."""
    from governance.views import structure

    render = structure.render

    def render_after_writing(*args, **kwargs):
        Person.objects.create(name="张三", street=_area().street, area=_area())
        return render(*args, **kwargs)

    monkeypatch.setattr(structure, "render", render_after_writing)

    with pytest.raises(AssertionError):
        _check_get(client, reverse("governance:area_list"), {"page": "2"})
