from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from lujiazui import backup
from lujiazui.management.backup_output import BackupOutput


class Command(BaseCommand):
    help = (
        "Check a backup against its manifest: the file (and media archive) checksums and, unless "
        "--file-only, every table of the database (e.g. right after restore_database)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The backup to check.")
        parser.add_argument(
            "--file-only",
            action="store_true",
            help="Check only the backup's files, not the database.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to compare.")

    def handle(self, *args, file: Path, file_only: bool, database: str, **options) -> None:
        output = BackupOutput(self)
        try:
            problems = backup.verify_backup(
                path=file,
                alias=database,
                database=not file_only,
                progress=output.progress,
                say=output.say,
            )
        except backup.BackupError as error:
            output.end_bar()
            raise CommandError(str(error)) from error
        if problems:
            raise CommandError("The backup's manifest does not match:\n  " + "\n  ".join(problems))
        output.say(self.style.SUCCESS(f"{file} matches its manifest."))
