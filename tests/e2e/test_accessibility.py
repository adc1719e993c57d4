"""WCAG 2.1 A and AA, checked by axe-core in Chromium on the portal's pages, in both languages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from forums.demo_events import EXHIBITION_SLUG
from forums.models import Event, EventSession
from governance.models import Case, Organization, Wish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def _book_url(session: EventSession) -> str:
    return reverse("forums:session_book", args=[session.event.slug, session.pk])


def _attendees_url(event: Event) -> str:
    return reverse("forums:session_attendees", args=[event.slug, event.sessions.first().pk])


def _check(page, url: str) -> list[str]:
    page.goto(url)
    return [f"{url}: {v}" for v in _violations(page)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages_meet_wcag_21_aa(live_server, page, demo_street, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    organization = Organization.objects.get(name="崂三居民区党总支")
    session = EventSession.objects.filter(event__slug=EXHIBITION_SLUG).order_by("starts_at")[3]
    found = []
    for path in (
        "/",
        "/areas/",
        "/areas/laosan/",
        "/areas/ruwu/",
        organization.get_absolute_url(),
        "/accounts/login/",
        "/forums/",
        "/forums/secretary-forum-1-3-n/",
        "/practices/",
        "/practices/lpg-cylinders-cleared-laosan/",
        "/news/",
        "/news/four-histories-exhibition/",
        "/search/?q=gangping",
        "/events/",
        f"/events/{EXHIBITION_SLUG}/",
        _book_url(session),
        "/events/bookings/",
        "/wishes/",
        "/areas/renheng/wishes/",
        Wish.objects.public().first().get_absolute_url(),
        "/brands/",
        "/brands/zuimei-diqiucun/",
    ):
        found += _check(page, live_server.url + path)
    assert found == []


def test_staff_pages_meet_wcag_21_aa(live_server, page, demo_street):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("laosan")
    page.locator("#id_password").fill("demo-pass-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    case = Case.objects.filter(area__slug="laosan", status="in_progress").first()
    person = case.area.people.first()
    found = []
    for path in (
        "/cases/",
        "/cases/?status=accepted",
        case.get_absolute_url(),
        "/cases/new/",
        f"/cases/{case.number}/edit/",
        "/cases/efficiency/",
        "/dashboard/",
        "/dashboard/report/2026-10/",
        "/people/",
        person.get_absolute_url(),
        "/people/new/",
        "/forums/draft-forum-2021/",
        "/forums/draft-forum-2021/speeches/new/",
        "/events/laosan-safe-gas-talk/manage/",
        "/wishes/manage/",
        "/wishes/new/",
        Wish.objects.filter(area__slug="laosan").first().get_manage_url(),
        _attendees_url(Event.objects.get(slug="laosan-safe-gas-talk")),
    ):
        found += _check(page, live_server.url + path)
    assert found == []


def test_the_check_itself_finds_an_unlabelled_field(live_server, page, demo_street):
    """The harness can fail: an input without a label planted in a page is reported."""
    page.goto(live_server.url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    assert any(v.startswith("label ") for v in _violations(page))
