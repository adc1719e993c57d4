"""Writes of record on cases: every change goes through one of these, in one transaction."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import notifications
from governance.images import decoded_format, image_without_metadata
from governance.models import (
    ALLOWED_TRANSITIONS,
    Attachment,
    AttachmentKind,
    Case,
    CaseCount,
    CaseNumberSequence,
    CaseParty,
    CaseStatus,
    CaseSums,
    CaseUpdate,
    Category,
    ClosureReason,
    FollowUp,
    Indicator,
    Organization,
    PartyRole,
    Satisfaction,
    UpdateKind,
)
from governance.permissions import (
    can_change_due_date,
    can_manage_area,
    can_manage_case,
    can_transition,
    can_view_case,
    user_organizations,
)
from governance.services.edits import KEEP, Keep, given
from lujiazui.uploads import save_on_commit
from residents.models import BuildingGroup, Compound, ResidentialArea, User

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
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/webp": {"webp"},
    "image/gif": {"gif"},
    "application/pdf": {"pdf"},
}


def _next_sequence(street_id: int, year: int) -> int:
    """The next number of a street's year; the sequence row is locked until commit."""
    sequence, _created = CaseNumberSequence.objects.get_or_create(street_id=street_id, year=year)
    CaseNumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return CaseNumberSequence.objects.select_for_update().get(pk=sequence.pk).last


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("area", "street").get(pk=case.pk)


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
    case = _lock(case)
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
def case_set_parties(
    *,
    case: Case,
    actor: User,
    lead: Organization | None,
    assisting: list[Organization],
    at: datetime.datetime | None = None,
) -> Case:
    """Set the one lead party and the assisting parties of a case."""
    case = _lock(case)
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


def _sniff(upload: UploadedFile) -> str:
    """The content type from the bytes themselves, never from the name or the browser."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "application/pdf"
    kind = IMAGE_TYPES.get(decoded_format(upload.read()))
    upload.seek(0)
    if kind is None:
        raise ValidationError(
            _("The file is neither a photo (JPEG, PNG, WebP, GIF) nor a PDF, or it is damaged."),
            code="unsupported_file",
        )
    return kind


@transaction.atomic
def case_attach(*, case: Case, actor: User, upload: UploadedFile, kind: str) -> Attachment:
    """Store a photo or PDF privately, after checking its size and that it is what it says."""
    if not can_view_case(actor, case):
        raise PermissionDenied
    if upload.size > settings.CASE_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB."),
            code="file_too_large",
            params={"size": settings.CASE_ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )
    content_type = _sniff(upload)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in EXTENSIONS[content_type]:
        raise ValidationError(
            _("The file's name does not match its content."), code="extension_mismatch"
        )
    if kind in (AttachmentKind.BEFORE, AttachmentKind.AFTER) and not content_type.startswith(
        "image/"
    ):
        raise ValidationError(_("A before or after photo must be an image."), code="not_an_image")
    original_name = upload.name
    if content_type.startswith("image/"):
        # Stored as drawn again: no camera metadata, and nothing appended after the image
        # (a page or an archive hidden behind a valid photo) is kept.
        upload = image_without_metadata(upload)
    attachment = Attachment(
        case=case,
        kind=kind,
        original_name=original_name[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    save_on_commit(attachment.file, upload.name, upload)
    attachment.save()
    return attachment


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
    case = _lock(case)
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


@transaction.atomic
def case_change_due_date(*, case: Case, actor: User, due_date: datetime.date, reason: str) -> Case:
    """Street staff move a case's due date, and say why."""
    case = _lock(case)
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
    case = _lock(case)
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
