"""Writes of record on micro-wishes: every step of a wish goes through one of these."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.history import audited
from governance.images import checked_photo
from governance.models import Organization
from governance.permissions import can_manage_area
from governance.services.edits import KEEP, Keep, given
from lujiazui.uploads import save_on_commit
from residents.models import ResidentialArea, User
from wishes import notifications, signals
from wishes.models import Wish, WishStatus
from wishes.permissions import can_fulfil_wish, can_manage_wish, wish_claim_units

# Fields the record and edit forms may change (wish_edit's keywords); the status and the steps
# have services of their own.
EDITABLE_FIELDS = [
    "category",
    "title",
    "text",
    "wanted_by",
    "resident_name",
    "resident_phone",
    "resident_address",
]


def _lock(wish: Wish) -> Wish:
    return Wish.objects.select_for_update().select_related("area").get(pk=wish.pk)


def _check_move(wish: Wish, to: str) -> None:
    if not wish.may_become(to):
        raise ValidationError(
            _("A wish cannot go from %(old)s to %(new)s."),
            code="invalid_transition",
            params={"old": WishStatus(wish.status).label, "new": WishStatus(to).label},
        )


def _check_wanted_by(wanted_by: datetime.date, on: datetime.date) -> None:
    if wanted_by < on:
        raise ValidationError(
            _("The wanted-by date cannot be in the past."), code="wanted_by_in_past"
        )


@audited
@transaction.atomic
def wish_record(
    *,
    actor: User,
    area: ResidentialArea,
    category: str,
    title: str,
    text: str,
    wanted_by: datetime.date,
    resident_name: str,
    resident_phone: str = "",
    resident_address: str = "",
    created_at: datetime.datetime | None = None,
) -> Wish:
    """Record a resident's wish on their behalf in an area the actor manages; not yet public."""
    if not can_manage_area(actor, area):
        raise PermissionDenied
    created_at = created_at or timezone.now()
    _check_wanted_by(wanted_by, timezone.localtime(created_at).date())
    wish = Wish(
        street_id=area.street_id,
        area=area,
        category=category,
        title=title.strip(),
        text=text.strip(),
        wanted_by=wanted_by,
        resident_name=resident_name.strip(),
        resident_phone=resident_phone.strip(),
        resident_address=resident_address.strip(),
        recorded_by=actor,
        created_at=created_at,
    )
    wish.full_clean()
    wish.save()
    signals.wish_changed.send(sender=Wish, wish=wish)
    return wish


@audited
@transaction.atomic
def wish_edit(
    *,
    wish: Wish,
    actor: User,
    category: str | Keep = KEEP,
    title: str | Keep = KEEP,
    text: str | Keep = KEEP,
    wanted_by: datetime.date | Keep = KEEP,
    resident_name: str | Keep = KEEP,
    resident_phone: str | Keep = KEEP,
    resident_address: str | Keep = KEEP,
) -> Wish:
    """Change what a wish says while it is submitted or published (before anyone claims it); a
    field left at ``KEEP`` keeps its value."""
    wish = _lock(wish)
    if not can_manage_wish(actor, wish):
        raise PermissionDenied
    if not wish.is_editable:
        raise ValidationError(
            _("A wish can be edited only until it is claimed."), code="not_editable"
        )
    if wanted_by is not KEEP and wanted_by != wish.wanted_by:
        _check_wanted_by(wanted_by, timezone.localdate())
    changes = given(
        category=category,
        title=title,
        text=text,
        wanted_by=wanted_by,
        resident_name=resident_name,
        resident_phone=resident_phone,
        resident_address=resident_address,
    )
    for name, value in changes.items():
        setattr(wish, name, value.strip() if isinstance(value, str) else value)
    wish.full_clean()
    wish.save()
    signals.wish_changed.send(sender=Wish, wish=wish)
    return wish


@audited
@transaction.atomic
def wish_publish(*, wish: Wish, actor: User, at: datetime.datetime | None = None) -> Wish:
    """Put a recorded wish on the public wall."""
    wish = _lock(wish)
    if not can_manage_wish(actor, wish):
        raise PermissionDenied
    _check_move(wish, WishStatus.PUBLISHED)
    wish.status = WishStatus.PUBLISHED
    wish.published_at = at or timezone.now()
    wish.save(update_fields=["status", "published_at", "updated_at"])
    signals.wish_changed.send(sender=Wish, wish=wish)
    return wish


@audited
@transaction.atomic
def wish_claim(
    *,
    wish: Wish,
    actor: User,
    contact: str,
    organization: Organization | None = None,
    person_name: str = "",
    at: datetime.datetime | None = None,
) -> Wish:
    """Claim a published wish for a partner unit (its liaison, or staff recording it) or for a
    person (staff only). The row is locked: of two claims at once, the second is refused."""
    wish = _lock(wish)
    if not Wish.objects.visible_to(actor).filter(pk=wish.pk).exists():
        raise PermissionDenied
    if wish.status in (WishStatus.CLAIMED, WishStatus.FULFILLED, WishStatus.THANKED):
        raise ValidationError(_("Someone has already claimed this wish."), code="already_claimed")
    _check_move(wish, WishStatus.CLAIMED)
    person_name = person_name.strip()
    contact = contact.strip()
    if (organization is None) == (not person_name):
        raise ValidationError(
            _("A wish is claimed by one partner unit or by one person."),
            code="claim_needs_one_claimer",
        )
    if organization is not None:
        if not wish_claim_units(actor, wish).filter(pk=organization.pk).exists():
            raise PermissionDenied
    elif not can_manage_wish(actor, wish):
        raise PermissionDenied  # only staff record a claim by a person
    if not contact:
        raise ValidationError(_("Give the claimer's contact phone."), code="claim_needs_contact")
    wish.status = WishStatus.CLAIMED
    wish.claimed_by_organization = organization
    wish.claimed_by_name = person_name
    wish.claimer_contact = contact
    wish.claimed_by_user = actor
    wish.claimed_at = at or timezone.now()
    wish.save()
    notifications.wish_moved(wish=wish, actor=actor, at=wish.claimed_at)
    signals.wish_changed.send(sender=Wish, wish=wish)
    return wish


@audited
@transaction.atomic
def wish_fulfil(
    *,
    wish: Wish,
    actor: User,
    note: str,
    photo: UploadedFile | None = None,
    at: datetime.datetime | None = None,
) -> Wish:
    """Record that the claimer fulfilled the wish: a note and, if there is one, a photo (kept
    private, without the camera's metadata)."""
    wish = _lock(wish)
    if not Wish.objects.visible_to(actor).filter(pk=wish.pk).exists():
        raise PermissionDenied
    _check_move(wish, WishStatus.FULFILLED)
    if not can_fulfil_wish(actor, wish):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError(_("Say how the wish was fulfilled."), code="fulfilment_needs_note")
    clean = checked_photo(photo, max_bytes=settings.CASE_ATTACHMENT_MAX_BYTES) if photo else None
    wish.status = WishStatus.FULFILLED
    wish.fulfilment_note = note
    wish.fulfilled_at = at or timezone.now()
    if clean is not None:
        save_on_commit(wish.fulfilment_photo, clean.name, clean)
    wish.save()
    notifications.wish_moved(wish=wish, actor=actor, at=wish.fulfilled_at)
    signals.wish_changed.send(sender=Wish, wish=wish)
    return wish


@audited
@transaction.atomic
def wish_thank(*, wish: Wish, actor: User, note: str, at: datetime.datetime | None = None) -> Wish:
    """Publish the resident's thanks, written without their identity."""
    wish = _lock(wish)
    if not can_manage_wish(actor, wish):
        raise PermissionDenied
    _check_move(wish, WishStatus.THANKED)
    note = note.strip()
    if not note:
        raise ValidationError(_("Write the resident's thanks."), code="thanks_needs_note")
    wish.status = WishStatus.THANKED
    wish.thanks_note = note
    wish.thanked_at = at or timezone.now()
    wish.save(update_fields=["status", "thanks_note", "thanked_at", "updated_at"])
    signals.wish_changed.send(sender=Wish, wish=wish)
    return wish


@audited
@transaction.atomic
def wish_withdraw(
    *, wish: Wish, actor: User, reason: str, at: datetime.datetime | None = None
) -> Wish:
    """Take back a wish that is not yet fulfilled, saying why (the wall no longer shows it)."""
    wish = _lock(wish)
    if not can_manage_wish(actor, wish):
        raise PermissionDenied
    _check_move(wish, WishStatus.WITHDRAWN)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the wish is withdrawn."), code="withdrawal_needs_reason")
    wish.status = WishStatus.WITHDRAWN
    wish.withdrawal_reason = reason
    wish.withdrawn_at = at or timezone.now()
    wish.save(update_fields=["status", "withdrawal_reason", "withdrawn_at", "updated_at"])
    signals.wish_changed.send(sender=Wish, wish=wish)
    return wish
