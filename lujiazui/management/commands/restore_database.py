from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from lujiazui import backup
from lujiazui.management.backup_output import BackupOutput


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_database into an empty database, then compare every "
        "table with the backup's manifest. A database that is not empty is written over only "
        "with --force, after a confirmation (none with --noinput)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The backup to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write over a database (and media folder) that is not empty.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--media",
            action="store_true",
            help="Also restore the private media folder from FILE.media.tar.gz.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to restore into."
        )

    def handle(self, *args, file: Path, force: bool, interactive: bool, media: bool, **options):
        alias = options["database"]
        output = BackupOutput(self)
        try:
            empty = backup.is_empty(alias)
            if not empty and not force:
                raise backup.BackupError(
                    "The database is not empty: restore with --force to write over it."
                )
            if not empty and interactive and not self._confirmed():
                output.say("Restore cancelled.")
                return
            problems = backup.restore_database(
                path=file,
                alias=alias,
                replace=force,
                media=media,
                progress=output.progress,
                say=output.say,
            )
        except backup.BackupError as error:
            output.end_bar()
            raise CommandError(str(error)) from error
        if problems:
            raise CommandError(
                "The restored database differs from the backup's manifest:\n  "
                + "\n  ".join(problems)
            )
        output.say(
            self.style.SUCCESS(
                f"Restored {file}: every table's row count and checksum match the manifest."
            )
        )

    def _confirmed(self) -> bool:
        answer = input(
            "The database is not empty: its tables will be replaced by the backup's.\n"
            "Type 'yes' to continue, or 'no' to cancel: "
        )
        return answer == "yes"
