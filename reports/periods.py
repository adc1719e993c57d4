"""The ranges of days the dashboard and the monthly report cover: a period, its months, the last
twelve months and one calendar month."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

MAX_MONTHS = 24
# The years a dashboard or a report may cover: the portal holds no case before or after them, and
# at the calendar's edges a period's bounds would be no dates at all.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    """A range of whole days, first and last included."""

    start: datetime.date
    end: datetime.date

    @property
    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches, oldest first (at most MAX_MONTHS)."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end and len(months) < MAX_MONTHS:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The first moment of the first day and the first moment after the last day."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return start, end

    def within(self, field_name: str) -> Q:
        start, end = self.bounds()
        return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})

    def in_whole_months(self) -> "Period":
        """The days the monthly sums of the period's months cover: from the first day of its
        first month to the last day of its last month."""
        return Period(self.start.replace(day=1), month_period(self.end.year, self.end.month).end)


def last_twelve_months(on: datetime.date | None = None) -> Period:
    on = on or timezone.localdate()
    start = on.replace(day=1)
    for _month in range(11):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return Period(start, on)


def month_period(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return Period(start, end)
