"""The public event pages, the booking form and its answers, and the staff pages of an event."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from forums.models import Booking, BookingStatus, EventSession
from tests import factories
from tests.markup import elements

pytestmark = pytest.mark.django_db


def _book_url(session: EventSession) -> str:
    return reverse("forums:session_book", args=[session.event.slug, session.pk])


def _form(**overrides) -> dict:
    return {"name": "王秀英", "phone": "13912345678", "party_size": "2", **overrides}


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _error_codes(response) -> set[str]:
    form = response.context["form"]
    return {error.code for errors in form.errors.as_data().values() for error in errors}


# Public pages


def test_event_list_shows_public_events_with_seats_left(client, session):
    factories.book(session, party_size=3)
    hidden = factories.EventFactory(street=session.event.street, is_public=False)

    response = client.get(reverse("forums:event_list"))

    events = list(response.context["page_obj"])
    assert events == [session.event]
    assert events[0].seats_left == 7
    assert hidden.title not in response.content.decode()


def test_event_list_queries_are_bounded(client, street, django_assert_max_num_queries):
    for _ in range(15):
        factories.SessionFactory.create_batch(2, event=factories.EventFactory(street=street))

    with django_assert_max_num_queries(4):
        response = client.get(reverse("forums:event_list"))

    assert len(response.context["page_obj"]) == 12


def test_event_page_lists_upcoming_sessions_and_their_seats(
    client, event, django_assert_max_num_queries
):
    sessions = factories.SessionFactory.create_batch(8, event=event)
    factories.SessionFactory(event=event, starts_at=timezone.now() - datetime.timedelta(hours=2))
    factories.book(sessions[0], party_size=4)

    with django_assert_max_num_queries(4):
        response = client.get(event.get_absolute_url())

    assert response.context["sessions"] == sessions
    assert response.context["sessions"][0].seats_left == 6
    html = response.content.decode()
    assert "剩余 6 个名额（共 10 个）" in html
    # One card a session, each with its own full-width button: nothing in a table off screen.
    assert html.count('class="session-card"') == 8
    assert html.count("button--block") == 8
    assert "<table" not in html.split('id="sessions-title"')[1]


def test_a_full_session_offers_the_waitlist_and_a_closed_booking_no_button(client, event):
    full, free = factories.SessionFactory.create_batch(2, event=event, capacity=2)
    factories.book(full, party_size=2)

    html = client.get(event.get_absolute_url()).content.decode()

    cards = [e for e in elements(html, "li") if "session-card" in e.classes]
    assert [card.words for card in cards] == [
        f"{_slot(full)} 已约满，可候补 登记候补 {_short(full)}",
        f"{_slot(free)} 剩余 2 个名额（共 2 个） 预约 {_short(free)}",
    ]
    buttons = [e for e in elements(html, "a") if "button--block" in e.classes]
    assert [button.attrs["href"] for button in buttons] == [_book_url(full), _book_url(free)]

    event.booking_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    html = client.get(event.get_absolute_url()).content.decode()

    assert html.count('class="session-card"') == 2
    assert "button--block" not in html


def _slot(session: EventSession) -> str:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    weekday = "一二三四五六日"[starts.weekday()]
    return f"{starts:%Y-%m-%d} 星期{weekday} {starts:%H:%M}\N{EN DASH}{ends:%H:%M}"


def _short(session: EventSession) -> str:
    return f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}"


def test_an_event_not_yet_public_is_a_404_to_the_public_and_a_preview_to_its_staff(
    client, street, street_staff, other_secretary
):
    event = factories.EventFactory(street=street, is_public=False)

    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(other_secretary)
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(street_staff)
    assert client.get(event.get_absolute_url()).status_code == 200


def test_booking_sessions_of_an_event_not_yet_public_is_a_404(client, street):
    session = factories.SessionFactory(event=factories.EventFactory(street=street, is_public=False))

    response = client.post(_book_url(session), _form())

    assert response.status_code == 404
    assert not Booking.objects.exists()


# Booking


def test_booking_confirms_and_shows_the_code_without_the_full_name_or_number(client, session):
    response = client.post(_book_url(session), _form(), follow=True)

    booking = Booking.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == booking.get_absolute_url()
    assert booking.status == BookingStatus.CONFIRMED and booking.party_size == 2
    assert booking.code in page
    assert "139****5678" in page
    assert "13912345678" not in page and "王秀英" not in page


def test_a_booking_page_is_a_404_in_another_browser(client, session):
    booking = factories.book(session)

    assert client.get(booking.get_absolute_url()).status_code == 404
    assert client.get(reverse("forums:booking_ics", args=[booking.code])).status_code == 404


def test_malformed_phone_number_gets_its_message_and_nothing_is_stored(client, session):
    response = client.post(_book_url(session), _form(phone="1391234567"))

    assert response.status_code == 200
    assert _error_codes(response) == {"invalid_phone"}
    assert not Booking.objects.exists()


def test_full_session_offers_the_waitlist_and_stores_nothing(client, session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=5)

    response = client.post(_book_url(session), _form())

    assert response.context["offer_waitlist"]
    assert response.context["form"].cleaned_data["waitlist"] is True
    assert "session_full" in _error_codes(response)
    assert Booking.objects.count() == 2

    client.post(_book_url(session), _form(waitlist="on"))

    waiting = Booking.objects.get(phone="13912345678")
    assert waiting.status == BookingStatus.WAITLISTED


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"booking_closes_at": "past"}, "booking_closed"),
        ({"booking_opens_at": "future"}, "booking_not_open"),
    ],
)
def test_closed_booking_window_gets_its_message(client, session, change, code):
    now = timezone.now()
    moments = {"past": now - datetime.timedelta(minutes=1), "future": now + datetime.timedelta(1)}
    for field, when in change.items():
        setattr(session.event, field, moments[when])
    if "booking_closes_at" in change:
        session.event.booking_opens_at = now - datetime.timedelta(days=2)
    session.event.save()

    response = client.post(_book_url(session), _form())

    assert _error_codes(response) == {code}
    assert not Booking.objects.exists()


def test_past_session_gets_its_message(client, event):
    session = factories.SessionFactory(
        event=event, starts_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = client.post(_book_url(session), _form())

    assert _error_codes(response) == {"session_past"}


def test_third_booking_of_one_phone_gets_its_message(client, event):
    sessions = factories.SessionFactory.create_batch(3, event=event)
    for session in sessions[:2]:
        client.post(_book_url(session), _form())

    response = client.post(_book_url(sessions[2]), _form())

    assert _error_codes(response) == {"phone_limit"}
    assert Booking.objects.count() == 2


def test_repeated_attempts_from_one_client_are_throttled(client, session, settings):
    settings.BOOKING_RATE_LIMIT = "3/10m"
    for number in range(3):
        client.post(_book_url(session), _form(phone=f"1390000000{number}", party_size="1"))

    response = client.post(_book_url(session), _form(phone="13900000009", party_size="1"))

    assert response.status_code == 429
    assert Booking.objects.count() == 3


def test_the_calendar_file_parses_and_holds_the_session_but_no_personal_data(client, session):
    client.post(_book_url(session), _form())
    booking = Booking.objects.get()

    response = client.get(reverse("forums:booking_ics", args=[booking.code]))

    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("dtstart") == session.starts_at
    assert entry.decoded("dtend") == session.ends_at
    assert str(entry["summary"]) == session.event.title
    assert session.event.venue in str(entry["location"])
    assert booking.code in str(entry["description"])
    assert "13912345678" not in response.content.decode()
    assert "王秀英" not in response.content.decode()


def test_a_waiting_booking_has_no_calendar_file(client, session):
    session.capacity = 1
    session.save()
    factories.book(session, phone="13800000001")
    client.post(_book_url(session), _form(party_size="1", waitlist="on"))
    waiting = Booking.objects.get(phone="13912345678")

    response = client.get(reverse("forums:booking_ics", args=[waiting.code]))

    assert response.status_code == 404


# Looking up and cancelling


def test_look_up_by_code_and_phone_shows_the_waitlist_place(client, session):
    session.capacity = 1
    session.save()
    factories.book(session, phone="13800000001")
    factories.book(session, phone="13800000002", waitlist=True)
    mine = factories.book(session, phone="13800000003", waitlist=True)

    response = client.post(
        reverse("forums:booking_lookup"),
        {"code": mine.code.lower().replace("-", " "), "phone": "138-0000-0003"},
        follow=True,
    )

    assert response.context["booking"] == mine
    assert response.context["position"] == 2


def test_look_up_with_the_wrong_phone_finds_nothing(client, session):
    booking = factories.book(session)

    response = client.post(
        reverse("forums:booking_lookup"), {"code": booking.code, "phone": "13999999999"}
    )

    assert _error_codes(response) == {"booking_not_found"}
    assert client.get(booking.get_absolute_url()).status_code == 404


def test_cancelling_looks_unlike_adding_to_the_calendar_and_goes_to_a_confirmation(client, session):
    client.post(_book_url(session), _form())
    booking = Booking.objects.get()
    cancel_url = reverse("forums:booking_cancel", args=[booking.code])

    links = {
        a.attrs.get("href"): a
        for a in elements(client.get(booking.get_absolute_url()).content, "a")
    }

    calendar = links[reverse("forums:booking_ics", args=[booking.code])]
    cancel = links[cancel_url]
    assert calendar.classes == {"button", "button--secondary"}
    assert "button--danger-outline" in cancel.classes
    assert not cancel.classes & {"button--secondary", "button--danger"}
    page = client.get(cancel_url).content
    confirm = [b for b in elements(page, "button") if b.inside("main") and b.inside("form")]
    keep = [a for a in elements(page, "a") if a.attrs.get("href") == booking.get_absolute_url()]
    assert [b.classes for b in confirm] == [{"button", "button--danger"}]
    assert any("button--secondary" in a.classes for a in keep)


def test_cancel_asks_for_confirmation_and_the_phone_then_promotes_the_waitlist(client, session):
    session.capacity = 2
    session.save()
    client.post(_book_url(session), _form())
    mine = Booking.objects.get()
    waiting = factories.book(session, phone="13800000002", party_size=2, waitlist=True)
    cancel_url = reverse("forums:booking_cancel", args=[mine.code])

    confirm = client.get(cancel_url)
    wrong = client.post(cancel_url, {"phone": "13800000002"})
    mine.refresh_from_db()
    assert confirm.status_code == 200 and mine.status == BookingStatus.CONFIRMED
    assert _error_codes(wrong) == {"booking_not_found"}

    response = client.post(cancel_url, {"phone": "13912345678"}, follow=True)

    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert response.context["booking"] == mine
    assert mine.status == BookingStatus.CANCELLED
    assert waiting.status == BookingStatus.CONFIRMED


# Staff pages


@pytest.fixture
def area_event(street, area):
    """An event of the area, run by its residents' committee."""
    committee = factories.OrganizationFactory(street=street, area=area, kind="residents_committee")
    event = factories.EventFactory(street=street, area=area, organising_unit=committee)
    session = factories.SessionFactory(event=event)
    factories.book(session, name="李桂兰", phone="13800002222", party_size=2)
    return event


@pytest.fixture
def committee_secretary(area, area_event):
    """The area's secretary, who also holds a post on the organising residents' committee."""
    person = factories.PersonFactory(area=area)
    factories.PostFactory(person=person, organization=area_event.organising_unit)
    return factories.secretary(area, person=person)


def test_staff_pages_role_matrix(client, area_event, street_staff, secretary, other_secretary):
    unit_liaison = factories.liaison(area_event.organising_unit)
    outsider = factories.liaison(factories.OrganizationFactory(street=area_event.street))
    url = reverse("forums:event_manage", args=[area_event.slug])

    assert client.get(url).status_code == 302
    expected = {street_staff: 200, secretary: 200, unit_liaison: 200, other_secretary: 404}
    expected[outsider] = 404
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_names_and_numbers_are_shown_to_the_organising_unit_only(client, street, area, secretary):
    """A street event held in the area: its secretary checks people in but sees no numbers."""
    event = factories.EventFactory(street=street, area=area, organising_unit=None)
    session = factories.SessionFactory(event=event)
    factories.book(session, name="李桂兰", phone="13800002222")
    attendees = reverse("forums:session_attendees", args=[event.slug, session.pk])
    export = reverse("forums:event_export", args=[event.slug])
    client.force_login(secretary)

    page = client.get(attendees).content.decode()
    csv_text = _csv(client.get(export))

    for text in (page, csv_text):
        assert "13800002222" not in text and "李桂兰" not in text
    assert "李*" in page


def test_organisers_see_names_and_numbers_in_the_list_and_export(
    client, area_event, committee_secretary
):
    session = area_event.sessions.get()
    client.force_login(committee_secretary)

    page = client.get(reverse("forums:session_attendees", args=[area_event.slug, session.pk]))
    export = client.get(reverse("forums:event_export", args=[area_event.slug]))

    assert "13800002222" in page.content.decode()
    rows = list(csv.reader(io.StringIO(_csv(export))))
    assert len(rows[0]) == len(rows[1]) == 7
    assert rows[1][-2:] == ["李桂兰", "13800002222"]
    assert "13800002222" not in export["Content-Disposition"]


def test_export_keeps_a_name_from_running_as_a_spreadsheet_formula(
    client, area_event, committee_secretary
):
    factories.book(area_event.sessions.get(), name="=HYPERLINK(1)", phone="13800003333")
    client.force_login(committee_secretary)

    export = client.get(reverse("forums:event_export", args=[area_event.slug]))

    assert "'=HYPERLINK(1)" in _csv(export)


@pytest.mark.parametrize("who", ["street_staff", "secretary"])
def test_those_outside_the_organising_unit_see_no_names_or_numbers(
    client, area_event, who, request
):
    """Street staff and a secretary without a post on the committee run the event's door, but
    the bookers' contacts stay with the committee."""
    session = area_event.sessions.get()
    client.force_login(request.getfixturevalue(who))

    page = client.get(reverse("forums:session_attendees", args=[area_event.slug, session.pk]))
    export = client.get(reverse("forums:event_export", args=[area_event.slug]))

    text = page.content.decode() + _csv(export)
    assert page.status_code == export.status_code == 200
    assert "13800002222" not in text and "李桂兰" not in text


def test_check_in_by_code_at_the_door(client, area_event, secretary):
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    booking = factories.book_before(
        factories.SessionFactory(event=area_event, starts_at=noon), phone="13800004444"
    )
    client.force_login(secretary)

    response = client.post(
        reverse("forums:event_check_in", args=[area_event.slug]),
        {"code": booking.code.lower()},
        follow=True,
    )

    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert booking.code in response.content.decode()


def test_attendee_list_queries_are_bounded(
    client, area_event, secretary, django_assert_max_num_queries
):
    session = area_event.sessions.get()
    for number in range(30):
        factories.book(
            session.__class__.objects.create(
                event=area_event, starts_at=session.starts_at, ends_at=session.ends_at, capacity=5
            ),
            phone=f"1380001{number:04d}",
        )
        factories.book(session, phone=f"1380002{number:04d}", waitlist=True)
    client.force_login(secretary)

    with django_assert_max_num_queries(12):
        attendees = client.get(
            reverse("forums:session_attendees", args=[area_event.slug, session.pk])
        )
    with django_assert_max_num_queries(12):
        manage = client.get(reverse("forums:event_manage", args=[area_event.slug]))
    assert attendees.status_code == manage.status_code == 200
    assert len(attendees.context["page_obj"]) == 31
    assert len(manage.context["sessions"]) == 31


def test_the_street_overview_lists_events_to_book(client, session, street):
    past = factories.EventFactory(street=street, title="已结束的活动")
    factories.SessionFactory(event=past, starts_at=timezone.now() - datetime.timedelta(days=1))

    page = client.get("/").content.decode()

    assert session.event.title in page
    assert past.title not in page


def test_seats_held_for_the_waitlist_offer_the_waitlist_too(client, session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=3)
    factories.book(session, phone="13800000003", party_size=5, waitlist=True)

    response = client.post(_book_url(session), _form(party_size="1"))

    assert response.context["offer_waitlist"]
    assert _error_codes(response) == {"waitlist_first"}


# The public calendar


def test_the_calendar_feed_holds_published_forums_and_public_slots_only(
    client, street, session, published_forum, django_assert_max_num_queries
):
    draft = factories.ForumFactory(street=street, title="草稿论坛")
    hidden = factories.SessionFactory(event=factories.EventFactory(street=street, is_public=False))
    factories.book(session, name="王秀英", phone="13912345678")

    with django_assert_max_num_queries(3):
        response = client.get("/calendar.ics")

    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    entries = {str(entry["uid"]): entry for entry in calendar.walk("VEVENT")}
    assert set(entries) == {
        f"forum-{published_forum.pk}@lujiazui",
        f"event-session-{session.pk}@lujiazui",
    }
    slot = entries[f"event-session-{session.pk}@lujiazui"]
    assert slot.decoded("dtstart") == session.starts_at
    assert slot.decoded("dtend") == session.ends_at
    assert str(slot["url"]).endswith(session.event.get_absolute_url())
    assert all("dtstamp" in entry for entry in entries.values())
    text = response.content.decode()
    assert draft.title not in text and hidden.event.title not in text
    assert "王秀英" not in text and "13912345678" not in text
