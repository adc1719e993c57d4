"""Monthly sums of the cases (案件月度汇总), kept by the case services in the same transaction as
each change, so that the dashboard adds up a few thousand rows instead of reading a million.

Each count is filed under the month of its own event, in the portal's time zone: a case is
*logged* in the month of its ``created_at`` (and the times to accept and resolve it, and whether
it was ever reopened, are counted there too), *resolved* in the month of its ``resolved_at``,
*closed* in the month of its ``closed_at``, and a follow-up in the month it was recorded. The
sums always describe the cases as they are now: reopening a case takes its resolution back, a
new category moves all of its counts. ``CaseSums.of(case)`` is what one case adds; a service
reads it before and after its change and applies the difference (``keep``), and
``rebuild_case_sums()`` computes every sum from the cases again (after a bulk load or repair).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Count, F, Func, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caching.versions import InvalidatingQuerySet
from governance.models.cases import (
    Case,
    CaseParty,
    CaseStatus,
    Category,
    FollowUp,
    PartyRole,
    Satisfaction,
    reopened_case_ids,
)
from governance.models.organizations import Organization
from residents.models import ResidentialArea

# Per follow-up answer, the field of CaseMonth that counts it.
SATISFACTION_FIELDS = {
    Satisfaction.SATISFIED: "satisfied",
    Satisfaction.BASICALLY_SATISFIED: "basically_satisfied",
    Satisfaction.UNSATISFIED: "unsatisfied",
}
MONTH_FIELDS = [
    "logged",
    "accepted",
    "seconds_to_accept",
    "logged_resolved",
    "seconds_to_resolve",
    "reopened",
    "resolved",
    "resolved_on_time",
    "closed",
    *SATISFACTION_FIELDS.values(),
]
PARTY_FIELDS = ["cases", "resolved", "seconds_to_resolve"]


def _zone() -> datetime.tzinfo:
    """Months are the portal's (settings.TIME_ZONE), whoever's request changes a case."""
    return timezone.get_default_timezone()


def month_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, _zone()).date().replace(day=1)


def seconds_between(later: datetime.datetime, earlier: datetime.datetime) -> int:
    """Whole seconds from one moment to the other, cut toward zero (as ``Seconds`` in SQL)."""
    difference = later - earlier
    whole = abs(difference) // datetime.timedelta(seconds=1)
    return whole if difference >= datetime.timedelta(0) else -whole


class Seconds(Func):
    """``seconds_between`` in SQL: whole seconds from ``earlier`` to ``later``, cut toward zero;
    NULL when either is NULL."""

    arity = 2
    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):  # pragma: no cover
        raise NotImplementedError(f"Seconds has no SQL for {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra_context):
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"TRUNC(EXTRACT(EPOCH FROM ({later[0]} - {earlier[0]})))::bigint"
        return sql, (*later[1], *earlier[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores a moment as UTC text, "YYYY-MM-DD HH:MM:SS" and ".ffffff" when the
        # microseconds are not zero: count microseconds exactly, then cut to seconds.
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, sql_params = compiler.compile(expression)
            parts.append(
                f"(CAST(strftime('%%s', {sql}) AS INTEGER) * 1000000 + "
                f"CASE WHEN length({sql}) > 19 THEN CAST(substr({sql}, 21, 6) AS INTEGER) "
                "ELSE 0 END)"
            )
            params += [*sql_params, *sql_params, *sql_params]
        return f"(({parts[0]} - {parts[1]}) / 1000000)", tuple(params)


# The rows ---------------------------------------------------------------------------------------


class MonthSumQuerySet(InvalidatingQuerySet):
    def in_months(self, first: datetime.date, last: datetime.date) -> "MonthSumQuerySet":
        """The rows of the months from ``first`` to ``last`` (any day of them), both included."""
        return self.filter(month__gte=first.replace(day=1), month__lte=last.replace(day=1))


class CaseMonth(models.Model):
    """What an area's cases of one category did in a month (see the module's docstring for
    which month each count is filed under)."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("residential area"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    # The cases logged in the month, and what became of them.
    logged = models.IntegerField(_("logged"), default=0)
    accepted = models.IntegerField(_("accepted"), default=0)
    seconds_to_accept = models.BigIntegerField(_("seconds to accept"), default=0)
    logged_resolved = models.IntegerField(_("resolved of those logged"), default=0)
    seconds_to_resolve = models.BigIntegerField(_("seconds to resolve"), default=0)
    reopened = models.IntegerField(_("reopened of those logged"), default=0)
    # Resolutions and closures in the month, whenever the case was logged.
    resolved = models.IntegerField(_("resolved"), default=0)
    resolved_on_time = models.IntegerField(_("resolved on time"), default=0)
    closed = models.IntegerField(_("closed"), default=0)
    # Follow-ups recorded in the month, per answer.
    satisfied = models.IntegerField(_("satisfied"), default=0)
    basically_satisfied = models.IntegerField(_("basically satisfied"), default=0)
    unsatisfied = models.IntegerField(_("unsatisfied"), default=0)

    objects = MonthSumQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly case sum")
        verbose_name_plural = _("monthly case sums")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "month", "category"], name="case_month_per_area_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%Y-%m} {self.category_id}: {self.logged}"


class CasePartyMonth(models.Model):
    """For the cases of an area logged in a month: how many one organisation took part in, in one
    role, and how many of those are resolved and in how long."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("residential area"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole)
    cases = models.IntegerField(_("cases"), default=0)
    resolved = models.IntegerField(_("resolved"), default=0)
    seconds_to_resolve = models.BigIntegerField(_("seconds to resolve"), default=0)

    objects = MonthSumQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly case party sum")
        verbose_name_plural = _("monthly case party sums")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "month", "organization", "role"],
                name="case_party_month_per_area_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%Y-%m} {self.organization_id} {self.role}"


# One case's share ------------------------------------------------------------------------------

MonthKey = tuple[datetime.date, int, int]  # month, area, category
PartyKey = tuple[datetime.date, int, int, str]  # month, area, organisation, role


@dataclass
class CaseSums:
    """What one case adds to the monthly sums: counts per CaseMonth and CasePartyMonth key."""

    months: dict[MonthKey, Counter]
    parties: dict[PartyKey, Counter]

    @classmethod
    def none(cls) -> "CaseSums":
        return cls({}, {})

    @classmethod
    def of(cls, case: Case) -> "CaseSums":
        """The case's share as its fields (as given) and its rows (in the database) are now:
        three queries, for its follow-ups, its reopenings and its parties."""
        follow_ups = FollowUp.objects.filter(case=case).values_list("created_at", "satisfaction")
        reopened = reopened_case_ids().filter(case=case).exists()
        parties = CaseParty.objects.filter(case=case).values_list("organization", "role")

        months: dict[MonthKey, Counter] = defaultdict(Counter)
        logged = months[(month_of(case.created_at), case.area_id, case.category_id)]
        logged["logged"] += 1
        if case.accepted_at is not None:
            logged["accepted"] += 1
            logged["seconds_to_accept"] += seconds_between(case.accepted_at, case.created_at)
        to_resolve = None
        if case.resolved_at is not None:
            to_resolve = seconds_between(case.resolved_at, case.created_at)
            logged["logged_resolved"] += 1
            logged["seconds_to_resolve"] += to_resolve
            resolved = months[(month_of(case.resolved_at), case.area_id, case.category_id)]
            resolved["resolved"] += 1
            on_day = timezone.localtime(case.resolved_at, _zone()).date()
            resolved["resolved_on_time"] += on_day <= case.due_date
        if case.status == CaseStatus.CLOSED and case.closed_at is not None:
            months[(month_of(case.closed_at), case.area_id, case.category_id)]["closed"] += 1
        if reopened:
            logged["reopened"] += 1
        for moment, satisfaction in follow_ups:
            key = (month_of(moment), case.area_id, case.category_id)
            months[key][SATISFACTION_FIELDS[satisfaction]] += 1

        party_sums: dict[PartyKey, Counter] = defaultdict(Counter)
        for organization_id, role in parties:
            share = party_sums[(month_of(case.created_at), case.area_id, organization_id, role)]
            share["cases"] += 1
            if to_resolve is not None:
                share["resolved"] += 1
                share["seconds_to_resolve"] += to_resolve
        return cls(dict(months), dict(party_sums))

    def keep(self, before: "CaseSums") -> None:
        """Apply to the kept sums what changed from ``before`` to this (one case's shares)."""
        _add(
            CaseMonth, ("month", "area_id", "category_id"), _difference(self.months, before.months)
        )
        _add(
            CasePartyMonth,
            ("month", "area_id", "organization_id", "role"),
            _difference(self.parties, before.parties),
        )


def _difference(after: dict, before: dict) -> dict:
    changes = {}
    for key in after.keys() | before.keys():
        delta = Counter(after.get(key, {}))
        delta.subtract(before.get(key, {}))
        delta = {name: n for name, n in delta.items() if n}
        if delta:
            changes[key] = delta
    return changes


def _add(model: type[models.Model], dimensions: tuple[str, ...], changes: dict) -> None:
    """``UPDATE ... SET n = n + delta`` on each row, created first when missing (the unique
    constraint makes one of two concurrent creations wait and then find the other's row). Rows
    are always taken in the same order (their keys sorted), so two transactions cannot
    deadlock."""
    for key in sorted(changes):
        row = model.objects.filter(**dict(zip(dimensions, key, strict=True)))
        added = {name: F(name) + delta for name, delta in changes[key].items()}
        if not row.update(**added):  # the month's first count of these dimensions
            created, _new = model.objects.get_or_create(**dict(zip(dimensions, key, strict=True)))
            model.objects.filter(pk=created.pk).update(**added)


# Everything again, from the cases --------------------------------------------------------------


def _month(field: str) -> TruncMonth:
    return TruncMonth(field, output_field=models.DateField(), tzinfo=_zone())


def _zero(expression) -> Coalesce:
    return Coalesce(expression, 0)


def case_month_rows() -> list[CaseMonth]:
    """Every CaseMonth row, computed from the cases: four GROUP BY queries."""
    rows: dict[MonthKey, Counter] = defaultdict(Counter)

    def merge(queryset) -> None:
        for values in queryset:
            key = (values.pop("month"), values.pop("area"), values.pop("category"))
            rows[key].update(values)

    cases = Case.objects.order_by()
    merge(
        cases.annotate(month=_month("created_at"))
        .values("month", "area", "category")
        .annotate(
            logged=Count("pk"),
            accepted=Count("accepted_at"),
            seconds_to_accept=_zero(Sum(Seconds("accepted_at", "created_at"))),
            logged_resolved=Count("resolved_at"),
            seconds_to_resolve=_zero(Sum(Seconds("resolved_at", "created_at"))),
            reopened=Count("pk", filter=Q(pk__in=reopened_case_ids())),
        )
    )
    with timezone.override(_zone()):  # resolved_at__date is the portal's day
        merge(
            cases.filter(resolved_at__isnull=False)
            .annotate(month=_month("resolved_at"))
            .values("month", "area", "category")
            .annotate(
                resolved=Count("pk"),
                resolved_on_time=Count("pk", filter=Q(resolved_at__date__lte=F("due_date"))),
            )
        )
    merge(
        cases.filter(status=CaseStatus.CLOSED, closed_at__isnull=False)
        .annotate(month=_month("closed_at"))
        .values("month", "area", "category")
        .annotate(closed=Count("pk"))
    )
    merge(
        FollowUp.objects.order_by()
        .annotate(month=_month("created_at"), area=F("case__area"), category=F("case__category"))
        .values("month", "area", "category")
        .annotate(
            **{
                name: Count("pk", filter=Q(satisfaction=answer))
                for answer, name in SATISFACTION_FIELDS.items()
            }
        )
    )
    return [
        CaseMonth(month=month, area_id=area, category_id=category, **counts)
        for (month, area, category), counts in rows.items()
    ]


def case_party_month_rows() -> list[CasePartyMonth]:
    """Every CasePartyMonth row, computed from the cases' parties: one GROUP BY query."""
    grouped = (
        CaseParty.objects.order_by()
        .annotate(month=_month("case__created_at"), area=F("case__area"))
        .values("month", "area", "organization", "role")
        .annotate(
            cases=Count("pk"),
            resolved=Count("case__resolved_at"),
            seconds_to_resolve=_zero(Sum(Seconds("case__resolved_at", "case__created_at"))),
        )
    )
    return [
        CasePartyMonth(
            month=row["month"],
            area_id=row["area"],
            organization_id=row["organization"],
            role=row["role"],
            cases=row["cases"],
            resolved=row["resolved"],
            seconds_to_resolve=row["seconds_to_resolve"],
        )
        for row in grouped
    ]


STEPS = 4  # the progress steps of rebuild_case_sums
SUM_MODELS = (CaseMonth, CasePartyMonth)


@transaction.atomic
def rebuild_case_sums(progress=None) -> tuple[int, int]:
    """Compute every monthly sum from the cases again (after a bulk load or a repair), in one
    transaction; returns the CaseMonth and CasePartyMonth rows written. ``progress(done)`` is
    called after each of the STEPS steps."""
    progress = progress or (lambda done: None)
    if connection.vendor == "postgresql":
        # The services wait to write their changes until this commits (reads go on): a change
        # is then either in the cases read here or applied over the sums written here.
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in SUM_MODELS)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    months = case_month_rows()
    progress(1)
    parties = case_party_month_rows()
    progress(2)
    CaseMonth.objects.all().delete()
    CasePartyMonth.objects.all().delete()
    CaseMonth.objects.bulk_create(months, batch_size=2000)
    progress(3)
    CasePartyMonth.objects.bulk_create(parties, batch_size=2000)
    progress(4)
    return len(months), len(parties)
