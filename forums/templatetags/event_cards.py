"""An event's time slots as cards, written in Python: the exhibition's forty slots were forty
cards of a dozen template tags each, the dearest part of its page."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from forums.models import EventSession

register = template.Library()

_CARD = (
    '\n  <li class="session-card">'
    '\n    <h3 class="session-card__time"><time datetime="{}">{}</time>\N{EN DASH}'
    '<time datetime="{}">{}</time></h3>'
    '\n    <p class="session-card__seats">{}</p>'
    "\n    {}"
    "\n  </li>"
)


@register.simple_tag
def session_cards(sessions: Iterable[EventSession], booking_state: str) -> SafeString:
    """One card a slot, with the times, seats and booking address ``event_detail`` gave it:
    its seats left or "full", and, while booking is open, a full-width button to book or
    join the waitlist that names the slot to a screen reader."""
    rows = [(session, session.only_waitlist()) for session in sessions]
    full = format_html('<span class="badge badge--warn">{}</span>', _("Full: waitlist open"))
    waitlist, book = _("Join the waitlist"), _("Book")

    def button(session: EventSession, only_waitlist: bool) -> SafeString | str:
        if booking_state != "open":
            return ""
        return format_html(
            '<a class="button button--block" href="{}">{}'
            '<span class="visually-hidden"> {}</span></a>',
            session.book_url,
            waitlist if only_waitlist else book,
            session.starts_short,
        )

    return format_html_join(
        "",
        _CARD,
        (
            (
                session.starts_iso,
                session.starts_label,
                session.ends_iso,
                session.ends_label,
                full if only_waitlist else session.seats_label,
                button(session, only_waitlist),
            )
            for session, only_waitlist in rows
        ),
    )
