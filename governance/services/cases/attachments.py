"""A case's attachments: photos and PDFs, checked by their bytes and stored privately."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from governance.images import decoded_format, image_without_metadata
from governance.models import Attachment, AttachmentKind, Case
from governance.permissions import can_view_case
from lujiazui.uploads import save_on_commit
from residents.models import User

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/webp": {"webp"},
    "image/gif": {"gif"},
    "application/pdf": {"pdf"},
}


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
