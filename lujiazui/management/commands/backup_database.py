from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from lujiazui import backup
from lujiazui.management.backup_output import BackupOutput


class Command(BaseCommand):
    help = (
        "Back up the database to FILE (PostgreSQL: pg_dump's custom format; SQLite: the online "
        "backup API) and write FILE.manifest.json beside it: every table's row count and "
        "checksum, which restore_database and verify_backup compare against."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="Where to write the backup.")
        parser.add_argument(
            "--media",
            action="store_true",
            help="Also archive the private media folder to FILE.media.tar.gz.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args, file: Path, media: bool, database: str, **options) -> None:
        output = BackupOutput(self)
        try:
            manifest = backup.backup_database(
                path=file,
                alias=database,
                media=media,
                progress=output.progress,
                say=output.say,
            )
        except backup.BackupError as error:
            output.end_bar()
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        output.say(
            self.style.SUCCESS(
                f"Backed up {len(manifest['tables'])} tables ({rows} rows) to {file}; "
                f"manifest {backup.manifest_path(file).name}"
            )
        )
        if media:
            output.say(
                self.style.SUCCESS(
                    f"Archived {manifest['media']['files']} private files to "
                    f"{backup.media_path(file).name}"
                )
            )
