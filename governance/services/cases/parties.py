"""A case's parties: the lead and assisting organisations, and the updates they add to its
timeline."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import notifications
from governance.models import (
    Case,
    CaseParty,
    CaseSums,
    CaseUpdate,
    Organization,
    PartyRole,
    UpdateKind,
)
from governance.permissions import can_manage_case, can_view_case, user_organizations
from governance.services.cases.locking import lock_case
from residents.models import User


@transaction.atomic
def case_set_parties(
    *,
    case: Case,
    actor: User,
    lead: Organization | None,
    assisting: list[Organization],
    at: datetime.datetime | None = None,
) -> Case:
    """Set the one lead party and the assisting parties of a case."""
    case = lock_case(case)
    if not can_manage_case(actor, case):
        raise PermissionDenied
    sums = CaseSums.of(case)
    chosen = ([lead] if lead else []) + list(assisting)
    allowed = set(
        Organization.objects.available_to(case.area)
        .filter(pk__in=[o.pk for o in chosen])
        .values_list("pk", flat=True)
    )
    if any(org.pk not in allowed for org in chosen):
        raise ValidationError(
            _("Parties must come from the case's residential area or serve the whole street."),
            code="party_outside_area",
        )
    if lead and lead in assisting:
        raise ValidationError(
            _("The lead party cannot also be an assisting party."), code="lead_also_assisting"
        )
    wanted = {org.pk: PartyRole.ASSISTING for org in assisting}
    if lead:
        wanted[lead.pk] = PartyRole.LEAD
    for party in case.parties.all():
        party._history_user = actor
        party._history_date = at or timezone.now()
        if party.organization_id not in wanted:
            party.delete()
        elif party.role != wanted[party.organization_id] and party.role == PartyRole.LEAD:
            party.role = PartyRole.ASSISTING  # demote first: one lead at a time
            party.save()
            notifications.case_party_set(
                case=case, organization_id=party.organization_id, role=party.role, actor=actor
            )
    existing = {p.organization_id: p for p in case.parties.all()}
    for organization_id, role in sorted(wanted.items(), key=lambda item: item[1] == PartyRole.LEAD):
        party = existing.get(organization_id)
        if party is not None and party.role == role:
            continue
        if party is None:
            party = CaseParty(
                case=case, organization_id=organization_id, added_at=at or timezone.now()
            )
        party.role = role
        party._history_user = actor
        party._history_date = at or timezone.now()
        party.save()
        notifications.case_party_set(
            case=case, organization_id=organization_id, role=role, actor=actor
        )
    CaseSums.of(case).keep(sums)
    return case


@transaction.atomic
def case_add_update(
    *,
    case: Case,
    actor: User,
    text: str,
    party: Organization | None = None,
    is_public: bool = False,
    kind: str = UpdateKind.NOTE,
    attendees: str = "",
    at: datetime.datetime | None = None,
) -> CaseUpdate:
    """Add what a party did, or a coordination meeting with its attendees, to the timeline."""
    if not can_view_case(actor, case):
        raise PermissionDenied
    if kind not in (UpdateKind.NOTE, UpdateKind.MEETING):
        raise ValidationError(_("Choose an update or a meeting."), code="invalid_update_kind")
    if not text.strip():
        raise ValidationError(_("Write what was done."), code="update_needs_text")
    if kind == UpdateKind.MEETING and not attendees.strip():
        raise ValidationError(_("List who attended the meeting."), code="meeting_needs_attendees")
    if party is not None and not case.parties.filter(organization=party).exists():
        raise ValidationError(
            _("The acting party must be a party of the case."), code="party_not_in_case"
        )
    if (
        party is not None
        and not can_manage_case(actor, case)
        and not user_organizations(actor).filter(pk=party.pk).exists()
    ):
        raise ValidationError(
            _("You can only report for an organisation you work for."), code="party_not_yours"
        )
    update = CaseUpdate.objects.create(
        case=case,
        author=actor,
        party=party,
        kind=kind,
        text=text.strip(),
        is_public=is_public,
        attendees=attendees.strip(),
        created_at=at or timezone.now(),
    )
    notifications.case_updated(update=update)
    return update
