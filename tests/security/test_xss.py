"""Markup typed into any text field is shown as text on every page that shows it.

TEXT_FIELDS names every model text field a user can write through a form of the portal or the
admin, and how it is probed (or why it cannot hold markup); a test derives the same list from
the forms themselves, so a new text field without a probe fails. The probe writes a payload
into every demo row of each field, crawls the public pages, the staff pages of three roles,
the admin, the feeds and Open311's XML (one crawl a test), and checks that no payload is live
markup anywhere, while each field's marker is seen in the admin, which shows every field it
edits (so the probe proves the field was shown)."""

import inspect
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.test import RequestFactory
from django.utils import timezone

import accounts.forms
import brands.forms
import doorstep.forms
import forums.forms
import governance.forms.areas
import governance.forms.cases
import governance.forms.organizations
import governance.forms.roster
import inbox.forms
import reports.forms
import wishes.forms
from forums.models import Forum, NewsItem, Practice, normalise_mobile
from forums.services.publishing import reindex
from inbox.models import Notification
from residents.models import User
from tests import factories
from tests.test_privacy import MAX_PAGES, _crawl

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]

TEXT = "text"  # shown as plain text: escaped by the templates
MARKDOWN = "markdown"  # rendered by render_markdown (CommonMark, then the nh3 sanitiser)


class NotShown(str):
    """A field that never reaches a page, with the reason."""


class Refused:
    """A field whose own validation refuses markup: the check runs it on the payload."""

    def __init__(self, check) -> None:
        self.check = check


def _model_validators(label: str):
    app_model, name = label.rsplit(".", 1)
    from django.apps import apps

    field = apps.get_model(app_model)._meta.get_field(name)
    return Refused(lambda value: (field.run_validators(value), field.clean(value, None)))


SLUG = Refused(lambda value: forms.SlugField().clean(value))

TEXT_FIELDS: dict[str, object] = {
    # residents
    "auth.Group.name": TEXT,
    "otp_totp.TOTPDevice.name": TEXT,
    "otp_totp.TOTPDevice.key": Refused(lambda value: bytes.fromhex(value)),
    "residents.Street.name": TEXT,
    "residents.Street.slug": SLUG,
    "residents.Street.code": NotShown("eight characters of the street's own code: too short"),
    "residents.Street.district": TEXT,
    "residents.ResidentialArea.name": TEXT,
    "residents.ResidentialArea.short_name": TEXT,
    "residents.ResidentialArea.slug": SLUG,
    "residents.ResidentialArea.description": TEXT,
    "residents.Compound.name": TEXT,
    "residents.Compound.address": TEXT,
    "residents.BuildingGroup.name": TEXT,
    "residents.Person.name": TEXT,
    "residents.Person.phone": TEXT,
    "residents.Person.address": TEXT,
    "residents.Person.note": TEXT,
    "residents.User.username": Refused(
        lambda value: User._meta.get_field("username").run_validators(value)
    ),
    "residents.User.password1": NotShown("a password: only its hash is stored"),
    "residents.User.password2": NotShown("a password: only its hash is stored"),
    # governance
    "governance.Organization.name": TEXT,
    "governance.Organization.description": TEXT,
    "governance.RosterImport.original_name": TEXT,
    "governance.RosterImport.language": NotShown("set from the uploader's language"),
    "governance.RosterImport.problems": NotShown("written by the import, not by a person"),
    "governance.Agreement.title": TEXT,
    "governance.Agreement.partner_offers": TEXT,
    "governance.Agreement.area_offers": TEXT,
    "governance.Case.title": TEXT,
    "governance.Case.description": TEXT,
    "governance.Case.location": TEXT,
    "governance.Case.reporter_name": TEXT,
    "governance.Case.reporter_phone": TEXT,
    "governance.Case.due_date_reason": TEXT,
    "governance.CaseUpdate.text": TEXT,
    "governance.CaseUpdate.attendees": TEXT,
    "governance.FollowUp.comment": TEXT,
    "governance.Category.name": TEXT,
    "governance.Category.name_en": TEXT,
    "governance.Category.checklist": TEXT,
    "governance.Category.service_code": SLUG,
    "governance.CategoryReplyTemplate.title": TEXT,
    "governance.CategoryReplyTemplate.text": TEXT,
    "governance.Indicator.name": TEXT,
    "governance.Indicator.unit": TEXT,
    "governance.Indicator.description": TEXT,
    "governance.IndicatorReading.note": TEXT,
    "brands.Brand.name": TEXT,
    "brands.Brand.slug": SLUG,
    "brands.Brand.motto": TEXT,
    "brands.Brand.description": TEXT,
    "brands.BrandAction.name": TEXT,
    "brands.BrandAction.description": TEXT,
    "brands.BrandActivity.title": TEXT,
    "brands.BrandActivity.text": TEXT,
    "brands.BrandActivity.photo_alt": TEXT,
    "governance.ApiClient.name": TEXT,
    "wishes.Wish.title": TEXT,
    "wishes.Wish.text": TEXT,
    "wishes.Wish.resident_name": TEXT,
    "wishes.Wish.resident_phone": TEXT,
    "wishes.Wish.resident_address": TEXT,
    "wishes.Wish.claimed_by_name": TEXT,
    "wishes.Wish.claimer_contact": TEXT,
    "wishes.Wish.fulfilment_note": TEXT,
    "wishes.Wish.thanks_note": TEXT,
    "wishes.Wish.withdrawal_reason": TEXT,
    # forums
    "forums.Forum.title": TEXT,
    "forums.Forum.slug": SLUG,
    "forums.Forum.theme": TEXT,
    "forums.Forum.venue": TEXT,
    "forums.Forum.organiser": TEXT,
    "forums.Forum.summary": MARKDOWN,
    "forums.Forum.cover_alt": TEXT,
    "forums.Forum.withdrawal_reason": TEXT,
    "forums.Attendee.name": TEXT,
    "forums.Attendee.affiliation": TEXT,
    "forums.Practice.title": TEXT,
    "forums.Practice.slug": SLUG,
    "forums.Practice.summary": TEXT,
    "forums.Practice.problem": MARKDOWN,
    "forums.Practice.actions": MARKDOWN,
    "forums.Practice.results": MARKDOWN,
    "forums.Practice.withdrawal_reason": TEXT,
    "forums.NewsItem.title": TEXT,
    "forums.NewsItem.slug": SLUG,
    "forums.NewsItem.source": TEXT,
    "forums.NewsItem.summary": TEXT,
    "forums.NewsItem.body": MARKDOWN,
    "forums.NewsItem.withdrawal_reason": TEXT,
    "forums.Speech.speaker_name": TEXT,
    "forums.Speech.speaker_post": TEXT,
    "forums.Speech.title": TEXT,
    "forums.Speech.subtitle": TEXT,
    "forums.Speech.body": MARKDOWN,
    "forums.SpeechReview.comment": TEXT,
    "forums.Version.note": TEXT,
    "forums.Topic.name": TEXT,
    "forums.Topic.name_en": TEXT,
    "forums.Topic.slug": SLUG,
    "forums.Event.title": TEXT,
    "forums.Event.slug": SLUG,
    "forums.Event.summary": TEXT,
    "forums.Event.description": MARKDOWN,
    "forums.Event.venue": TEXT,
    "forums.Event.address": TEXT,
    "forums.Event.organiser": TEXT,
    "forums.Booking.name": TEXT,
    "forums.Booking.phone": Refused(normalise_mobile),
    # doorstep
    "doorstep.Station.name": TEXT,
    "doorstep.Station.address": TEXT,
    "doorstep.Station.directions": TEXT,
    "doorstep.Station.phone": _model_validators("doorstep.Station.phone"),
    "doorstep.ScheduleException.note": TEXT,
    "doorstep.Service.title": TEXT,
    "doorstep.Service.description": TEXT,
    "doorstep.Service.audience": TEXT,
    "doorstep.Service.place_name": TEXT,
    "doorstep.Service.place_address": TEXT,
    "doorstep.Service.what_to_bring": TEXT,
}

# Plain forms' text fields: the model fields a service writes them to, or why none.
PLAIN_FORM_FIELDS: dict[str, tuple[str, ...] | NotShown] = {
    "CaseTransitionForm.note": ("governance.CaseUpdate.text",),
    "CaseTransitionForm.duplicate_of": NotShown("a case number, looked up"),
    "CaseUpdateForm.text": ("governance.CaseUpdate.text",),
    "CaseUpdateForm.attendees": ("governance.CaseUpdate.attendees",),
    "FollowUpForm.comment": ("governance.FollowUp.comment", "governance.CaseUpdate.text"),
    "DueDateForm.reason": ("governance.Case.due_date_reason",),
    "WishClaimForm.person_name": ("wishes.Wish.claimed_by_name",),
    "WishClaimForm.contact": ("wishes.Wish.claimer_contact",),
    "WishFulfilForm.note": ("wishes.Wish.fulfilment_note",),
    "WishThankForm.note": ("wishes.Wish.thanks_note",),
    "WishWithdrawForm.reason": ("wishes.Wish.withdrawal_reason",),
    "SpeechCorrectionForm.note": ("forums.Version.note",),
    "ForumCorrectionForm.note": ("forums.Version.note",),
    # The admin's correction of a published record: the note of the new version.
    "ForumForm.correction_note": ("forums.Version.note",),
    "PracticeForm.correction_note": ("forums.Version.note",),
    "NewsItemForm.correction_note": ("forums.Version.note",),
    "SpeechReviewForm.comment": ("forums.SpeechReview.comment",),
    "PublicationTransitionForm.to": NotShown("a status, one of the choices"),
    "PublicationTransitionForm.note": (
        "forums.Version.note",
        "forums.Forum.withdrawal_reason",
        "forums.Practice.withdrawal_reason",
        "forums.NewsItem.withdrawal_reason",
    ),
    "BookingForm.name": ("forums.Booking.name",),
    "BookingForm.phone": ("forums.Booking.phone",),
    "BookingLookupForm.code": NotShown("a booking code, looked up"),
    "BookingLookupForm.phone": NotShown("a phone number, looked up"),
    "BookingCancelForm.phone": NotShown("a phone number, compared"),
    "CheckInForm.code": NotShown("a booking code, looked up"),
    "LoginForm.username": NotShown("looked up"),
    "LoginForm.password": NotShown("checked against the hash"),
    "LoginForm.otp_token": NotShown("checked"),
    "AdminLoginForm.username": NotShown("looked up"),
    "AdminLoginForm.password": NotShown("checked against the hash"),
    "AdminLoginForm.otp_token": NotShown("checked"),
    "TokenForm.otp_token": NotShown("checked"),
}

FORM_MODULES = (
    governance.forms.cases,
    governance.forms.organizations,
    governance.forms.roster,
    governance.forms.areas,
    wishes.forms,
    brands.forms,
    forums.forms,
    doorstep.forms,
    inbox.forms,
    accounts.forms,
    reports.forms,
)


def _project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for module in FORM_MODULES:
        for value in vars(module).values():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                if issubclass(value, forms.BaseForm):
                    found.append(value)
                elif issubclass(value, forms.BaseFormSet):
                    found.append(value.form)
    return found


def _admin_forms() -> list[type[forms.BaseForm]]:
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    found = []
    for model_admin in admin.site._registry.values():
        found.append(model_admin.get_form(request))
        found += [i.get_formset(request).form for i in model_admin.get_inline_instances(request)]
    return found


def _written_text_fields() -> tuple[set[str], set[str]]:
    """The model text fields the forms write, and the plain forms' text fields by name."""
    model_fields, plain = set(), set()
    for form in [*_project_forms(), *_admin_forms()]:
        model = getattr(getattr(form, "_meta", None), "model", None)
        for name, field in form.base_fields.items():
            if not isinstance(field, forms.CharField):
                continue
            stored = model is not None and (
                name in {f.name for f in model._meta.get_fields()} or name.startswith("password")
            )
            if stored:
                model_fields.add(f"{model._meta.label}.{name}")
            else:
                plain.add(f"{form.__name__}.{name}")
    return model_fields, plain


def test_every_text_field_a_form_writes_has_a_probe():
    """A text field added to a form or the admin without an entry here fails this test."""
    model_fields, plain = _written_text_fields()
    from_plain = {
        target
        for targets in PLAIN_FORM_FIELDS.values()
        if not isinstance(targets, NotShown)
        for target in targets
    }

    assert plain - PLAIN_FORM_FIELDS.keys() == set()
    assert (model_fields | from_plain) - TEXT_FIELDS.keys() == set()
    assert TEXT_FIELDS.keys() - (model_fields | from_plain) == set()


# The probe

# Fields the crawl of the demo may not show: they appear only after a step the demo never takes
# (a withdrawal, a correction, a review comment, a new due date, a roster upload) or on a
# record's own admin page. Their templates are the same escaping templates as the rest.
SHOWN_ONLY_BEYOND_THE_DEMO = {
    "forums.Forum.cover_alt",
    "forums.Forum.withdrawal_reason",
    "forums.NewsItem.withdrawal_reason",
    "forums.Practice.withdrawal_reason",
    "forums.SpeechReview.comment",
    "forums.Version.note",
    "governance.Case.due_date_reason",
    "governance.Indicator.description",
    "governance.IndicatorReading.note",
    "governance.RosterImport.original_name",
    "residents.Person.address",
    "residents.Person.note",
}

LIVE_MARKUP = re.compile(
    r"<script>alert|<img src=x onerror|<b>bold</b>|href=\"javascript:|href='javascript:", re.I
)


def _tag(index: int) -> str:
    return f"xq{index}z"


def _payload(index: int, kind: str, max_length: int | None) -> str:
    tag = _tag(index)
    if kind == MARKDOWN:
        return (
            f"[{tag}](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)>"
        )
    if max_length is not None and max_length < 36:
        return f"{tag}<b>bold</b>"
    if index % 2:
        return f'{tag}"><img src=x onerror=alert(1)>'
    return f"{tag}<script>alert(1)</script>"


PROBED = [(label, kind) for label, kind in TEXT_FIELDS.items() if kind in (TEXT, MARKDOWN)]


def _plant_payloads() -> dict[str, str]:
    """Every demo row of every probed field holds its field's payload (made unique per row
    where the field is unique). Returns the field labels by their marker."""
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # The demo has no groups or authenticator devices: one of each, for the admin to show.
    Group.objects.create(name="group")
    TOTPDevice.objects.create(
        user=User.objects.get(username="admin"), name="phone", confirmed=False
    )
    markers = {}
    for index, (label, kind) in enumerate(PROBED):
        app_model, name = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        field = model._meta.get_field(name)
        value = _payload(index, kind, field.max_length)
        markers[_tag(index)] = label
        # Rows that hold the field: an empty one may be empty by a rule (one claimer only).
        manager = model._default_manager.exclude(**{name: ""})
        if not manager.exists():
            manager = model._default_manager.all()
        if field.unique or any(name in u for u in _unique_sets(model)):
            for pk in manager.values_list("pk", flat=True):
                unique = value.replace(_tag(index), f"{_tag(index)}{pk}", 1)
                manager.filter(pk=pk).update(**{name: unique[: field.max_length or None]})
        else:
            try:
                with transaction.atomic():
                    manager.update(**{name: value})
            except IntegrityError:
                pass  # a rule keeps the field empty where the demo has it empty
    for model in (Forum, Practice, NewsItem):
        for item in model.objects.published():
            reindex(item)
    for notification in Notification.objects.all():
        params = {
            key: (f"{_tag(999)}<script>alert(1)</script>" if isinstance(value, str) else value)
            for key, value in notification.params.items()
        }
        Notification.objects.filter(pk=notification.pk).update(params=params)
    markers[_tag(999)] = "inbox.Notification.params"
    return markers


def _unique_sets(model) -> list[tuple[str, ...]]:
    sets = [tuple(u) for u in model._meta.unique_together]
    sets += [
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    ]
    return sets


def _atom_html_texts(xml: str) -> list[str]:
    """The text of an Atom feed's elements typed html, as a feed reader would render it."""
    root = ET.fromstring(xml.encode())  # noqa: S314 - our own feed
    return [element.text or "" for element in root.iter() if element.get("type") == "html"]


def _admin_pages() -> list[str]:
    from django.urls import reverse

    pages = []
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
    return pages


def _markup_pages(
    client, start: list[str], username: str | None = None, limit: int = MAX_PAGES
) -> dict[str, str]:
    """The HTML and XML pages reachable from the start pages, as the given user."""
    if username:
        client.force_login(User.objects.get(username=username))
    types: dict[str, str] = {}
    try:
        pages = _crawl(client, start, types, limit)
    finally:
        client.logout()
    return {
        f"{username or 'anonymous'} {path}": text
        for path, text in pages.items()
        if "html" in types[path] or "xml" in types[path]
    }


def _staff_pages() -> list[str]:
    month = timezone.localdate().strftime("%Y/%m").replace("/", "-")
    return [
        "/cases/",
        "/people/",
        "/wishes/manage/",
        "/services/manage/",
        "/dashboard/",
        f"/dashboard/report/{month}/",
        "/inbox/",
        "/organizations/import/",
        "/cases/efficiency/",
    ]


PUBLIC_PAGES = [
    "/",
    "/search/?q=xq",
    "/open311/v2/requests.xml?status=open,closed&start_date=2000-01-01",
    "/open311/v2/services.xml",
]


@dataclass(frozen=True)
class Crawl:
    """Where a crawl starts, as whom, and how many pages and probed fields it must at least
    reach (so that a crawl that stopped reaching its pages fails); ``every_field``: it must show
    every probed field the demo holds; ``limit``: it stops after so many pages."""

    start: Callable[[], list[str]]
    username: str | None
    pages: int
    fields: int
    every_field: bool = False
    limit: int = MAX_PAGES


# One crawl a test, so that the crawls run side by side on the suite's workers. The admin shows
# every field of every model it edits, so its crawl is the one that must show each probed field.
CRAWLS = {
    "public pages": Crawl(lambda: PUBLIC_PAGES, None, pages=200, fields=60),
    # The street office's two crawls share the one limit a user's crawl has.
    "the street office's pages": Crawl(_staff_pages, "admin", 500, fields=85, limit=750),
    "the admin": Crawl(_admin_pages, "admin", 500, fields=95, every_field=True, limit=750),
    "an area secretary's pages": Crawl(lambda: ["/wishes/manage/", "/inbox/"], "laosan", 1000, 85),
    "a partner liaison's pages": Crawl(lambda: ["/wishes/claim/", "/inbox/"], "chengguan", 200, 70),
}


@pytest.mark.parametrize("crawl", CRAWLS.values(), ids=CRAWLS.keys())
def test_markup_in_every_text_field_is_shown_escaped_on_every_page(client, demo, crawl):
    markers = _plant_payloads()

    pages = _markup_pages(client, crawl.start(), crawl.username, crawl.limit)

    assert len(pages) > crawl.pages, "the crawl reached its pages"
    live = [
        (path, LIVE_MARKUP.search(html)[0])
        for path, html in pages.items()
        if LIVE_MARKUP.search(html)
    ]
    assert live == []
    everything = "\n".join(pages.values())
    seen = {label for tag, label in markers.items() if tag in everything}
    assert len(seen) > crawl.fields
    if crawl.every_field:
        unseen = set(markers.values()) - seen
        assert unseen <= SHOWN_ONLY_BEYOND_THE_DEMO, sorted(unseen - SHOWN_ONLY_BEYOND_THE_DEMO)


@pytest.mark.parametrize("feed", ["/forums/feed/", "/news/feed/"])
def test_markup_in_a_published_text_reaches_feed_readers_as_text(client, demo, feed):
    markers = _plant_payloads()

    xml = client.get(feed).content.decode()

    texts = _atom_html_texts(xml)
    assert texts
    assert [text[:80] for text in texts if LIVE_MARKUP.search(text)] == []
    assert any(tag in xml for tag in markers)


def test_fields_that_refuse_markup_refuse_the_payload():
    """A slug, a phone number or a key with markup in it is refused by its own validation."""
    for label, kind in TEXT_FIELDS.items():
        if isinstance(kind, Refused):
            with pytest.raises((ValidationError, ValueError)):
                kind.check('x"><img src=x onerror=alert(1)>')
                pytest.fail(label)


def test_the_check_finds_live_markup(client, demo):
    """The harness can fail: a payload shown unescaped, or in an html-typed feed element, is
    reported."""
    assert LIVE_MARKUP.search("<p>xq1z<script>alert(1)</script></p>")
    assert LIVE_MARKUP.search('<a href="javascript:alert(1)">x</a>')
    assert not LIVE_MARKUP.search("xq1z&lt;script&gt;alert(1)&lt;/script&gt;")
    assert not LIVE_MARKUP.search("xq1z&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        '<summary type="html">&lt;script&gt;alert(1)&lt;/script&gt;</summary></entry></feed>'
    )
    assert any(LIVE_MARKUP.search(text) for text in _atom_html_texts(feed))


@pytest.mark.parametrize("feed", ["/news/feed/", "/forums/feed/"])
def test_a_summary_with_markup_reaches_feed_readers_as_text(client, street, street_staff, feed):
    """Atom types an entry's summary html: the summary's text is escaped inside it, so a reader
    shows the markup rather than running it."""
    payload = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
    if feed == "/news/feed/":
        factories.publish(factories.NewsFactory(street=street, summary=payload), street_staff)
    else:
        forum = factories.ForumFactory(street=street, summary=payload)
        factories.SpeechFactory(forum=forum)
        factories.publish(forum, street_staff)

    texts = _atom_html_texts(client.get(feed).content.decode())

    assert [text for text in texts if LIVE_MARKUP.search(text)] == []
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in text for text in texts)
