"""Writes of record on party-building brands: the activities done under a brand."""

import datetime
import io
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from governance.images import image_without_metadata
from governance.models import Brand, BrandAction, BrandActivity
from governance.permissions import can_manage_brand
from residents.models import User

# Photo formats a brand page shows; the file is named after what it is, not after the upload.
PHOTO_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _photo_format(upload: File) -> str:
    """The image format read from the bytes; a damaged or foreign file is refused."""
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format or ""
            image.load()  # every pixel: a valid header over garbage is refused
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        image_format = ""
    if image_format not in PHOTO_EXTENSIONS:
        raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."), code="not_a_photo")
    return image_format


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
    """Record an activity of a brand, optionally under one of its actions, with a photo saved
    again without its metadata (a phone photo's EXIF says where and when it was taken)."""
    brand = Brand.objects.select_for_update().get(pk=brand.pk)
    if not can_manage_brand(actor, brand):
        raise PermissionDenied
    if action is not None and action.brand_id != brand.pk:
        raise ValidationError(
            _("The action must be one of the brand's own."), code="action_outside_brand"
        )
    if date > timezone.localdate():
        raise ValidationError(
            _("An activity is recorded once it has taken place."), code="activity_in_future"
        )
    photo_alt = photo_alt.strip()
    if photo and not photo_alt:
        raise ValidationError(_("Describe what the photo shows."), code="photo_needs_description")
    if photo and photo.size > settings.CASE_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The photo is larger than %(size)d MB.")
            % {"size": settings.CASE_ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    activity = BrandActivity(
        brand=brand,
        action=action,
        date=date,
        title=title.strip(),
        text=text.strip(),
        photo_alt=photo_alt if photo else "",
        recorded_by=actor,
    )
    activity.full_clean(exclude=["photo"])
    if photo:
        extension = PHOTO_EXTENSIONS[_photo_format(photo)]
        clean = image_without_metadata(photo)
        activity.photo.save(f"{uuid.uuid4().hex}.{extension}", clean, save=False)
    try:
        activity.save()
    except Exception:
        if activity.photo:
            activity.photo.delete(save=False)  # no file without its row
        raise
    return activity


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
