from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks import default_task_backend

from inbox import registry, reminders
from inbox.tasks import send_notification_email


class Command(BaseCommand):
    help = (
        "Remind the parties of cases due in two days or overdue, area secretaries of follow-ups "
        "due and of terms and contracts expiring within 90 days. Safe to run every few minutes: "
        "each reminder is sent once."
    )

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        total = len(registry.reminders) + 1
        # The apps' reminders (governance registers those of cases and terms), in their order.
        for step, (name, remind) in enumerate(registry.reminders, start=1):
            told = sum(remind(today))
            self.stdout.write(f"[{step}/{total}] {name}: {told} notified")
        # A backend that can wait retries by itself (run_after); the others retry from here.
        retried = [] if default_task_backend.supports_defer else reminders.unsent_emails()
        for pk in retried:
            send_notification_email.enqueue(notification_id=pk)
        self.stdout.write(f"[{total}/{total}] e-mails to retry: {len(retried)}")
