"""Random and hostile posts to every form of the portal and to Open311: the answer is never a
500, and a refused post leaves every table as it was.

Each form view is declared once in FORM_VIEWS (who may use it, on which demo record, with
which fields); a test checks the table against the URLconf, so a new form view without a fuzz
entry fails. Every example runs in its own savepoint, rolled back after it."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.messages import constants
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from accounts.forms import LoginForm, TokenForm
from brands.forms import BrandActivityForm
from brands.models import Brand, BrandActivity
from doorstep.forms import ServiceForm, StationForm
from doorstep.models import Station
from forums.forms import (
    BookingCancelForm,
    BookingForm,
    BookingLookupForm,
    CheckInForm,
    ForumCorrectionForm,
    PublicationTransitionForm,
    SpeechCorrectionForm,
    SpeechForm,
    SpeechReviewForm,
)
from forums.models import (
    Booking,
    EventSession,
    Forum,
    NewsItem,
    Practice,
    PublicationStatus,
    Speech,
)
from forums.views.events import SESSION_KEY as BOOKING_CODES
from governance import open311
from governance.forms.cases import (
    AttachmentForm,
    CaseEditForm,
    CaseForm,
    CasePartiesForm,
    CaseTransitionForm,
    CaseUpdateForm,
    DueDateForm,
    FollowUpForm,
)
from governance.forms.organizations import PersonForm, PostEndForm, PostForm
from governance.forms.roster import RosterImportForm
from governance.models import Case, CaseStatus, Category, Organization, Post
from inbox.forms import PreferencesForm
from inbox.models import Notification
from residents.models import BuildingGroup, Compound, Person, ResidentialArea, Role, User
from wishes.forms import WishClaimForm, WishForm, WishFulfilForm, WishThankForm, WishWithdrawForm
from wishes.models import Wish, WishStatus

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,  # nothing written to the working tree
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example runs in its own rolled-back savepoint
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Tables a refused post may legitimately write: the failed-login audit and the session that
# carries the error message to the next page.
MAY_CHANGE_ON_REFUSAL = {
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "accounts.LoginEvent",
    "sessions.Session",
}

FORMSET_FIELDS = [
    f"{prefix}-{name}"
    for prefix in ("periods", "exceptions")
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
] + [
    *(f"periods-0-{name}" for name in ("weekday", "opens", "closes", "crosses_midnight", "id")),
    *(f"exceptions-0-{name}" for name in ("date", "kind", "works_like", "opens", "closes", "note")),
]


def _fields(form_class, *extra: str) -> list[str]:
    return [*form_class.base_fields, *extra]


def _area(slug: str = "laosan") -> ResidentialArea:
    return ResidentialArea.objects.get(slug=slug)


def _case(*statuses: str) -> Case:
    cases = Case.objects.filter(area__slug="laosan")
    return (cases.filter(status__in=statuses) if statuses else cases).order_by("pk").first()


def _wish(*statuses: str) -> Wish:
    return Wish.objects.filter(status__in=statuses).order_by("area__slug", "pk").first()


def _event_session() -> EventSession:
    return EventSession.objects.filter(seats_taken__gt=0).order_by("pk").first()


@dataclass
class FormView:
    """A view that takes a posted form: who may post it, to which demo record (returned with
    the URL's arguments, and compared before and after a refused post), and its field names."""

    username: str | None
    target: Callable[[], tuple[dict, Model | None]]
    fields: list[str]
    files: list[str] = field(default_factory=list)
    may_write: set[str] = field(default_factory=set)  # tables the form's page itself writes
    # Puts the client where the form is within reach, for forms that a role alone does not open.
    prepare: Callable[[Client, Model | None], None] | None = None


DRAFT = PublicationStatus.DRAFT


def _remember_booking(client: Client, booking: Booking) -> None:
    """Only the browser that booked may cancel: its session remembers the code."""
    session = client.session
    session[BOOKING_CODES] = [booking.code]
    session.save()


def _speaker_reviews(client: Client, speech: Speech) -> None:
    """Only the speaker reviews a speech, while its forum is in review."""
    Forum.objects.filter(pk=speech.forum_id).update(status=PublicationStatus.IN_REVIEW)
    speaker = User.objects.filter(person=speech.speaker).first() or User.objects.create_user(
        "fuzz-speaker", person=speech.speaker, role=Role.AREA_STAFF
    )
    client.force_login(speaker)


def _slug(record) -> dict:
    return {"slug": record.slug}


FORM_VIEWS: dict[str, FormView] = {
    "login": FormView(None, lambda: ({}, None), _fields(LoginForm)),
    # The setup page keeps a pending authenticator device, whose secret the code confirms.
    "two_step": FormView(
        "laosan", lambda: ({}, None), _fields(TokenForm), may_write={"otp_totp.TOTPDevice"}
    ),
    "large_text": FormView(None, lambda: ({}, None), ["next", "large_text"]),
    "set_language": FormView(None, lambda: ({}, None), ["language", "next"]),
    "logout": FormView("laosan", lambda: ({}, None), ["next"]),
    "governance:person_create": FormView("laosan", lambda: ({}, None), _fields(PersonForm)),
    "governance:person_update": FormView(
        "laosan",
        lambda: (
            {"pk": (p := Person.objects.filter(area__slug="laosan").first()).pk},
            p,
        ),
        _fields(PersonForm),
    ),
    "governance:post_create": FormView(
        "laosan",
        lambda: ({"pk": Organization.objects.filter(area__slug="laosan").first().pk}, None),
        _fields(PostForm),
    ),
    "governance:post_end": FormView(
        "laosan",
        lambda: (
            {
                "pk": (
                    p := Post.objects.filter(
                        organization__area__slug="laosan", end_date__isnull=True
                    ).first()
                ).pk
            },
            p,
        ),
        _fields(PostEndForm),
    ),
    "governance:case_create": FormView("laosan", lambda: ({}, None), _fields(CaseForm)),
    "governance:case_edit": FormView(
        "laosan",
        lambda: ({"number": (c := _case(CaseStatus.NEW, CaseStatus.ACCEPTED)).number}, c),
        _fields(CaseEditForm),
    ),
    "governance:case_transition": FormView(
        "laosan",
        lambda: ({"number": (c := _case(CaseStatus.NEW, CaseStatus.ACCEPTED)).number}, c),
        _fields(CaseTransitionForm),
    ),
    "governance:case_parties": FormView(
        "laosan",
        lambda: ({"number": (c := _case(CaseStatus.NEW, CaseStatus.ACCEPTED)).number}, c),
        _fields(CasePartiesForm),
    ),
    "governance:case_update": FormView(
        "laosan",
        lambda: ({"number": (c := _case(CaseStatus.IN_PROGRESS, CaseStatus.ACCEPTED)).number}, c),
        _fields(CaseUpdateForm),
    ),
    "governance:case_attachment_upload": FormView(
        "laosan",
        lambda: ({"number": (c := _case()).number}, c),
        ["kind"],
        files=["file"],
    ),
    "governance:case_follow_up": FormView(
        "laosan",
        lambda: ({"number": (c := _case(CaseStatus.RESOLVED)).number}, c),
        _fields(FollowUpForm),
    ),
    "governance:case_due_date": FormView(
        "laosan",
        lambda: ({"number": (c := _case(CaseStatus.NEW, CaseStatus.ACCEPTED)).number}, c),
        _fields(DueDateForm),
    ),
    "brands:brand_activity_create": FormView(
        "admin",
        lambda: (_slug(Brand.objects.order_by("pk").first()), None),
        [f for f in BrandActivityForm.base_fields if f != "photo"],
        files=["photo"],
    ),
    "brands:brand_activity_delete": FormView(
        "admin",
        lambda: (
            {
                "slug": (a := BrandActivity.objects.order_by("pk").first()).brand.slug,
                "pk": a.pk,
            },
            a,
        ),
        ["confirm"],
    ),
    "wishes:wish_create": FormView("laosan", lambda: ({}, None), _fields(WishForm)),
    "wishes:wish_edit": FormView(
        "admin",
        lambda: ({"pk": (w := _wish(WishStatus.SUBMITTED, WishStatus.PUBLISHED)).pk}, w),
        _fields(WishForm),
    ),
    "wishes:wish_publish": FormView(
        "admin", lambda: ({"pk": (w := _wish(WishStatus.SUBMITTED)).pk}, w), ["confirm"]
    ),
    "wishes:wish_claim": FormView(
        "admin",
        lambda: ({"pk": (w := _wish(WishStatus.PUBLISHED)).pk}, w),
        _fields(WishClaimForm, "person_name"),
    ),
    "wishes:wish_fulfil": FormView(
        "admin",
        lambda: ({"pk": (w := _wish(WishStatus.CLAIMED)).pk}, w),
        ["note"],
        files=["photo"],
    ),
    "wishes:wish_thank": FormView(
        "admin",
        lambda: ({"pk": (w := _wish(WishStatus.FULFILLED)).pk}, w),
        _fields(WishThankForm),
    ),
    "wishes:wish_withdraw": FormView(
        "admin",
        lambda: ({"pk": (w := _wish(WishStatus.PUBLISHED)).pk}, w),
        _fields(WishWithdrawForm),
    ),
    "governance:roster_import": FormView(
        "laosan", lambda: ({}, None), ["street", "dry_run"], files=["file"]
    ),
    "forums:forum_transition": FormView(
        "admin",
        lambda: (_slug(f := Forum.objects.order_by("pk").first()), f),
        _fields(PublicationTransitionForm),
    ),
    "forums:forum_correct": FormView(
        "admin",
        lambda: (_slug(f := Forum.objects.order_by("pk").first()), f),
        _fields(ForumCorrectionForm),
    ),
    # Speeches are added and edited while their forum is a draft (a published forum's is a 404).
    "forums:speech_create": FormView(
        "admin",
        lambda: (_slug(Forum.objects.filter(status=DRAFT).order_by("pk").first()), None),
        _fields(SpeechForm),
    ),
    "forums:speech_edit": FormView(
        "admin",
        lambda: (
            {
                "slug": (
                    s := Speech.objects.filter(forum__status=DRAFT).order_by("pk")[0]
                ).forum.slug,
                "pk": s.pk,
            },
            s,
        ),
        _fields(SpeechForm),
    ),
    "forums:speech_review": FormView(
        None,
        lambda: (
            {
                "slug": (
                    s := Speech.objects.filter(forum__status=DRAFT, speaker__isnull=False)
                    .order_by("pk")
                    .first()
                ).forum.slug,
                "pk": s.pk,
            },
            s,
        ),
        [f"review-{name}" for name in SpeechReviewForm.base_fields],
        prepare=_speaker_reviews,
    ),
    "forums:speech_correct": FormView(
        "admin",
        lambda: ({"slug": (s := Speech.objects.order_by("pk").first()).forum.slug, "pk": s.pk}, s),
        _fields(SpeechCorrectionForm),
    ),
    "forums:practice_transition": FormView(
        "admin",
        lambda: (_slug(p := Practice.objects.order_by("pk").first()), p),
        _fields(PublicationTransitionForm),
    ),
    "forums:news_transition": FormView(
        "admin",
        lambda: (_slug(n := NewsItem.objects.order_by("pk").first()), n),
        _fields(PublicationTransitionForm),
    ),
    "forums:session_book": FormView(
        None,
        lambda: ({"slug": (s := _event_session()).event.slug, "pk": s.pk}, s),
        _fields(BookingForm),
    ),
    "forums:booking_lookup": FormView(None, lambda: ({}, None), _fields(BookingLookupForm)),
    "forums:booking_cancel": FormView(
        None,
        lambda: ({"code": (b := Booking.objects.order_by("pk").first()).code}, b),
        _fields(BookingCancelForm),
        prepare=_remember_booking,
    ),
    "forums:event_check_in": FormView(
        "admin",
        lambda: ({"slug": _event_session().event.slug}, None),
        _fields(CheckInForm),
    ),
    "inbox:preferences": FormView("laosan", lambda: ({}, None), _fields(PreferencesForm)),
    "inbox:read_all": FormView("laosan", lambda: ({}, None), ["confirm"]),
    "inbox:read": FormView(
        "laosan",
        lambda: (
            (
                {"pk": (n := Notification.objects.filter(recipient__username="laosan").first()).pk},
                n,
            )
            if Notification.objects.filter(recipient__username="laosan").exists()
            else ({"pk": 1}, None)
        ),
        ["confirm"],
    ),
    "doorstep:station_create": FormView(
        "laosan", lambda: ({}, None), _fields(StationForm, *FORMSET_FIELDS)
    ),
    "doorstep:station_edit": FormView(
        "laosan",
        lambda: ({"pk": (s := Station.objects.filter(area__slug="laosan").first()).pk}, s),
        _fields(StationForm, *FORMSET_FIELDS),
    ),
    "doorstep:service_create": FormView(
        "laosan", lambda: ({}, None), _fields(ServiceForm, *FORMSET_FIELDS)
    ),
    "doorstep:service_edit": FormView(
        "laosan",
        lambda: (
            {"pk": (s := Station.objects.filter(area__slug="laosan").first().services.first()).pk},
            s,
        ),
        _fields(ServiceForm, *FORMSET_FIELDS),
    ),
    "doorstep:service_delete": FormView(
        "laosan",
        lambda: (
            {"pk": (s := Station.objects.filter(area__slug="laosan").first().services.first()).pk},
            s,
        ),
        ["confirm"],
    ),
}
# Fuzzed in their own tests below.
OWN_TESTS = {"governance:open311_requests"}


def _url_patterns(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) != "admin/":  # the admin's forms are Django's own
                yield from _url_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def _takes_posts(callback) -> bool:
    view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
    if not (inspect.isfunction(view) or inspect.isclass(view)):
        view = type(view)  # a callable instance, e.g. a feed
    # A class view may take its form from a parent (Django's LoginView, subclassed).
    classes = view.__mro__[:-1] if inspect.isclass(view) else [view]
    sources = [inspect.getsource(item) for item in classes]
    return any("POST" in source or "form_class" in source for source in sources)


def test_every_view_that_takes_a_posted_form_is_fuzzed():
    """A new form view must be added to FORM_VIEWS (with its fields), or this fails."""
    posting = {name for name, callback in _url_patterns() if _takes_posts(callback)}

    assert len(posting) > 40
    assert posting - FORM_VIEWS.keys() - OWN_TESTS == set()
    assert FORM_VIEWS.keys() - posting == set()


def test_each_fuzzed_view_lists_every_field_of_its_form():
    """The declared field names cover the forms: a field added later is fuzzed too."""
    for form in (PersonForm, CaseEditForm, WishForm, SpeechForm, StationForm, ServiceForm):
        declared = {
            name
            for view in FORM_VIEWS.values()
            for name in view.fields + view.files
            if name in form.base_fields
        }
        assert declared == set(form.base_fields), form.__name__
    assert set(AttachmentForm.base_fields) == {"kind", "file"}
    assert set(WishFulfilForm.base_fields) == {"note", "photo"}
    assert set(RosterImportForm.base_fields) == {"street", "file", "dry_run"}


# Hostile values


def _other_ids() -> list[str]:
    """Primary keys of records across the street (other areas' people, places, parties)."""
    ids: set[int] = set()
    for model in (Person, Organization, Compound, BuildingGroup, Category, ResidentialArea, User):
        ids |= set(model.objects.order_by("-pk").values_list("pk", flat=True)[:8])
    return [str(pk) for pk in sorted(ids)]


NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: sent as the bytes ED A0 80, which are not UTF-8
    "\u202egnp.exe",  # right-to-left override
    "\u200b\ufeff",
    "' OR 1=1 --",
    "'; DROP TABLE governance_case; --",
    '"><img src=x onerror=alert(1)>',
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "%00",
    "../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999999",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "Infinity",
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "24:61",
    "25:00",
    "2026-13-01T99:99",
    "true",
    "on",
    "LJZ-2026-0001",
    "laosan",
    "x" * 5000,
    "字" * 300,
]


def _values(other_ids: list[str]):
    scalar = st.one_of(
        st.sampled_from(NASTY),
        st.sampled_from(other_ids),
        st.text(max_size=60),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(alphabet="0123456789-:T ", max_size=20),
        st.binary(max_size=40).map(lambda raw: raw.decode("latin-1")),
    )
    # Lists where one value is expected: the view reads the last one, or all of them.
    return st.one_of(scalar, st.lists(scalar, min_size=2, max_size=4))


def _form_data(fields: list[str], other_ids: list[str]):
    return st.dictionaries(
        st.one_of(st.sampled_from(fields), st.sampled_from(["id", "pk", "status", "area"])),
        _values(other_ids),
        max_size=len(fields) + 2,
    )


def _has_surrogate(value) -> bool:
    values = value if isinstance(value, list) else [value]
    return any("\ud800" <= char <= "\udfff" for text in values for char in text)


def _body(data: dict) -> str:
    """The form's URL-encoded body; a lone surrogate goes out as the bytes a broken client
    would send."""
    return urlencode(data, doseq=True, errors="surrogatepass")


# The invariant


def _row_counts(may_write=frozenset()) -> dict[str, int]:
    """The number of rows in every table, in one query."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.label not in MAY_CHANGE_ON_REFUSAL | set(may_write) and model._meta.managed
    ]
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*) FROM {quote(model._meta.db_table)}"  # noqa: S608 (table names)
        for i, model in enumerate(models)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {models[i]._meta.label: count for i, count in cursor.fetchall()}


def _row(record: Model | None) -> dict | None:
    if record is None:
        return None
    return type(record)._default_manager.filter(pk=record.pk).values().first()


def _refused(response) -> bool:
    """Not a success: anything but a redirect, or a redirect that carries an error message."""
    if response.status_code != 302:
        return True
    # Only the messages of this request: earlier ones wait, unread, in the client's cookie.
    added = response.wsgi_request._messages._queued_messages
    return any(message.level >= constants.ERROR for message in added)


def _check_post(
    client, url: str, data: dict, files: dict, record: Model | None, may_write=frozenset()
) -> None:
    cache.clear()  # no throttle left from the last example
    with transaction.atomic():
        before, row_before = _row_counts(may_write), _row(record)
        if files:
            response = client.post(url, {**data, **files})
        else:
            response = client.post(
                url, _body(data), content_type="application/x-www-form-urlencoded"
            )
        assert response.status_code < 500, url
        if _refused(response):
            assert _row_counts(may_write) == before, f"{url} answered {response.status_code}"
            assert _row(record) == row_before, f"{url} answered {response.status_code}"
        transaction.set_rollback(True)


def _client_for(client, username: str | None):
    if username:
        client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("name", sorted(FORM_VIEWS))
def test_hostile_posts_never_fail_and_a_refused_post_stores_nothing(name, demo_street, db, client):
    view = FORM_VIEWS[name]
    kwargs, record = view.target()
    url = reverse(name, kwargs=kwargs)
    client = _client_for(client, view.username)
    if view.prepare:
        view.prepare(client, record)
    other_ids = _other_ids()

    @FUZZ
    @given(data=_form_data(view.fields, other_ids))
    def fuzz(data):
        files = {}
        if view.files:
            from django.core.files.uploadedfile import SimpleUploadedFile

            files = {
                name: SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0 not really", "image/jpeg")
                for name in view.files
            }
            # A multipart body carries text as UTF-8, which a lone surrogate is not.
            data = {key: value for key, value in data.items() if not _has_surrogate(value)}
        _check_post(client, url, data, files, record, view.may_write)

    fuzz()


@pytest.mark.parametrize("name", sorted(FORM_VIEWS))
def test_each_fuzzed_form_is_within_the_users_reach(name, demo_street, db, client):
    """The fuzz reaches the form: its declared user and record get no 403 or 404, which would
    answer every example before the form ever saw it."""
    view = FORM_VIEWS[name]
    kwargs, record = view.target()
    client = _client_for(client, view.username)
    if view.prepare:
        view.prepare(client, record)

    with transaction.atomic():
        response = client.post(reverse(name, kwargs=kwargs), {})
        transaction.set_rollback(True)

    assert response.status_code not in (403, 404)


def test_the_check_catches_a_refused_post_that_stores_a_row(demo_street, db, client, monkeypatch):
    """The harness can fail: a form page that writes a row while it shows the form's errors is
    reported."""
    from governance.views import structure

    render = structure.render

    def render_after_writing(*args, **kwargs):
        Person.objects.create(name="张三", street=_area().street, area=_area())
        return render(*args, **kwargs)

    monkeypatch.setattr(structure, "render", render_after_writing)
    client = _client_for(client, "laosan")

    with pytest.raises(AssertionError):
        _check_post(client, reverse("governance:person_create"), {"name": ""}, {}, None)


# Open311


def _open311_key(street) -> str:
    from governance.services.open311 import api_client_create

    _client, key = api_client_create(
        name="fuzz", street=street, actor=User.objects.get(username="admin")
    )
    return key


OPEN311_FIELDS = [
    "service_code",
    "jurisdiction_id",
    "attribute[area]",
    "address_string",
    "description",
    "first_name",
    "last_name",
    "phone",
    "email",
    "lat",
    "long",
    "media_url",
    "device_id",
]


@pytest.mark.parametrize("with_key", [True, False], ids=["valid-key", "no-or-bad-key"])
def test_hostile_open311_posts_never_fail_and_a_refused_one_stores_nothing(
    with_key, demo_street, db, client
):
    street = _area().street
    key = _open311_key(street) if with_key else None
    codes = list(Category.objects.exclude(service_code="").values_list("service_code", flat=True))
    other_ids = [*_other_ids(), *codes]
    url = "/open311/v2/requests.json"

    @FUZZ
    @example(data={"description": "a\x00b", "attribute[area]": "laosan"}, code=codes[0], fmt="json")
    @example(data={"first_name": "\x00", "attribute[area]": "laosan"}, code=codes[0], fmt="xml")
    @example(data={"phone": "1\x00", "address_string": "\x00"}, code=codes[0], fmt="json")
    @example(data={"attribute[area]": "\x00", "jurisdiction_id": "\x00"}, code="\x00", fmt="json")
    @example(data={"attribute[area]": "laosan", "description": "\ud800"}, code=codes[0], fmt="xml")
    @given(
        data=_form_data(OPEN311_FIELDS, other_ids),
        code=st.one_of(st.sampled_from(codes), _values(other_ids)),
        fmt=st.sampled_from(["json", "xml"]),
    )
    def fuzz(data, code, fmt):
        data = {"service_code": code, **data}
        if with_key:
            data["api_key"] = key
        cache.clear()
        with transaction.atomic():
            before = _row_counts()
            response = client.post(
                url.replace("json", fmt),
                _body(data),
                content_type="application/x-www-form-urlencoded",
            )
            note(f"{response.status_code} {response.content[:300]!r}")
            assert response.status_code < 500
            if response.status_code != 201:
                after = _row_counts()
                # The client's last use is kept only with a request it logged.
                assert after == before
            transaction.set_rollback(True)

    fuzz()


def test_hostile_open311_reads_never_fail(demo_street, db, client):
    """Every GET filter of the requests list, a request and the services, with hostile values:
    a 200 or one of the standard's errors, never a 500."""
    number = Case.objects.order_by("pk").values_list("number", flat=True).first()
    other_ids = [*_other_ids(), number, "open", "closed", "open,closed"]
    paths = [
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{number}.json",
        "/open311/v2/services.xml",
        "/open311/v2/discovery.json",
    ]

    @FUZZ
    @example(path=paths[0], data={"page": "99999999999999999999"})
    @example(path=paths[0], data={"page": "461168601842738791", "page_size": "200"})
    @example(path=paths[1], data={"start_date": "0001-01-01"})
    @example(path=paths[0], data={"end_date": "0001-01-02"})
    @example(path=paths[0], data={"end_date": "9999-12-31T23:59:59-12:00"})
    @example(path=paths[0], data={"jurisdiction_id": "\x00"})
    @example(path=paths[0], data={"service_code": "a\x00"})
    @example(path=paths[0], data={"service_request_id": "\x00"})
    @example(path=paths[2], data={"jurisdiction_id": "\x00"})
    @given(
        path=st.sampled_from(paths),
        data=st.dictionaries(st.sampled_from(open311.REQUEST_PARAMETERS), _values(other_ids)),
    )
    def fuzz(path, data):
        response = client.get(f"{path}?{_body(data)}")
        note(f"{response.status_code} {response.content[:300]!r}")
        assert response.status_code in (200, 400, 403, 404)

    fuzz()
