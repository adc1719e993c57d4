"""Booking a session, cancelling, the waitlist and check-in.

No overbooking, ever: seats are only taken by a conditional UPDATE (`seats_taken + n <= capacity`)
that the database applies atomically, and a CHECK constraint refuses any row past its capacity.
Bookings for one event are also serialised by a lock on the event's row (PostgreSQL; SQLite
serialises every write), so the limit of bookings per phone cannot be raced either.
"""

import datetime
import secrets
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forums import notifications
from forums.models import (
    CODE_ALPHABET,
    MAX_BOOKINGS_PER_PHONE,
    MAX_PARTY_SIZE,
    Booking,
    BookingStatus,
    Event,
    EventSession,
    normalise_code,
    normalise_mobile,
)
from forums.permissions import can_manage_event
from forums.services.search import event_reindex
from residents.models import User


def _lock_event(*, pk: int) -> Event:
    """Bookings of one event queue behind this lock. NO KEY: adding a slot to the event meanwhile
    (which only needs the event's key) is not held up."""
    return Event.objects.select_for_update(no_key=True).get(pk=pk)


def _new_code() -> str:
    while True:
        letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"{letters[:4]}-{letters[4:]}"
        if not Booking.objects.filter(code=code).exists():
            return code


def _take_seats(session: EventSession, seats: int) -> bool:
    """Take the seats if they are free, in one statement; False if they are not."""
    return bool(
        EventSession.objects.filter(pk=session.pk, seats_taken__lte=F("capacity") - seats).update(
            seats_taken=F("seats_taken") + seats
        )
    )


def _check_bookable(event: Event, session: EventSession, now: datetime.datetime) -> None:
    if session.is_past(now):
        raise ValidationError(
            _("This session has already started: choose a later one."), code="session_past"
        )
    state = event.booking_state(now)
    if state == "not_open":
        raise ValidationError(
            _("Booking opens on %(opens)s."),
            code="booking_not_open",
            params={"opens": timezone.localtime(event.booking_opens_at).strftime("%Y-%m-%d %H:%M")},
        )
    if state == "closed":
        raise ValidationError(_("Booking for this event has closed."), code="booking_closed")


@transaction.atomic
def booking_create(
    *,
    session: EventSession,
    name: str,
    phone: str,
    party_size: int,
    waitlist: bool = False,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book seats in a session, or a place on its waitlist when asked for and the seats are gone.

    Raises ValidationError with code session_past, booking_not_open, booking_closed, phone_limit,
    invalid_phone, invalid_party_size or session_full; nothing is stored when it does.
    """
    now = now or timezone.now()
    phone = normalise_mobile(phone)
    name = name.strip()
    if not name:
        raise ValidationError(_("Enter the name the booking is under."), code="name_missing")
    if not 1 <= party_size <= MAX_PARTY_SIZE:
        raise ValidationError(
            ngettext(
                "A booking is for %(most)s person.",
                "A booking is for 1 to %(most)s people.",
                MAX_PARTY_SIZE,
            ),
            code="invalid_party_size",
            params={"most": MAX_PARTY_SIZE},
        )
    event = _lock_event(pk=session.event_id)
    session = EventSession.objects.get(pk=session.pk)
    _check_bookable(event, session, now)
    # Bookings of slots already over no longer count: a months-long exhibition can be revisited.
    held = (
        Booking.objects.for_event(event)
        .active()
        .filter(phone=phone, session__ends_at__gt=now)
        .count()
    )
    if held >= MAX_BOOKINGS_PER_PHONE:
        raise ValidationError(
            ngettext(
                "This mobile number already holds %(most)s booking for this event. Cancel it "
                "before booking again.",
                "This mobile number already holds %(most)s bookings for this event. Cancel one "
                "before booking again.",
                MAX_BOOKINGS_PER_PHONE,
            ),
            code="phone_limit",
            params={"most": MAX_BOOKINGS_PER_PHONE},
        )
    # Seats that come free go to the waitlist first, in order: nobody jumps the queue.
    queue = Booking.objects.waiting().filter(session=session).exists()
    if not queue and _take_seats(session, party_size):
        status = BookingStatus.CONFIRMED
    elif waitlist:
        status = BookingStatus.WAITLISTED
    elif queue and session.seats_left >= party_size:
        raise ValidationError(
            _(
                "People are already waiting for the seats of this session, in order. You may "
                "join its waitlist or choose another session."
            ),
            code="waitlist_first",
        )
    else:
        raise ValidationError(
            ngettext(
                "Not enough seats are left in this session (%(left)s left for %(asked)s person). "
                "You may join its waitlist or choose another session.",
                "Not enough seats are left in this session (%(left)s left for %(asked)s people). "
                "You may join its waitlist or choose another session.",
                party_size,
            ),
            code="session_full",
            params={"left": session.seats_left, "asked": party_size},
        )
    booking = Booking.objects.create(
        session=session,
        code=_new_code(),
        name=name,
        phone=phone,
        party_size=party_size,
        status=status,
        created_at=now,
    )
    notifications.booking_made(booking=booking)
    return booking


@transaction.atomic
def waitlist_promote(
    *, session: EventSession, now: datetime.datetime | None = None
) -> list[Booking]:
    """Offer free seats to the waitlist in order, stopping at the first party that does not fit.

    Runs after a cancellation and after staff raise a session's capacity.
    """
    now = now or timezone.now()
    _lock_event(pk=session.event_id)
    if session.is_past(now):
        return []
    promoted = []
    for booking in Booking.objects.waiting().select_for_update().filter(session=session):
        if not _take_seats(session, booking.party_size):
            break
        booking.status = BookingStatus.CONFIRMED
        booking.promoted_at = now
        booking.save(update_fields=["status", "promoted_at"])
        promoted.append(booking)
    return promoted


@transaction.atomic
def booking_cancel(
    *, code: str, phone: str, now: datetime.datetime | None = None
) -> tuple[Booking, list[Booking]]:
    """Cancel a booking by its code and phone number; its seats go to the waitlist in order.

    Returns the cancelled booking and the bookings promoted from the waitlist.
    """
    now = now or timezone.now()
    booking = booking_find(code=code, phone=phone)
    if booking is None:
        raise ValidationError(
            _("No booking has this code and mobile number."), code="booking_not_found"
        )
    _lock_event(pk=booking.session.event_id)
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("session").get(pk=booking.pk)
    )
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("This booking is already cancelled."), code="already_cancelled")
    if booking.checked_in_at:
        raise ValidationError(
            _("This booking was used to enter and cannot be cancelled."), code="checked_in"
        )
    if booking.session.is_past(now):
        raise ValidationError(_("This session has already started."), code="session_past")
    was_confirmed = booking.status == BookingStatus.CONFIRMED
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        EventSession.objects.filter(pk=booking.session_id).update(
            seats_taken=F("seats_taken") - booking.party_size
        )
    # Whoever leaves, confirmed or at the head of the line, the next party may now fit.
    return booking, waitlist_promote(session=booking.session, now=now)


@transaction.atomic
def session_update(
    *,
    session: EventSession,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
) -> list[Booking]:
    """Change a slot's times or capacity without touching the seats taken; more seats go to the
    waitlist at once. Returns the bookings promoted."""
    _lock_event(pk=session.event_id)
    session = EventSession.objects.get(pk=session.pk)  # as stored: the caller's copy may be stale
    taken = session.seats_taken
    if capacity < taken:
        raise ValidationError(
            ngettext(
                "%(taken)s seat is already booked: the capacity cannot be lower.",
                "%(taken)s seats are already booked: the capacity cannot be lower.",
                taken,
            ),
            code="capacity_below_booked",
            params={"taken": taken},
        )
    session.starts_at, session.ends_at, session.capacity = starts_at, ends_at, capacity
    # Only these columns: seats_taken is the conditional UPDATEs' alone.
    session.save(update_fields=["starts_at", "ends_at", "capacity"])
    # The search results show the event's date.
    event_reindex(event_ids=[session.event_id])
    return waitlist_promote(session=session)


def booking_find(*, code: str, phone: str) -> Booking | None:
    """The booking with this code, if the phone number matches it; None otherwise."""
    try:
        phone = normalise_mobile(phone)
    except ValidationError:
        return None
    return (
        Booking.objects.select_related("session__event")
        .filter(code=normalise_code(code), phone=phone)
        .first()
    )


@transaction.atomic
def booking_check_in(
    *, event: Event, code: str, actor: User, now: datetime.datetime | None = None
) -> Booking:
    """Check a confirmed booking in at the door, by its code."""
    if not can_manage_event(actor, event):
        raise PermissionDenied
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session")
        .filter(session__event=event, code=normalise_code(code))
        .first()
    )
    if booking is None:
        raise ValidationError(
            _("No booking of this event has the code %(code)s."),
            code="booking_not_found",
            params={"code": normalise_code(code)},
        )
    slot_day = timezone.localdate(booking.session.starts_at)
    if slot_day != timezone.localdate(now):
        raise ValidationError(
            _("Booking %(code)s is for %(day)s, not today."),
            code="not_today",
            params={"code": booking.code, "day": slot_day.isoformat()},
        )
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(
            _("Booking %(code)s is %(status)s: it cannot be checked in."),
            code="not_confirmed",
            params={"code": booking.code, "status": booking.get_status_display()},
        )
    if booking.checked_in_at:
        raise ValidationError(
            _("Booking %(code)s was already checked in at %(time)s."),
            code="already_checked_in",
            params={
                "code": booking.code,
                "time": timezone.localtime(booking.checked_in_at).strftime("%H:%M"),
            },
        )
    booking.checked_in_at = now
    booking.checked_in_by = actor
    booking.save(update_fields=["checked_in_at", "checked_in_by"])
    return booking


def bookings_forget(*, ended_before: datetime.datetime, batch_size: int = 1000) -> Iterator[int]:
    """Blank the name and number of bookings whose slot ended before the moment given.

    They were kept to let people in and to reach them if the event changed; afterwards only the
    code, the slot, the party size and the state remain. Yields the running total per batch.
    """
    remembered = Booking.objects.filter(session__ends_at__lt=ended_before).exclude(phone="")
    done = 0
    while True:
        with transaction.atomic():
            batch = list(remembered.values_list("pk", flat=True)[:batch_size])
            if not batch:
                return
            done += Booking.objects.filter(pk__in=batch).update(name="", phone="")
        yield done
