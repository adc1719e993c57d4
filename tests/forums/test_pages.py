"""Public pages, previews, sanitising, feeds, Open Graph, languages and query counts."""

from html.parser import HTMLParser

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import services
from forums.models import Forum, PublicationStatus
from tests import factories

pytestmark = pytest.mark.django_db


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_a_published_forum_is_public(client, published_forum, speech):
    response = client.get(published_forum.get_absolute_url())
    assert response.status_code == 200
    assert speech.title in response.text
    assert speech.speaker_name in response.text
    assert "preview-banner" not in response.text


@pytest.mark.parametrize("status", ["draft", "in_review", "approved", "withdrawn"])
def test_an_unpublished_forum_is_a_404_to_the_public(client, forum, speech, status):
    Forum.objects.filter(pk=forum.pk).update(status=status)
    for url in [
        forum.get_absolute_url(),
        reverse("forums:forum_version", args=[forum.slug, 1]),
        reverse("forums:forum_cover", args=[forum.slug]),
    ]:
        assert client.get(url).status_code == 404, url
    assert forum.title not in client.get(reverse("forums:forum_list")).text


def test_staff_and_the_areas_taking_part_see_a_marked_preview(
    client, forum, speech, street_staff, secretary, speaker
):
    for user in (street_staff, secretary, speaker):
        client.force_login(user)
        response = client.get(forum.get_absolute_url())
        assert response.status_code == 200
        assert "preview-banner" in response.text
        assert 'name="robots" content="noindex"' in response.text


def test_a_secretary_of_another_area_gets_a_404_for_a_draft(client, forum, other_secretary):
    client.force_login(other_secretary)
    assert client.get(forum.get_absolute_url()).status_code == 404


def test_another_streets_staff_get_a_404_for_a_draft(client, forum):
    client.force_login(factories.street_staff(factories.StreetFactory()))
    assert client.get(forum.get_absolute_url()).status_code == 404


def test_draft_practices_and_news_are_404s_to_the_public(client, street, street_staff):
    practice = factories.PracticeFactory(street=street)
    news = factories.NewsFactory(street=street)
    assert client.get(practice.get_absolute_url()).status_code == 404
    assert client.get(news.get_absolute_url()).status_code == 404
    client.force_login(street_staff)
    assert "preview-banner" in client.get(practice.get_absolute_url()).text
    assert "preview-banner" in client.get(news.get_absolute_url()).text


HOSTILE = (
    "正文<script>alert('x')</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    '<a href="#" onclick="alert(2)">点</a> <style>body{display:none}</style>\n\n'
    "[危险](javascript:alert(3)) [上海](https://www.shanghai.gov.cn)"
)


def test_no_script_style_or_event_attribute_reaches_the_page(client, forum, area, street_staff):
    factories.SpeechFactory(forum=forum, area=area, body=HOSTILE)
    forum.summary = HOSTILE
    forum.save()
    factories.publish(forum, street_staff)

    html = client.get(forum.get_absolute_url()).text
    tags = _tags(html)
    assert not [t for t, _ in tags if t in ("script", "style", "img")]
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]
    links = [attrs for t, attrs in tags if t == "a" and "shanghai.gov.cn" in attrs.get("href", "")]
    assert links and all(attrs.get("rel") == "noopener" for attrs in links)
    assert not [attrs for t, attrs in tags if t == "a" and "javascript" in attrs.get("href", "")]


def test_the_feeds_are_atom_and_list_only_published_text(client, street, published_forum):
    draft = factories.ForumFactory(street=street, title="未发布的论坛")
    factories.SpeechFactory(forum=draft)
    news = factories.publish(factories.NewsFactory(street=street), factories.street_staff(street))

    forums_feed = feedparser.parse(client.get(reverse("forums:forum_feed")).content)
    assert forums_feed.version == "atom10"
    assert not forums_feed.bozo
    assert [entry.title for entry in forums_feed.entries] == [published_forum.title]
    assert forums_feed.entries[0].link.endswith(published_forum.get_absolute_url())

    news_feed = feedparser.parse(client.get(reverse("forums:news_feed")).content)
    assert news_feed.version == "atom10"
    assert not news_feed.bozo
    assert [entry.title for entry in news_feed.entries] == [news.title]


def test_a_shared_link_shows_a_title_and_summary(client, published_forum):
    tags = _tags(client.get(published_forum.get_absolute_url()).text)
    meta = {attrs.get("property"): attrs.get("content") for t, attrs in tags if t == "meta"}
    assert meta["og:title"] == published_forum.title
    assert meta["og:description"] == "论坛小结。"
    assert meta["og:url"].startswith("http://testserver/forums/")
    assert meta["og:type"] == "article"


@pytest.mark.parametrize(("language", "heading"), [("zh-hans", "发言"), ("en", "Speeches")])
def test_the_forum_page_speaks_both_languages(client, published_forum, language, heading):
    client.cookies["django_language"] = language
    html = client.get(published_forum.get_absolute_url()).text
    assert f'<html lang="{language}">' in html
    assert f'id="speeches-heading">{heading}<' in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_forum_page_costs_the_same_queries_for_two_or_twelve_speeches(
    client, street, street_staff
):
    small = factories.ForumFactory(street=street)
    large = factories.ForumFactory(street=street)
    for _ in range(2):
        factories.SpeechFactory(forum=small, area=factories.AreaFactory(street=street))
    for _ in range(12):
        factories.SpeechFactory(forum=large, area=factories.AreaFactory(street=street))
    for forum in (small, large):
        factories.publish(forum, street_staff)

    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())
    assert _queries(client, large.get_absolute_url()) <= 8
    client.force_login(street_staff)
    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())


def test_list_pages_have_bounded_queries(
    client, street, street_staff, django_assert_max_num_queries
):
    category = factories.CategoryFactory()
    for _ in range(5):
        forum = factories.ForumFactory(street=street, areas=[factories.AreaFactory(street=street)])
        factories.SpeechFactory(forum=forum)
        factories.publish(forum, street_staff)
        factories.publish(
            factories.PracticeFactory(street=street, categories=[category]), street_staff
        )
        factories.publish(factories.NewsFactory(street=street), street_staff)
    practice = factories.PracticeFactory(street=street, categories=[category])
    factories.publish(practice, street_staff)
    for url, bound in [
        (reverse("forums:forum_list"), 7),
        (reverse("forums:practice_list"), 7),
        (reverse("forums:news_list"), 4),
        (reverse("forums:search") + "?q=论坛", 3),
        (practice.get_absolute_url(), 8),
    ]:
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200


def test_forums_filter_by_area_topic_and_year(client, street, area, other_area, street_staff):
    topic = factories_topic()
    mine = factories.ForumFactory(street=street, areas=[area], title="崂三的论坛")
    mine.topics.add(topic)
    theirs = factories.ForumFactory(
        street=street,
        areas=[other_area],
        title="东一的论坛",
        starts_at=mine.starts_at.replace(year=mine.starts_at.year - 2),
    )
    for forum in (mine, theirs):
        factories.SpeechFactory(forum=forum)
        factories.publish(forum, street_staff)
    url = reverse("forums:forum_list")

    by_area = client.get(url, {"area": area.pk}).text
    assert "崂三的论坛" in by_area and "东一的论坛" not in by_area
    by_topic = client.get(url, {"topic": topic.pk}).text
    assert "崂三的论坛" in by_topic and "东一的论坛" not in by_topic
    by_year = client.get(url, {"year": theirs.starts_at.year}).text
    assert "东一的论坛" in by_year and "崂三的论坛" not in by_year


def factories_topic():
    from forums.models import Topic

    return Topic.objects.create(name="老旧小区治理", name_en="Old compounds", slug="old")


def test_a_case_page_shows_published_practices_for_its_category(
    client, area, secretary, street, street_staff
):
    category = factories.CategoryFactory()
    case = factories.case(area, secretary, category=category)
    published = factories.publish(
        factories.PracticeFactory(street=street, categories=[category], title="钢瓶清零的做法"),
        street_staff,
    )
    factories.PracticeFactory(street=street, categories=[category], title="草稿做法")
    client.force_login(secretary)
    html = client.get(case.get_absolute_url()).text
    assert "practices-heading" in html
    assert published.title in html
    assert "草稿做法" not in html


def test_a_practice_shows_its_source_cases_only_to_those_who_may_see_them(
    client, area, secretary, street, street_staff
):
    case = factories.case(area, secretary, title="崂山三村钢瓶排查")
    practice = factories.PracticeFactory(street=street)
    practice.cases.add(case)
    factories.publish(practice, street_staff)

    public = client.get(practice.get_absolute_url()).text
    assert case.title not in public and case.number not in public
    client.force_login(secretary)
    assert case.title in client.get(practice.get_absolute_url()).text


def test_staff_pages_move_a_forum_and_secretaries_cannot(
    client, forum, speech, street_staff, secretary
):
    url = reverse("forums:forum_transition", args=[forum.slug])
    client.force_login(secretary)
    assert client.post(url, {"to": "in_review"}).status_code == 404
    client.force_login(street_staff)
    response = client.post(url, {"to": "in_review"})
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.status == PublicationStatus.IN_REVIEW


def test_a_secretary_adds_a_speech_for_their_area_from_the_forum_page(
    client, forum, area, secretary
):
    client.force_login(secretary)
    url = reverse("forums:speech_create", args=[forum.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "speech",
            "area": area.pk,
            "speaker_name": "赵子正",
            "speaker_post": "党总支书记",
            "title": "多元协同参与",
            "subtitle": "破解小区治理难题",
            "body": "钢瓶清零。",
        },
    )
    assert response.status_code == 302
    assert forum.speeches.get().title == "多元协同参与"


def test_the_speaker_confirms_from_the_forum_page(client, forum, speech, speaker, street_staff):
    services.publication_transition(item=forum, to="in_review", actor=street_staff)
    client.force_login(speaker)
    assert "review-form" in client.get(forum.get_absolute_url()).text
    response = client.post(
        reverse("forums:speech_review", args=[forum.slug, speech.pk]),
        {f"review-{speech.pk}-verdict": "confirm"},
    )
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.review_state == "confirmed"


def test_a_correction_from_the_page_is_announced_with_its_date(
    client, published_forum, street_staff
):
    client.force_login(street_staff)
    response = client.post(
        reverse("forums:forum_correct", args=[published_forum.slug]),
        {
            "title": published_forum.title,
            "theme": published_forum.theme,
            "starts_at": published_forum.starts_at.strftime("%Y-%m-%d %H:%M"),
            "venue": published_forum.venue,
            "organiser": published_forum.organiser,
            "summary": "更正后的小结。",
            "note": "更正会议地点",
        },
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(published_forum.get_absolute_url()).text
    assert "correction-notice" in html and "更正会议地点" in html
    old = client.get(reverse("forums:forum_version", args=[published_forum.slug, 1])).text
    assert "论坛<strong>小结</strong>" in old


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_cover_is_served_with_its_forum_and_never_before(client, forum, speech, street_staff):
    from django.core.files.base import ContentFile

    forum.cover.save("cover.png", ContentFile(_png()), save=False)
    forum.cover_alt = "论坛现场"
    forum.save()
    cover_url = reverse("forums:forum_cover", args=[forum.slug])
    assert client.get(cover_url).status_code == 404

    factories.publish(forum, street_staff)
    response = client.get(cover_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    html = client.get(forum.get_absolute_url()).text
    assert 'alt="论坛现场"' in html
    assert 'property="og:image" content="http://testserver/forums/' in html


def test_a_cover_needs_a_description(forum):
    from django.db import IntegrityError, transaction

    forum.cover = "forum-covers/x.png"
    with pytest.raises(IntegrityError), transaction.atomic():
        forum.save()


def test_a_withdrawn_version_is_not_public_after_republishing(
    client, published_forum, street_staff
):
    forum = services.publication_transition(
        item=published_forum, to="withdrawn", actor=street_staff, note="含有电话号码"
    )
    services.publication_transition(item=forum, to="draft", actor=street_staff)
    factories.publish(forum, street_staff)
    assert client.get(reverse("forums:forum_version", args=[forum.slug, 1])).status_code == 404
    assert client.get(reverse("forums:forum_version", args=[forum.slug, 2])).status_code == 200
    assert "/versions/1/" not in client.get(forum.get_absolute_url()).text
    client.force_login(street_staff)
    assert client.get(reverse("forums:forum_version", args=[forum.slug, 1])).status_code == 200


def test_a_speaker_without_rights_previews_only_their_own_speech(
    client, forum, speech, area, street_staff
):
    partner = factories.OrganizationFactory(area=area, partner=True)
    guest = factories.liaison(partner)
    own = factories.SpeechFactory(forum=forum, speaker=guest.person, title="共建单位的发言")
    services.publication_transition(item=forum, to="in_review", actor=street_staff)
    client.force_login(guest)
    html = client.get(forum.get_absolute_url()).text
    assert own.title in html and f"review-{own.pk}-verdict" in html
    assert speech.title not in html
    assert "summary-heading" not in html


def test_the_closing_speaker_reviews_the_closing_remarks(client, forum, speech, street_staff):
    official = factories.street_staff(
        forum.street, person=factories.PersonFactory(area=None, street=forum.street)
    )
    closing = factories.SpeechFactory(forum=forum, kind="closing", speaker=official.person)
    services.publication_transition(item=forum, to="in_review", actor=street_staff)
    client.force_login(official)
    assert f"review-{closing.pk}-verdict" in client.get(forum.get_absolute_url()).text


def test_the_speakers_comment_reaches_those_who_edit_the_speech(
    client, forum, speech, speaker, secretary, other_secretary, street_staff
):
    services.publication_transition(item=forum, to="in_review", actor=street_staff)
    services.speech_review(
        speech=speech, actor=speaker, verdict="request_changes", comment="请改正第二段的数字"
    )
    for user in (street_staff, secretary):
        client.force_login(user)
        assert "请改正第二段的数字" in client.get(forum.get_absolute_url()).text


def test_a_secretary_cannot_open_another_areas_speech_for_editing(
    client, forum, speech, other_area, other_secretary
):
    forum.areas.add(other_area)
    client.force_login(other_secretary)
    url = reverse("forums:speech_edit", args=[forum.slug, speech.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "改"}).status_code == 404


@pytest.mark.parametrize("query", ["钢\x00瓶", "gang\x00", "\x00", "x" * 500, "%", "_"])
def test_search_survives_odd_queries(client, published_forum, query):
    assert client.get(reverse("forums:search"), {"q": query}).status_code == 200


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"area": "999999"}, {"page": "-1"}, {"topic": "x"}]
)
def test_list_filters_survive_bad_input(client, published_forum, params):
    assert client.get(reverse("forums:forum_list"), params).status_code == 200
    assert client.get(reverse("forums:practice_list"), params).status_code == 200


def test_filter_choices_come_from_published_records_only(client, street, published_forum):
    from forums.models import Topic

    secret = Topic.objects.create(name="未公开话题", name_en="Unpublished", slug="secret")
    draft = factories.ForumFactory(street=street)
    draft.topics.add(secret)
    factories.NewsFactory(street=street, source="未公开来源")
    assert "未公开话题" not in client.get(reverse("forums:forum_list")).text
    assert "未公开来源" not in client.get(reverse("forums:news_list")).text


def test_the_street_overview_shows_the_latest_publications(client, street, published_forum):
    factories.ForumFactory(street=street, title="未发布的论坛")
    html = client.get("/").text
    assert published_forum.title in html
    assert "未发布的论坛" not in html
