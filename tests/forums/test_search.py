"""Search finds Chinese substrings, pinyin and initials in published text only, and marks them."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from doorstep import services as doorstep_services
from forums import services
from forums.models import SearchEntry
from forums.search import highlight, pinyin_of
from tests import factories
from wishes import services as wish_services

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def published(street, area, street_staff):
    forum = factories.ForumFactory(street=street, areas=[area], title="书记论坛")
    factories.SpeechFactory(
        forum=forum,
        area=area,
        title="多元协同参与",
        body="通过多部门现场协调，崂山三村的液化气钢瓶实现清零。",
    )
    factories.publish(forum, street_staff)
    practice = factories.PracticeFactory(
        street=street, title="党总支委员交叉任职到业委会", actions="委员到业委会任职。"
    )
    factories.publish(practice, street_staff)
    draft = factories.PracticeFactory(street=street, title="草稿里的钢瓶做法")
    return {"forum": forum, "practice": practice, "draft": draft}


def _results(client, query: str) -> str:
    response = client.get(reverse("forums:search"), {"q": query})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("query", ["钢瓶", "交叉任职", "gangping", "GangPing", "gang ping", "jcrz"])
def test_search_finds_chinese_substrings_pinyin_and_initials(client, published, query):
    html = _results(client, query)
    expected = "多元协同参与" if "钢" in query or "g" in query.lower() else "交叉任职"
    assert expected in html
    assert "草稿里的钢瓶做法" not in html


def test_search_marks_the_matched_characters(client, published):
    assert "<mark>钢瓶</mark>" in _results(client, "钢瓶")
    assert "<mark>钢瓶</mark>" in _results(client, "gangping")
    assert "<mark>交叉任职</mark>" in _results(client, "jcrz")


def test_search_never_finds_unpublished_text(client, published):
    html = _results(client, "草稿")
    assert "草稿里的钢瓶做法" not in html
    assert 'class="card"' not in html


def test_search_escapes_the_query(client, published):
    html = _results(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html


def test_an_empty_query_lists_nothing(client, published):
    assert "search-results" not in _results(client, "  ")


def test_pinyin_keeps_one_syllable_per_character():
    assert pinyin_of("液化气钢瓶") == ("yehuaqigangping", "yhqgp")
    assert pinyin_of("1+3+N 治理") == ("1+3+nzhili", "1+3+nzl")


def test_highlight_maps_pinyin_back_to_characters():
    assert str(highlight("崂山三村钢瓶清零", "gangping")) == "崂山三村<mark>钢瓶</mark>清零"
    assert str(highlight("崂山三村钢瓶清零", "gpql")) == "崂山三村<mark>钢瓶清零</mark>"
    assert str(highlight("a<b>钢瓶", "钢瓶")) == "a&lt;b&gt;<mark>钢瓶</mark>"


def test_an_excerpt_without_a_match_is_escaped_and_marked_safe():
    excerpt = highlight("a<b>\"&'" + "字" * 300, "钢瓶")
    assert excerpt.startswith("a&lt;b&gt;&quot;&amp;&#x27;字")
    assert excerpt.endswith("…")
    assert isinstance(excerpt, SafeString)


@pytest.mark.parametrize("query", ["行长", "银行行长", "1+3+N", "1+3+n", "Joint Duty"])
def test_search_finds_heteronyms_mixed_and_spaced_queries(client, street, street_staff, query):
    news = factories.NewsFactory(
        street=street, title="银行行长走进社区", body="讲解“1+3+N”与 joint duty station。"
    )
    factories.publish(news, street_staff)
    assert f'href="{news.get_absolute_url()}"' in _results(client, query)


@pytest.mark.parametrize("query", ["gangping", "gpql", "nmoshi", "jcrz", "dangjian"])
def test_highlight_through_the_stored_pinyin_marks_the_same_characters(query):
    text = "党建引领，" * 50 + "崂山三村钢瓶清零。1+3+N 模式；交叉任职"
    assert highlight(text, query, stored=pinyin_of(text)) == highlight(text, query)


def test_a_common_word_stops_counting_at_the_cap(client, street, street_staff, monkeypatch):
    from forums.views import search as views

    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 2)
    for _ in range(3):
        factories.publish(factories.NewsFactory(street=street, body="居民议事"), street_staff)
    response = client.get(reverse("forums:search"), {"q": "居民"})
    assert response.context["capped"]
    assert response.context["page_obj"].paginator.count == 2
    assert len(response.context["hits"]) == 2


# Plain-text excerpts, the item's own date, events, doorstep services and public wishes.


def _hits(client, query: str, **params) -> list:
    response = client.get(reverse("forums:search"), {"q": query, **params})
    assert response.status_code == 200
    return response.context["hits"]


def test_excerpts_show_text_without_markdown_and_mark_the_query(client, street, street_staff):
    news = factories.NewsFactory(
        street=street,
        title="一则新闻",
        body="## 做法\n\n**崂三**把液化气*钢瓶*清零，见[通知](https://example.org/a)。"
        "\n\n- 逐户上门",
    )
    factories.publish(news, street_staff)
    (hit,) = _hits(client, "钢瓶")
    excerpt = str(hit.excerpt)
    assert "<mark>钢瓶</mark>" in excerpt
    assert "崂三把液化气<mark>钢瓶</mark>清零，见通知。" in excerpt
    for markup in ("**", "##", "*", "[", "](", "https://", "- 逐户"):
        assert markup not in excerpt
    assert (str(_hits(client, "gangping")[0].excerpt)).count("<mark>钢瓶</mark>") == 1


def test_excerpts_stay_escaped_whatever_the_text_holds(client, street, street_staff):
    news = factories.NewsFactory(
        street=street, body='钢瓶 <img src=x onerror="alert(1)"> `<b>代码</b>` &lt;i&gt;'
    )
    factories.publish(news, street_staff)
    html = _results(client, "钢瓶")
    assert "<img" not in html and "<b>代码" not in html and "<i>" not in html
    assert "&lt;img src=x" in html


def test_results_show_the_items_own_date(client, street, area, street_staff):
    held = datetime.datetime(2020, 11, 20, 14, tzinfo=SHANGHAI)
    forum = factories.ForumFactory(street=street, areas=[area], title="书记论坛", starts_at=held)
    factories.SpeechFactory(forum=forum, area=area, body="钢瓶清零。")
    factories.publish(forum, street_staff)
    news = factories.NewsFactory(
        street=street,
        body="钢瓶的新闻。",
        dated=datetime.datetime(2021, 3, 5, 9, tzinfo=SHANGHAI),
    )
    factories.publish(news, street_staff)
    html = _results(client, "钢瓶")
    assert html.count('<time datetime="2020-11-20T14:00:00+08:00">2020-11-20</time>') == 1  # speech
    assert '<time datetime="2021-03-05T09:00:00+08:00">2021-03-05</time>' in html
    assert timezone.localdate().isoformat() + "</time>" not in html  # not when it was published


def test_the_demo_finds_the_gas_safety_talk_and_dates_the_forum_by_its_day(client, demo):
    html = _results(client, "钢瓶")
    assert 'href="/events/laosan-safe-gas-talk/"' in html
    assert "search-hit__label--event" in html
    assert ">2020-11-20</time>" in html
    assert 'href="/events/laosan-safe-gas-talk/"' in _results(client, "gangping")


def test_an_event_is_dated_by_its_next_time_slot(client, street):
    event = factories.EventFactory(street=street, title="安全用气讲座", description="**钢瓶**")
    past = timezone.now() - datetime.timedelta(days=3)
    factories.SessionFactory(
        event=event, starts_at=past, ends_at=past + datetime.timedelta(hours=1)
    )
    upcoming = factories.SessionFactory(event=event)
    services.event_reindex(event_ids=[event.pk])
    (hit,) = _hits(client, "钢瓶")
    assert hit.entry.kind == "event"
    assert hit.dated == upcoming.starts_at
    assert "**" not in str(hit.excerpt)


def test_changing_a_time_slot_redates_the_event_found(client, street):
    session = factories.SessionFactory(
        event=factories.EventFactory(street=street, title="钢瓶讲座")
    )
    services.event_reindex(event_ids=[session.event_id])
    later = session.starts_at + datetime.timedelta(days=7)
    services.session_update(
        session=session, starts_at=later, ends_at=later + datetime.timedelta(hours=1), capacity=10
    )
    assert SearchEntry.objects.get(kind="event", object_id=session.event_id).dated == later


def test_an_event_not_public_is_never_found(client, street):
    shown = factories.EventFactory(street=street, title="钢瓶讲座（公开）")
    hidden = factories.EventFactory(street=street, title="钢瓶讲座（筹备中）", is_public=False)
    services.event_reindex(event_ids=[shown.pk, hidden.pk])
    assert [hit.entry.object_id for hit in _hits(client, "钢瓶")] == [shown.pk]
    shown.is_public = False
    shown.save()
    services.event_reindex(event_ids=[shown.pk])
    assert _hits(client, "钢瓶") == []


def test_a_doorstep_service_is_found_with_its_label(client, area, street_staff):
    service = factories.ServiceFactory(station__area=area, title="法律咨询")
    doorstep_services.service_update(
        service=service, actor=street_staff, description="律师坐班，解答钢瓶改管道燃气的纠纷。"
    )
    (hit,) = _hits(client, "falv")
    assert hit.entry.kind == "service"
    assert hit.entry.url == service.get_absolute_url()
    assert hit.dated is None
    html = _results(client, "钢瓶")
    assert 'search-hit__label--service">家门口服务</span>' in html
    english = client.get(reverse("forums:search"), {"q": "钢瓶"}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'search-hit__label--service">doorstep service</span>' in english.text
    doorstep_services.service_delete(actor=street_staff, service=service)
    assert _hits(client, "钢瓶") == []


def test_renaming_a_station_updates_its_services_in_the_index(client, area, street_staff):
    service = factories.ServiceFactory(station__area=area, title="助餐服务")
    doorstep_services.station_update(
        station=service.station, actor=street_staff, name="崂三钢瓶回收站"
    )
    assert [hit.entry.object_id for hit in _hits(client, "钢瓶")] == [service.pk]


def test_a_public_wish_is_found_with_its_label_and_never_shows_the_resident(client, area):
    wish = factories.wish(area, status="published", title="想要一台助行器", text="腿脚不便。")
    html = _results(client, "助行器")
    assert f'href="{wish.get_absolute_url()}"' in html
    assert 'search-hit__label--wish">微心愿</span>' in html
    for private in (wish.resident_name, wish.resident_phone, wish.resident_address, "13955550002"):
        assert private not in html
    entry = SearchEntry.objects.get(kind="wish", object_id=wish.pk)
    for private in (wish.resident_name, wish.resident_phone, wish.resident_address):
        assert private not in entry.text
    for query in (wish.resident_name, wish.resident_phone, "ceshijumin"):
        assert _hits(client, query) == []


def test_a_wish_not_on_the_wall_is_never_found(client, area):
    factories.wish(area, status="submitted", title="提交未公开的助行器心愿")
    published = factories.wish(area, status="published", title="已公开的助行器心愿")
    assert [hit.entry.object_id for hit in _hits(client, "助行器")] == [published.pk]
    wish_services.wish_withdraw(
        wish=published, actor=factories.street_staff(area.street), reason="家属已解决。"
    )
    assert _hits(client, "zhuxingqi") == []


def test_a_thanked_wish_stays_findable_with_its_thanks(client, area):
    wish = factories.wish(area, status="thanked", title="换个水龙头")
    assert [hit.entry.object_id for hit in _hits(client, "热心")] == [wish.pk]


def test_no_result_says_what_to_try_next(client, published):
    response = client.get(reverse("forums:search"), {"q": "zzzz"})
    html = response.text
    assert response.context["count"] == 0
    assert "search-results" not in html
    assert "search-empty" in html
    assert "gangping" in html and "ljfl" in html
    for name in (
        "forums:forum_list",
        "forums:practice_list",
        "forums:news_list",
        "forums:event_list",
        "doorstep:service_list",
        "wishes:wish_wall",
    ):
        assert f'href="{reverse(name)}"' in html
    narrowed = client.get(reverse("forums:search"), {"q": "zzzz", "kind": "news"}).text
    assert 'href="?q=zzzz"' in narrowed


def test_the_result_count_is_a_plural_in_english(client, published):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    one = client.get(reverse("forums:search"), {"q": "交叉任职"}, **english).text
    assert "1 result for “交叉任职”" in one
    none = client.get(reverse("forums:search"), {"q": "zzzz"}, **english).text
    assert "0 results for “zzzz”" in none


def test_the_kind_filter_offers_and_applies_the_new_kinds(client, area, street):
    factories.wish(area, status="published", title="钢瓶搬运的心愿")
    event = factories.EventFactory(street=street, title="钢瓶讲座")
    services.event_reindex(event_ids=[event.pk])
    response = client.get(reverse("forums:search"), {"q": "钢瓶", "kind": "wish"})
    assert {value for value, _label in response.context["kinds"]} >= {"event", "service", "wish"}
    assert [hit.entry.kind for hit in response.context["hits"]] == ["wish"]


def test_the_rebuild_indexes_every_public_kind_and_nothing_else(client, street, area, street_staff):
    factories.publish(factories.NewsFactory(street=street, body="**钢瓶**新闻"), street_staff)
    factories.PracticeFactory(street=street, title="草稿：钢瓶")
    event = factories.EventFactory(street=street, title="钢瓶讲座")
    factories.EventFactory(street=street, title="钢瓶讲座筹备", is_public=False)
    factories.ServiceFactory(station__area=area, title="钢瓶回收")
    factories.wish(area, status="published", title="钢瓶搬运")
    factories.wish(area, status="submitted", title="钢瓶未公开")
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO())
    kinds = sorted(hit.entry.kind for hit in _hits(client, "钢瓶"))
    assert kinds == ["event", "news", "service", "wish"]
    assert SearchEntry.objects.get(kind="event").object_id == event.pk
    assert "**" not in SearchEntry.objects.get(kind="news").text


def test_the_search_page_makes_a_bounded_number_of_queries(
    client, area, street, street_staff, django_assert_max_num_queries
):
    for number in range(3):
        factories.publish(factories.NewsFactory(street=street, body=f"钢瓶{number}"), street_staff)
        factories.wish(area, status="published", title=f"钢瓶心愿{number}")
        factories.ServiceFactory(station__area=area, title=f"钢瓶服务{number}")
        factories.SessionFactory(event=factories.EventFactory(street=street, title=f"钢瓶{number}"))
    services.search_index_rebuild()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("forums:search"), {"q": "钢瓶"})
    assert len(response.context["hits"]) == 12


def test_an_event_saved_in_the_admin_enters_and_leaves_the_index(client, street, street_staff):
    session = factories.SessionFactory(
        event=factories.EventFactory(street=street, title="讲座", is_public=False)
    )
    event = session.event
    url = reverse("admin:forums_event_change", args=[event.pk])
    client.force_login(street_staff)

    response = client.post(url, factories.event_admin_form(event, session, title="钢瓶安全讲座"))
    assert response.status_code == 302
    client.logout()
    assert [hit.entry.object_id for hit in _hits(client, "gangping")] == [event.pk]

    client.force_login(street_staff)
    response = client.post(url, factories.event_admin_form(event, session, is_public=None))
    assert response.status_code == 302
    client.logout()
    assert _hits(client, "钢瓶") == []
