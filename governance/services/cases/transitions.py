"""A case's status: the transitions between statuses, and the resident's follow-up, which
reopens a case the resident is unsatisfied with."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import notifications
from governance.models import (
    ALLOWED_TRANSITIONS,
    Case,
    CaseCount,
    CaseStatus,
    CaseSums,
    CaseUpdate,
    ClosureReason,
    FollowUp,
    PartyRole,
    Satisfaction,
    UpdateKind,
)
from governance.permissions import can_manage_case, can_transition, can_view_case
from governance.services.cases.locking import lock_case
from residents.models import User


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to: CaseStatus | str,
    actor: User,
    note: str = "",
    closure_reason: str = "",
    duplicate_of: Case | None = None,
    satisfaction: str = "",
    at: datetime.datetime | None = None,
) -> Case:
    """Move a case to a new status, recording who did it, when and why.

    `satisfaction` is the unsatisfied follow-up that reopens a case: it stands for the note.
    """
    case = lock_case(case)
    sums = CaseSums.of(case)
    case = _transition(
        case=case,
        to=to,
        actor=actor,
        note=note,
        closure_reason=closure_reason,
        duplicate_of=duplicate_of,
        satisfaction=satisfaction,
        at=at,
    )
    CaseSums.of(case).keep(sums)
    return case


def _transition(
    *,
    case: Case,
    to: CaseStatus | str,
    actor: User,
    note: str,
    closure_reason: str,
    duplicate_of: Case | None,
    satisfaction: str,
    at: datetime.datetime | None,
) -> Case:
    """case_transition on a locked case, without keeping the monthly sums (its caller does)."""
    if not can_view_case(actor, case):
        raise PermissionDenied
    if to not in ALLOWED_TRANSITIONS[case.status]:
        raise ValidationError(
            _("A case cannot go from %(old)s to %(new)s."),
            code="invalid_transition",
            params={"old": CaseStatus(case.status).label, "new": CaseStatus(to).label},
        )
    if not can_transition(actor, case, to):
        raise PermissionDenied
    note = note.strip()
    if to == CaseStatus.REJECTED:
        if not closure_reason:
            raise ValidationError(_("Say why the case is rejected."), code="rejection_needs_reason")
        if not note:
            raise ValidationError(
                _("Explain the rejection in a note."), code="rejection_needs_note"
            )
        if closure_reason == ClosureReason.DUPLICATE:
            visible = Case.objects.visible_to(actor).exclude(pk=case.pk)
            if duplicate_of is None or not visible.filter(pk=duplicate_of.pk).exists():
                raise ValidationError(
                    _("Name the case this one duplicates."), code="duplicate_needs_original"
                )
    if to == CaseStatus.REOPENED and not note and not satisfaction:
        raise ValidationError(_("Say why the case is reopened."), code="reopen_needs_note")
    if to == CaseStatus.IN_PROGRESS and not case.parties.filter(role=PartyRole.LEAD).exists():
        raise ValidationError(_("Set the lead party before work starts."), code="needs_lead_party")
    at = at or timezone.now()
    old = case.status
    case.status = to
    if to == CaseStatus.ACCEPTED and case.accepted_at is None:
        case.accepted_at = at
    if to == CaseStatus.RESOLVED:
        case.resolved_at = at
    if to in (CaseStatus.CLOSED, CaseStatus.REJECTED):
        case.closed_at = at
    if to == CaseStatus.REOPENED:
        case.closed_at = None
        case.resolved_at = None
    if to == CaseStatus.REJECTED:
        case.closure_reason = closure_reason
        case.duplicate_of = duplicate_of if closure_reason == ClosureReason.DUPLICATE else None
    case._history_user = actor  # history keeps who, also outside a request
    case._history_date = at
    case.save()
    # Counter rows are always locked in the same order, so two transitions cannot deadlock.
    for status, delta in sorted([(old, -1), (to, 1)]):
        CaseCount.add(area_id=case.area_id, status=status, delta=delta)
    CaseUpdate.objects.create(
        case=case,
        author=actor,
        kind=UpdateKind.TRANSITION,
        from_status=old,
        to_status=to,
        text=note,
        satisfaction=satisfaction,
        created_at=at,
    )
    notifications.case_transitioned(case=case, to=to, actor=actor, at=at)
    return case


@transaction.atomic
def case_follow_up(
    *,
    case: Case,
    actor: User,
    satisfaction: str,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> FollowUp:
    """Record the resident's satisfaction; an unsatisfied follow-up reopens the case."""
    case = lock_case(case)
    if not can_manage_case(actor, case):
        raise PermissionDenied
    if not case.awaits_follow_up:
        raise ValidationError(
            _("A follow-up comes after the case is resolved."), code="follow_up_before_resolution"
        )
    sums = CaseSums.of(case)
    at = at or timezone.now()
    follow_up = FollowUp.objects.create(
        case=case,
        satisfaction=satisfaction,
        comment=comment.strip(),
        recorded_by=actor,
        created_at=at,
    )
    # The outcome is stored as its code, never as words in the recorder's language.
    CaseUpdate.objects.create(
        case=case,
        author=actor,
        kind=UpdateKind.FOLLOW_UP,
        satisfaction=satisfaction,
        text=comment.strip(),
        created_at=at,
    )
    if satisfaction == Satisfaction.UNSATISFIED:
        case = _transition(
            case=case,
            to=CaseStatus.REOPENED,
            actor=actor,
            note=comment.strip(),
            closure_reason="",
            duplicate_of=None,
            satisfaction=satisfaction,
            at=at,
        )
    # Once for the follow-up and the reopening: the rows are taken in one order.
    CaseSums.of(case).keep(sums)
    return follow_up
