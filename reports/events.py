"""The dashboard's and the monthly report's panel of event bookings and attendance."""

from django.db.models import Count, Q, Sum

from forums.models import Booking, BookingStatus
from reports.periods import Period

EVENTS_SHOWN = 20


def event_figures(area_ids: list[int], street_ids: list[int], period: Period) -> dict:
    """Per event of the areas (and, on a street's dashboard, of the street as a whole) with a
    time slot starting in the period (coming slots too, when the period reaches them):
    confirmed bookings and people, and who came; and how many bookings of slots after the
    period are left out."""
    start, end = period.bounds()
    in_scope = Booking.objects.filter(
        Q(session__event__area__in=area_ids)
        | Q(session__event__area__isnull=True, session__event__street__in=street_ids),
        status=BookingStatus.CONFIRMED,
    ).order_by()
    in_period = Q(session__starts_at__gte=start, session__starts_at__lt=end)
    came = Q(checked_in_at__isnull=False)

    def figures(only: Q | None = None) -> dict:
        attended = only & came if only else came
        return {
            "bookings": Count("pk", filter=only),
            "people": Sum("party_size", filter=only, default=0),
            "checked_in": Count("pk", filter=attended),
            "people_checked_in": Sum("party_size", filter=attended, default=0),
        }

    rows = list(
        in_scope.filter(in_period)
        .values("session__event__slug", "session__event__title")
        .annotate(**figures())
        .order_by("-people", "session__event__title")[:EVENTS_SHOWN]
    )
    totals = in_scope.filter(session__starts_at__gte=start).aggregate(
        **figures(in_period), later=Count("pk", filter=Q(session__starts_at__gte=end))
    )
    return {"totals": totals, "rows": rows, "period": period}
