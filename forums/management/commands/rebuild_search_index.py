from django.core.management.base import BaseCommand

from forums import services


class Command(BaseCommand):
    help = (
        "Fill the site search index again from what is public now: forums, speeches, practices, "
        "news, events, doorstep services and micro-wishes (after an upgrade that changes it)."
    )

    def handle(self, *args, **options) -> None:
        count = services.search_index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} search entries."))
