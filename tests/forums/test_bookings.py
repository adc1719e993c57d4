"""Booking rules one by one, the waitlist, check-in, and the last seats under concurrent load."""

import datetime
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F, Sum
from django.utils import timezone

from forums import services
from forums.models import (
    Booking,
    BookingStatus,
    EventSession,
    normalise_code,
    normalise_mobile,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _code(error: pytest.ExceptionInfo) -> str:
    return error.value.code


def test_booking_takes_seats_and_gets_a_readable_code(session):
    booking = factories.book(session, party_size=3)

    session.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert session.seats_taken == 3
    assert len(booking.code) == 9 and booking.code[4] == "-"
    assert not set(booking.code.replace("-", "")) & set("01IOL")


@pytest.mark.parametrize(
    "raw", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 13812345678", "008613812345678"]
)
def test_mainland_mobile_numbers_are_read_in_the_forms_people_write_them(raw):
    assert normalise_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["", "1381234567", "12812345678", "23812345678", "021-12345678"])
def test_malformed_phone_number_is_refused_and_nothing_is_stored(session, raw):
    with pytest.raises(ValidationError) as error:
        factories.book(session, phone=raw)

    assert _code(error) == "invalid_phone"
    assert not Booking.objects.exists()


@pytest.mark.parametrize("size", [0, 6])
def test_party_size_outside_one_to_five_is_refused(session, size):
    with pytest.raises(ValidationError) as error:
        factories.book(session, party_size=size)

    assert _code(error) == "invalid_party_size"
    assert not Booking.objects.exists()


def test_full_session_is_refused_with_its_own_message_and_nothing_is_stored(session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=4)

    with pytest.raises(ValidationError) as error:
        factories.book(session, phone="13800000003", party_size=2)

    session.refresh_from_db()
    assert _code(error) == "session_full"
    assert error.value.params == {"left": 1, "asked": 2}
    assert session.seats_taken == 9
    assert Booking.objects.count() == 2


def test_closed_booking_window_is_refused(session):
    session.event.booking_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    session.event.booking_opens_at = timezone.now() - datetime.timedelta(days=2)
    session.event.save()

    with pytest.raises(ValidationError) as error:
        factories.book(session)

    assert _code(error) == "booking_closed"
    assert not Booking.objects.exists()


def test_booking_before_the_window_opens_is_refused(session):
    session.event.booking_opens_at = timezone.now() + datetime.timedelta(days=1)
    session.event.save()

    with pytest.raises(ValidationError) as error:
        factories.book(session)

    assert _code(error) == "booking_not_open"


def test_past_session_is_refused(event):
    started = factories.SessionFactory(
        event=event, starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    with pytest.raises(ValidationError) as error:
        factories.book(started)

    assert _code(error) == "session_past"
    assert not Booking.objects.exists()


def test_one_phone_holds_at_most_two_bookings_per_event(event):
    sessions = factories.SessionFactory.create_batch(3, event=event)
    factories.book(sessions[0])
    factories.book(sessions[1])

    with pytest.raises(ValidationError) as error:
        factories.book(sessions[2])

    assert _code(error) == "phone_limit"
    assert Booking.objects.count() == 2


def test_phone_limit_counts_the_waitlist_but_not_cancelled_bookings(event):
    first, second = factories.SessionFactory.create_batch(2, event=event, capacity=1)
    kept = factories.book(first)
    factories.book(second, phone="13800009999")
    factories.book(second, waitlist=True)
    with pytest.raises(ValidationError):
        factories.book(first, waitlist=True)

    services.booking_cancel(code=kept.code, phone=kept.phone)

    assert factories.book(first).status == BookingStatus.CONFIRMED


def test_phone_limit_is_per_event(street):
    for _ in range(3):
        factories.book(factories.SessionFactory(event=factories.EventFactory(street=street)))

    assert Booking.objects.filter(phone="13800001111").count() == 3


def test_full_session_offers_the_waitlist_when_asked(session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=5)

    waiting = factories.book(session, party_size=2, waitlist=True)

    session.refresh_from_db()
    assert waiting.status == BookingStatus.WAITLISTED
    assert waiting.waitlist_position() == 1
    assert session.seats_taken == 10


def test_nobody_jumps_the_waitlist_when_seats_come_free(session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=5)
    factories.book(session, phone="13800000003", party_size=5, waitlist=True)
    EventSession.objects.filter(pk=session.pk).update(capacity=12)

    with pytest.raises(ValidationError) as error:
        factories.book(session, phone="13800000004", party_size=1)

    assert _code(error) == "waitlist_first"


def test_cancelling_returns_the_seats(session):
    booking = factories.book(session, party_size=4)

    cancelled, promoted = services.booking_cancel(code=booking.code, phone="138 0000 1111")

    session.refresh_from_db()
    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    assert promoted == []
    assert session.seats_taken == 0


def test_cancel_needs_the_phone_number_of_the_booking(session):
    booking = factories.book(session)

    with pytest.raises(ValidationError) as error:
        services.booking_cancel(code=booking.code, phone="13999999999")

    booking.refresh_from_db()
    assert _code(error) == "booking_not_found"
    assert booking.status == BookingStatus.CONFIRMED


def test_cancelling_twice_is_refused(session):
    booking = factories.book(session)
    services.booking_cancel(code=booking.code, phone=booking.phone)

    with pytest.raises(ValidationError) as error:
        services.booking_cancel(code=booking.code, phone=booking.phone)

    assert _code(error) == "already_cancelled"


def test_waitlist_is_promoted_in_order_when_seats_return(session):
    first = factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=5)
    early = factories.book(session, phone="13800000003", party_size=3, waitlist=True)
    late = factories.book(session, phone="13800000004", party_size=2, waitlist=True)
    later = factories.book(session, phone="13800000005", party_size=1, waitlist=True)
    assert [early.waitlist_position(), late.waitlist_position()] == [1, 2]

    _, promoted = services.booking_cancel(code=first.code, phone=first.phone)

    session.refresh_from_db()
    later.refresh_from_db()
    assert [b.pk for b in promoted] == [early.pk, late.pk]
    assert all(b.promoted_at for b in promoted)
    assert session.seats_taken == 10
    assert later.status == BookingStatus.WAITLISTED
    assert later.waitlist_position() == 1


def test_promotion_stops_at_the_first_party_that_does_not_fit(session):
    small = factories.book(session, phone="13800000001", party_size=2)
    factories.book(session, phone="13800000002", party_size=5)
    factories.book(session, phone="13800000003", party_size=3)
    big = factories.book(session, phone="13800000004", party_size=4, waitlist=True)
    one = factories.book(session, phone="13800000005", party_size=1, waitlist=True)

    _, promoted = services.booking_cancel(code=small.code, phone=small.phone)

    big.refresh_from_db()
    one.refresh_from_db()
    assert promoted == []
    assert big.status == one.status == BookingStatus.WAITLISTED


def test_leaving_the_waitlist_changes_no_seats(session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=5)
    waiting = factories.book(session, party_size=2, waitlist=True)

    services.booking_cancel(code=waiting.code, phone=waiting.phone)

    session.refresh_from_db()
    assert session.seats_taken == 10


def test_raising_the_capacity_promotes_the_waitlist(session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=5)
    waiting = factories.book(session, party_size=2, waitlist=True)
    EventSession.objects.filter(pk=session.pk).update(capacity=12)

    promoted = services.waitlist_promote(session=session)

    assert [b.pk for b in promoted] == [waiting.pk]


def test_the_database_refuses_a_session_past_its_capacity(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventSession.objects.filter(pk=session.pk).update(seats_taken=F("capacity") + 1)


def test_the_database_refuses_a_party_of_six(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            session=session, code="AAAA-BBBB", name="张三", phone="1", party_size=6
        )


def test_booking_codes_are_read_without_case_spaces_or_hyphen():
    assert normalise_code(" k7qm 2xpa ") == "K7QM-2XPA"
    assert normalise_code("K7QM-2XPA") == "K7QM-2XPA"


def test_staff_check_a_confirmed_booking_in_once(today_session, street_staff):
    booking = factories.book_before(today_session, party_size=2)

    checked = services.booking_check_in(
        event=today_session.event, code=booking.code.lower(), actor=street_staff
    )
    with pytest.raises(ValidationError) as error:
        services.booking_check_in(event=today_session.event, code=booking.code, actor=street_staff)

    assert checked.checked_in_at is not None
    assert checked.checked_in_by == street_staff
    assert _code(error) == "already_checked_in"


def test_a_waiting_booking_cannot_be_checked_in(today_session, street_staff):
    today_session.capacity = 1
    today_session.save()
    factories.book_before(today_session, phone="13800000001")
    waiting = factories.book_before(today_session, waitlist=True)

    with pytest.raises(ValidationError) as error:
        services.booking_check_in(event=today_session.event, code=waiting.code, actor=street_staff)

    assert _code(error) == "not_confirmed"


def test_a_checked_in_booking_cannot_be_cancelled(today_session, street_staff):
    booking = factories.book_before(today_session)
    services.booking_check_in(event=today_session.event, code=booking.code, actor=street_staff)

    with pytest.raises(ValidationError) as error:
        services.booking_cancel(code=booking.code, phone=booking.phone)

    assert _code(error) == "checked_in"


def test_check_in_needs_someone_who_runs_the_event(session, other_secretary):
    booking = factories.book(session)

    with pytest.raises(PermissionDenied):
        services.booking_check_in(event=session.event, code=booking.code, actor=other_secretary)


def test_a_code_of_another_event_is_not_checked_in(session, street, street_staff):
    other = factories.book(factories.SessionFactory(event=factories.EventFactory(street=street)))

    with pytest.raises(ValidationError) as error:
        services.booking_check_in(event=session.event, code=other.code, actor=street_staff)

    assert _code(error) == "booking_not_found"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write")
@pytest.mark.parametrize("party_size", [1, 2])
def test_many_simultaneous_bookings_never_overbook_the_last_seats(party_size):
    """Twenty clients press "book" at the same moment for the last five seats."""
    session = factories.SessionFactory(capacity=5)
    clients = 20
    barrier = threading.Barrier(clients)
    outcomes: list[str] = []

    def attempt(number: int) -> None:
        try:
            barrier.wait()
            booking = factories.book(session, phone=f"1380000{number:04d}", party_size=party_size)
            outcomes.append(booking.status)
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    session.refresh_from_db()
    confirmed = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
    seats = confirmed.aggregate(seats=Sum("party_size"))["seats"]
    assert len(outcomes) == clients
    assert seats == session.seats_taken == (5 // party_size) * party_size
    assert outcomes.count("session_full") == clients - 5 // party_size


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write")
def test_one_phone_booking_many_slots_at_once_still_holds_two():
    event = factories.EventFactory()
    sessions = factories.SessionFactory.create_batch(6, event=event)
    barrier = threading.Barrier(len(sessions))

    def attempt(session: EventSession) -> None:
        try:
            barrier.wait()
            factories.book(session)
        except ValidationError:
            pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Booking.objects.for_event(event).active().count() == 2


def test_capacity_cannot_be_set_below_the_seats_already_booked(session):
    factories.book(session, party_size=4)
    session.refresh_from_db()
    session.capacity = 3

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert error.value.error_dict["capacity"][0].code == "capacity_below_booked"


def test_names_and_numbers_are_forgotten_after_the_retention_period(event):
    old = factories.SessionFactory(
        event=event,
        starts_at=timezone.now() - datetime.timedelta(days=40),
        ends_at=timezone.now() - datetime.timedelta(days=40, hours=-1),
    )
    recent = factories.SessionFactory(event=event)
    Booking.objects.create(
        session=old, code="AAAA-BBBB", name="张三", phone="13800001111", party_size=2
    )
    kept = factories.book(recent, phone="13800002222")
    out = io.StringIO()

    call_command("forget_bookings", days=30, stdout=out)
    call_command("forget_bookings", days=30, stdout=io.StringIO())

    forgotten = Booking.objects.get(code="AAAA-BBBB")
    kept.refresh_from_db()
    assert (forgotten.name, forgotten.phone, forgotten.party_size) == ("", "", 2)
    assert (kept.name, kept.phone) == ("张三", "13800002222")
    assert "1/1" in out.getvalue()


def test_leaving_the_head_of_the_waitlist_lets_the_next_party_in(session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=3)
    big = factories.book(session, phone="13800000003", party_size=5, waitlist=True)
    small = factories.book(session, phone="13800000004", party_size=2, waitlist=True)

    _, promoted = services.booking_cancel(code=big.code, phone=big.phone)

    small.refresh_from_db()
    assert promoted == [small]
    assert small.status == BookingStatus.CONFIRMED


def test_seats_held_for_the_waitlist_get_their_own_message(session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=3)
    factories.book(session, phone="13800000003", party_size=5, waitlist=True)

    with pytest.raises(ValidationError) as error:
        factories.book(session, phone="13800000004", party_size=1)

    assert _code(error) == "waitlist_first"


def test_bookings_of_slots_already_over_do_not_count_against_the_phone(event):
    over = factories.SessionFactory(
        event=event,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-1),
    )
    for code in ("AAAA-AAAA", "BBBB-BBBB"):
        Booking.objects.create(
            session=over, code=code, name="张三", phone="13800001111", party_size=1
        )

    booking = factories.book(factories.SessionFactory(event=event))

    assert booking.status == BookingStatus.CONFIRMED


def test_changing_a_slot_keeps_the_seats_booked_meanwhile(session):
    stale = EventSession.objects.get(pk=session.pk)
    factories.book(session, party_size=4)

    services.session_update(
        session=stale, starts_at=stale.starts_at, ends_at=stale.ends_at, capacity=8
    )

    session.refresh_from_db()
    assert (session.capacity, session.seats_taken) == (8, 4)


def test_a_slot_cannot_shrink_below_its_bookings(session):
    factories.book(session, party_size=4)

    with pytest.raises(ValidationError) as error:
        services.session_update(
            session=session, starts_at=session.starts_at, ends_at=session.ends_at, capacity=3
        )

    session.refresh_from_db()
    assert _code(error) == "capacity_below_booked"
    assert session.capacity == 10


def test_a_bigger_slot_confirms_the_waitlist(session):
    factories.book(session, phone="13800000001", party_size=5)
    factories.book(session, phone="13800000002", party_size=5)
    waiting = factories.book(session, party_size=2, waitlist=True)

    promoted = services.session_update(
        session=session, starts_at=session.starts_at, ends_at=session.ends_at, capacity=12
    )

    assert promoted == [waiting]


def test_check_in_takes_only_bookings_of_today(event, street_staff):
    later = factories.SessionFactory(
        event=event, starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    booking = factories.book(later)

    with pytest.raises(ValidationError) as error:
        services.booking_check_in(event=event, code=booking.code, actor=street_staff)

    assert _code(error) == "not_today"
