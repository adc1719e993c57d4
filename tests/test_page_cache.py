"""The page cache of the public pages: kept for anonymous visitors only, in each language and
text size, renewed at once when public content changes, never holding anyone's CSRF token."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from forums import services as forum_services
from forums.models import Verdict
from governance import services
from governance.models import CaseStatus, OrganizationKind, PostTitle
from lujiazui import page_cache
from lujiazui.context_processors import LARGE_TEXT_COOKIE
from residents.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def _kept_pages() -> list:
    """The pages in the (local-memory) test cache."""
    return [key for key in cache._cache if ":page-cache:page:" in key]


def _view_ran(client, url, **kwargs) -> bool:
    """Whether the request reached the view: every public view reads the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(queries) > 0


def test_an_anonymous_visitor_is_served_the_kept_page_without_the_view_running(client, area):
    url = reverse("governance:area_detail", args=[area.slug])

    assert _view_ran(client, url)
    assert not _view_ran(client, url)
    assert len(_kept_pages()) == 1


def test_the_cache_finds_its_own_fault():
    """The helper above tells a kept page from a rendered one: with the cache off the view runs
    on every request, so a cache that never serves would fail the test above."""
    client = Client()
    factories.AreaFactory(slug="fault")
    from django.test import override_settings

    with override_settings(PAGE_CACHE_SECONDS=0):
        assert _view_ran(client, "/areas/fault/")
        assert _view_ran(client, "/areas/fault/")
    assert _kept_pages() == []


def test_publishing_a_forum_through_the_publish_view_shows_it_at_once(
    client, street, area, street_staff, django_capture_on_commit_callbacks
):
    person = factories.PersonFactory(area=area)
    speaker = factories.secretary(area, person=person)
    forum = factories.ForumFactory(street=street, areas=[area], title="钢瓶安全论坛")
    factories.SpeechFactory(forum=forum, area=area, speaker=person)
    forum = forum_services.publication_transition(item=forum, to="in_review", actor=street_staff)
    for speech in forum.speeches.all():
        forum_services.speech_review(speech=speech, actor=speaker, verdict=Verdict.CONFIRM)
    forum_services.publication_transition(item=forum, to="approved", actor=street_staff)
    forum_list = reverse("forums:forum_list")
    assert "钢瓶安全论坛" not in client.get(forum_list).content.decode()
    assert not _view_ran(client, forum_list)  # kept

    staff = Client()
    staff.force_login(street_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("forums:forum_transition", args=[forum.slug]), {"to": "published"}
        )
    assert response.status_code == 302

    assert "钢瓶安全论坛" in client.get(forum_list).content.decode()


def test_withdrawing_news_hides_it_at_once(client, street, street_staff):
    news = factories.publish(factories.NewsFactory(street=street, title="撤回的新闻"), street_staff)
    news_list = reverse("forums:news_list")
    assert "撤回的新闻" in client.get(news_list).content.decode()

    forum_services.publication_transition(
        item=news, to="withdrawn", actor=street_staff, note="数据有误"
    )

    assert "撤回的新闻" not in client.get(news_list).content.decode()


def test_a_change_to_the_structure_renews_the_area_page(client, area):
    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)

    factories.OrganizationFactory(area=area, street=area.street, name="新成立的业委会")

    assert "新成立的业委会" in client.get(url).content.decode()


def test_publishing_a_wish_shows_it_on_the_kept_wish_wall(client, area, street_staff):
    from governance import services as governance_services

    wall = reverse("governance:wish_wall")
    wish = factories.wish(area, street_staff, title="楼道灯不亮")
    assert "楼道灯不亮" not in client.get(wall).content.decode()

    governance_services.wish_publish(wish=wish, actor=street_staff)

    assert "楼道灯不亮" in client.get(wall).content.decode()


def test_a_new_doorstep_service_shows_on_the_kept_service_list(client, area):
    station = factories.StationFactory(area=area)
    provider = factories.OrganizationFactory(
        area=area, street=area.street, kind=OrganizationKind.RESIDENTS_COMMITTEE
    )
    services_url = reverse("doorstep:service_list")
    client.get(services_url)

    factories.ServiceFactory(station=station, provider=provider, title="助浴上门")

    assert "助浴上门" in client.get(services_url).content.decode()


def test_large_text_and_each_language_are_kept_apart(client, area):
    url = reverse("governance:area_detail", args=[area.slug])
    plain = client.get(url).content.decode()
    client.cookies["large_text"] = "on"
    large = client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    del client.cookies["large_text"]
    english_plain = client.get(url, headers={"accept-language": "en"}).content.decode()
    plain_again = client.get(url).content.decode()

    assert '<html lang="zh-hans">' in plain and '<html lang="zh-hans">' in plain_again
    assert '<html lang="zh-hans" class="large-text">' in large
    assert '<html lang="en" class="large-text">' in english
    assert '<html lang="en">' in english_plain
    assert len(_kept_pages()) == 4


def test_the_language_cookie_picks_the_kept_variant(client, area):
    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)
    client.cookies["django_language"] = "en"

    assert '<html lang="en">' in client.get(url).content.decode()


def test_each_query_string_is_a_page_of_its_own(client, street, street_staff):
    factories.publish(
        factories.NewsFactory(street=street, title="新闻甲", body="钢瓶"), street_staff
    )
    factories.publish(
        factories.NewsFactory(street=street, title="新闻乙", body="垃圾分类"), street_staff
    )
    search = reverse("forums:search")

    first = client.get(search, {"q": "钢瓶"}).content.decode()
    second = client.get(search, {"q": "垃圾分类"}).content.decode()

    assert "新闻甲" in first and "新闻乙" not in first
    assert "新闻乙" in second and "新闻甲" not in second


def test_a_logged_in_user_never_gets_the_anonymous_page(client, area, secretary):
    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)
    client.get(url)  # kept and served

    client.force_login(secretary)

    assert _view_ran(client, url)
    assert reverse("logout") in client.get(url).content.decode()


def test_a_logged_in_users_page_is_never_kept(client, area, secretary):
    url = reverse("governance:area_detail", args=[area.slug])
    client.force_login(secretary)
    client.get(url)

    assert _kept_pages() == []
    assert reverse("logout") not in Client().get(url).content.decode()


def test_the_booking_page_with_its_csrf_token_is_never_kept(client, street):
    session = factories.SessionFactory(event=factories.EventFactory(street=street))
    url = reverse("forums:session_book", args=[session.event.slug, session.pk])

    assert _view_ran(client, url)
    assert _view_ran(client, url)
    assert _kept_pages() == []


def test_a_kept_page_gives_each_visitor_their_own_working_csrf_token(area):
    url = reverse("governance:area_detail", args=[area.slug])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get(url).content.decode()
    assert not _view_ran(second, url)

    second_html = second.get(url).content.decode()
    second_secret = second.cookies["csrftoken"].value
    tokens = TOKEN_RE.findall(second_html)
    assert tokens  # the language and large-text forms
    assert {_unmask_cipher_token(token) for token in tokens} == {second_secret}
    assert first.cookies["csrftoken"].value != second_secret
    assert not set(TOKEN_RE.findall(first_html)) & set(tokens)
    response = second.post(
        reverse("large_text"), {"large_text": "on", "next": url, "csrfmiddlewaretoken": tokens[0]}
    )
    assert response.status_code == 302


def test_no_visitors_token_is_stored_in_the_cache(area):
    url = reverse("governance:area_detail", args=[area.slug])
    visitor = Client()
    html = visitor.get(url).content.decode()
    secret = visitor.cookies["csrftoken"].value

    (key,) = _kept_pages()
    stored = cache.get(key.split(":", 2)[2])[1][2].decode()
    assert TOKEN_RE.findall(html)
    assert not TOKEN_RE.findall(stored)
    assert secret not in stored
    assert page_cache._placeholder().decode() in stored


def test_a_page_with_messages_is_neither_served_from_nor_kept_in_the_cache(client, area):
    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)  # kept without a message

    shown = client.post(reverse("large_text"), {"large_text": "on", "next": url}, follow=True)
    assert 'class="message' in shown.content.decode()

    # The message is shown once: not kept with the page, not shown again.
    assert 'class="message' not in client.get(url).content.decode()
    assert 'class="message' not in Client().get(url).content.decode()


def test_an_answer_other_than_200_is_not_kept(client):
    assert client.get(reverse("governance:area_detail", args=["nowhere"])).status_code == 404

    assert _kept_pages() == []


def test_a_response_that_sets_a_cookie_or_says_private_is_not_kept(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    plain = HttpResponse("<p>x</p>")
    with_cookie = HttpResponse("<p>x</p>")
    with_cookie.set_cookie("large_text", "on")
    private = HttpResponse("<p>x</p>", headers={"Cache-Control": "private"})

    assert page_cache.PageCacheMiddleware._may_keep(request, plain)
    assert not page_cache.PageCacheMiddleware._may_keep(request, with_cookie)
    assert not page_cache.PageCacheMiddleware._may_keep(request, private)


def test_the_time_a_page_is_kept_is_a_setting(client, area, settings, monkeypatch):
    timeouts = []
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        if ":page:" in key:
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(page_cache.cache, "set", spy)
    settings.PAGE_CACHE_SECONDS = 123
    client.get(reverse("governance:area_detail", args=[area.slug]))
    settings.PAGE_CACHE_SECONDS = 0
    client.get(reverse("governance:area_list"))

    assert timeouts == [123]


def test_opening_hours_pages_are_kept_a_minute_at_most(client, street, monkeypatch):
    timeouts = []
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        if ":page:" in key:
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(page_cache.cache, "set", spy)
    client.get(reverse("doorstep:service_list"))

    assert timeouts == [60]


def test_a_booking_renews_the_event_page_but_not_the_rest(
    client, street, django_capture_on_commit_callbacks
):
    session = factories.SessionFactory(event=factories.EventFactory(street=street), capacity=10)
    event_url = reverse("forums:event_detail", args=[session.event.slug])
    english = {"accept-language": "en"}
    assert "10 seats left of 10" in client.get(event_url, headers=english).content.decode()
    home = reverse("home")
    client.get(home)
    content_generation = cache.get(page_cache._generation_key(page_cache.CONTENT))

    with django_capture_on_commit_callbacks(execute=True):
        factories.book(session, party_size=3)

    page = client.get(event_url, headers={"accept-language": "en"}).content.decode()
    assert "7 seats left of 10" in page
    assert cache.get(page_cache._generation_key(page_cache.CONTENT)) == content_generation
    assert not _view_ran(client, home)


def test_a_capacity_change_renews_the_event_page(client, street):
    session = factories.SessionFactory(event=factories.EventFactory(street=street), capacity=10)
    event_url = reverse("forums:event_detail", args=[session.event.slug])
    client.get(event_url, headers={"accept-language": "en"})

    forum_services.session_update(
        session=session, starts_at=session.starts_at, ends_at=session.ends_at, capacity=20
    )

    english = {"accept-language": "en"}
    assert "20 seats left of 20" in client.get(event_url, headers=english).content.decode()


def test_a_change_renews_once_more_when_its_transaction_commits(street):
    from django.db import connection

    with transaction.atomic():
        factories.NewsFactory(street=street)
        factories.NewsFactory(street=street)
        before_commit = cache.get(page_cache._generation_key(page_cache.CONTENT))
    renewals = [
        func
        for _sids, func, _robust in connection.run_on_commit
        if getattr(func, "page_cache_scope", None) == page_cache.CONTENT
    ]
    assert len(renewals) == 1  # one per transaction, however many rows

    renewals[0]()  # what the commit of the test's transaction would run

    assert cache.get(page_cache._generation_key(page_cache.CONTENT)) != before_commit


def test_a_change_to_a_private_record_keeps_the_pages(client, area, street_staff):
    category = factories.CategoryFactory()
    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)

    factories.case(area, actor=street_staff, category=category)

    assert not _view_ran(client, url)


def test_every_public_model_and_page_named_exists():
    from django.apps import apps
    from django.urls import NoReverseMatch

    for label in page_cache.PUBLIC_MODELS:
        assert apps.get_model(label)
    for name in page_cache.CACHED_PAGES:
        try:
            reverse(name)
        except NoReverseMatch as error:  # a page that needs arguments: named, all the same
            assert "not a valid view function or pattern name" not in str(error)


def test_the_workbench_filters_are_kept_per_user_and_renewed_by_a_new_category(
    client, area, other_area, street_staff, secretary
):
    """The filter form lists the user's own areas and parties: kept per user, and a change to
    the categories or the structure shows at once."""
    factories.CategoryFactory(name="楼道堆物")
    url = reverse("governance:case_list")
    client.force_login(street_staff)
    first = client.get(url).content.decode()
    factories.CategoryFactory(name="新的类别")
    second = client.get(url).content.decode()
    colleague = Client()
    colleague.force_login(secretary)
    theirs = colleague.get(url).content.decode()

    assert "楼道堆物" in first and "新的类别" not in first
    assert "新的类别" in second
    assert other_area.name in second  # street staff choose among every area
    assert other_area.name not in theirs  # the secretary's own form, not street staff's


def test_giving_a_user_another_area_renews_what_is_kept(area, other_area, secretary):
    """The fragments kept per user list the user's areas: a change of them renews the cache."""
    before = page_cache._generations((page_cache.CONTENT,))

    secretary.areas.add(other_area)

    assert page_cache._generations((page_cache.CONTENT,)) != before


def test_a_change_to_a_users_groups_keeps_the_pages(secretary):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="值班")
    before = page_cache._generations((page_cache.CONTENT,))

    secretary.groups.add(group)

    assert page_cache._generations((page_cache.CONTENT,)) == before


def _open_cases_shown(page: str, area) -> int:
    """The open cases the dashboard's table of areas shows for the area."""
    found = re.search(rf'\?area={area.pk}&amp;open=on">(\d+)</a>', page)
    assert found, "the area's row is missing"
    return int(found.group(1))


def _queries(client, url, **kwargs) -> tuple[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_dashboards_figures_are_kept_and_a_case_change_shows_at_once(
    client, area, street_staff, django_capture_on_commit_callbacks
):
    category = factories.CategoryFactory()
    url = reverse("governance:dashboard")
    client.force_login(street_staff)
    first, rendering = _queries(client, url)
    again, kept = _queries(client, url)
    content = page_cache._generations((page_cache.CONTENT,))

    with django_capture_on_commit_callbacks(execute=True):
        factories.case(area, actor=street_staff, category=category)
    assert page_cache._generations((page_cache.CONTENT,)) == content  # a case is not public
    after, _ = _queries(client, url)

    assert TOKEN_RE.sub("", again) == TOKEN_RE.sub("", first)
    assert kept < rendering - 5  # the structure, wishes and events were not read again
    assert _open_cases_shown(first, area) == 0
    assert _open_cases_shown(after, area) == 1


def test_the_dashboards_figures_are_kept_per_scope_and_language(
    client, area, other_area, street_staff, secretary
):
    url = reverse("governance:dashboard")
    client.force_login(street_staff)
    streets = client.get(url, headers={"accept-language": "en"}).content.decode()
    colleague = Client()
    colleague.force_login(secretary)
    theirs = colleague.get(url, headers={"accept-language": "en"}).content.decode()
    in_chinese = colleague.get(url, headers={"accept-language": "zh-hans"}).content.decode()

    assert f"?area={other_area.pk}&amp;open=on" in streets
    assert f"?area={other_area.pk}&amp;open=on" not in theirs
    assert f"?area={area.pk}&amp;open=on" in theirs
    assert "Residential areas: the 1+3+N" in theirs
    assert "Residential areas: the 1+3+N" not in in_chinese


def test_a_booking_renews_the_dashboards_event_figures(
    client, street, street_staff, django_capture_on_commit_callbacks
):
    import datetime

    from forums.models import EventSession

    session = factories.SessionFactory(
        event=factories.EventFactory(street=street, title="垃圾分类讲座"), capacity=10
    )
    url = reverse("governance:dashboard")
    client.force_login(street_staff)
    before = client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        factories.book(session, party_size=3)
        # The dashboard counts the time slots of its period, which ends today: the slot is
        # moved into it by an update, which alone renews nothing (no signal).
        EventSession.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at - datetime.timedelta(days=60),
            ends_at=session.ends_at - datetime.timedelta(days=60),
        )

    assert "垃圾分类讲座" not in before
    assert "垃圾分类讲座" in client.get(url).content.decode()


def test_the_workbench_list_is_kept_and_a_case_change_shows_at_once(
    client, area, secretary, django_capture_on_commit_callbacks
):
    category = factories.CategoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        case = factories.case(area, actor=secretary, category=category, title="楼道堆物")
    url = reverse("governance:case_list")
    client.force_login(secretary)
    first, rendering = _queries(client, url)
    again, kept = _queries(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        factories.case(area, actor=secretary, category=category, title="电梯故障")
    after_a_new_case = client.get(url).content.decode()
    # A save outside the services (the admin's) counts too.
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "楼道堆物已清理"
        case.save()
    after_a_save = client.get(url).content.decode()

    assert TOKEN_RE.sub("", again) == TOKEN_RE.sub("", first)
    assert kept < rendering - 3  # the cases, their counts and parties were not read again
    assert "楼道堆物" in first and "电梯故障" not in first
    assert "电梯故障" in after_a_new_case
    assert "楼道堆物已清理" in after_a_save


def test_the_workbench_list_is_kept_per_user_and_query(client, area, other_area, street_staff):
    category = factories.CategoryFactory()
    factories.case(area, actor=street_staff, category=category, title="楼道堆物")
    factories.case(other_area, actor=street_staff, category=category, title="电梯故障")
    url = reverse("governance:case_list")
    client.force_login(street_staff)
    everything = client.get(url).content.decode()
    searched = client.get(url, {"q": "电梯"}).content.decode()
    colleague = Client()
    colleague.force_login(factories.secretary(area))
    theirs = colleague.get(url).content.decode()

    assert "楼道堆物" in everything and "电梯故障" in everything
    assert "楼道堆物" not in searched and "电梯故障" in searched
    assert "楼道堆物" in theirs and "电梯故障" not in theirs


def test_a_liaisons_kept_list_is_renewed_by_a_case_of_any_area(
    client, area, street_staff, django_capture_on_commit_callbacks
):
    """A partner unit may be a party to cases of any area: every area's changes count."""
    unit = factories.OrganizationFactory(
        area=None, street=area.street, kind=OrganizationKind.REGIONAL_UNIT, name="城管中队"
    )
    liaison = factories.liaison(unit)
    with django_capture_on_commit_callbacks(execute=True):
        case = factories.case(area, actor=street_staff, title="占道经营")
    client.force_login(liaison)
    before = client.get(reverse("governance:case_list")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        from governance import services

        services.case_set_parties(case=case, actor=street_staff, lead=unit, assisting=[])

    assert "占道经营" not in before
    assert "占道经营" in client.get(reverse("governance:case_list")).content.decode()


def test_a_visitor_without_a_session_is_served_before_the_session_middleware(
    client, area, monkeypatch
):
    from django.contrib.sessions.middleware import SessionMiddleware

    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)  # rendered and kept
    passed_by = []
    monkeypatch.setattr(
        SessionMiddleware, "process_request", lambda self, request: passed_by.append(request)
    )

    response = client.get(url)

    assert response.status_code == 200
    assert area.name in response.content.decode()
    assert passed_by == []


def test_the_early_path_walks_the_urlconf_once_per_address(client, area, monkeypatch):
    """Which kept page an address names is remembered: serving it again resolves nothing."""
    page_cache._kept_page_at.cache_clear()
    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)  # rendered and kept; the address is resolved once here
    resolved = []
    real_resolve = page_cache.resolve
    monkeypatch.setattr(
        page_cache, "resolve", lambda *args: resolved.append(args) or real_resolve(*args)
    )

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert area.name in response.content.decode()

    assert resolved == []


def test_the_early_answer_carries_what_the_middleware_it_passes_by_would_add(client, area):
    """The same kept page, served early (no session cookie) and after the session middleware
    (an anonymous visitor with a stale session cookie): the same body but for the token, the
    same language, Vary and a working CSRF cookie."""
    url = reverse("governance:area_detail", args=[area.slug])
    client.get(url)
    early = Client().get(url, headers={"accept-language": "en"})
    late_client = Client()
    late_client.cookies["sessionid"] = "stale"
    late = late_client.get(url, headers={"accept-language": "en"})

    assert TOKEN_RE.sub("", early.content.decode()) == TOKEN_RE.sub("", late.content.decode())
    assert early["Content-Language"] == late["Content-Language"] == "en"
    vary = {value.strip() for value in early["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
    assert "csrftoken" in early.cookies and "csrftoken" in late.cookies
    token = TOKEN_RE.search(early.content.decode()).group(1)
    assert _unmask_cipher_token(token) == early.cookies["csrftoken"].value


def test_a_kept_workbench_list_is_served_without_reading_the_users_areas_or_cases(
    client, area, secretary
):
    factories.case(area, actor=secretary, title="楼道堆物")
    url = reverse("governance:case_list")
    client.force_login(secretary)
    client.get(url)

    html, queries = _queries(client, url)

    assert "楼道堆物" in html
    # The session, the user and the unread count beside the inbox link: the areas the user
    # manages and their posts beyond them are kept with the list, as the cases are.
    assert queries == 3


def test_a_user_given_another_area_sees_its_cases_and_their_changes_at_once(
    client, area, other_area, secretary, street_staff, django_capture_on_commit_callbacks
):
    category = factories.CategoryFactory()  # made now: a new category renews every list
    factories.case(other_area, actor=street_staff, category=category, title="电梯故障")
    url = reverse("governance:case_list")
    client.force_login(secretary)
    before = client.get(url).content.decode()

    secretary.areas.add(other_area)
    after = client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        factories.case(other_area, actor=street_staff, category=category, title="路灯不亮")

    assert "电梯故障" not in before
    assert "电梯故障" in after
    # The list now counts the new area's changes too.
    assert "路灯不亮" in client.get(url).content.decode()


def test_a_user_whose_role_changes_sees_the_cases_of_the_new_role_at_once(
    client, area, other_area, secretary, street_staff
):
    factories.case(other_area, actor=street_staff, title="电梯故障")
    url = reverse("governance:case_list")
    client.force_login(secretary)
    before = client.get(url).content.decode()

    secretary.role = Role.STREET_STAFF  # a save of the user alone: no public content changes
    secretary.save()

    assert "电梯故障" not in before
    assert "电梯故障" in client.get(url).content.decode()


def test_a_post_beyond_the_users_areas_shows_that_units_cases_and_their_changes_at_once(
    client, area, other_area, street_staff, django_capture_on_commit_callbacks
):
    from governance import services

    unit = factories.OrganizationFactory(
        area=None, street=area.street, kind=OrganizationKind.REGIONAL_UNIT, name="城管中队"
    )
    category = factories.CategoryFactory()  # made now: a new category renews every list
    with django_capture_on_commit_callbacks(execute=True):
        case = factories.case(other_area, actor=street_staff, category=category, title="占道经营")
        services.case_set_parties(case=case, actor=street_staff, lead=unit, assisting=[])
    person = factories.PersonFactory(area=area, street=area.street)
    user = factories.secretary(area, person=person)
    url = reverse("governance:case_list")
    client.force_login(user)
    before = client.get(url).content.decode()

    factories.PostFactory(person=person, organization=unit, title=PostTitle.LIAISON)
    after = client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        later = factories.case(other_area, actor=street_staff, category=category, title="乱设摊")
        services.case_set_parties(case=later, actor=street_staff, lead=unit, assisting=[])

    assert "占道经营" not in before
    assert "占道经营" in after
    # The list now counts every area's changes: the unit may be a party anywhere.
    assert "乱设摊" in client.get(url).content.decode()


def test_a_signed_in_users_workbench_page_is_kept_whole(client, area, secretary):
    factories.case(area, actor=secretary, title="楼道堆物")
    url = reverse("governance:case_list")
    client.force_login(secretary)

    first = client.get(url)
    again = client.get(url)

    assert "base.html" in [template.name for template in first.templates]
    assert again.templates == []  # nothing rendered: the kept page
    assert TOKEN_RE.sub("", again.content.decode()) == TOKEN_RE.sub("", first.content.decode())
    assert "楼道堆物" in again.content.decode()


def test_each_session_of_a_user_gets_its_own_token_on_a_kept_page(area, secretary):
    url = reverse("governance:case_list")
    desk, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    desk.force_login(secretary)
    phone.force_login(secretary)
    desk.get(url)  # rendered and kept

    response = phone.get(url)
    tokens = TOKEN_RE.findall(response.content.decode())
    secret = phone.cookies["csrftoken"].value

    assert response.templates == []
    assert tokens and all(_unmask_cipher_token(token) == secret for token in tokens)
    assert secret != desk.cookies["csrftoken"].value
    logged_out = phone.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert logged_out.status_code == 302


def test_a_new_notification_renews_the_kept_workbench_page(client, area, secretary):
    from inbox import services as inbox_services
    from inbox.models import Kind

    case = factories.case(area, actor=secretary, title="楼道堆物")
    url = reverse("governance:case_list")
    client.force_login(secretary)
    before = client.get(url).content.decode()

    inbox_services.notify(
        kind=Kind.CASE_UPDATED, about=case, recipients=[secretary], params={"number": "X"}
    )
    after = client.get(url)

    assert 'class="badge"' not in before
    assert after.templates != []
    assert 'class="badge">1<' in after.content.decode()


def test_a_renamed_user_sees_the_new_name_on_the_kept_workbench_page(client, area, secretary):
    url = reverse("governance:case_list")
    client.force_login(secretary)
    client.get(url)

    secretary.first_name = "王书记"
    secretary.save()

    assert "王书记" in client.get(url).content.decode()


def test_a_waiting_message_is_shown_on_the_workbench_and_not_kept(client, area, secretary):
    url = reverse("governance:case_list")
    client.force_login(secretary)
    client.cookies[LARGE_TEXT_COOKIE] = "on"
    client.get(url)  # kept, in large text

    redirected = client.post(reverse("large_text"), {"large_text": "on", "next": url})
    shown = client.get(url)
    later = client.get(url)

    assert redirected.url == url
    assert "大字模式已开启" in shown.content.decode()
    assert shown.templates != []
    assert later.templates == []
    assert TOKEN_RE.sub("", later.content.decode()) != TOKEN_RE.sub("", shown.content.decode())


def test_the_open311_request_list_is_kept_until_a_case_or_a_category_changes(
    client, area, secretary, django_capture_on_commit_callbacks
):
    category = factories.CategoryFactory(name="停车管理", name_en="Parking", service_code="parking")
    with django_capture_on_commit_callbacks(execute=True):
        case = factories.case(area, secretary, category=category)
    url = "/open311/v2/requests.json"
    first, rendering = _queries(client, url)
    again, kept = _queries(client, url)

    lead = factories.OrganizationFactory(area=area, property_company=True, name="崂山三村物业")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_set_parties(case=case, actor=secretary, lead=lead, assisting=[])
        services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
        services.case_transition(case=case, to=CaseStatus.IN_PROGRESS, actor=secretary)
        services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=secretary)
    after_resolving = client.get(url).json()
    with django_capture_on_commit_callbacks(execute=True):
        newer = factories.case(area, secretary, category=category)
    after_a_new_case = client.get(url).json()
    with django_capture_on_commit_callbacks(execute=True):
        category.name = "机动车停放"
        category.save()
    after_a_rename = client.get(url).json()

    assert again == first and rendering > 0 and kept == 0
    assert [item["status"] for item in json.loads(first)] == ["open"]
    assert [item["status"] for item in after_resolving] == ["closed"]
    assert [item["agency_responsible"] for item in after_resolving] == ["崂山三村物业"]
    assert [item["service_request_id"] for item in after_a_new_case] == [newer.number, case.number]
    assert {item["service_name"] for item in after_a_rename} == {"机动车停放"}


def test_the_open311_request_list_is_kept_per_format_language_and_query(client, area, secretary):
    category = factories.CategoryFactory(name="停车管理", name_en="Parking", service_code="parking")
    other = factories.CategoryFactory(name="楼道堆物", name_en="Clutter", service_code="clutter")
    factories.case(area, secretary, category=category)
    factories.case(area, secretary, category=other)
    url = "/open311/v2/requests"

    chinese = client.get(url + ".json").json()
    xml = client.get(url + ".xml")
    english = client.get(url + ".json", HTTP_ACCEPT_LANGUAGE="en").json()
    parking = client.get(url + ".json", {"service_code": "parking"}).json()
    # A parameter the interface does not read neither changes the answer nor renders it again.
    _, tagged = _queries(client, url + ".json", data={"utm_source": "x", "status": ""})

    assert {item["service_name"] for item in chinese} == {"停车管理", "楼道堆物"}
    assert xml["Content-Type"] == "text/xml; charset=utf-8" and b"<service_requests>" in xml.content
    assert {item["service_name"] for item in english} == {"Parking", "Clutter"}
    assert [item["service_code"] for item in parking] == ["parking"]
    assert tagged == 0
