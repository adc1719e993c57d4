"""Logging a case: its number in its street's year, its due date from the category, its first
entry in the timeline."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from governance import notifications
from governance.models import (
    Case,
    CaseCount,
    CaseNumberSequence,
    CaseStatus,
    CaseSums,
    CaseUpdate,
    Category,
    UpdateKind,
)
from governance.permissions import can_manage_area
from residents.models import ResidentialArea, User


def _next_sequence(street_id: int, year: int) -> int:
    """The next number of a street's year; the sequence row is locked until commit."""
    sequence, _created = CaseNumberSequence.objects.get_or_create(street_id=street_id, year=year)
    CaseNumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return CaseNumberSequence.objects.select_for_update().get(pk=sequence.pk).last


@transaction.atomic
def case_create(
    *,
    actor: User,
    area: ResidentialArea,
    category: Category,
    title: str,
    description: str,
    channel: str,
    priority: int,
    compound=None,
    building_group=None,
    location: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    indicator=None,
    created_at: datetime.datetime | None = None,
) -> Case:
    """Log a case in an area the actor works for; its due date follows from the category."""
    if not can_manage_area(actor, area):
        raise PermissionDenied
    created_at = created_at or timezone.now()
    local_day = timezone.localtime(created_at).date()
    case = Case(
        street_id=area.street_id,
        year=local_day.year,
        area=area,
        category=category,
        title=title,
        description=description,
        channel=channel,
        priority=priority,
        compound=compound,
        building_group=building_group,
        location=location,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        indicator=indicator,
        logged_by=actor,
        created_at=created_at,
        due_date=local_day + datetime.timedelta(days=category.target_days),
    )
    case.full_clean(exclude=["number", "sequence"])
    case.sequence = _next_sequence(area.street_id, case.year)
    case.number = f"{area.street.code}-{case.year}-{case.sequence:04d}"
    case._history_user = actor  # history keeps who, also outside a request
    case._history_date = created_at
    case.save()
    CaseCount.add(area_id=area.pk, status=CaseStatus.NEW, delta=1)
    CaseSums.of(case).keep(CaseSums.none())
    CaseUpdate.objects.create(
        case=case,
        author=actor,
        kind=UpdateKind.TRANSITION,
        to_status=CaseStatus.NEW,
        text="",
        created_at=created_at,
    )
    notifications.case_logged(case=case, actor=actor)
    return case
