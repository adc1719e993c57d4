"""Queued and background imports: the import page queues an upload (``roster_import_queue``) for
a background task that runs it (``roster_import_run``) and records the result; the management
command runs ``roster_import`` at once."""

import logging
import traceback
from dataclasses import asdict

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from governance.models import RosterImport, RosterImportStatus
from governance.models.imports import progress_key, progress_save
from governance.roster import read_roster
from governance.services.roster.rows import RosterResult, RowProblem, roster_import
from lujiazui.uploads import save_on_commit
from residents.models import ResidentialArea, Street, User

# The name its log lines have always carried: the package's, not this module's.
logger = logging.getLogger("governance.services.roster")


@transaction.atomic
def roster_import_queue(
    *, actor: User, street: Street, file: File, dry_run: bool, language: str
) -> RosterImport:
    """Keep the uploaded roster in the private storage and hand it to the background task once
    this transaction commits. The page of the returned import follows its progress."""
    if not (
        Street.objects.managed_by(actor).filter(pk=street.pk).exists()
        or ResidentialArea.objects.managed_by(actor).filter(street=street).exists()
    ):
        raise PermissionDenied
    record = RosterImport(
        street=street,
        actor=actor,
        original_name=(file.name or "")[-200:],
        dry_run=dry_run,
        language=language,
    )
    save_on_commit(record.file, file.name or "roster", file)
    record.save()

    def enqueue() -> None:
        from governance.tasks import run_roster_import  # the task module imports this one

        run_roster_import.enqueue(record.pk)

    transaction.on_commit(enqueue)
    return record


def roster_import_run(*, import_id: int) -> None:
    """Check or import a queued roster in its uploader's language, recording the result; the
    count of rows done goes to the cache as they are worked through. An unexpected error marks
    the import failed (nothing is written: the rows' transaction is rolled back) and is logged
    without the error's text, which may quote names from the file."""
    started = RosterImport.objects.filter(pk=import_id, status=RosterImportStatus.QUEUED).update(
        status=RosterImportStatus.RUNNING, started_at=timezone.now()
    )
    if not started:
        return  # run already, or no longer there
    record = RosterImport.objects.select_related("street", "actor").get(pk=import_id)
    try:
        with translation.override(record.language or None):
            _roster_import_record(record)
    except Exception as error:
        logger.error(
            "Roster import %s failed with %s at:\n%s",
            import_id,
            type(error).__name__,
            # Where it happened, without the lines' text or the error's: either may quote the file.
            "\n".join(
                f"  {frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(error.__traceback__)
            ),
        )
        RosterImport.objects.filter(pk=import_id).update(
            status=RosterImportStatus.FAILED, written=False, finished_at=timezone.now()
        )
    finally:
        _discard_file(import_id)
        cache.delete(progress_key(import_id))


def _roster_import_record(record: RosterImport) -> None:
    try:
        with record.file.open("rb") as handle:
            rows = read_roster(handle, record.original_name)
    except ValidationError as error:
        # The file as a whole is refused (unreadable, no header, too long): a problem of no row.
        problems = [
            RowProblem(0, "", message, error.code or "invalid") for message in error.messages
        ]
        _record_result(record, RosterResult(problems=problems))
        return
    RosterImport.objects.filter(pk=record.pk).update(rows_total=len(rows))
    progress_save(record.pk, 0)
    with transaction.atomic():  # the rows and their result are recorded together, or neither
        result = roster_import(
            actor=record.actor,
            street=record.street,
            rows=rows,
            dry_run=record.dry_run,
            progress=lambda done: progress_save(record.pk, done),
        )
        _record_result(record, result)


def _record_result(record: RosterImport, result: RosterResult) -> None:
    RosterImport.objects.filter(pk=record.pk).update(
        status=RosterImportStatus.DONE,
        rows_total=result.rows,
        organizations_created=result.organizations_created,
        people_created=result.people_created,
        posts_created=result.posts_created,
        posts_on_record=result.posts_on_record,
        written=result.written,
        problems=[asdict(problem) for problem in result.problems],
        finished_at=timezone.now(),
    )


def _discard_file(import_id: int) -> None:
    """The roster holds names: it is kept only while its import runs."""
    record = RosterImport.objects.get(pk=import_id)
    if record.file:
        record.file.delete(save=False)
        RosterImport.objects.filter(pk=import_id).update(file="")
