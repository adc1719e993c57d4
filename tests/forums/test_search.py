"""Search finds Chinese substrings, pinyin and initials in published text only, and marks them."""

import pytest
from django.urls import reverse

from forums.search import highlight, pinyin_of
from tests import factories

pytestmark = pytest.mark.django_db


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
    from forums.views import publishing as views

    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 2)
    for _ in range(3):
        factories.publish(factories.NewsFactory(street=street, body="居民议事"), street_staff)
    response = client.get(reverse("forums:search"), {"q": "居民"})
    assert response.context["capped"]
    assert response.context["page_obj"].paginator.count == 2
    assert len(response.context["hits"]) == 2
