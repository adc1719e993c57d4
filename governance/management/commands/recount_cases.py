from django.core.management.base import BaseCommand
from django.db import transaction

from governance.models import CaseCount


class Command(BaseCommand):
    help = "Count every area's cases per status again (after a bulk load or to repair the counts)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            counted = CaseCount.objects.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Counted {counted} cases."))
