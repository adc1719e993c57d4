"""Writes of record on party-building brands: the activities done under a brand."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.history import audited
from brands.models import Brand, BrandAction, BrandActivity
from brands.permissions import can_manage_brand
from governance.images import checked_photo
from lujiazui.uploads import save_on_commit
from residents.models import User


def brand_activity_check(
    *,
    brand: Brand,
    date: datetime.date,
    action: BrandAction | None = None,
    photo: File | None = None,
    photo_alt: str = "",
) -> File | None:
    """The rules of an activity, for recording and correcting alike; returns the photo checked
    and without its metadata (a phone photo's EXIF says where and when it was taken)."""
    if action is not None and action.brand_id != brand.pk:
        raise ValidationError(
            _("The action must be one of the brand's own."), code="action_outside_brand"
        )
    if date > timezone.localdate():
        raise ValidationError(
            _("An activity is recorded once it has taken place."), code="activity_in_future"
        )
    if photo and not photo_alt.strip():
        raise ValidationError(_("Describe what the photo shows."), code="photo_needs_description")
    return checked_photo(photo, max_bytes=settings.CASE_ATTACHMENT_MAX_BYTES) if photo else None


def _save_with_photo(activity: BrandActivity, photo: File | None) -> None:
    old_photo = activity.photo.name if photo else ""
    if photo:
        save_on_commit(activity.photo, photo.name, photo)
    activity.save()
    if old_photo:
        storage = BrandActivity._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(old_photo))


@audited
@transaction.atomic
def brand_activity_record(
    *,
    brand: Brand,
    actor: User,
    date: datetime.date,
    title: str,
    text: str = "",
    action: BrandAction | None = None,
    photo: File | None = None,
    photo_alt: str = "",
) -> BrandActivity:
    """Record an activity of a brand, optionally under one of its actions, with a photo."""
    brand = Brand.objects.select_for_update().get(pk=brand.pk)
    if not can_manage_brand(actor, brand):
        raise PermissionDenied
    photo = brand_activity_check(
        brand=brand, date=date, action=action, photo=photo, photo_alt=photo_alt
    )
    activity = BrandActivity(
        brand=brand,
        action=action,
        date=date,
        title=title.strip(),
        text=text.strip(),
        photo_alt=photo_alt.strip() if photo else "",
        recorded_by=actor,
    )
    activity.full_clean(exclude=["photo"])
    _save_with_photo(activity, photo)
    return activity


@audited
@transaction.atomic
def brand_activity_edit(
    *,
    activity: BrandActivity,
    actor: User,
    date: datetime.date,
    title: str,
    text: str = "",
    action: BrandAction | None = None,
    photo: File | None = None,
    photo_alt: str = "",
) -> BrandActivity:
    """Correct an activity under the same rules as recording it; a new photo replaces the old."""
    activity = BrandActivity.objects.select_for_update().select_related("brand").get(pk=activity.pk)
    if not can_manage_brand(actor, activity.brand):
        raise PermissionDenied
    keeps_photo = bool(activity.photo) and not photo
    if keeps_photo and not photo_alt.strip():
        raise ValidationError(_("Describe what the photo shows."), code="photo_needs_description")
    photo = brand_activity_check(
        brand=activity.brand, date=date, action=action, photo=photo, photo_alt=photo_alt
    )
    activity.action, activity.date = action, date
    activity.title, activity.text = title.strip(), text.strip()
    activity.photo_alt = photo_alt.strip() if (photo or keeps_photo) else ""
    activity.full_clean(exclude=["photo"])
    _save_with_photo(activity, photo)
    return activity


@audited
@transaction.atomic
def brand_activity_delete(*, activity: BrandActivity, actor: User) -> None:
    """Remove an activity recorded by mistake; its photo goes once the removal is committed."""
    activity = BrandActivity.objects.select_for_update().select_related("brand").get(pk=activity.pk)
    if not can_manage_brand(actor, activity.brand):
        raise PermissionDenied
    photo_name = activity.photo.name
    activity.delete()
    if photo_name:
        storage = BrandActivity._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(photo_name))
