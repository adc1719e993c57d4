"""The street at a glance (看板): figures of the 1+3+N structure, the cases, the indicators and
the micro-wishes of the areas a user manages, each computed by the database on request.

Every function takes the areas (or the wishes) already scoped to what the user manages (the
areas of ``ResidentialArea.objects.managed_by(user)``) and a date range; none loops over cases
in Python. The case figures add up the monthly sums the case services keep
(``governance.models.case_sums``).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from governance.models import (
    Agreement,
    Case,
    CaseCount,
    CaseMonth,
    CasePartyMonth,
    Category,
    Indicator,
    Organization,
    OrganizationKind,
    PartyRole,
    Satisfaction,
    with_structure_figures,
)
from governance.models.case_sums import MONTH_FIELDS, SATISFACTION_FIELDS
from governance.models.cases import (
    ENDED_STATUSES,
    FINISHED_STATUSES,
)
from governance.models.organizations import SubqueryCount
from reports.charts import bar_chart, month_chart
from reports.events import event_figures
from reports.periods import Period, month_period
from residents.models import ResidentialArea
from wishes.models import Wish


def _share(part: int, whole: int) -> int | None:
    """Per cent, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


# The 1+3+N structure --------------------------------------------------------------------------


def structure_completeness(
    areas: QuerySet[ResidentialArea], on: datetime.date
) -> QuerySet[ResidentialArea]:
    """Each area with what its 1+3+N needs: a party organisation, a residents' committee, an
    owners' committee in term, a property company under a valid contract, its N partners and
    current agreements, and its cross-appointed people."""
    own = Organization.objects.filter(area=OuterRef("pk"))
    in_term = Q(term_end__gte=on) & (Q(term_start__isnull=True) | Q(term_start__lte=on))
    return (
        with_structure_figures(areas, on)
        .annotate(
            has_party=Exists(own.filter(kind=OrganizationKind.PARTY)),
            has_residents_committee=Exists(own.filter(kind=OrganizationKind.RESIDENTS_COMMITTEE)),
            owners_committee_in_term=Exists(
                own.filter(in_term, kind=OrganizationKind.OWNERS_COMMITTEE)
            ),
            property_contract_valid=Exists(
                own.filter(in_term, kind=OrganizationKind.PROPERTY_COMPANY)
            ),
            agreement_count=SubqueryCount(
                Agreement.objects.current(on).filter(area=OuterRef("pk")).values("pk")
            ),
        )
        .order_by("street", "pk")
    )


# Cases ------------------------------------------------------------------------------------------
#
# The figures of a range come from the monthly sums the case services keep (CaseMonth,
# CasePartyMonth): a few thousand rows for a street's year instead of its million cases. So they
# cover the whole months the range touches (``Period.in_whole_months``), and where a median
# would need every case, they give the average. Open and overdue now come from the kept counts
# per status (CaseCount), less the unfinished cases not yet due, read through their partial index.


NO_SUMS = dict.fromkeys(MONTH_FIELDS, 0)
NOTHING_NOW = {"open": 0, "overdue": 0}


def _sums(rows: QuerySet, group: str) -> dict:
    """The monthly sums added up per value of ``group`` ("area", "category" or "month")."""
    return {
        row.pop(group): row
        for row in rows.order_by().values(group).annotate(**{f: Sum(f) for f in MONTH_FIELDS})
    }


def _average_days(seconds: int, count: int) -> float | None:
    return round(seconds / count / 86400, 1) if count else None


def _speed(sums: dict) -> dict:
    """Cases logged, and the average days to accept and to resolve those accepted and resolved."""
    return {
        "logged": sums["logged"],
        "days_to_accept": _average_days(sums["seconds_to_accept"], sums["accepted"]),
        "days_to_resolve": _average_days(sums["seconds_to_resolve"], sums["logged_resolved"]),
    }


def open_and_overdue_by_area(area_ids: list[int], on: datetime.date) -> dict[int, dict]:
    """Per area, the cases open and overdue on the day: the kept counts per status, less the
    unfinished cases due on the day or later (the work in hand, not the archive)."""
    counted = (
        CaseCount.objects.filter(area__in=area_ids)
        .order_by()
        .values("area")
        .annotate(
            open=Sum("count", filter=~Q(status__in=ENDED_STATUSES), default=0),
            unfinished=Sum("count", filter=~Q(status__in=FINISHED_STATUSES), default=0),
        )
    )
    not_yet_due = dict(
        Case.objects.filter(area__in=area_ids)
        .exclude(status__in=FINISHED_STATUSES)
        .filter(due_date__gte=on)
        .order_by()
        .values_list("area")
        .annotate(n=Count("*"))
    )
    return {
        row["area"]: {
            "open": row["open"],
            "overdue": row["unfinished"] - not_yet_due.get(row["area"], 0),
        }
        for row in counted
    }


def case_totals(per_area: dict[int, dict], now: dict[int, dict]) -> dict:
    """Open and overdue now; logged, resolved (on time) and closed in the months; the share of
    the cases logged in them that were reopened at least once."""
    totals = {
        "open": sum(row["open"] for row in now.values()),
        "overdue": sum(row["overdue"] for row in now.values()),
    }
    for name in ("logged", "resolved", "resolved_on_time", "closed", "reopened"):
        totals[name] = sum(row[name] for row in per_area.values())
    totals["on_time_share"] = _share(totals["resolved_on_time"], totals["resolved"])
    totals["reopen_rate"] = _share(totals["reopened"], totals["logged"])
    return totals


def cases_per_month(sums: QuerySet[CaseMonth], period: Period) -> list[dict]:
    """Per month of the period: the cases logged and the cases closed (still closed today)."""
    by_month = {
        row.pop("month"): row
        for row in sums.order_by()
        .values("month")
        .annotate(logged=Sum("logged"), closed=Sum("closed"))
    }
    return [
        {
            "month": month,
            "logged": by_month.get(month, {}).get("logged", 0),
            "closed": by_month.get(month, {}).get("closed", 0),
            "period": month_period(month.year, month.month),
        }
        for month in period.months
    ]


def satisfaction(per_area: dict[int, dict]) -> dict:
    """Follow-ups recorded in the months, per answer, and the share at least basically
    satisfied."""
    counts = {
        answer: sum(row[name] for row in per_area.values())
        for answer, name in SATISFACTION_FIELDS.items()
    }
    total = sum(counts.values())
    content = counts[Satisfaction.SATISFIED] + counts[Satisfaction.BASICALLY_SATISFIED]
    return {
        "rows": [(choice, counts[choice]) for choice in Satisfaction],
        "total": total,
        "content_share": _share(content, total),
    }


def party_figures(sums: QuerySet[CasePartyMonth]) -> list[dict]:
    """Per organisation that took part in cases logged in the months: cases led, cases assisted,
    and the average days to resolve the cases it led (of those resolved)."""
    rows = (
        sums.order_by()
        .values("organization", "organization__name")
        .annotate(
            led=Sum("cases", filter=Q(role=PartyRole.LEAD), default=0),
            assisted=Sum("cases", filter=Q(role=PartyRole.ASSISTING), default=0),
            led_resolved=Sum("resolved", filter=Q(role=PartyRole.LEAD), default=0),
            led_seconds=Sum("seconds_to_resolve", filter=Q(role=PartyRole.LEAD), default=0),
        )
        .filter(Q(led__gt=0) | Q(assisted__gt=0))
        .order_by("-led", "-assisted", "organization__name")
    )
    return [
        {
            "organization": row["organization"],
            "name": row["organization__name"],
            "led": row["led"],
            "assisted": row["assisted"],
            "days_to_resolve": _average_days(row["led_seconds"], row["led_resolved"]),
        }
        for row in rows
    ]


# Indicators and micro-wishes ------------------------------------------------------------------


def indicators(areas: QuerySet[ResidentialArea]) -> list[Indicator]:
    """The areas' indicators with their latest reading (``latest_progress``, ``is_reached``)."""
    return list(
        Indicator.objects.filter(area__in=areas)
        .with_latest_reading()
        .select_related("area")
        .order_by("area", "name")
    )


def wish_figures(wishes: QuerySet[Wish], period: Period) -> dict:
    """Wishes published, claimed and fulfilled in the period, in all and per partner unit."""
    published, claimed = period.within("published_at"), period.within("claimed_at")
    fulfilled = period.within("fulfilled_at")
    totals = wishes.order_by().aggregate(
        published=Count("pk", filter=published),
        claimed=Count("pk", filter=claimed),
        fulfilled=Count("pk", filter=fulfilled),
    )
    per_unit = list(
        wishes.filter(claimed_by_organization__isnull=False)
        .filter(claimed | fulfilled)
        .order_by()
        .values("claimed_by_organization", "claimed_by_organization__name")
        .annotate(
            claimed=Count("pk", filter=claimed),
            fulfilled=Count("pk", filter=fulfilled),
        )
        .order_by("-fulfilled", "-claimed", "claimed_by_organization__name")
    )
    return {**totals, "per_unit": per_unit}


# Everything together --------------------------------------------------------------------------


@dataclass
class CaseFigures:
    """The figures that read the cases (their monthly sums and kept counts)."""

    totals: dict
    months: list[dict]
    per_area: dict[int, dict]
    by_category: list[tuple[Category, dict]]
    satisfaction: dict
    parties: list[dict]


@dataclass
class Dashboard:
    period: Period
    on: datetime.date
    areas: list[ResidentialArea]
    totals: dict
    months: list[dict]
    by_area: list[tuple[ResidentialArea, dict]]
    by_category: list[tuple[Category, dict]]
    satisfaction: dict
    parties: list[dict]
    indicators: list[Indicator]
    wishes: dict
    # The days the case figures cover: the period's whole months (see Period.in_whole_months).
    case_period: Period | None = None
    events: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)

    @property
    def area_ids(self) -> list[int]:
        return [area.pk for area in self.areas]

    @property
    def counts_more_days(self) -> bool:
        """Whether the case figures count days before or after the period (days to come aside:
        the last twelve months, to today, are whole months)."""
        period, counted = self.period, self.case_period
        return counted.start < period.start or (period.end < self.on and counted.end > period.end)


def case_figures(area_ids: list[int], period: Period, on: datetime.date) -> CaseFigures:
    """Every figure of the areas' cases in the months of the period, from the monthly sums;
    open and overdue on the day ``on``. Seven small queries, whatever the number of cases."""
    months = CaseMonth.objects.filter(area__in=area_ids).in_months(period.start, period.end)
    per_area = _sums(months, "area")
    per_category = {
        pk: row for pk, row in _sums(months, "category").items() if row["logged"]
    }  # the categories of the cases logged in the months
    now = open_and_overdue_by_area(area_ids, on)
    categories = Category.objects.filter(pk__in=list(per_category)).order_by("name")
    return CaseFigures(
        totals=case_totals(per_area, now),
        months=cases_per_month(months, period),
        per_area={
            pk: {**now.get(pk, NOTHING_NOW), **_speed(per_area.get(pk, NO_SUMS))} for pk in area_ids
        },
        by_category=[(category, _speed(per_category[category.pk])) for category in categories],
        satisfaction=satisfaction(per_area),
        parties=party_figures(
            CasePartyMonth.objects.filter(area__in=area_ids).in_months(period.start, period.end)
        ),
    )


def build_dashboard(
    areas: QuerySet[ResidentialArea],
    period: Period,
    on: datetime.date | None = None,
    street_ids: list[int] | None = None,
) -> Dashboard:
    """Every figure of the dashboard for the given (already scoped) areas, computed now: the
    case figures from the monthly sums of the period's whole months, the structure, indicators
    and wishes from their tables (a few hundred rows); the events of the areas, and those of
    the whole street when ``street_ids`` names it."""
    on = on or timezone.localdate()
    area_list = list(structure_completeness(areas, on).select_related("street"))
    area_ids = [area.pk for area in area_list]
    figures = case_figures(area_ids, period, on)
    dashboard = Dashboard(
        period=period,
        on=on,
        areas=area_list,
        totals=figures.totals,
        months=figures.months,
        by_area=[(area, figures.per_area[area.pk]) for area in area_list],
        by_category=figures.by_category,
        satisfaction=figures.satisfaction,
        parties=figures.parties,
        indicators=indicators(ResidentialArea.objects.filter(pk__in=area_ids)),
        wishes=wish_figures(Wish.objects.filter(area__in=area_ids), period),
        case_period=period.in_whole_months(),
        events=event_figures(area_ids, street_ids or [], period),
    )
    dashboard.charts = {
        "months": month_chart(dashboard.months),
        "areas": bar_chart(
            [(area.short_name, row.get("days_to_resolve")) for area, row in dashboard.by_area]
        ),
    }
    return dashboard
