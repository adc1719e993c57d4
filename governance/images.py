"""Photos uploaded by staff are saved again without what the camera wrote into them."""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow refuses an image of more than twice its pixel limit (a decompression bomb: a small
# file that decodes to gigabytes) and only warns between the limit and twice it; both refuse.
BOMBS = (Image.DecompressionBombError, Image.DecompressionBombWarning)
UNREADABLE = (UnidentifiedImageError, *BOMBS, OSError, SyntaxError, ValueError)


def decoded_format(content: bytes) -> str:
    """The format of an image whose every pixel decodes, within Pillow's pixel limit, or ""."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()  # the structure
            with Image.open(io.BytesIO(content)) as image:
                image_format = image.format or ""
                image.load()  # and every pixel: a valid header over garbage is refused
        except UNREADABLE:
            return ""
    return image_format


def image_without_metadata(upload: File) -> ContentFile:
    """The uploaded image drawn again, upright, with no EXIF, GPS or other metadata."""
    upload.seek(0)
    with Image.open(upload) as image:
        image_format = image.format or "PNG"
        clean = ImageOps.exif_transpose(image)
        if image_format == "JPEG" and clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        buffer = io.BytesIO()
        clean.save(buffer, format=image_format)
    return ContentFile(buffer.getvalue(), name=upload.name)


# Photo formats the portal shows, and the extension a stored photo is named with.
PHOTO_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def checked_photo(upload: File, *, max_bytes: int) -> ContentFile:
    """An uploaded photo checked (size, a JPEG, PNG or WebP whose every pixel decodes) and drawn
    again without its metadata, under a random name: the upload's own name may hold personal
    data. Raises ValidationError with code file_too_large or not_a_photo."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The photo is larger than %(size)d MB."),
            code="file_too_large",
            params={"size": max_bytes // (1024 * 1024)},
        )
    upload.seek(0)
    image_format = decoded_format(upload.read())
    if image_format not in PHOTO_EXTENSIONS:
        raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."), code="not_a_photo")
    clean = image_without_metadata(upload)
    clean.name = f"{uuid.uuid4().hex}.{PHOTO_EXTENSIONS[image_format]}"
    return clean
