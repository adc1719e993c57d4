"""The dashboard's panel of event bookings and attendance: governance's page loads this tag,
so that governance's Python never imports forums."""

from django import template
from django.db.models import Count, Q, Sum

from forums.models import Booking, BookingStatus

register = template.Library()

EVENTS_SHOWN = 20


@register.inclusion_tag("forums/includes/event_figures.html")
def event_figures(area_ids: list[int], street_ids: list[int], period) -> dict:
    """Per event of the areas (and, on a street's dashboard, of the street as a whole) with a
    time slot starting in the period: confirmed bookings and people, and who came."""
    start, end = period.bounds()
    confirmed = Booking.objects.filter(
        Q(session__event__area__in=area_ids)
        | Q(session__event__area__isnull=True, session__event__street__in=street_ids),
        session__starts_at__gte=start,
        session__starts_at__lt=end,
        status=BookingStatus.CONFIRMED,
    ).order_by()
    came = Q(checked_in_at__isnull=False)
    figures = {
        "bookings": Count("pk"),
        "people": Sum("party_size", default=0),
        "checked_in": Count("pk", filter=came),
        "people_checked_in": Sum("party_size", filter=came, default=0),
    }
    rows = list(
        confirmed.values("session__event__slug", "session__event__title")
        .annotate(**figures)
        .order_by("-people", "session__event__title")[:EVENTS_SHOWN]
    )
    return {"totals": confirmed.aggregate(**figures), "rows": rows}
