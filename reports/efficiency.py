"""How fast each area works on its cases (处置效率): the figures the street office follows."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from governance.models import Case
from residents.models import ResidentialArea, User

WINDOW_DAYS = 90


@dataclass
class AreaEfficiency:
    area: ResidentialArea
    logged: int = 0
    accepted: int = 0
    time_to_accept: datetime.timedelta | None = None
    resolved: int = 0
    time_to_resolve: datetime.timedelta | None = None
    resolved_on_time: int = 0
    still_open: int = 0
    overdue: int = 0

    @property
    def hours_to_accept(self) -> float | None:
        return _hours(self.time_to_accept)

    @property
    def days_to_resolve(self) -> float | None:
        return (
            None
            if self.time_to_resolve is None
            else round(self.time_to_resolve.total_seconds() / 86400, 1)
        )

    @property
    def on_time_share(self) -> int | None:
        """Per cent of the resolved cases resolved by their due date."""
        return round(100 * self.resolved_on_time / self.resolved) if self.resolved else None


def _hours(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


def area_efficiency(user: User, days: int = WINDOW_DAYS) -> list[AreaEfficiency]:
    """Every area the user manages, with the figures of the cases logged in the last ``days``."""
    since = timezone.now() - datetime.timedelta(days=days)
    areas = list(ResidentialArea.objects.managed_by(user).select_related("street"))
    rows = {
        row.pop("area"): row
        for row in Case.objects.filter(area__in=[a.pk for a in areas]).efficiency_by_area(since)
    }
    return [AreaEfficiency(area=area, **rows.get(area.pk, {})) for area in areas]
