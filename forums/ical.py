"""iCalendar: a confirmed booking's file for the resident's calendar, and the public feed of
forums and events that calendar apps subscribe to."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from forums.models import Booking, EventSession, Forum


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
        ngettext(
            "Booking code %(code)s, %(people)s person. Show the code at the entrance.",
            "Booking code %(code)s, %(people)s people. Show the code at the entrance.",
            booking.party_size,
        )
        % {"code": booking.code, "people": booking.party_size},
    )
    entry.add("url", page_url)
    calendar.add_component(entry)
    return calendar.to_ical()


# How far back the public calendar reaches: recent sessions stay in subscribers' calendars.
CALENDAR_PAST_DAYS = 90


def public_calendar(*, site_url: str, now: datetime.datetime | None = None) -> bytes:
    """The published forums and the time slots of public events, as one iCalendar feed for
    calendar apps to subscribe to. Only what the public pages show; never a booking."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    calendar = Calendar()
    calendar.add("prodid", "-//Lujiazui co-governance portal//Forums and events//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Lujiazui Street: forums and events"))
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    stamp = now.astimezone(datetime.UTC)
    for forum in Forum.objects.published().filter(starts_at__gte=since).order_by("starts_at"):
        entry = CalendarEvent()
        entry.add("uid", f"forum-{forum.pk}@lujiazui")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", forum.starts_at.astimezone(datetime.UTC))
        entry.add("summary", forum.title)
        entry.add("location", forum.venue)
        entry.add("description", forum.theme)
        entry.add("url", site_url + forum.get_absolute_url())
        calendar.add_component(entry)
    sessions = (
        EventSession.objects.filter(event__is_public=True, ends_at__gte=since)
        .select_related("event")
        .order_by("starts_at", "pk")
    )
    for session in sessions:
        event = session.event
        entry = CalendarEvent()
        entry.add("uid", f"event-session-{session.pk}@lujiazui")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", session.starts_at.astimezone(datetime.UTC))
        entry.add("dtend", session.ends_at.astimezone(datetime.UTC))
        entry.add("summary", event.title)
        entry.add("location", f"{event.venue}, {event.address}")
        entry.add("description", event.summary)
        entry.add("url", site_url + event.get_absolute_url())
        calendar.add_component(entry)
    return calendar.to_ical()
