import time

from django.core.management.base import BaseCommand

from governance.models.case_sums import STEPS, rebuild_case_sums
from lujiazui.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Compute the dashboard's monthly case sums from the cases again. The case services keep "
        "them as cases change; run this once after migrating to them, after a bulk load that "
        "bypassed the services, or to repair them."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        # A bar on a terminal; a run from a script logs its one summary line.
        progress = progress_bar(self.stdout, STEPS) if self.stdout.isatty() else None
        months, parties = rebuild_case_sums(progress=progress)
        if progress:
            self.stdout.write("")
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {months} monthly sums and {parties} monthly party sums in {seconds:.1f} s."
            )
        )
