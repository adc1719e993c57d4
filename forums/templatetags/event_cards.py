"""An event's time slots as cards, written in Python: the exhibition's forty slots were forty
cards of a dozen template tags each, the dearest part of its page."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from forums.models import EventSession
from governance.widgets import conditional_escape as escape

register = template.Library()

_CARD = (
    '\n  <li class="session-card">'
    '\n    <h3 class="session-card__time"><time datetime="{}">{}</time>\N{EN DASH}'
    '<time datetime="{}">{}</time></h3>'
    '\n    <p class="session-card__seats">{}</p>'
    "\n    {}"
    "\n  </li>"
)
_FULL = '<span class="badge badge--warn">{}</span>'
_BUTTON = '<a class="button button--block" href="{}">{}<span class="visually-hidden"> {}</span></a>'


@register.simple_tag
def session_cards(sessions: Iterable[EventSession], booking_state: str) -> SafeString:
    """One card a slot, with the times, seats and booking address ``event_detail`` gave it:
    its seats left or "full", and, while booking is open, a full-width button to book or
    join the waitlist that names the slot to a screen reader. Each value is escaped as
    format_html would, by the portal's conditional_escape: Django's checks each argument for
    lazy text first, which cost more than the escaping for the forty slots of an exhibition."""
    full = _FULL.format(escape(_("Full: waitlist open")))
    waitlist, book = escape(_("Join the waitlist")), escape(_("Book"))

    def card(session: EventSession) -> str:
        only_waitlist = session.only_waitlist()
        button = ""
        if booking_state == "open":
            button = _BUTTON.format(
                escape(session.book_url),
                waitlist if only_waitlist else book,
                escape(session.starts_short),
            )
        return _CARD.format(
            escape(session.starts_iso),
            escape(session.starts_label),
            escape(session.ends_iso),
            escape(session.ends_label),
            full if only_waitlist else escape(session.seats_label),
            button,
        )

    return mark_safe("".join(card(session) for session in sessions))  # noqa: S308 - escaped
