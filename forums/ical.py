"""The iCalendar file of a confirmed booking: the session, in the resident's own calendar."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from forums.models import Booking


def booking_calendar(booking: Booking, *, page_url: str) -> bytes:
    """One VEVENT with the session's times, the venue and the booking code; no name or phone."""
    session = booking.session
    event = session.event
    calendar = Calendar()
    calendar.add("prodid", "-//Lujiazui co-governance portal//Event bookings//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"booking-{booking.code}@lujiazui")
    entry.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    entry.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    entry.add("dtend", session.ends_at.astimezone(datetime.UTC))
    entry.add("summary", event.title)
    entry.add("location", f"{event.venue}, {event.address}")
    entry.add(
        "description",
        _("Booking code %(code)s, %(people)s people. Show the code at the entrance.")
        % {"code": booking.code, "people": booking.party_size},
    )
    entry.add("url", page_url)
    calendar.add_component(entry)
    return calendar.to_ical()
