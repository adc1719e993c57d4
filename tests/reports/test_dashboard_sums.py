"""The dashboard's case figures, added up from the kept monthly sums, against the same figures
worked out case by case in Python, on the demo street (its cases made through the services)."""

import datetime
from collections import defaultdict

import pytest
from django.utils import timezone

from governance.models import Case, CaseStatus, PartyRole, Satisfaction
from governance.models.case_sums import seconds_between
from governance.models.cases import ENDED_STATUSES, reopened_case_ids
from reports.figures import build_dashboard
from reports.periods import Period, last_twelve_months, month_period
from residents.models import ResidentialArea

pytestmark = pytest.mark.django_db


def _average_days(seconds: list[int]) -> float | None:
    return round(sum(seconds) / len(seconds) / 86400, 1) if seconds else None


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _speed(cases: list[Case]) -> dict:
    return {
        "logged": len(cases),
        "days_to_accept": _average_days(
            [seconds_between(c.accepted_at, c.created_at) for c in cases if c.accepted_at]
        ),
        "days_to_resolve": _average_days(
            [seconds_between(c.resolved_at, c.created_at) for c in cases if c.resolved_at]
        ),
    }


def by_hand(areas: list[ResidentialArea], period: Period, on: datetime.date) -> dict:
    """Every case figure of the dashboard, case by case, over the days its sums cover."""
    start, end = period.in_whole_months().bounds()

    def inside(moment, first=start, after=end) -> bool:
        return moment is not None and first <= moment < after

    cases = list(
        Case.objects.filter(area__in=areas).prefetch_related("parties__organization", "follow_ups")
    )
    reopened = set(reopened_case_ids().values_list("case", flat=True))
    logged = [c for c in cases if inside(c.created_at)]
    resolved = [c for c in cases if inside(c.resolved_at)]
    on_time = [c for c in resolved if timezone.localtime(c.resolved_at).date() <= c.due_date]
    closed = [c for c in cases if c.status == CaseStatus.CLOSED and inside(c.closed_at)]
    totals = {
        "open": sum(c.status not in ENDED_STATUSES for c in cases),
        "overdue": sum(c.is_overdue(on) for c in cases),
        "logged": len(logged),
        "resolved": len(resolved),
        "resolved_on_time": len(on_time),
        "closed": len(closed),
        "reopened": sum(c.pk in reopened for c in logged),
    }
    totals["on_time_share"] = _share(totals["resolved_on_time"], totals["resolved"])
    totals["reopen_rate"] = _share(totals["reopened"], totals["logged"])

    months = []
    for month in period.months:
        first, after = month_period(month.year, month.month).bounds()
        months.append(
            (
                month,
                sum(inside(c.created_at, first, after) for c in cases),
                sum(inside(c.closed_at, first, after) for c in closed),
            )
        )

    by_area = [
        (
            area.pk,
            {
                "open": sum(c.status not in ENDED_STATUSES for c in cases if c.area_id == area.pk),
                "overdue": sum(c.is_overdue(on) for c in cases if c.area_id == area.pk),
                **_speed([c for c in logged if c.area_id == area.pk]),
            },
        )
        for area in areas
    ]
    per_category = defaultdict(list)
    for case in logged:
        per_category[case.category].append(case)
    by_category = [
        (category.pk, _speed(per_category[category]))
        for category in sorted(per_category, key=lambda category: category.name)
    ]

    answers = [f.satisfaction for c in cases for f in c.follow_ups.all() if inside(f.created_at)]
    content = sum(a in (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED) for a in answers)
    satisfaction = {
        "rows": [(choice, answers.count(choice)) for choice in Satisfaction],
        "total": len(answers),
        "content_share": _share(content, len(answers)),
    }

    parties = defaultdict(lambda: {"led": 0, "assisted": 0, "seconds": []})
    for case in logged:
        for party in case.parties.all():
            row = parties[(party.organization_id, party.organization.name)]
            if party.role == PartyRole.LEAD:
                row["led"] += 1
                if case.resolved_at:
                    row["seconds"].append(seconds_between(case.resolved_at, case.created_at))
            else:
                row["assisted"] += 1
    party_rows = sorted(
        (
            {
                "organization": pk,
                "name": name,
                "led": row["led"],
                "assisted": row["assisted"],
                "days_to_resolve": _average_days(row["seconds"]),
            }
            for (pk, name), row in parties.items()
        ),
        key=lambda row: (-row["led"], -row["assisted"], row["name"]),
    )
    return {
        "totals": totals,
        "months": months,
        "by_area": by_area,
        "by_category": by_category,
        "satisfaction": satisfaction,
        "parties": party_rows,
    }


def from_sums(areas: list[ResidentialArea], period: Period, on: datetime.date) -> dict:
    dashboard = build_dashboard(
        ResidentialArea.objects.filter(pk__in=[a.pk for a in areas]), period, on
    )
    return {
        "totals": dashboard.totals,
        "months": [(m["month"], m["logged"], m["closed"]) for m in dashboard.months],
        "by_area": [(area.pk, row) for area, row in dashboard.by_area],
        "by_category": [(category.pk, row) for category, row in dashboard.by_category],
        "satisfaction": dashboard.satisfaction,
        "parties": dashboard.parties,
    }


def test_the_demo_streets_figures_are_those_of_its_cases(demo):
    today = timezone.localdate()
    street = list(ResidentialArea.objects.filter(street__slug="lujiazui").order_by("street", "pk"))
    assert Case.objects.filter(area__in=street).count() > 30
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    periods = [
        last_twelve_months(today),
        month_period(today.year, today.month),
        month_period(last_month.year, last_month.month),
        Period(today - datetime.timedelta(days=75), today - datetime.timedelta(days=40)),
    ]

    for scope in [street, *[[area] for area in street]]:
        for period in periods:
            expected = by_hand(scope, period, today)

            assert from_sums(scope, period, today) == expected, (scope, period)
    assert by_hand(street, periods[0], today)["totals"]["resolved"] > 10
