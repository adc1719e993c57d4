from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.services import login_events_forget


class Command(BaseCommand):
    help = (
        "Delete the login audit's attempts older than LOGIN_AUDIT_RETENTION_DAYS days "
        "(run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.LOGIN_AUDIT_RETENTION_DAYS,
            help="Keep the attempts of this many days (default: %(default)s).",
        )

    def handle(self, *args, days: int, **options) -> None:
        deleted = login_events_forget(older_than_days=days)
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} login attempts."))
