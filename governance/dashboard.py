"""The street at a glance (看板): figures of the 1+3+N structure, the cases, the indicators and
the micro-wishes of the areas a user manages, each computed by the database.

Every function takes already-scoped querysets (the areas, cases or wishes of
``ResidentialArea.objects.managed_by(user)``) and a date range; none loops over rows in Python.
"""

import datetime
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from governance.models import (
    Agreement,
    Case,
    CaseParty,
    CaseStatus,
    Category,
    FollowUp,
    Indicator,
    Organization,
    OrganizationKind,
    PartyRole,
    Satisfaction,
    Wish,
    with_structure_figures,
)
from governance.models.cases import (
    ENDED_STATUSES,
    FINISHED_STATUSES,
    reopened_case_ids,
    units_beyond_managed_areas,
)
from governance.models.organizations import SubqueryCount
from lujiazui.page_cache import kept
from residents.models import ResidentialArea

# Figures computed on request are kept this long.
CACHE_SECONDS = 60
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


def _days(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


def _share(part: int, whole: int) -> int | None:
    """Per cent, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


TIME_TO_ACCEPT = ExpressionWrapper(F("accepted_at") - F("created_at"), output_field=DurationField())
TIME_TO_RESOLVE = ExpressionWrapper(
    F("resolved_at") - F("created_at"), output_field=DurationField()
)


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median of the values that are not null."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def medians(queryset: QuerySet, group: str, duration, present: str) -> dict:
    """The median of ``duration`` per value of ``group``, over the rows where ``present`` is set.

    PostgreSQL computes it as an aggregate. SQLite has none: there each row is numbered within
    its group in order of duration, and only the one or two middle rows of each group come back
    from the database."""
    if connections[queryset.db].vendor == "postgresql":
        rows = (
            queryset.filter(**{f"{present}__isnull": False})
            .order_by()
            .values_list(group)
            .annotate(median=Median(duration))
        )
        return dict(rows)
    rows = (
        queryset.filter(**{f"{present}__isnull": False})
        .order_by()
        .annotate(
            _duration=duration,
            _group=F(group),
        )
        .annotate(
            _rank=Window(RowNumber(), partition_by=[F(group)], order_by=[F("_duration").asc()]),
            _size=Window(Count("*"), partition_by=[F(group)]),
        )
        .filter(Q(_rank=(F("_size") + 1) / 2) | Q(_rank=(F("_size") + 2) / 2))
        .values_list("_group", "_duration")
    )
    middle: dict = defaultdict(list)
    for key, value in rows:  # one or two rows per group
        middle[key].append(value)
    return {key: sum(values, datetime.timedelta()) / len(values) for key, values in middle.items()}


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


def case_totals(cases: QuerySet[Case], period: Period, on: datetime.date) -> dict:
    """Open and overdue now; logged, resolved (on time) and closed in the period; the share of
    the cases logged in the period that were reopened at least once."""
    reopened = Q(pk__in=reopened_case_ids())
    unfinished = ~Q(status__in=FINISHED_STATUSES)
    resolved = period.within("resolved_at")
    figures = cases.order_by().aggregate(
        open=Count("pk", filter=~Q(status__in=ENDED_STATUSES)),
        overdue=Count("pk", filter=unfinished & Q(due_date__lt=on)),
        logged=Count("pk", filter=period.within("created_at")),
        resolved=Count("pk", filter=resolved),
        resolved_on_time=Count("pk", filter=resolved & Q(resolved_at__date__lte=F("due_date"))),
        closed=Count("pk", filter=period.within("closed_at") & Q(status=CaseStatus.CLOSED)),
        reopened=Count("pk", filter=period.within("created_at") & reopened),
    )
    figures["on_time_share"] = _share(figures["resolved_on_time"], figures["resolved"])
    figures["reopen_rate"] = _share(figures["reopened"], figures["logged"])
    return figures


def cases_per_month(cases: QuerySet[Case], period: Period) -> list[dict]:
    """Per month of the period: the cases logged and the cases closed (still closed today)."""
    logged = (
        cases.filter(period.within("created_at"))
        .order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("*"))
    )
    closed = (
        cases.filter(period.within("closed_at"), status=CaseStatus.CLOSED)
        .order_by()
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(n=Count("*"))
    )

    def by_month(rows) -> dict:
        return {timezone.localdate(row["month"]).replace(day=1): row["n"] for row in rows}

    logged_by, closed_by = by_month(logged), by_month(closed)
    return [
        {
            "month": month,
            "logged": logged_by.get(month, 0),
            "closed": closed_by.get(month, 0),
            "period": month_period(month.year, month.month),
        }
        for month in period.months
    ]


def case_speed(cases: QuerySet[Case], period: Period, group: str) -> dict:
    """For the cases logged in the period, per ``group`` ("area" or "category"): how many,
    and the median days to accept and to resolve."""
    logged = cases.filter(period.within("created_at"))
    counts = {
        row[group]: row["n"] for row in logged.order_by().values(group).annotate(n=Count("*"))
    }
    to_accept = medians(logged, group, TIME_TO_ACCEPT, "accepted_at")
    to_resolve = medians(logged, group, TIME_TO_RESOLVE, "resolved_at")
    return {
        key: {
            "logged": n,
            "days_to_accept": _days(to_accept.get(key)),
            "days_to_resolve": _days(to_resolve.get(key)),
        }
        for key, n in counts.items()
    }


def open_and_overdue_by_area(cases: QuerySet[Case], on: datetime.date) -> dict[int, dict]:
    """Per area, the cases open and overdue on the day."""
    rows = (
        cases.open()
        .order_by()
        .values("area")
        .annotate(
            open=Count("*"),
            overdue=Count("pk", filter=~Q(status__in=FINISHED_STATUSES) & Q(due_date__lt=on)),
        )
    )
    return {row.pop("area"): row for row in rows}


def satisfaction(cases: QuerySet[Case], period: Period) -> dict:
    """Follow-ups recorded in the period, per answer, and the share at least basically satisfied."""
    rows = (
        FollowUp.objects.filter(period.within("created_at"), case__in=cases.values("pk"))
        .order_by()
        .values("satisfaction")
        .annotate(n=Count("*"))
    )
    counts = {row["satisfaction"]: row["n"] for row in rows}
    total = sum(counts.values())
    content = counts.get(Satisfaction.SATISFIED, 0) + counts.get(
        Satisfaction.BASICALLY_SATISFIED, 0
    )
    return {
        "rows": [(choice, counts.get(choice.value, 0)) for choice in Satisfaction],
        "total": total,
        "content_share": _share(content, total),
    }


def party_figures(parties: QuerySet[CaseParty], period: Period) -> list[dict]:
    """Per organisation that took part in cases logged in the period: cases led, cases
    assisted, and the median days to resolve the cases it led. Takes the parties of the
    cases in scope (a join, so that an area's cases are read through their index)."""
    parties = parties.filter(period.within("case__created_at"))
    rows = (
        parties.order_by()
        .values("organization", "organization__name")
        .annotate(
            led=Count("pk", filter=Q(role=PartyRole.LEAD)),
            assisted=Count("pk", filter=Q(role=PartyRole.ASSISTING)),
        )
        .order_by("-led", "-assisted", "organization__name")
    )
    to_resolve = medians(
        parties.filter(role=PartyRole.LEAD),
        "organization",
        ExpressionWrapper(
            F("case__resolved_at") - F("case__created_at"), output_field=DurationField()
        ),
        "case__resolved_at",
    )
    return [
        {
            "organization": row["organization"],
            "name": row["organization__name"],
            "led": row["led"],
            "assisted": row["assisted"],
            "days_to_resolve": _days(to_resolve.get(row["organization"])),
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
    """The figures that read the cases: the costly part of a dashboard, kept in the cache."""

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
    charts: dict = field(default_factory=dict)

    @property
    def area_ids(self) -> list[int]:
        return [area.pk for area in self.areas]


def case_figures(area_ids: list[int], period: Period, on: datetime.date) -> CaseFigures:
    """Every figure of the areas' cases, from the database."""
    cases = Case.objects.filter(area__in=area_ids)
    per_area = case_speed(cases, period, "area")
    per_category = case_speed(cases, period, "category")
    now = open_and_overdue_by_area(cases, on)
    categories = Category.objects.filter(pk__in=list(per_category)).order_by("name")
    return CaseFigures(
        totals=case_totals(cases, period, on),
        months=cases_per_month(cases, period),
        per_area={
            pk: {"open": 0, "overdue": 0, "logged": 0, **now.get(pk, {}), **per_area.get(pk, {})}
            for pk in area_ids
        },
        by_category=[(category, per_category[category.pk]) for category in categories],
        satisfaction=satisfaction(cases, period),
        parties=party_figures(CaseParty.objects.filter(case__area__in=area_ids), period),
    )


def build_dashboard(
    areas: QuerySet[ResidentialArea],
    period: Period,
    on: datetime.date | None = None,
    figures: CaseFigures | None = None,
) -> Dashboard:
    """Every figure of the dashboard for the given (already scoped) areas. The case figures are
    computed unless given (from the cache); the structure, indicators and wishes always are:
    they read a few hundred rows."""
    on = on or timezone.localdate()
    area_list = list(structure_completeness(areas, on).select_related("street"))
    area_ids = [area.pk for area in area_list]
    figures = figures or case_figures(area_ids, period, on)
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
    )
    dashboard.charts = {
        "months": month_chart(dashboard.months),
        "areas": bar_chart(
            [(area.short_name, row.get("days_to_resolve")) for area, row in dashboard.by_area]
        ),
    }
    return dashboard


# The cache ---------------------------------------------------------------------------------------
#
# The case figures of a street take seconds to compute at a million cases, so they are kept in
# the cache, with the number of changes each of their areas had when they were computed. The case
# services count every change of an area's cases (``cases_changed``); kept figures whose areas
# changed since, or that were computed on an earlier day, are stale. ``refresh_dashboards``, run
# every minute, computes again the stale figures of the dashboards people open most (every street
# and area, for the last twelve months, this month and the last); meanwhile, and only while that
# job is seen to run, pages show the figures it kept. Anything else is computed on request and
# kept for a minute.

REFRESH_SECONDS = 60  # how often the job runs
KEEP_SECONDS = 26 * 60 * 60  # the job's figures, checked every minute and recomputed when stale
LOCK_SECONDS = 15 * 60  # one run at a time; a run that died frees the lock after this


@dataclass(frozen=True)
class Kept:
    figures: CaseFigures
    changes: tuple[int, ...]  # the areas' change counts the figures were computed at
    on: datetime.date
    checked_at: float = 0.0  # when the job last found the figures fresh (time.time())

    def is_fresh(self, changes: tuple[int, ...], on: datetime.date) -> bool:
        return self.changes == changes and self.on == on

    def is_refreshed(self) -> bool:
        """Checked by the job in its last two runs: it will compute them again if stale."""
        return time.time() - self.checked_at < 2 * REFRESH_SECONDS

    @property
    def version(self) -> str:
        """Names these figures: two computations at the same change counts on the same day give
        the same figures (a page rendered from them may be kept under this)."""
        return f"{self.on}:{','.join(map(str, self.changes))}"


def _changes_key(area_id: int | str) -> str:
    return f"dashboard:changes:{area_id}"


ANY_AREA = "any"  # counts the changes of every area's cases together


def cases_changed(area_id: int) -> None:
    """Count a change of the area's cases once the transaction commits, so that the figures
    kept for every dashboard counting the area become stale, and the workbench lists showing
    them are rendered again (called by the case services, and on every save of a case)."""

    def count() -> None:
        for key in (_changes_key(area_id), _changes_key(ANY_AREA)):
            cache.add(key, 0, None)
            try:
                cache.incr(key)
            except ValueError:  # evicted between the two calls
                cache.set(key, 1, None)

    transaction.on_commit(count)


def case_saved(sender, instance: Case, **kwargs) -> None:
    """post_save / post_delete receiver: a case changed outside the services (the admin) counts
    too."""
    if not kwargs.get("raw"):
        cases_changed(instance.area_id)


def case_change_counters(user) -> list[str]:
    """The cache keys counting the changes of every case the user may see: those of the user's
    areas, and for a partner unit's liaison, whose cases may lie in any area, every area's count.
    Which keys these are is kept until the structure changes (or the user's role and posts do,
    or the day), so that a kept workbench list costs no query to check."""

    def scope() -> tuple[list[int], bool]:
        area_ids = sorted(ResidentialArea.objects.managed_by(user).values_list("pk", flat=True))
        return area_ids, units_beyond_managed_areas(user) is not None

    who = (user.pk, user.is_active, user.is_superuser, user.role, user.street_id, user.person_id)
    area_ids, beyond = kept("case-scope", [str(value) for value in who], scope)
    return [_changes_key(key) for key in [*area_ids, *([ANY_AREA] if beyond else [])]]


def every_case_change_counter() -> list[str]:
    """The cache key counting the changes of every case: what a list of all cases depends on."""
    return [_changes_key(ANY_AREA)]


def _changes(area_ids: list[int]) -> tuple[int, ...]:
    found = cache.get_many([_changes_key(pk) for pk in area_ids])
    return tuple(found.get(_changes_key(pk), 0) for pk in area_ids)


def _cache_key(area_ids: list[int], period: Period) -> str:
    scope = ",".join(map(str, sorted(area_ids)))
    return f"dashboard:{scope}:{period.start}:{period.end}"


def kept_case_figures(area_ids: list[int], period: Period, on: datetime.date) -> Kept:
    """The areas' case figures from the cache when fresh (or about to be refreshed by the job),
    otherwise computed now and kept for a minute."""
    key = _cache_key(area_ids, period)
    changes = _changes(area_ids)  # read first: a change during the computation makes it stale
    kept = cache.get(key)
    if kept is not None and (kept.is_fresh(changes, on) or kept.is_refreshed()):
        return kept
    kept = Kept(case_figures(area_ids, period, on), changes, on)
    cache.set(key, kept, CACHE_SECONDS)
    return kept


def cached_dashboard(
    areas: QuerySet[ResidentialArea], period: Period, on: datetime.date | None = None
) -> Dashboard:
    """The dashboard, its case figures from the cache where they are kept."""
    on = on or timezone.localdate()
    area_ids = sorted(areas.values_list("pk", flat=True))
    figures = kept_case_figures(area_ids, period, on).figures
    return build_dashboard(ResidentialArea.objects.filter(pk__in=area_ids), period, on, figures)


def kept_periods(on: datetime.date) -> list[Period]:
    """The periods the job keeps: the last twelve months, this month and the last."""
    last_month = on.replace(day=1) - datetime.timedelta(days=1)
    return [
        last_twelve_months(on),
        month_period(on.year, on.month),
        month_period(last_month.year, last_month.month),
    ]


def kept_scopes() -> list[list[int]]:
    """The areas of every street, then every area alone: whose dashboards the job keeps."""
    areas = list(ResidentialArea.objects.order_by("pk").values_list("street", "pk"))
    streets = sorted({street for street, _pk in areas})
    scopes = [[pk for street, pk in areas if street == street_id] for street_id in streets]
    return scopes + [[pk] for _street, pk in areas]


@dataclass(frozen=True)
class Refresh:
    computed: int  # stale or missing, computed again
    checked: int  # every kept dashboard


def refresh_dashboards(on: datetime.date | None = None, progress=None) -> Refresh | None:
    """Compute again the stale case figures of every street's and area's kept dashboards, and
    mark the fresh ones as checked. Returns None when another run still holds the lock.
    ``progress(done)`` is called after each scope (of ``kept_scopes()``)."""
    on = on or timezone.localdate()
    if not cache.add("dashboard:refreshing", 1, LOCK_SECONDS):
        return None
    computed = checked = 0
    try:
        scopes, periods = kept_scopes(), kept_periods(on)
        for done, area_ids in enumerate(scopes, start=1):
            for period in periods:
                key = _cache_key(area_ids, period)
                changes = _changes(area_ids)
                kept = cache.get(key)
                if kept is not None and kept.is_fresh(changes, on):
                    kept = replace(kept, checked_at=time.time())
                else:
                    kept = Kept(case_figures(area_ids, period, on), changes, on, time.time())
                    computed += 1
                cache.set(key, kept, KEEP_SECONDS)
                checked += 1
            if progress:
                progress(done)
    finally:
        cache.delete("dashboard:refreshing")
    return Refresh(computed=computed, checked=checked)


# Charts: the geometry of server-rendered SVG bars ----------------------------------------------
#
# Each chart has a value axis (gridlines labelled from zero to the top of the scale) and the month
# chart a legend naming its two series; the words are the template's, in the reader's language.

CHART_WIDTH, CHART_HEIGHT = 640, 268
CHART_LEFT = 48  # room for the value axis's labels
CHART_TOP, CHART_BOTTOM = 44, 220  # the legend above the plot, the month labels below it
BAR_LABEL_WIDTH, BAR_HEIGHT, BAR_STEP = 170, 20, 28


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """Round values from zero to at least ``top`` for a value axis: steps of 1, 2 or 5 times a
    power of ten, at most ``most`` of them."""
    top = max(top or 0, 1)
    power = 10 ** math.floor(math.log10(top / most)) if top > most else 1
    step = next(step * power for step in (1, 2, 5, 10) if math.ceil(top / (step * power)) <= most)
    count = math.ceil(top / step)
    return [round(step * index, 6) for index in range(count + 1)]


def _tick_label(value: float) -> str:
    return f"{value:g}"


def month_chart(months: list[dict]) -> dict:
    """Pairs of bars (logged, closed) per month, in SVG user units, with the value axis's
    gridlines and the legend's places."""
    ticks = nice_ticks(max([m["logged"] for m in months] + [m["closed"] for m in months] or [0]))
    scale = (CHART_BOTTOM - CHART_TOP) / ticks[-1]
    slot = (CHART_WIDTH - CHART_LEFT) / max(len(months), 1)
    bar = max(slot / 2 - 4, 2)
    groups = []
    for index, month in enumerate(months):
        x = CHART_LEFT + index * slot + 2
        bars = []
        for offset, key in enumerate(("logged", "closed")):
            height = round(month[key] * scale, 1)
            bars.append(
                {
                    "kind": key,
                    "x": round(x + offset * (bar + 2), 1),
                    "y": round(CHART_BOTTOM - height, 1),
                    "width": round(bar, 1),
                    "height": height,
                    "value": month[key],
                }
            )
        groups.append(
            {
                "month": month["month"],
                "bars": bars,
                "label_x": round(x + bar + 1, 1),
                # The year under the first month and under every January.
                "shows_year": index == 0 or month["month"].month == 1,
            }
        )
    gridlines = [
        {"y": round(CHART_BOTTOM - tick * scale, 1), "label": _tick_label(tick)} for tick in ticks
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "base": CHART_BOTTOM,
        "label_y": CHART_BOTTOM + 20,
        "year_y": CHART_BOTTOM + 42,
        "tick_x": CHART_LEFT - 6,
        "gridlines": gridlines,
        "groups": groups,
    }


def bar_chart(rows: list[tuple[str, float | None]]) -> dict:
    """Horizontal bars, one per labelled value (None draws no bar), over a value axis labelled
    from zero to the top of its scale."""
    ticks = nice_ticks(max([v for _label, v in rows if v] or [0]))
    plot = CHART_WIDTH - BAR_LABEL_WIDTH - 60
    scale = plot / ticks[-1]
    bars = [
        {
            "label": label,
            "value": value,
            "y": index * BAR_STEP + 4,
            "width": round((value or 0) * scale, 1),
        }
        for index, (label, value) in enumerate(rows)
    ]
    base = len(rows) * BAR_STEP + 8
    gridlines = [
        {"x": round(BAR_LABEL_WIDTH + tick * scale, 1), "label": _tick_label(tick)}
        for tick in ticks
    ]
    return {
        "width": CHART_WIDTH,
        "height": base + 52,
        "left": BAR_LABEL_WIDTH,
        "base": base,
        "label_y": base + 20,
        "title_x": (BAR_LABEL_WIDTH + CHART_WIDTH) // 2,
        "title_y": base + 44,
        "gridlines": gridlines,
        "bars": bars,
    }
