import time

from django.core.management.base import BaseCommand

from governance.dashboard import refresh_dashboards


class Command(BaseCommand):
    help = (
        "Compute the dashboards of every street and area into the shared cache. "
        "Run it every minute (cron or a scheduler), so that the dashboard never waits."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = refresh_dashboards()
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Refreshed {count} dashboards in {seconds:.1f} s."))
