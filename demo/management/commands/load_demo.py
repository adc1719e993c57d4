from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import brands as brands_demo
from demo import cases as demo_cases
from demo import doorstep as doorstep_demo
from demo import events as demo_events
from demo import forums as forums_demo
from demo import inbox as inbox_demo
from demo import open311 as demo_open311
from demo import structure as governance_demo
from demo import territory as residents_demo
from demo import wishes as wishes_demo
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
            street = residents_demo.load(self._say)
            self.stdout.write("[2/11] 1+3+N structure")
            secretaries = governance_demo.load(street, self._say)
            self.stdout.write("[3/11] logins")
            usernames = residents_demo.load_logins(street, secretaries)
            self.stdout.write("[4/11] cases, categories and indicators")
            demo_cases.load(street, self._say)
            self.stdout.write("[5/11] micro-wishes")
            wishes_demo.load(street, self._say)
            self.stdout.write("[6/11] forums, practices and news")
            forums_demo.load(street, self._say)
            self.stdout.write("[7/11] party-building brands")
            brands_demo.load(street, self._say)
            self.stdout.write("[8/11] events and bookings")
            demo_events.load(street, self._say)
            self.stdout.write("[9/11] doorstep services")
            doorstep_demo.load(street, self._say)
            self.stdout.write("[10/11] Open311 partner system")
            open311_key = demo_open311.load(street, self._say)
            self.stdout.write("[11/11] inbox reminders")
            inbox_demo.load(street, self._say)
            # Events and services are written straight to the tables above: index them all.
            self._say(f"  {forums_services.search_index_rebuild()} search entries")
            usernames.append("chengguan")
        self.stdout.write(self.style.SUCCESS("Demo street loaded. Demo-only logins:"))
        for username in usernames:
            self.stdout.write(f"  {username} / {residents_demo.DEMO_PASSWORD}")
        self.stdout.write(f"Demo-only Open311 api_key: {open311_key}")

    def _say(self, message: str) -> None:
        self.stdout.write(message)
