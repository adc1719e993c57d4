"""Editing what a case says: its fields, saved only if nobody saved the case since the form
was loaded, and its due date, moved by street staff with a reason."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Case, CaseSums, CaseUpdate, Category, Indicator, UpdateKind
from governance.permissions import can_change_due_date, can_manage_case
from governance.services.cases.locking import lock_case
from governance.services.edits import KEEP, Keep, given
from residents.models import BuildingGroup, Compound, User

# Fields a case form may change (case_edit's keywords); status, number and due date have
# services of their own.
EDITABLE_FIELDS = [
    "title",
    "description",
    "category",
    "compound",
    "building_group",
    "location",
    "channel",
    "priority",
    "reporter_name",
    "reporter_phone",
    "indicator",
]


class EditConflict(ValidationError):
    """Someone else saved the case after this form was loaded."""


@transaction.atomic
def case_edit(
    *,
    case: Case,
    actor: User,
    version: int,
    title: str | Keep = KEEP,
    description: str | Keep = KEEP,
    category: Category | Keep = KEEP,
    compound: Compound | Keep | None = KEEP,
    building_group: BuildingGroup | Keep | None = KEEP,
    location: str | Keep = KEEP,
    channel: str | Keep = KEEP,
    priority: int | Keep = KEEP,
    reporter_name: str | Keep = KEEP,
    reporter_phone: str | Keep = KEEP,
    indicator: Indicator | Keep | None = KEEP,
) -> Case:
    """Save a form's changes only if nobody saved the case since the form was loaded; a field
    left at ``KEEP`` keeps its value."""
    case = lock_case(case)
    if not can_manage_case(actor, case):
        raise PermissionDenied
    if case.version != version:
        raise EditConflict(
            _("Someone else changed this case while you were editing it."), code="edit_conflict"
        )
    sums = CaseSums.of(case)
    changes = given(
        title=title,
        description=description,
        category=category,
        compound=compound,
        building_group=building_group,
        location=location,
        channel=channel,
        priority=priority,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        indicator=indicator,
    )
    for field, value in changes.items():
        setattr(case, field, value)
    case.full_clean()
    case.version += 1
    case._history_user = actor  # history keeps who, also outside a request
    case.save()
    CaseSums.of(case).keep(sums)  # a new category moves every count of the case
    return case


@transaction.atomic
def case_change_due_date(*, case: Case, actor: User, due_date: datetime.date, reason: str) -> Case:
    """Street staff move a case's due date, and say why."""
    case = lock_case(case)
    if not can_change_due_date(actor, case):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why the due date changes."), code="due_date_needs_reason")
    sums = CaseSums.of(case)
    old = case.due_date
    case.due_date = due_date
    case.due_date_reason = reason.strip()
    case._history_user = actor  # history keeps who, also outside a request
    case.save()
    CaseSums.of(case).keep(sums)  # a resolution may now be on time, or late
    CaseUpdate.objects.create(
        case=case,
        author=actor,
        kind=UpdateKind.DUE_DATE,
        # Stored as entered, in no one language: the kind says what it is.
        text=f"{old:%Y-%m-%d} → {due_date:%Y-%m-%d}: {reason.strip()}",
    )
    return case
