"""Public pages kept whole for visitors without a session: served without the view running,
renewed by any write to what they show, never past what they say about time, and keyed only by
the query parameters they read."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caching import pages
from caching.pages import PublicPageCacheMiddleware, cache_public_page
from forums import services as forum_services
from forums.models import Event, EventSession, NewsItem
from governance.models import Category
from lujiazui.context_processors import LARGE_TEXT_COOKIE
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def stored(monkeypatch):
    """The page entries written to the cache, as (key, timeout)."""
    writes = []
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith("page:"):
            writes.append((key, timeout))
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(pages.cache, "set", spy)
    return writes


def _view_ran(client, url, **kwargs) -> bool:
    """Whether the request reached the view: every public view reads the database."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(queries) > 0


def test_a_visitor_without_a_session_is_served_the_kept_page_without_the_view(client, area):
    url = reverse("governance:area_detail", args=[area.slug])

    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)

    assert len(queries) == 0
    assert second.content == first.content
    assert second["Content-Language"] == "zh-hans"
    assert "Accept-Language" in second["Vary"]


def test_the_helper_tells_a_kept_page_from_a_rendered_one(client, area, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("governance:area_detail", args=[area.slug])

    assert _view_ran(client, url)
    assert _view_ran(client, url)


def test_publishing_and_withdrawing_through_the_services_show_at_once(client, street, street_staff):
    url = reverse("forums:news_list")
    client.get(url)

    news = factories.publish(
        factories.NewsFactory(street=street, title="加装电梯通气会"), street_staff
    )
    published = client.get(url).content.decode()
    forum_services.publication_transition(
        item=news, to="withdrawn", actor=street_staff, note="数据有误"
    )
    withdrawn = client.get(url).content.decode()

    assert "加装电梯通气会" in published
    assert "加装电梯通气会" not in withdrawn


def test_a_queryset_update_renews_the_pages_that_show_the_model(client, street, street_staff):
    news = factories.publish(factories.NewsFactory(street=street, title="旧标题"), street_staff)
    url = reverse("forums:news_list")
    assert "旧标题" in client.get(url).content.decode()

    NewsItem.objects.filter(pk=news.pk).update(title="新标题")

    page = client.get(url).content.decode()
    assert "新标题" in page and "旧标题" not in page


def test_a_bulk_create_renews_the_pages_that_show_the_model(client, area):
    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)
    from governance.models import Organization

    unit = factories.OrganizationFactory.build(area=area, street=area.street, name="新成立的业委会")
    Organization.objects.bulk_create([unit])

    assert "新成立的业委会" in client.get(url).content.decode()


def test_a_write_to_a_model_the_page_does_not_show_keeps_it(client, area, secretary):
    category = factories.CategoryFactory()
    url = reverse("home")
    client.get(url)

    factories.case(area, secretary, category=category)  # cases never reach a public page

    assert not _view_ran(client, url)


def test_a_booking_renews_the_event_page_but_not_the_others(client, street):
    session = factories.SessionFactory(event=factories.EventFactory(street=street), capacity=10)
    event_url = reverse("forums:event_detail", args=[session.event.slug])
    english = {"accept-language": "en"}
    assert "10 seats left of 10" in client.get(event_url, headers=english).content.decode()
    client.get(reverse("home"))

    factories.book(session, party_size=3)

    assert "7 seats left of 10" in client.get(event_url, headers=english).content.decode()
    assert not _view_ran(client, reverse("home"))


def test_booking_opening_while_the_page_is_kept_shows_the_book_button_when_it_opens(
    client, street, stored
):
    opens = timezone.now() + datetime.timedelta(seconds=2)
    event = factories.EventFactory(street=street, booking_opens_at=opens)
    session = factories.SessionFactory(event=event, capacity=10)
    url = reverse("forums:event_detail", args=[event.slug])
    book = reverse("forums:session_book", args=[event.slug, session.pk])

    before = client.get(url).content.decode()
    time.sleep((opens - timezone.now()).total_seconds() + 0.1)
    after = client.get(url).content.decode()

    assert book not in before
    assert stored[0][1] <= 2  # kept until the opening at most
    assert book in after


def test_the_event_list_is_kept_no_longer_than_the_next_slot_starts(client, street, stored):
    event = factories.EventFactory(street=street)
    starts = timezone.now() + datetime.timedelta(seconds=90)
    factories.SessionFactory(
        event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )

    client.get(reverse("forums:event_list"))

    assert 0 < stored[0][1] <= 90


def test_a_page_is_never_kept_past_midnight(client, area, stored, monkeypatch):
    import caching.lifetime

    late = datetime.datetime(2026, 12, 7, 15, 59, tzinfo=datetime.UTC)  # 23:59 in Shanghai
    monkeypatch.setattr(caching.lifetime.timezone, "now", lambda: late)

    client.get(reverse("governance:area_detail", args=[area.slug]))

    assert stored[0][1] == 60


def test_opening_hours_pages_are_kept_a_minute_at_most(client, street, stored):
    client.get(reverse("doorstep:service_list"))

    assert stored[0][1] == 60


def test_the_time_a_page_is_kept_is_a_setting(client, area, settings, stored, monkeypatch):
    import caching.lifetime

    noon = datetime.datetime(2026, 12, 7, 4, 0, tzinfo=datetime.UTC)  # noon in Shanghai
    monkeypatch.setattr(caching.lifetime.timezone, "now", lambda: noon)
    settings.PAGE_CACHE_SECONDS = 123

    client.get(reverse("governance:area_detail", args=[area.slug]))

    assert stored[0][1] == 123


def test_an_unknown_parameter_makes_no_entry_and_leads_to_the_page_without_it(
    client, street, stored
):
    url = reverse("forums:news_list")

    tagged = client.get(url, {"utm_source": "wechat", "page": "1"})
    client.get(url, {"page": "1"})
    client.get(url, {"page": "1", "from": "singlemessage"})

    assert tagged.status_code == 302 and tagged["Location"] == f"{url}?page=1"
    assert len(stored) == 1  # one entry, for ?page=1


def test_large_text_and_each_language_are_kept_apart(client, area):
    url = reverse("governance:area_detail", args=[area.slug])
    chinese = client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    client.cookies[LARGE_TEXT_COOKIE] = "on"
    large = client.get(url).content.decode()

    assert '<html lang="zh-hans"' in chinese and '<html lang="en"' in english
    assert 'class="large-text"' in large and 'class="large-text"' not in chinese


def test_a_signed_in_user_is_neither_served_nor_kept(client, area, secretary, stored):
    url = reverse("governance:area_detail", args=[area.slug])
    Client().get(url)  # kept for visitors
    client.force_login(secretary)

    page = client.get(url).content.decode()

    assert secretary.get_short_name() in page or secretary.username in page
    assert len(stored) == 1


def test_a_page_with_a_message_waiting_is_not_served_from_the_cache(client, area):
    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)

    response = client.post(reverse("large_text"), {"large_text": "on", "next": url}, follow=True)

    assert "大字模式已开启" in response.content.decode()


def test_an_answer_other_than_200_or_one_setting_a_cookie_is_not_kept(client, stored):
    assert client.get("/areas/no-such-area/").status_code == 404
    assert stored == []


def test_a_kept_page_holds_no_csrf_token(client, area):
    page = client.get(reverse("governance:area_detail", args=[area.slug]))

    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert not page.cookies


def test_a_write_during_rendering_leaves_the_page_stale(client, area, monkeypatch):
    """A page is kept under the versions read before its view ran: a write while it renders
    makes it stale at once."""
    url = reverse("governance:area_detail", args=[area.slug])
    real = PublicPageCacheMiddleware.__call__

    def write_meanwhile(self, request):
        self.get_response = _with_write(self.get_response)
        return real(self, request)

    def _with_write(get_response):
        def respond(request):
            response = get_response(request)
            Category.objects.filter(pk__in=[]).update(name="x")  # a write to a shown model
            return response

        return respond

    monkeypatch.setattr(PublicPageCacheMiddleware, "__call__", write_meanwhile)
    client.get(url)
    monkeypatch.undo()

    assert _view_ran(Client(), url)


def test_every_cached_page_shows_only_models_that_invalidate_on_bulk_writes():
    from django.core.checks import run_checks

    assert [e for e in run_checks() if e.id.startswith("caching.")] == []


def test_a_page_showing_a_model_that_does_not_invalidate_fails_the_check():
    from django.urls import path

    from caching.checks import check_declared_pages

    @cache_public_page(depends_on=["residents.User"])
    def users(request):  # pragma: no cover
        raise AssertionError

    urlconf = type("urls", (), {"urlpatterns": [path("users/", users)]})
    with override_settings(ROOT_URLCONF=urlconf):
        errors = check_declared_pages(None)

    assert [e.id for e in errors] == ["caching.E010"]
    assert "residents.User" in errors[0].msg


def test_every_model_a_public_page_shows_is_kept_track_of():
    from caching.versions import is_tracked, model_of
    from lujiazui.public import PUBLIC_CONTENT, SEATS, SESSIONS

    shown = PUBLIC_CONTENT + SESSIONS + SEATS
    assert [label for label in shown if not is_tracked(model_of(label))] == []
    assert is_tracked(Event) and is_tracked(EventSession)


def test_the_home_page_names_the_next_slot_and_is_kept_no_longer_than_it_starts(
    client, street, stored
):
    event = factories.EventFactory(street=street)
    starts = timezone.now() + datetime.timedelta(seconds=90)
    client.get(reverse("home"))

    factories.SessionFactory(
        event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    client.get(reverse("home"))

    assert len(stored) == 2  # a new slot renews the page
    assert 0 < stored[1][1] <= 90


def test_a_page_not_being_kept_spends_no_query_on_when_it_stops_being_true(
    client, street, secretary, settings
):
    factories.EventFactory(street=street)
    asked = []
    original = pages.valid_until

    def counting(request, moment):
        original(request, lambda: asked.append(request.path) or None)
        original(request, moment)

    import lujiazui.views

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lujiazui.views, "valid_until", counting)
        client.get(reverse("home"))  # anonymous, kept
        assert asked == ["/"]
        client.force_login(secretary)
        client.get(reverse("home"))  # signed in: rendered, never kept
        client.logout()
        settings.PAGE_CACHE_SECONDS = 0
        client.get(reverse("home"))  # the cache off

    assert asked == ["/"]
