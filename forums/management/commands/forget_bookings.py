import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from forums import services
from forums.models import Booking
from lujiazui.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Blank the names and mobile numbers of bookings whose time slot ended more than "
        "BOOKING_RETENTION_DAYS days ago (run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.BOOKING_RETENTION_DAYS,
            help="Keep them this many days after the slot ends (default: %(default)s).",
        )

    def handle(self, *args, days: int, **options) -> None:
        ended_before = timezone.now() - datetime.timedelta(days=days)
        total = Booking.objects.filter(session__ends_at__lt=ended_before).exclude(phone="").count()
        done, show = 0, progress_bar(self.stdout, total)
        for done in services.bookings_forget(ended_before=ended_before):
            show(done)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Forgot the names and numbers of {done} bookings."))
