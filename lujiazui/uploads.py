"""Uploaded files reach the storage only when the transaction that records them commits: a
rolled-back upload leaves no file behind, and a committed row names the file written for it."""

import logging

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


def save_on_commit(field_file: FieldFile, name: str, content: File) -> str:
    """Give the model's file field its stored name now, to be saved with the row, and write
    ``content`` under that name once the transaction commits; if it rolls back, nothing is
    written. Returns the name. Use instead of ``field_file.save(name, content, save=False)``."""
    field, instance, storage = field_file.field, field_file.instance, field_file.storage
    name = storage.get_available_name(
        field.generate_filename(instance, name), max_length=field.max_length
    )
    content.seek(0)
    data = content.read()  # the caller may close the upload before the commit
    setattr(instance, field.attname, name)  # a name already stored: saving the row writes nothing

    def write() -> None:
        try:
            stored = storage.save(name, ContentFile(data), max_length=field.max_length)
        except Exception:
            logger.exception(
                "The file %s of %s %s was not written", name, instance._meta.label, instance.pk
            )
            return
        if stored != name:  # another upload took the name meanwhile: the row follows the file
            type(instance)._base_manager.filter(pk=instance.pk).update(**{field.attname: stored})
            setattr(instance, field.attname, stored)

    transaction.on_commit(write, robust=True)
    return name
