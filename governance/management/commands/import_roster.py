from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from governance.roster import column_label, read_roster
from governance.services.roster import roster_import
from lujiazui.management.progress import progress_bar
from residents.models import Street, User


class Command(BaseCommand):
    help = (
        "Import organisations and posts from a roster (.xlsx or .csv, laid out as the import "
        "page's template) into a street; every row or none is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--street", required=True, help="The street's code, e.g. LJZ.")
        parser.add_argument("--dry-run", action="store_true", help="Check the rows, write nothing.")
        parser.add_argument(
            "--user",
            help="The login the import is recorded for (default: the first active superuser).",
        )

    def handle(self, *args, file: Path, street: str, dry_run: bool, user: str | None, **options):
        street_obj = Street.objects.filter(code=street.upper()).first()
        if street_obj is None:
            raise CommandError(f"No street has the code {street!r}.")
        actor = self._actor(user)
        try:
            with file.open("rb") as handle:
                rows = read_roster(handle, file.name)
        except OSError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        result = roster_import(
            actor=actor,
            street=street_obj,
            rows=rows,
            dry_run=dry_run,
            progress=progress_bar(self.stdout, len(rows)),
        )
        self.stdout.write("")
        for problem in result.problems:
            column = column_label(problem.column) if problem.column else "-"
            self.stderr.write(f"row {problem.row}, {column}: {problem.message}")
        summary = (
            f"{result.rows} rows: {result.organizations_created} organisations, "
            f"{result.people_created} people, {result.posts_created} posts "
            f"({result.posts_on_record} posts already on record)"
        )
        if result.problems:
            raise CommandError(f"{len(result.problems)} problems; nothing was written.")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run, nothing written. {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported. {summary}."))

    def _actor(self, username: str | None) -> User:
        users = User.objects.filter(is_active=True)
        actor = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("Name an active login with --user (or create a superuser).")
        return actor
