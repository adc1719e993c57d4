import time

from django.core.management.base import BaseCommand

from governance.dashboard import kept_scopes, refresh_dashboards
from lujiazui.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Compute again the dashboards of every street and area whose cases changed (or that were "
        "computed on an earlier day) into the shared cache. Run it every minute (cron or a "
        "scheduler): a change then shows on the dashboard within a minute or two."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        # A bar on a terminal; a run from cron logs its one summary line.
        progress = progress_bar(self.stdout, len(kept_scopes())) if self.stdout.isatty() else None
        refresh = refresh_dashboards(progress=progress)
        if progress:
            self.stdout.write("")
        if refresh is None:
            self.stdout.write("Another refresh is still running: nothing done.")
            return
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Computed {refresh.computed} of {refresh.checked} dashboards in {seconds:.1f} s "
                "(the others had not changed)."
            )
        )
