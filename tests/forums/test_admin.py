"""The admin keeps forum details, practices and news; published text changes only as a version."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from forums.models import (
    Event,
    EventSession,
    Forum,
    NewsItem,
    Practice,
    SpeechReview,
    Topic,
    Verdict,
    Version,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _url(model, action, *args):
    return reverse(f"admin:forums_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", [Forum, Practice, NewsItem, Topic], ids=lambda m: m.__name__)
def test_street_staff_open_the_forums_admin(client, street, street_staff, model):
    factories.publish(factories.PracticeFactory(street=street), street_staff)
    client.force_login(street_staff)
    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "add")).status_code == 200


def test_the_changelist_shows_only_the_staffs_street(client, street, street_staff):
    mine = factories.ForumFactory(street=street, title="本街道论坛")
    factories.ForumFactory(title="外街道论坛")
    client.force_login(street_staff)
    response = client.get(_url(Forum, "changelist"))
    assert [f.title for f in response.context["cl"].result_list] == [mine.title]
    other = Forum.objects.exclude(pk=mine.pk).get()
    assert client.get(_url(Forum, "change", other.pk)).status_code == 302  # "doesn't exist"


def test_a_forum_added_without_slug_gets_one_from_its_pinyin(client, street, street_staff):
    client.force_login(street_staff)
    response = client.post(
        _url(Forum, "add"),
        {
            "street": street.pk,
            "title": "书记论坛",
            "slug": "",
            "theme": "主题",
            "starts_at_0": "2026-11-20",
            "starts_at_1": "14:00",
            "venue": "社区党校",
            "organiser": "街道党工委",
            "summary": "小结",
            "attendees-TOTAL_FORMS": "0",
            "attendees-INITIAL_FORMS": "0",
            "speeches-TOTAL_FORMS": "0",
            "speeches-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Forum.objects.get().slug == "shu-ji-lun-tan"


def _practice_form(practice, **changes):
    return {
        "street": practice.street_id,
        "title": practice.title,
        "slug": practice.slug,
        "summary": practice.summary,
        "problem": practice.problem,
        "actions": practice.actions,
        "results": practice.results,
        "correction_note": "",
        **changes,
    }


def test_published_text_changes_in_the_admin_only_with_a_note(client, street, street_staff):
    practice = factories.publish(factories.PracticeFactory(street=street), street_staff)
    client.force_login(street_staff)
    url = _url(Practice, "change", practice.pk)

    refused = client.post(url, _practice_form(practice, actions="新的做法"))
    assert refused.status_code == 200
    assert "correction_note" in refused.context["adminform"].form.errors
    practice.refresh_from_db()
    assert (practice.actions, practice.version) == ("做法。", 1)

    accepted = client.post(
        url, _practice_form(practice, actions="新的做法", correction_note="补充")
    )
    assert accepted.status_code == 302
    practice.refresh_from_db()
    assert (practice.actions, practice.version) == ("新的做法", 2)
    assert Version.objects.get(object_id=practice.pk, number=2).note == "补充"


def test_published_news_is_corrected_in_the_admin_as_a_new_version(client, street, street_staff):
    dated = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    news = factories.publish(factories.NewsFactory(street=street, dated=dated), street_staff)
    client.force_login(street_staff)

    response = client.post(
        _url(NewsItem, "change", news.pk),
        {
            "title": news.title,
            "source": news.source,
            "dated_0": "2026-11-02",
            "dated_1": "09:30:00",
            "summary": news.summary,
            "body": "更正后的正文。",
            "correction_note": "更正了数字",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    news.refresh_from_db()
    assert (news.body, news.dated, news.version) == ("更正后的正文。", dated, 2)
    assert Version.objects.get(object_id=news.pk, number=2).note == "更正了数字"


def test_the_practice_form_offers_only_cases_the_staff_may_see(client, street, street_staff, area):
    mine = factories.case(area, street_staff)
    other_area = factories.AreaFactory()
    theirs = factories.case(other_area)
    client.force_login(street_staff)
    form = client.get(_url(Practice, "add")).context["adminform"].form
    cases = form.fields["cases"].queryset
    assert mine in cases and theirs not in cases


def test_a_published_record_cannot_be_deleted(client, street, street_staff):
    news = factories.publish(factories.NewsFactory(street=street), street_staff)
    client.force_login(street_staff)
    assert client.post(_url(NewsItem, "delete", news.pk), {"post": "yes"}).status_code == 403
    assert NewsItem.objects.filter(pk=news.pk).exists()


def test_two_hosts_are_refused_with_a_message(client, street, street_staff):
    forum = factories.ForumFactory(street=street)
    client.force_login(street_staff)
    data = {
        "street": street.pk,
        "title": forum.title,
        "slug": forum.slug,
        "theme": forum.theme,
        "starts_at_0": "2026-11-20",
        "starts_at_1": "14:00",
        "venue": forum.venue,
        "organiser": forum.organiser,
        "summary": forum.summary,
        "attendees-TOTAL_FORMS": "2",
        "attendees-INITIAL_FORMS": "0",
        "speeches-TOTAL_FORMS": "0",
        "speeches-INITIAL_FORMS": "0",
    }
    for index, name in enumerate(["吴妹", "王云芝"]):
        prefix = f"attendees-{index}"
        data |= {f"{prefix}-role": "host", f"{prefix}-name": name,
                 f"{prefix}-affiliation": "街道", f"{prefix}-order": index}  # fmt: skip
    response = client.post(_url(Forum, "change", forum.pk), data)
    assert response.status_code == 200
    assert not forum.attendees.exists()


def test_feed_is_not_a_forum_address(client, street, street_staff):
    client.force_login(street_staff)
    response = client.post(_url(Topic, "add"), {"name": "话题", "name_en": "t", "slug": "t"})
    assert response.status_code == 302
    from forums import services

    assert services.pinyin_slug(Forum, "feed") == "feed-2"


def test_street_staff_cannot_rename_a_shared_topic(client, street_staff):
    topic = Topic.objects.create(name="话题", name_en="Topic", slug="topic")
    client.force_login(street_staff)
    response = client.post(
        _url(Topic, "change", topic.pk), {"name": "改", "name_en": "x", "slug": "x"}
    )
    assert response.status_code == 403


def test_a_cover_loses_its_photo_metadata(
    client, street, street_staff, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPS: latitude
    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), "red").save(buffer, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()
    forum = factories.ForumFactory(street=street)
    client.force_login(street_staff)
    data = {
        "street": street.pk,
        "title": forum.title,
        "slug": forum.slug,
        "theme": forum.theme,
        "starts_at_0": "2026-11-20",
        "starts_at_1": "14:00",
        "venue": forum.venue,
        "organiser": forum.organiser,
        "summary": forum.summary,
        "cover": SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg"),
        "cover_alt": "论坛现场",
        "attendees-TOTAL_FORMS": "0",
        "attendees-INITIAL_FORMS": "0",
        "speeches-TOTAL_FORMS": "0",
        "speeches-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(Forum, "change", forum.pk), data)
    assert response.status_code == 302
    forum.refresh_from_db()
    with forum.cover.open("rb") as saved, Image.open(saved) as image:
        assert image.format == "JPEG"
        assert image.size == (16, 8)
        assert not image.getexif()


@pytest.mark.parametrize("published", [False, True])
def test_a_forum_with_a_cover_opens_in_the_admin_with_a_link_to_it(
    client, street, street_staff, published
):
    """Covers are private files without a storage URL: the page links to the cover's view."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), "red").save(buffer, format="PNG")
    forum = factories.ForumFactory(street=street, cover_alt="论坛现场")
    forum.cover.save("site.png", ContentFile(buffer.getvalue()))
    if published:
        factories.SpeechFactory(forum=forum)
        factories.publish(forum, street_staff)
    client.force_login(street_staff)

    response = client.get(_url(Forum, "change", forum.pk))

    assert response.status_code == 200
    assert reverse("forums:forum_cover", args=[forum.slug]) in response.content.decode()


def test_raising_a_slots_capacity_in_the_admin_confirms_the_waitlist(client, street, street_staff):
    from forums.models import BookingStatus, Event, EventSession

    session = factories.SessionFactory(event=factories.EventFactory(street=street), capacity=2)
    factories.book(session, phone="13800000001", party_size=2)
    waiting = factories.book(session, phone="13800000002", party_size=1, waitlist=True)
    event = session.event
    data = factories.event_admin_form(event, session, **{"sessions-0-capacity": "3"})
    client.force_login(street_staff)

    response = client.post(_url(Event, "change", event.pk), data)

    session.refresh_from_db()
    waiting.refresh_from_db()
    assert response.status_code == 302, response.context and response.context["errors"]
    assert (session.capacity, session.seats_taken) == (3, 3)
    assert waiting.status == BookingStatus.CONFIRMED
    assert EventSession.objects.count() == 1


def test_an_event_with_time_slots_is_not_deleted_in_the_admin(client, street, street_staff):
    event = factories.EventFactory(street=street)
    session = factories.SessionFactory(event=event)
    client.force_login(street_staff)

    page = client.get(_url(Event, "delete", event.pk))
    response = client.post(_url(Event, "delete", event.pk), {"post": "yes"})

    assert page.context["protected"]
    assert response.status_code == 200
    assert Event.objects.filter(pk=event.pk).exists()
    assert EventSession.objects.filter(pk=session.pk).exists()


def test_a_draft_forum_with_a_speech_is_not_deleted_in_the_admin(client, street, street_staff):
    forum = factories.ForumFactory(street=street)
    factories.SpeechFactory(forum=forum)
    client.force_login(street_staff)

    response = client.post(_url(Forum, "delete", forum.pk), {"post": "yes"})

    assert response.context["protected"]
    assert Forum.objects.filter(pk=forum.pk).exists()
    assert forum.speeches.count() == 1


def test_a_speech_with_its_reviews_cannot_be_deleted(street, street_staff):
    speech = factories.SpeechFactory(forum=factories.ForumFactory(street=street))
    SpeechReview.objects.create(speech=speech, verdict=Verdict.CONFIRM, reviewer=street_staff)

    with pytest.raises(ProtectedError):
        speech.delete()

    assert speech.reviews.count() == 1
