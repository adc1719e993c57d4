"""Photos uploaded by staff are saved again without what the camera wrote into them."""

import io

from django.core.files import File
from django.core.files.base import ContentFile
from PIL import Image, ImageOps


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
