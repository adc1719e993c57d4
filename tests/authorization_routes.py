"""Who may open what: one declaration for every named route of the portal (the admin has its own
tests), read by tests/test_authorization_matrix.py.

A route that takes an object is asked about two of them: one *inside* area A's reach (a case of
area A, a published forum) and one *outside* it (a case of area B, a draft forum). Its answers are
a grid per method (GET, and POST with an empty body for a form or an action), one cell per role in
the order of ``ROLES``, each cell ``inside/outside`` or one answer for both; a route without an
object has one answer per role.

A new route fails ``test_every_named_route_has_a_declaration`` until it is added to ``ROUTES``
with the grid that says who may open it.
"""

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from PIL import Image

from tests import factories
from tests.commits import committed

# anonymous: no login; resident: a login without a post (the portal gives residents none, so a
# plain account); street_staff: the street office; secretary: area A's; other_secretary: area B's;
# liaison: of a partner unit working with area A; stranger: liaison of a unit in nothing of it;
# far_staff: the office of another street.
ROLES = (
    "anonymous",
    "resident",
    "street_staff",
    "secretary",
    "other_secretary",
    "liaison",
    "stranger",
    "far_staff",
    "superuser",
)


class Answer(Enum):
    OK = "200"
    LOGIN = "302 to the login page"
    REDIRECT = "302 elsewhere"
    NOT_FOUND = "404"
    FORBIDDEN = "403"
    NOT_ALLOWED = "405"
    GONE = "410"
    BAD_REQUEST = "400"
    UNAVAILABLE = "503"


# Short names for the grids below: OK, LOGIN, GO (a redirect elsewhere), NF (not found), DENY
# (forbidden), NA (method not allowed), GONE, BAD (bad request), DOWN (unavailable).
OK, LOGIN, GO, NF = Answer.OK, Answer.LOGIN, Answer.REDIRECT, Answer.NOT_FOUND
TOKENS = {
    "OK": OK,
    "LOGIN": LOGIN,
    "GO": GO,
    "NF": NF,
    "DENY": Answer.FORBIDDEN,
    "NA": Answer.NOT_ALLOWED,
    "GONE": Answer.GONE,
    "BAD": Answer.BAD_REQUEST,
    "DOWN": Answer.UNAVAILABLE,
}


def grid(row: str) -> dict[str, Answer | tuple[Answer, Answer]]:
    """``"LOGIN NF OK/NF ..."``: one cell per role of ``ROLES``, ``inside/outside`` or one answer
    for both objects (and for a route without an object)."""
    cells = row.split()
    if len(cells) != len(ROLES):
        raise ValueError(f"{len(cells)} cells for {len(ROLES)} roles: {row!r}")
    answers: dict[str, Answer | tuple[Answer, Answer]] = {}
    for role, cell in zip(ROLES, cells, strict=True):
        parts = tuple(TOKENS[token] for token in cell.split("/"))
        answers[role] = parts[0] if len(parts) == 1 else parts  # type: ignore[assignment]
    return answers


def classify(response) -> Answer:
    """The symbolic answer of a response."""
    from django.conf import settings
    from django.shortcuts import resolve_url

    status = response.status_code
    if status in (301, 302, 303):
        login = resolve_url(settings.LOGIN_URL)
        return LOGIN if response.url.split("?")[0] == login else GO
    return {answer.value: answer for answer in Answer}.get(str(status), status)


@dataclass(frozen=True)
class Route:
    """``objects`` gives the inside and outside URL kwargs from the world, ``queries`` the inside
    and outside query strings (``None`` for both: the route takes no object, and ``kwargs`` gives
    its fixed arguments, if any). ``post`` is asked with an empty body."""

    get: dict
    post: dict | None = None
    objects: Callable[[SimpleNamespace], tuple[dict, dict]] | None = None
    queries: Callable[[SimpleNamespace], tuple[dict, dict]] | None = None
    kwargs: dict = field(default_factory=dict)

    @property
    def takes_object(self) -> bool:
        return self.objects is not None or self.queries is not None


# Route names not in the matrix: the admin (tests/test_admin.py) and Django's language switch.
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_ROUTES = {"set_language"}


def named_routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    """Every route name of a URLconf, namespaced, through its includes."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from named_routes(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def routes_in_matrix(resolver: URLResolver) -> set[str]:
    return {
        name
        for name in named_routes(resolver)
        if name.split(":", 1)[0] not in SKIPPED_NAMESPACES and name not in SKIPPED_ROUTES
    }


# --- the world ------------------------------------------------------------------------------


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def build_world() -> SimpleNamespace:
    """One street with areas A and B, a user for every role, and for every kind of object one in
    area A's reach and one outside it."""
    from brands import services as brand_services
    from forums import services as forum_services
    from forums.models import Forum, NewsItem, Practice
    from governance import services
    from governance.models import AttachmentKind
    from inbox.models import Delivery, Kind, Notification
    from wishes import services as wish_services

    w = SimpleNamespace()
    w.street = factories.StreetFactory()
    w.area_a = factories.AreaFactory(street=w.street)
    w.area_b = factories.AreaFactory(street=w.street)
    w.unit = factories.OrganizationFactory(area=None, street=w.street, partner=True)
    w.unit_b = factories.OrganizationFactory(area=None, street=w.street, partner=True)
    w.stranger_unit = factories.OrganizationFactory(area=None, street=w.street, partner=True)
    factories.AgreementFactory(partner=w.unit, area=w.area_a)
    factories.AgreementFactory(partner=w.unit_b, area=w.area_b)

    w.users = {
        "anonymous": None,
        "resident": factories.UserFactory(),
        "street_staff": factories.street_staff(w.street),
        "secretary": factories.secretary(w.area_a),
        "other_secretary": factories.secretary(w.area_b),
        "liaison": factories.liaison(w.unit),
        "stranger": factories.liaison(w.stranger_unit),
        "far_staff": factories.street_staff(factories.AreaFactory().street),
        "superuser": factories.UserFactory(is_superuser=True, is_staff=True),
    }
    staff, sec_a, sec_b = (w.users[r] for r in ("street_staff", "secretary", "other_secretary"))

    # Structure
    w.org_a = factories.OrganizationFactory(area=w.area_a, property_company=True)
    w.org_b = factories.OrganizationFactory(area=w.area_b, property_company=True)
    w.post_a = factories.PostFactory(organization=w.org_a)
    w.post_b = factories.PostFactory(organization=w.org_b)
    w.person_a, w.person_b = w.post_a.person, w.post_b.person

    # Cases: A's led by its property company with the liaison's unit assisting
    category = factories.CategoryFactory(service_code="corridor")
    w.inactive_category = factories.CategoryFactory(service_code="retired", is_active=False)
    w.case_a = factories.case(w.area_a, sec_a, category=category)
    w.case_b = factories.case(w.area_b, sec_b, category=category)
    services.case_set_parties(case=w.case_a, actor=sec_a, lead=w.org_a, assisting=[w.unit])
    services.case_set_parties(case=w.case_b, actor=sec_b, lead=w.org_b, assisting=[w.unit_b])
    with committed():  # the files are written on commit
        w.attachment_a, w.attachment_b = (
            services.case_attach(
                case=case,
                actor=actor,
                kind=AttachmentKind.BEFORE,
                upload=SimpleUploadedFile("before.png", _png()),
            )
            for case, actor in ((w.case_a, sec_a), (w.case_b, sec_b))
        )

    # Brands: A's public, B's not yet
    w.brand_a = factories.BrandFactory(area=w.area_a, is_public=True)
    w.brand_b = factories.BrandFactory(area=w.area_b, is_public=False)
    with committed():
        w.activity_a, w.activity_b = (
            brand_services.brand_activity_record(
                brand=brand,
                actor=staff,
                date=timezone.localdate() - datetime.timedelta(days=3),
                title="楼道清理",
                photo=_jpeg(),
                photo_alt="清理后的楼道",
            )
            for brand in (w.brand_a, w.brand_b)
        )

    # Wishes: a published one per area; a fulfilled one with a photo, A's claimed by the unit
    w.wish_a = factories.wish(w.area_a, sec_a, status="published")
    w.wish_b = factories.wish(w.area_b, sec_b, status="published")
    w.done_a = factories.wish(
        w.area_a, sec_a, status="claimed", unit=w.unit, claimer=w.users["liaison"]
    )
    w.done_b = factories.wish(w.area_b, sec_b, status="claimed", unit=w.unit_b)
    for item, actor in ((w.done_a, w.users["liaison"]), (w.done_b, sec_b)):
        with committed():
            wish_services.wish_fulfil(wish=item, actor=actor, note="已完成。", photo=_jpeg())

    # Publishing: inside is published (forum of area A), outside a draft (forum of area B)
    w.forum_a = factories.ForumFactory(street=w.street, areas=[w.area_a], cover_alt="会场")
    w.forum_a.cover.save("cover.png", ContentFile(_png()))
    w.speech_a = factories.SpeechFactory(forum=w.forum_a, area=w.area_a)
    factories.publish(w.forum_a, staff)
    w.forum_b = factories.ForumFactory(street=w.street, areas=[w.area_b], cover_alt="会场")
    w.forum_b.cover.save("cover.png", ContentFile(_png()))
    w.speech_b = factories.SpeechFactory(forum=w.forum_b, area=w.area_b)
    # ... and two forums in review: A's with a speech by the liaison, to confirm; B's not
    w.review_a = factories.ForumFactory(street=w.street, areas=[w.area_a])
    w.review_b = factories.ForumFactory(street=w.street, areas=[w.area_b])
    speaker = w.users["liaison"].person
    w.review_speech_a = factories.SpeechFactory(forum=w.review_a, area=w.area_a, speaker=speaker)
    w.review_speech_b = factories.SpeechFactory(
        forum=w.review_b, area=w.area_b, speaker=factories.PersonFactory(area=w.area_b)
    )
    for forum in (w.review_a, w.review_b):
        forum_services.publication_transition(item=forum, to="in_review", actor=staff)
    w.practice_a = factories.publish(factories.PracticeFactory(street=w.street), staff)
    w.practice_b = factories.PracticeFactory(street=w.street)
    w.news_a = factories.publish(factories.NewsFactory(street=w.street), staff)
    w.news_b = factories.NewsFactory(street=w.street)
    assert Forum.objects.count() == 4 and Practice.objects.count() == NewsItem.objects.count() == 2

    # Events: A's public and organised by the liaison's unit; B's not yet public
    w.event_a = factories.EventFactory(
        street=w.street, area=w.area_a, organising_unit=w.unit, is_public=True
    )
    w.event_b = factories.EventFactory(street=w.street, area=w.area_b, is_public=False)
    w.session_a = factories.SessionFactory(event=w.event_a)
    w.session_b = factories.SessionFactory(event=w.event_b)
    w.booking_a = factories.book(w.session_a, phone="13800001111")
    w.booking_b = factories.book(w.session_b, phone="13800002222")

    # Inbox: a notification for area A's secretary, one for area B's
    case_type = ContentType.objects.get_for_model(w.case_a)
    w.note_a, w.note_b = (
        Notification.objects.create(
            recipient=user,
            kind=Kind.CASE_UPDATED,
            content_type=case_type,
            object_id=case.pk,
            delivery=Delivery.INBOX,
        )
        for user, case in ((sec_a, w.case_a), (sec_b, w.case_b))
    )

    # Doorstep, roster imports
    w.service_a = factories.ServiceFactory(station=factories.StationFactory(area=w.area_a))
    w.service_b = factories.ServiceFactory(station=factories.StationFactory(area=w.area_b))
    w.station_a, w.station_b = w.service_a.station, w.service_b.station
    w.import_a = factories.RosterImportFactory(street=w.street, actor=sec_a)
    w.import_b = factories.RosterImportFactory(street=w.street, actor=sec_b)
    return w


# --- object builders: (inside kwargs, outside kwargs) ------------------------------------------


def _pair(key: str, attr: str, a: str, b: str):
    return lambda w: ({key: getattr(getattr(w, a), attr)}, {key: getattr(getattr(w, b), attr)})


AREA = _pair("slug", "slug", "area_a", "area_b")
ORGANIZATION = _pair("pk", "pk", "org_a", "org_b")
POST = _pair("pk", "pk", "post_a", "post_b")
PERSON = _pair("pk", "pk", "person_a", "person_b")
CASE = _pair("number", "number", "case_a", "case_b")
BRAND = _pair("slug", "slug", "brand_a", "brand_b")
WISH = _pair("pk", "pk", "wish_a", "wish_b")
FULFILLED_WISH = _pair("pk", "pk", "done_a", "done_b")
FORUM = _pair("slug", "slug", "forum_a", "forum_b")
PRACTICE = _pair("slug", "slug", "practice_a", "practice_b")
NEWS = _pair("slug", "slug", "news_a", "news_b")
EVENT = _pair("slug", "slug", "event_a", "event_b")
BOOKING = _pair("code", "code", "booking_a", "booking_b")
NOTIFICATION = _pair("pk", "pk", "note_a", "note_b")
SERVICE = _pair("pk", "pk", "service_a", "service_b")
STATION = _pair("pk", "pk", "station_a", "station_b")
ROSTER_IMPORT = _pair("pk", "pk", "import_a", "import_b")


def _with(pair, **extra):
    return lambda w: tuple({**kwargs, **extra} for kwargs in pair(w))


def _child(parent, key: str, a: str, b: str):
    """A parent's kwargs plus ``pk`` of a child object (attachment, activity, speech, slot)."""

    def objects(w):
        inside, outside = parent(w)
        return {**inside, key: getattr(w, a).pk}, {**outside, key: getattr(w, b).pk}

    return objects


def _open311(w):
    return {"number": w.case_a.number, "fmt": "json"}, {"number": w.case_b.number, "fmt": "json"}


def _open311_service(w):
    return {"code": "corridor", "fmt": "json"}, {"code": "retired", "fmt": "json"}


def _area_query(w):
    return {"area": w.area_a.slug}, {"area": w.area_b.slug}


ATTACHMENT = _child(CASE, "pk", "attachment_a", "attachment_b")
ACTIVITY = _child(BRAND, "pk", "activity_a", "activity_b")
SPEECH = _child(FORUM, "pk", "speech_a", "speech_b")
SPEECH_IN_REVIEW = _child(
    _pair("slug", "slug", "review_a", "review_b"), "pk", "review_speech_a", "review_speech_b"
)
SESSION = _child(EVENT, "pk", "session_a", "session_b")
JSON = {"fmt": "json"}
CSV = {"fmt": "csv"}
MONTH = {"year": timezone.localdate().year, "month": timezone.localdate().month}


# The grids, one cell per role in the order of ROLES (a cell without "/" is the answer for both
# objects):           anonym resid  street sec_A  sec_B  liais  strngr far    super
# fmt: off
EVERYONE        = grid("OK     OK     OK     OK     OK     OK     OK     OK     OK")
NO_ONE          = grid("NF     NF     NF     NF     NF     NF     NF     NF     NF")
REFUSED         = grid("DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY   DENY")
# Actions anyone may send, answered by a redirect (logout, large text); not a page to GET
ACTION_FOR_ALL  = grid("GO     GO     GO     GO     GO     GO     GO     GO     GO")
GET_NOT_ALLOWED = grid("NA     NA     NA     NA     NA     NA     NA     NA     NA")
SIGNED_IN       = grid("LOGIN  OK     OK     OK     OK     OK     OK     OK     OK")
SIGNED_IN_GO    = grid("LOGIN  GO     GO     GO     GO     GO     GO     GO     GO")
# A form's action or an action on a record: a POST, which the public is asked to sign in for
POST_ONLY       = grid("LOGIN  NA     NA     NA     NA     NA     NA     NA     NA")
# Pages of those who keep an area or a street: anyone else gets a 404, or the public list
KEEPERS         = grid("LOGIN  NF     OK     OK     OK     NF     NF     OK     OK")
KEEPERS_ELSE_GO = grid("LOGIN  GO     OK     OK     OK     GO     GO     OK     OK")
# A record of area A / of area B that its area's staff and the street's staff keep
KEPT            = grid("LOGIN  NF     OK     OK/NF  NF/OK  NF     NF     NF     OK")
KEPT_ACTION     = grid("LOGIN  NF     GO     GO/NF  NF/GO  NF     NF     NF     GO")
# ... that the partner unit working on it also sees (a case, its files, an event it organises)
SHARED          = grid("LOGIN  NF     OK     OK/NF  NF/OK  OK/NF  NF     NF     OK")
SHARED_ACTION   = grid("LOGIN  NF     GO     GO/NF  NF/GO  GO/NF  NF     NF     GO")
# Published (area A's) / not yet public (area B's): the public page and its preview for B
PUBLISHED_AREA  = grid("OK/NF  OK/NF  OK     OK/NF  OK     OK/NF  OK/NF  OK/NF  OK")
# Published / draft of the street: only the street office previews a draft
PUBLISHED       = grid("OK/NF  OK/NF  OK     OK/NF  OK/NF  OK/NF  OK/NF  OK/NF  OK")
# A version of a published record / of a draft, which has none
VERSION         = grid("OK/NF  OK/NF  OK/NF  OK/NF  OK/NF  OK/NF  OK/NF  OK/NF  OK/NF")
# Publishing actions: the street office only
PUBLISHING      = grid("LOGIN  NF     GO     NF     NF     NF     NF     NF     GO")
CORRECTING      = grid("LOGIN  NF     OK/NF  NF     NF     NF     NF     NF     OK/NF")
# Speeches are added and edited while the forum is a draft: the street office, the area's own
DRAFTING        = grid("LOGIN  NF     NF/OK  NF     NF/OK  NF     NF     NF     NF/OK")
# The speaker (here the liaison) confirms their speech while the forum is in review
SPEECH_REVIEW   = grid("LOGIN  NF     NF     NF     NF     GO/NF  NF     NF     NF")
# One's own notification (area A's secretary's / area B's), followed to its object
OWN             = grid("LOGIN  NF     NF     GO/NF  NF/GO  NF     NF     NF     NF")
BRAND_ADDING    = grid("LOGIN  NF     BAD    BAD/NF NF/BAD NF     NF     NF     BAD")
# Published wishes are open to every partner unit's liaison of the street, to claim
WISH_MANAGING   = grid("LOGIN  NF     OK     OK/NF  NF/OK  OK     OK     NF     OK")
WISH_CLAIMING   = grid("LOGIN  NF     GO     GO/NF  NF/GO  GO     GO     NF     GO")
# Doorstep: someone who keeps no area is sent to the public list of services
KEPT_ELSE_GO    = grid("LOGIN  GO     OK     OK/NF  NF/OK  GO     GO     NF     OK")
# fmt: on

ROUTES: dict[str, Route] = {
    "home": Route(get=EVERYONE),
    "healthz": Route(get=EVERYONE),
    "large_text": Route(get=GET_NOT_ALLOWED, post=ACTION_FOR_ALL),
    "favicon": Route(get=ACTION_FOR_ALL),  # a redirect to the icon, for everyone
    "login": Route(get=EVERYONE, post=EVERYONE),
    "two_step": Route(get=SIGNED_IN, post=SIGNED_IN),
    "logout": Route(get=GET_NOT_ALLOWED, post=ACTION_FOR_ALL),
    # governance: structure
    "governance:area_list": Route(get=EVERYONE),
    "governance:area_detail": Route(get=EVERYONE, objects=AREA),
    "governance:organization_detail": Route(get=EVERYONE, objects=ORGANIZATION),
    "governance:organization_history": Route(get=KEPT, objects=ORGANIZATION),
    "governance:post_create": Route(get=KEPT, post=KEPT, objects=ORGANIZATION),
    "governance:post_end": Route(get=KEPT, post=KEPT, objects=POST),
    "governance:person_list": Route(get=SIGNED_IN),
    "governance:person_create": Route(get=KEEPERS, post=KEEPERS),
    "governance:person_detail": Route(get=KEPT, objects=PERSON),
    "governance:person_update": Route(get=KEPT, post=KEPT, objects=PERSON),
    "governance:person_history": Route(get=KEPT, objects=PERSON),
    "governance:organization_export": Route(get=KEPT, kwargs=CSV, queries=_area_query),
    "governance:roster_import": Route(get=KEEPERS, post=KEEPERS),
    "governance:roster_import_detail": Route(get=KEPT, objects=ROSTER_IMPORT),
    "governance:roster_template": Route(get=KEEPERS, kwargs=CSV),
    # governance: cases
    "governance:case_list": Route(get=SIGNED_IN),
    "governance:case_create": Route(get=KEEPERS, post=KEEPERS),
    "governance:case_export": Route(get=SIGNED_IN, kwargs=CSV),
    "governance:case_detail": Route(get=SHARED, objects=CASE),
    "governance:case_edit": Route(get=KEPT, post=KEPT, objects=CASE),
    "governance:case_transition": Route(get=POST_ONLY, post=SHARED_ACTION, objects=CASE),
    "governance:case_parties": Route(get=POST_ONLY, post=KEPT_ACTION, objects=CASE),
    "governance:case_update": Route(get=POST_ONLY, post=SHARED_ACTION, objects=CASE),
    "governance:case_attachment_upload": Route(get=POST_ONLY, post=SHARED_ACTION, objects=CASE),
    "governance:case_attachment": Route(get=SHARED, objects=ATTACHMENT),
    "governance:case_follow_up": Route(get=POST_ONLY, post=SHARED_ACTION, objects=CASE),
    "governance:case_due_date": Route(get=POST_ONLY, post=SHARED_ACTION, objects=CASE),
    # brands
    "brands:brand_list": Route(get=EVERYONE),
    "brands:brand_detail": Route(get=PUBLISHED_AREA, objects=BRAND),
    "brands:brand_activity_create": Route(get=POST_ONLY, post=BRAND_ADDING, objects=BRAND),
    "brands:brand_activity_delete": Route(get=KEPT, post=KEPT_ACTION, objects=ACTIVITY),
    "brands:brand_activity_photo": Route(get=PUBLISHED_AREA, objects=ACTIVITY),
    # wishes
    "wishes:wish_wall": Route(get=EVERYONE),
    "wishes:area_wish_wall": Route(get=EVERYONE, objects=AREA),
    "wishes:wish_manage_list": Route(get=KEEPERS_ELSE_GO),
    "wishes:wish_claim_list": Route(get=SIGNED_IN),
    "wishes:wish_create": Route(get=KEEPERS, post=KEEPERS),
    "wishes:wish_export": Route(get=KEEPERS, kwargs=CSV),
    "wishes:wish_detail": Route(get=EVERYONE, objects=WISH),
    "wishes:wish_manage_detail": Route(get=WISH_MANAGING, objects=WISH),
    "wishes:wish_edit": Route(get=KEPT, post=KEPT, objects=WISH),
    "wishes:wish_publish": Route(get=POST_ONLY, post=KEPT_ACTION, objects=WISH),
    "wishes:wish_claim": Route(get=POST_ONLY, post=WISH_CLAIMING, objects=WISH),
    "wishes:wish_fulfil": Route(get=POST_ONLY, post=SHARED_ACTION, objects=FULFILLED_WISH),
    "wishes:wish_thank": Route(get=POST_ONLY, post=SHARED_ACTION, objects=FULFILLED_WISH),
    "wishes:wish_withdraw": Route(get=KEPT, post=KEPT, objects=WISH),
    "wishes:wish_photo": Route(get=SHARED, objects=FULFILLED_WISH),
    # governance: Open311 (public cases data for partner systems)
    "governance:open311_root": Route(get=EVERYONE),
    "governance:open311_discovery": Route(get=EVERYONE, kwargs=JSON),
    "governance:open311_services": Route(get=EVERYONE, kwargs=JSON),
    "governance:open311_service": Route(get=VERSION, objects=_open311_service),
    "governance:open311_requests": Route(get=EVERYONE, post=REFUSED, kwargs=JSON),
    "governance:open311_request": Route(get=EVERYONE, objects=_open311),
    "governance:open311_not_found": Route(get=NO_ONE, kwargs=JSON),
    # reports: the dashboard, the monthly report, how fast each area works
    # A secretary's dashboard is their one area and takes none; the report's ?area= is scoped
    "reports:dashboard": Route(get=KEEPERS),
    "reports:dashboard_report": Route(get=KEPT, kwargs=MONTH, queries=_area_query),
    "reports:dashboard_report_xlsx": Route(get=KEPT, kwargs=MONTH, queries=_area_query),
    "reports:case_efficiency": Route(get=SIGNED_IN),
    # forums: publishing
    "forums:forum_list": Route(get=EVERYONE),
    "forums:forum_feed": Route(get=EVERYONE),
    "forums:forum_detail": Route(get=PUBLISHED_AREA, objects=FORUM),
    "forums:forum_cover": Route(get=PUBLISHED_AREA, objects=FORUM),
    "forums:forum_version": Route(get=VERSION, objects=_with(FORUM, number=1)),
    "forums:forum_transition": Route(get=POST_ONLY, post=PUBLISHING, objects=FORUM),
    "forums:forum_correct": Route(get=CORRECTING, post=CORRECTING, objects=FORUM),
    "forums:speech_create": Route(get=DRAFTING, post=DRAFTING, objects=FORUM),
    "forums:speech_edit": Route(get=DRAFTING, post=DRAFTING, objects=SPEECH),
    "forums:speech_review": Route(get=POST_ONLY, post=SPEECH_REVIEW, objects=SPEECH_IN_REVIEW),
    "forums:speech_correct": Route(get=CORRECTING, post=CORRECTING, objects=SPEECH),
    "forums:practice_list": Route(get=EVERYONE),
    "forums:practice_detail": Route(get=PUBLISHED, objects=PRACTICE),
    "forums:practice_version": Route(get=VERSION, objects=_with(PRACTICE, number=1)),
    "forums:practice_transition": Route(get=POST_ONLY, post=PUBLISHING, objects=PRACTICE),
    "forums:news_list": Route(get=EVERYONE),
    "forums:news_feed": Route(get=EVERYONE),
    "forums:news_detail": Route(get=PUBLISHED, objects=NEWS),
    "forums:news_version": Route(get=VERSION, objects=_with(NEWS, number=1)),
    "forums:news_transition": Route(get=POST_ONLY, post=PUBLISHING, objects=NEWS),
    "forums:search": Route(get=EVERYONE),
    # forums: events and bookings
    "forums:calendar_feed": Route(get=EVERYONE),
    "forums:event_list": Route(get=EVERYONE),
    "forums:event_detail": Route(get=PUBLISHED_AREA, objects=EVENT),
    "forums:session_book": Route(get=PUBLISHED_AREA, post=PUBLISHED_AREA, objects=SESSION),
    "forums:event_manage": Route(get=SHARED, objects=EVENT),
    "forums:session_attendees": Route(get=SHARED, objects=SESSION),
    "forums:event_check_in": Route(get=POST_ONLY, post=SHARED_ACTION, objects=EVENT),
    "forums:event_export": Route(get=SHARED, objects=EVENT),
    "forums:event_export_xlsx": Route(get=SHARED, objects=EVENT),
    "forums:booking_lookup": Route(get=EVERYONE, post=EVERYONE),
    "forums:booking_detail": Route(get=NO_ONE, objects=BOOKING),
    "forums:booking_ics": Route(get=NO_ONE, objects=BOOKING),
    "forums:booking_cancel": Route(get=NO_ONE, post=NO_ONE, objects=BOOKING),
    # inbox
    "inbox:inbox": Route(get=SIGNED_IN),
    "inbox:preferences": Route(get=SIGNED_IN, post=SIGNED_IN),
    "inbox:read_all": Route(get=POST_ONLY, post=SIGNED_IN_GO),
    "inbox:open": Route(get=OWN, objects=NOTIFICATION),
    "inbox:read": Route(get=POST_ONLY, post=OWN, objects=NOTIFICATION),
    # doorstep
    "doorstep:service_list": Route(get=EVERYONE),
    "doorstep:manage": Route(get=KEEPERS_ELSE_GO),
    "doorstep:service_create": Route(get=KEEPERS_ELSE_GO, post=KEEPERS_ELSE_GO),
    "doorstep:service_detail": Route(get=EVERYONE, objects=SERVICE),
    "doorstep:service_edit": Route(get=KEPT_ELSE_GO, post=KEPT_ELSE_GO, objects=SERVICE),
    "doorstep:service_delete": Route(get=KEPT, post=KEPT_ACTION, objects=SERVICE),
    "doorstep:station_create": Route(get=KEEPERS_ELSE_GO, post=KEEPERS_ELSE_GO),
    "doorstep:station_detail": Route(get=EVERYONE, objects=STATION),
    "doorstep:station_edit": Route(get=KEPT_ELSE_GO, post=KEPT_ELSE_GO, objects=STATION),
    "doorstep:area_print": Route(get=EVERYONE, objects=AREA),
}
