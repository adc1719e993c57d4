from django.core.management.base import BaseCommand
from django.utils import timezone

from inbox import reminders


class Command(BaseCommand):
    help = (
        "Mail each user the notifications of the kinds they get as a daily digest, grouped by "
        "day. Run it once a day; a second run the same day sends nothing again."
    )

    def handle(self, *args, **options) -> None:
        digests = 0
        for digests, _digest in enumerate(reminders.digests_due(timezone.localdate()), start=1):
            if digests % 100 == 0:
                self.stdout.write(f"[digest] {digests} users…")
        self.stdout.write(f"[1/1] daily digests: {digests} queued")
