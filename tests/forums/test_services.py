"""The publication workflow: who may move what, speakers' review, frozen text and versions."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from forums import services
from forums.forms import CORRECTABLE_FIELDS
from forums.models import (
    Attendee,
    AttendeeRole,
    Forum,
    NewsItem,
    Practice,
    PublicationStatus,
    ReviewState,
    SearchEntry,
    Speech,
    SpeechKind,
    Verdict,
    Version,
)
from forums.services.speeches import SPEECH_TEXT_FIELDS
from tests import factories

pytestmark = pytest.mark.django_db

S = PublicationStatus


def _code(excinfo) -> str:
    error = excinfo.value
    errors = error.error_dict.popitem()[1] if hasattr(error, "error_dict") else error.error_list
    return errors[0].code


def test_street_staff_take_a_forum_from_draft_to_published(forum, speech, street_staff):
    forum = factories.publish(forum, street_staff)

    assert forum.status == S.PUBLISHED
    assert forum.published_at is not None
    assert forum.version == 1
    assert Version.objects.filter(object_id=forum.pk, number=1).count() == 1
    assert SearchEntry.objects.filter(kind="forum", object_id=forum.pk).exists()
    assert SearchEntry.objects.filter(kind="speech", object_id=speech.pk).exists()


def test_publishing_cannot_skip_review_and_approval(forum, speech, street_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.publication_transition(item=forum, to=S.PUBLISHED, actor=street_staff)
    assert _code(excinfo) == "invalid_transition"
    forum.refresh_from_db()
    assert forum.status == S.DRAFT


@pytest.mark.parametrize("who", ["secretary", "speaker", "other_street_staff", "liaison"])
def test_only_street_staff_of_the_street_move_a_forum(who, forum, speech, speaker, secretary):
    actor = {
        "secretary": secretary,
        "speaker": speaker,
        "other_street_staff": factories.street_staff(factories.StreetFactory()),
        "liaison": factories.liaison(factories.OrganizationFactory(area=forum.areas.first())),
    }[who]
    with pytest.raises(PermissionDenied):
        services.publication_transition(item=forum, to=S.IN_REVIEW, actor=actor)


def test_a_forum_without_speeches_is_not_sent_for_review(forum, street_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.publication_transition(item=forum, to=S.IN_REVIEW, actor=street_staff)
    assert _code(excinfo) == "no_speeches"


def test_approval_waits_until_every_speaker_with_a_login_confirms(
    forum, speech, speaker, street_staff
):
    factories.SpeechFactory(forum=forum, speaker=None)  # a guest without a login
    services.publication_transition(item=forum, to=S.IN_REVIEW, actor=street_staff)
    with pytest.raises(ValidationError) as excinfo:  # not answered yet
        services.publication_transition(item=forum, to=S.APPROVED, actor=street_staff)
    assert _code(excinfo) == "speakers_not_confirmed"

    services.speech_review(
        speech=speech, actor=speaker, verdict=Verdict.REQUEST_CHANGES, comment="第二段数字有误"
    )
    services.speech_update(speech=speech, actor=street_staff, body="改正后")
    speech.refresh_from_db()
    assert speech.review_state == ReviewState.PENDING
    with pytest.raises(ValidationError) as excinfo:  # edited, but not confirmed again
        services.publication_transition(item=forum, to=S.APPROVED, actor=street_staff)
    assert _code(excinfo) == "speakers_not_confirmed"

    services.speech_review(speech=speech, actor=speaker, verdict=Verdict.CONFIRM)
    forum = services.publication_transition(item=forum, to=S.APPROVED, actor=street_staff)
    assert forum.status == S.APPROVED


def test_a_speaker_reviews_only_their_own_speech_and_only_in_review(
    forum, speech, speaker, secretary, street_staff
):
    with pytest.raises(PermissionDenied):  # still a draft
        services.speech_review(speech=speech, actor=speaker, verdict=Verdict.CONFIRM)
    services.publication_transition(item=forum, to=S.IN_REVIEW, actor=street_staff)
    with pytest.raises(PermissionDenied):  # the area's secretary, but not the speaker
        services.speech_review(speech=speech, actor=secretary, verdict=Verdict.CONFIRM)

    services.speech_review(speech=speech, actor=speaker, verdict=Verdict.CONFIRM)
    speech.refresh_from_db()
    assert speech.review_state == ReviewState.CONFIRMED
    assert speech.reviews.get().reviewer == speaker


def test_asking_for_changes_needs_a_comment(forum, speech, speaker, street_staff):
    services.publication_transition(item=forum, to=S.IN_REVIEW, actor=street_staff)
    with pytest.raises(ValidationError) as excinfo:
        services.speech_review(speech=speech, actor=speaker, verdict=Verdict.REQUEST_CHANGES)
    assert _code(excinfo) == "comment_required"
    assert not speech.reviews.exists()


def test_a_new_round_of_review_asks_every_speaker_again(forum, speech, speaker, street_staff):
    services.publication_transition(item=forum, to=S.IN_REVIEW, actor=street_staff)
    services.speech_review(speech=speech, actor=speaker, verdict=Verdict.CONFIRM)
    services.publication_transition(item=forum, to=S.DRAFT, actor=street_staff)
    services.publication_transition(item=forum, to=S.IN_REVIEW, actor=street_staff)
    speech.refresh_from_db()
    assert speech.review_state == ReviewState.PENDING


def test_a_secretary_drafts_speeches_of_their_own_area_only(
    forum, area, other_area, secretary, other_secretary
):
    forum.areas.add(other_area)
    data = {"area": area, "speaker_name": "赵子正", "speaker_post": "党总支书记", "title": "标题",
            "subtitle": "", "body": "正文", "kind": SpeechKind.SPEECH}  # fmt: skip
    speech = services.speech_create(forum=forum, actor=secretary, **data)
    assert speech.order == 1
    assert speech.area == area

    with pytest.raises(PermissionDenied):  # writing for another area
        services.speech_create(forum=forum, actor=other_secretary, **data)
    with pytest.raises(PermissionDenied):  # editing another area's speech
        services.speech_update(speech=speech, actor=other_secretary, body="改")


def test_speech_update_keeps_what_it_is_not_given_and_a_new_place_keeps_the_confirmation(
    forum, speech, street_staff
):
    Speech.objects.filter(pk=speech.pk).update(review_state=ReviewState.CONFIRMED)
    before = Speech.objects.values(*SPEECH_TEXT_FIELDS, "kind", "area", "speaker").get(pk=speech.pk)

    services.speech_update(speech=speech, actor=street_staff, order=7)

    speech.refresh_from_db()
    assert (speech.order, speech.review_state) == (7, ReviewState.CONFIRMED)
    after = Speech.objects.values(*SPEECH_TEXT_FIELDS, "kind", "area", "speaker").get(pk=speech.pk)
    assert after == before

    services.speech_update(speech=speech, actor=street_staff, subtitle="新的副标题")

    speech.refresh_from_db()
    assert (speech.subtitle, speech.review_state) == ("新的副标题", ReviewState.PENDING)


def test_a_secretary_changes_their_area_s_speech_without_naming_the_area(
    forum, speech, area, secretary
):
    services.speech_update(speech=speech, actor=secretary, body="改过的正文")

    speech.refresh_from_db()
    assert (speech.body, speech.area) == ("改过的正文", area)


def test_a_secretary_of_an_area_not_taking_part_cannot_add_a_speech(forum, other_area):
    outsider = factories.secretary(other_area)
    data = {"area": other_area, "speaker_name": "某", "speaker_post": "书记", "title": "题",
            "body": "文"}  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.speech_create(forum=forum, actor=outsider, **data)


def test_published_text_is_frozen(published_forum, speech, street_staff, secretary):
    for actor in (street_staff, secretary):
        with pytest.raises(PermissionDenied):
            services.speech_update(speech=speech, actor=actor, body="改")


def test_a_correction_is_a_new_version_and_the_old_text_is_kept(published_forum, street_staff):
    old_summary = published_forum.summary
    forum = services.forum_correct(
        forum=published_forum,
        actor=street_staff,
        summary="更正后的小结",
        note="更正了出席人员职务",
    )

    assert forum.version == 2
    assert forum.corrected_at is not None
    versions = Version.objects.filter(object_id=forum.pk).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].snapshot["sections"][0]["body"] == old_summary
    assert versions[1].snapshot["sections"][0]["body"] == "更正后的小结"
    assert versions[1].note == "更正了出席人员职务"
    assert SearchEntry.objects.matching("更正后的小结").exists()


def test_correcting_a_speech_makes_a_new_version_of_the_forum(
    published_forum, speech, street_staff
):
    services.speech_correct(speech=speech, actor=street_staff, body="更正的发言", note="错字")
    published_forum.refresh_from_db()
    assert published_forum.version == 2
    assert Version.objects.get(object_id=published_forum.pk, number=2).note == "错字"


CORRECTIONS = [
    (Forum, services.forum_correct, "forum"),
    (Practice, services.practice_correct, "practice"),
    (NewsItem, services.news_item_correct, "news_item"),
]


@pytest.mark.parametrize(
    ("model", "correct", "item"), CORRECTIONS, ids=["forum", "practice", "news"]
)
def test_each_kind_is_corrected_by_the_text_fields_of_its_own(model, correct, item):
    keywords = inspect.signature(correct).parameters
    assert set(keywords) - {item, "actor", "note"} == set(CORRECTABLE_FIELDS[model])


def test_a_field_of_another_kind_is_refused(street, street_staff):
    practice = factories.publish(factories.PracticeFactory(street=street), street_staff)
    with pytest.raises(TypeError):
        services.practice_correct(
            practice=practice, actor=street_staff, note="更正", theme="论坛的主题"
        )
    practice.refresh_from_db()
    assert practice.version == 1


def test_a_correction_leaves_the_fields_not_given_as_they_were(street, street_staff):
    news = factories.publish(factories.NewsFactory(street=street), street_staff)
    before = NewsItem.objects.values("title", "source", "dated", "summary").get(pk=news.pk)

    news = services.news_item_correct(
        news_item=news, actor=street_staff, body="更正后的正文。", note="更正"
    )

    assert news.body == "更正后的正文。"
    assert NewsItem.objects.values("title", "source", "dated", "summary").get(pk=news.pk) == before


def test_a_correction_needs_a_note_and_a_change(published_forum, street_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.forum_correct(forum=published_forum, actor=street_staff, summary="新", note=" ")
    assert _code(excinfo) == "note_required"
    with pytest.raises(ValidationError) as excinfo:
        services.forum_correct(
            forum=published_forum,
            actor=street_staff,
            summary=published_forum.summary,
            note="无",
        )
    assert _code(excinfo) == "no_change"
    published_forum.refresh_from_db()
    assert published_forum.version == 1


def test_unpublished_text_is_edited_not_corrected(forum, street_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.forum_correct(forum=forum, actor=street_staff, summary="新", note="更正")
    assert _code(excinfo) == "not_published"


def test_withdrawing_needs_a_reason_and_takes_the_text_out_of_search(published_forum, street_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.publication_transition(item=published_forum, to=S.WITHDRAWN, actor=street_staff)
    assert _code(excinfo) == "reason_required"

    forum = services.publication_transition(
        item=published_forum, to=S.WITHDRAWN, actor=street_staff, note="涉及未公开信息"
    )
    assert forum.withdrawal_reason == "涉及未公开信息"
    assert not SearchEntry.objects.filter(object_id=forum.pk, kind="forum").exists()
    assert not SearchEntry.objects.filter(kind="speech").exists()


def test_republishing_after_withdrawal_says_it_was_corrected(published_forum, street_staff):
    forum = services.publication_transition(
        item=published_forum, to=S.WITHDRAWN, actor=street_staff, note="修改"
    )
    services.publication_transition(item=forum, to=S.DRAFT, actor=street_staff)
    forum = factories.publish(forum, street_staff)
    assert forum.version == 2
    assert forum.corrected_at is not None
    assert forum.published_at < forum.corrected_at


def test_practices_and_news_follow_the_same_workflow(street, street_staff):
    practice = factories.publish(factories.PracticeFactory(street=street), street_staff)
    news = factories.publish(factories.NewsFactory(street=street), street_staff)
    assert (practice.status, news.status) == (S.PUBLISHED, S.PUBLISHED)
    assert SearchEntry.objects.filter(kind="practice", object_id=practice.pk).exists()
    assert SearchEntry.objects.filter(kind="news", object_id=news.pk).exists()


def test_the_speakers_post_stays_as_said_on_the_day(published_forum, speech):
    post = factories.PostFactory(person=speech.speaker, title="secretary")
    post.end_date = post.start_date
    post.save()
    speech.refresh_from_db()
    assert speech.speaker_post == "党总支书记"


def test_a_forum_has_one_host_and_one_closing_remarks(forum):
    Attendee.objects.create(forum=forum, role=AttendeeRole.HOST, name="吴妹", affiliation="主任")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendee.objects.create(forum=forum, role=AttendeeRole.HOST, name="某", affiliation="某")
    factories.SpeechFactory(forum=forum, kind=SpeechKind.CLOSING)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SpeechFactory(forum=forum, kind=SpeechKind.CLOSING)


def test_pinyin_slug_is_readable_and_unique(street):
    factories.ForumFactory(street=street, slug="shu-ji-lun-tan")
    from forums.models import Forum

    assert services.pinyin_slug(Forum, "书记论坛") == "shu-ji-lun-tan-2"


def test_withdrawn_versions_stay_hidden_after_republishing(published_forum, street_staff):
    forum = services.publication_transition(
        item=published_forum, to=S.WITHDRAWN, actor=street_staff, note="含有电话号码"
    )
    services.publication_transition(item=forum, to=S.DRAFT, actor=street_staff)
    forum = factories.publish(forum, street_staff)
    versions = {v.number: v.is_public for v in Version.objects.of(forum)}
    assert versions == {1: False, 2: True}


def test_a_correction_in_crlf_that_changes_nothing_is_refused(published_forum, street_staff):
    published_forum.summary = "第一行\n第二行"
    published_forum.save()
    with pytest.raises(ValidationError) as excinfo:
        services.forum_correct(
            forum=published_forum,
            actor=street_staff,
            summary="第一行\r\n第二行",
            note="无",
        )
    assert _code(excinfo) == "no_change"


def test_a_speech_is_given_by_an_area_taking_part(forum, other_area, street_staff):
    data = {"area": other_area, "speaker_name": "某", "speaker_post": "书记", "title": "题",
            "body": "文"}  # fmt: skip
    with pytest.raises(ValidationError) as excinfo:
        services.speech_create(forum=forum, actor=street_staff, **data)
    assert _code(excinfo) == "area_not_taking_part"


def test_a_secretary_cannot_write_the_closing_remarks(forum, area, secretary):
    data = {"area": area, "kind": SpeechKind.CLOSING, "speaker_name": "某",
            "speaker_post": "书记", "title": "题", "body": "文"}  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.speech_create(forum=forum, actor=secretary, **data)
