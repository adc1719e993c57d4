"""Who is told what for each event, and who is not: the actor, another area's secretary, an
unrelated unit."""

import datetime

import pytest
from django.utils import timezone, translation

from forums import services as forum_services
from forums.models import PublicationStatus, ReviewState, Verdict
from governance import services
from governance.models import CaseStatus, Channel
from inbox.models import Kind, Notification
from tests import factories
from wishes import services as wish_services

pytestmark = pytest.mark.django_db


def told(kind, about=None) -> set[str]:
    notifications = Notification.objects.filter(kind=kind)
    if about is not None:
        notifications = notifications.filter(object_id=about.pk)
    return set(notifications.values_list("recipient__username", flat=True))


def test_parties_people_are_told_when_their_unit_joins_a_case(
    case, secretary, other_secretary, lead_liaison, assisting_liaison, unrelated_liaison
):
    assert told(Kind.CASE_PARTY_ADDED, case) == {lead_liaison.username, assisting_liaison.username}
    text = Notification.objects.get(kind=Kind.CASE_PARTY_ADDED, recipient=lead_liaison).text
    assert case.number in text
    assert secretary.username not in told(Kind.CASE_PARTY_ADDED)  # the actor
    assert other_secretary.username not in told(Kind.CASE_PARTY_ADDED)
    assert unrelated_liaison.username not in told(Kind.CASE_PARTY_ADDED)


def test_setting_the_same_parties_again_tells_nobody_twice(
    case, secretary, lead_unit, assisting_unit
):
    before = Notification.objects.filter(kind=Kind.CASE_PARTY_ADDED).count()
    services.case_set_parties(
        case=case, actor=secretary, lead=lead_unit, assisting=[assisting_unit]
    )
    assert Notification.objects.filter(kind=Kind.CASE_PARTY_ADDED).count() == before


def test_an_update_by_one_party_tells_the_other_parties_not_its_own_people(
    case, lead_unit, lead_liaison, assisting_liaison, other_secretary, unrelated_liaison
):
    colleague = factories.liaison(lead_unit)
    services.case_add_update(case=case, actor=lead_liaison, party=lead_unit, text="已到现场核查。")
    assert told(Kind.CASE_UPDATED, case) == {assisting_liaison.username}
    assert colleague.username not in told(Kind.CASE_UPDATED)
    assert other_secretary.username not in told(Kind.CASE_UPDATED)
    assert unrelated_liaison.username not in told(Kind.CASE_UPDATED)


def test_an_update_naming_no_party_counts_as_one_by_the_authors_unit(
    case, lead_unit, lead_liaison, assisting_liaison
):
    colleague = factories.liaison(lead_unit)
    services.case_add_update(case=case, actor=lead_liaison, text="已联系物业。")
    assert told(Kind.CASE_UPDATED, case) == {assisting_liaison.username}
    assert colleague.username not in told(Kind.CASE_UPDATED)
    text = Notification.objects.get(kind=Kind.CASE_UPDATED, recipient=assisting_liaison).text
    assert lead_unit.name in text


def test_a_lead_made_assisting_is_told_of_its_new_role(
    case, secretary, lead_unit, assisting_unit, lead_liaison
):
    services.case_set_parties(
        case=case, actor=secretary, lead=assisting_unit, assisting=[lead_unit]
    )
    roles = list(
        Notification.objects.filter(kind=Kind.CASE_PARTY_ADDED, recipient=lead_liaison)
        .order_by("pk")
        .values_list("params__role", flat=True)
    )
    assert roles == ["lead", "assisting"]


def test_resolved_and_reopened_tell_every_party_but_the_actor(
    case, secretary, lead_liaison, assisting_liaison, other_secretary
):
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.IN_PROGRESS, actor=lead_liaison)
    assert not told(Kind.CASE_RESOLVED)
    services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=lead_liaison, note="已清理。")
    assert told(Kind.CASE_RESOLVED, case) == {assisting_liaison.username}
    services.case_transition(case=case, to=CaseStatus.REOPENED, actor=secretary, note="又堆了。")
    assert told(Kind.CASE_REOPENED, case) == {lead_liaison.username, assisting_liaison.username}
    assert other_secretary.username not in told(Kind.CASE_REOPENED)


def test_a_case_logged_by_someone_else_tells_the_areas_secretaries_only(
    area, secretary, other_secretary, street_staff
):
    case = factories.case(area, actor=street_staff, channel=Channel.JOINT_DUTY_STATION)
    assert told(Kind.CASE_LOGGED, case) == {secretary.username}
    with translation.override("en"):
        assert "joint duty station" in Notification.objects.get(kind=Kind.CASE_LOGGED).text


def test_a_secretary_logging_a_case_is_not_told_about_it(area, secretary):
    case = factories.case(area, actor=secretary)
    assert told(Kind.CASE_LOGGED, case) == set()


def test_an_open311_case_tells_the_areas_secretary(area, secretary, other_secretary):
    client, _key = factories.api_client(area.street)
    category = factories.CategoryFactory(service_code="parking")
    case = services.open311_request_create(
        client=client,
        category=category,
        area_slug=area.slug,
        description="门口车辆乱停",
        reporter_name="王秀英",
        reporter_phone="13912345678",
    )
    assert told(Kind.CASE_LOGGED, case) == {secretary.username}
    text = Notification.objects.get(kind=Kind.CASE_LOGGED).text
    assert "王秀英" not in text
    assert "13912345678" not in text


def test_a_wish_claimed_and_fulfilled_tells_its_areas_secretaries(
    area, secretary, other_secretary, street_staff, lead_unit, lead_liaison
):
    wish = factories.wish(area, actor=street_staff)
    wish_services.wish_publish(wish=wish, actor=street_staff)
    wish_services.wish_claim(
        wish=wish, actor=lead_liaison, organization=lead_unit, contact="13800000000"
    )
    assert told(Kind.WISH_CLAIMED, wish) == {secretary.username}
    wish_services.wish_fulfil(wish=wish, actor=lead_liaison, note="已送达。")
    assert told(Kind.WISH_FULFILLED, wish) == {secretary.username}
    assert other_secretary.username not in told(Kind.WISH_FULFILLED)
    assert "厨房水龙头滴水" in Notification.objects.get(kind=Kind.WISH_FULFILLED).text


def test_speakers_are_asked_to_review_and_street_staff_to_approve(street, area, street_staff):
    other_street_staff = factories.street_staff(factories.StreetFactory())
    speaker = factories.secretary(area, person=factories.PersonFactory(area=area))
    forum = factories.ForumFactory(street=street)
    forum.areas.add(area)
    speech = factories.SpeechFactory(forum=forum, area=area, speaker=speaker.person)
    forum_services.publication_transition(
        item=forum, to=PublicationStatus.IN_REVIEW, actor=street_staff
    )
    assert told(Kind.SPEECH_REVIEW, speech) == {speaker.username}
    assert told(Kind.FORUM_APPROVAL) == set()  # the speaker has not confirmed yet
    forum_services.speech_review(speech=speech, actor=speaker, verdict=Verdict.CONFIRM)
    speech.refresh_from_db()
    assert speech.review_state == ReviewState.CONFIRMED
    assert told(Kind.FORUM_APPROVAL, forum) == {street_staff.username}
    assert other_street_staff.username not in told(Kind.FORUM_APPROVAL)
    # The speaker confirming again while it waits tells nobody a second time.
    forum_services.speech_review(speech=speech, actor=speaker, verdict=Verdict.CONFIRM)
    assert Notification.objects.filter(kind=Kind.FORUM_APPROVAL).count() == 1


def test_a_full_session_and_its_waitlist_tell_the_organising_units_people(
    street, lead_unit, lead_liaison, unrelated_liaison, street_staff
):
    event = factories.EventFactory(street=street, organising_unit=lead_unit)
    session = factories.SessionFactory(event=event, capacity=2)
    factories.book(session, phone="13800001111", party_size=1)
    assert told(Kind.SESSION_FULL) == set()
    factories.book(session, phone="13800002222", party_size=1)
    assert told(Kind.SESSION_FULL, session) == {lead_liaison.username}
    factories.book(session, phone="13800003333", party_size=1, waitlist=True)
    assert told(Kind.WAITLIST_GREW, session) == {lead_liaison.username}
    assert unrelated_liaison.username not in told(Kind.WAITLIST_GREW)
    assert street_staff.username not in told(Kind.SESSION_FULL)


def test_the_street_office_is_told_for_its_own_events(street, street_staff):
    event = factories.EventFactory(street=street, organising_unit=None)
    session = factories.SessionFactory(event=event, capacity=1)
    factories.book(session)
    assert told(Kind.SESSION_FULL, session) == {street_staff.username}


def test_a_notification_keeps_no_residents_data(case, lead_liaison):
    services.case_add_update(case=case, actor=lead_liaison, text="联系王秀英 13912345678")
    for notification in Notification.objects.all():
        stored = str(notification.params) + notification.text
        for private in ("王秀英", "13912345678", "302室", case.title):
            assert private not in stored
    assert timezone.now() - Notification.objects.latest("created_at").created_at < (
        datetime.timedelta(minutes=1)
    )


def test_a_partner_systems_account_is_not_street_staff_to_tell(street, street_staff):
    from governance import audiences
    from residents.models import Role

    client, _key = factories.api_client(street)

    assert client.account.role == Role.STREET_STAFF  # it logs its cases as the street office
    assert client.account not in audiences.street_staff(street.pk)
    assert street_staff in audiences.street_staff(street.pk)
