from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import (
    brands,
    cases,
    doorstep,
    events,
    forums,
    inbox,
    open311,
    structure,
    territory,
    wishes,
)
from forums import services as forums_services


class Command(BaseCommand):
    help = "Load the demo street (陆家嘴街道). Idempotent: a second run changes no row count."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (never on a production database).",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Demo logins with a published "
                "password would be created. Run with --force if this is really a demo."
            )
        with transaction.atomic():
            self.stdout.write("[1/11] territory")
            street = territory.load(self._say)
            self.stdout.write("[2/11] 1+3+N structure")
            secretaries = structure.load(street, self._say)
            self.stdout.write("[3/11] logins")
            usernames = territory.load_logins(street, secretaries)
            self.stdout.write("[4/11] cases, categories and indicators")
            cases.load(street, self._say)
            self.stdout.write("[5/11] micro-wishes")
            wishes.load(street, self._say)
            self.stdout.write("[6/11] forums, practices and news")
            forums.load(street, self._say)
            self.stdout.write("[7/11] party-building brands")
            brands.load(street, self._say)
            self.stdout.write("[8/11] events and bookings")
            events.load(street, self._say)
            self.stdout.write("[9/11] doorstep services")
            doorstep.load(street, self._say)
            self.stdout.write("[10/11] Open311 partner system")
            open311_key = open311.load(street, self._say)
            self.stdout.write("[11/11] inbox reminders")
            inbox.load(street, self._say)
            # Events and services are written straight to the tables above: index them all.
            self._say(f"  {forums_services.search_index_rebuild()} search entries")
            usernames.append("chengguan")
        self.stdout.write(self.style.SUCCESS("Demo street loaded. Demo-only logins:"))
        for username in usernames:
            self.stdout.write(f"  {username} / {territory.DEMO_PASSWORD}")
        self.stdout.write(f"Demo-only Open311 api_key: {open311_key}")

    def _say(self, message: str) -> None:
        self.stdout.write(message)
