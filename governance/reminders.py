"""The reminders governance registers for ``send_reminders``: cases due soon or overdue,
follow-ups due and terms expiring. Each reminder carries the date it is about as its key, so a
command run every few minutes tells each person once."""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from governance import audiences
from governance.models import TERM_KINDS, Case, CaseParty, CaseStatus, FollowUp, Organization
from governance.models.cases import FINISHED_STATUSES
from inbox.models import Kind, Notification
from inbox.services import notify

DUE_SOON_DAYS = 2
CHUNK = 500


def _in_chunks(queryset) -> Iterator:
    """The rows, read a chunk at a time by primary key: nothing stays open while we write."""
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        yield from queryset.filter(pk__in=pks[start : start + CHUNK]).order_by("pk")


def _cases():
    return Case.objects.select_related("area").prefetch_related(
        Prefetch("parties", queryset=CaseParty.objects.only("case_id", "organization_id"))
    )


def _not_yet_reminded(cases, kind: Kind):
    """Cases with parties whose reminder for their current due date has not gone out since
    the last party joined: a run every few minutes reads only what is new."""
    latest_party = (
        CaseParty.objects.filter(case=OuterRef(OuterRef("pk")))
        .order_by("-added_at")
        .values("added_at")[:1]
    )
    reminded = Notification.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(Case),
        object_id=OuterRef("pk"),
        key=Cast(OuterRef("due_date"), output_field=CharField()),
        created_at__gte=Subquery(latest_party),
    )
    return cases.filter(Exists(CaseParty.objects.filter(case=OuterRef("pk")))).exclude(
        Exists(reminded)
    )


def due_soon(today: datetime.date) -> Iterator[int]:
    """Cases due within two days (tomorrow or the day after): their parties' people."""
    cases = _cases().exclude(status__in=FINISHED_STATUSES)
    cases = cases.filter(
        due_date__gt=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
    )
    cases = _not_yet_reminded(cases, Kind.CASE_DUE_SOON)
    for case in _in_chunks(cases):
        people = audiences.organization_people(p.organization_id for p in case.parties.all())
        yield len(
            notify(
                kind=Kind.CASE_DUE_SOON,
                about=case,
                recipients=people,
                params={"number": case.number, "area": case.area.name, "due": _day(case.due_date)},
                key=case.due_date.isoformat(),
            )
        )


def overdue(today: datetime.date) -> Iterator[int]:
    """Cases past their due date: their parties' people, once per due date."""
    for case in _in_chunks(_not_yet_reminded(_cases().overdue(today), Kind.CASE_OVERDUE)):
        people = audiences.organization_people(p.organization_id for p in case.parties.all())
        yield len(
            notify(
                kind=Kind.CASE_OVERDUE,
                about=case,
                recipients=people,
                params={"number": case.number, "area": case.area.name, "due": _day(case.due_date)},
                key=case.due_date.isoformat(),
            )
        )


def follow_ups_due(today: datetime.date) -> Iterator[int]:
    """Resolved cases without a follow-up since: the area's secretaries, once per resolution."""
    followed = FollowUp.objects.filter(case=OuterRef("pk"), created_at__gte=OuterRef("resolved_at"))
    reminded = Notification.objects.filter(
        kind=Kind.FOLLOW_UP_DUE,
        content_type=ContentType.objects.get_for_model(Case),
        object_id=OuterRef("pk"),
        created_at__gte=OuterRef("resolved_at"),
    )
    cases = (
        Case.objects.select_related("area")
        .filter(status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED], resolved_at__isnull=False)
        .exclude(Exists(followed))
        .exclude(Exists(reminded))
    )
    for case in _in_chunks(cases):
        resolved = timezone.localdate(case.resolved_at)
        yield len(
            notify(
                kind=Kind.FOLLOW_UP_DUE,
                about=case,
                recipients=audiences.area_secretaries(case.area_id),
                params={"number": case.number, "area": case.area.name, "resolved": _day(resolved)},
                key=case.resolved_at.isoformat(),  # each resolution, even two on one day
            )
        )


def terms_expiring(today: datetime.date) -> Iterator[int]:
    """Owners' committee terms and property contracts ending within 90 days: the area's
    secretaries, once per end date."""
    horizon = today + datetime.timedelta(days=settings.TERM_EXPIRY_WARNING_DAYS)
    organizations = Organization.objects.select_related("area").filter(
        kind__in=TERM_KINDS, area__isnull=False, term_end__gte=today, term_end__lte=horizon
    )
    for organization in _in_chunks(organizations):
        yield len(
            notify(
                kind=Kind.TERM_EXPIRING,
                about=organization,
                recipients=audiences.area_secretaries(organization.area_id),
                params={
                    "organization": organization.name,
                    "area": organization.area.name,
                    "end": _day(organization.term_end),
                },
                key=organization.term_end.isoformat(),
            )
        )


def _day(day: datetime.date) -> str:
    return day.isoformat()
