"""The scheduled commands' side of the inbox: e-mails to send again and the daily digests.
The reminders ``send_reminders`` sends are the apps' own (``inbox.registry.register_reminder``)."""

import datetime
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from inbox.models import Delivery, Digest, Notification


def unsent_emails() -> list[int]:
    """Immediate e-mails whose last attempt failed, for backends that cannot wait to retry."""
    from inbox.tasks import MAX_ATTEMPTS, retry_delay

    due = timezone.now() - retry_delay(1)
    return list(
        Notification.objects.filter(
            delivery=Delivery.EMAIL,
            emailed_at__isnull=True,
            email_attempts__gt=0,
            email_attempts__lt=MAX_ATTEMPTS,
            created_at__lt=due,
        ).values_list("pk", flat=True)
    )


def digests_due(today: datetime.date) -> Iterator[Digest]:
    """Gather each user's undigested notifications into today's digest, at most one a day;
    the digest is mailed after the commit."""
    pending = Notification.objects.filter(delivery=Delivery.DIGEST, digest__isnull=True)
    for user_id in pending.order_by().values_list("recipient_id", flat=True).distinct():
        with transaction.atomic():
            digest, created = Digest.objects.get_or_create(recipient_id=user_id, day=today)
            if not created:
                continue  # today's digest went already: the rest waits for tomorrow's
            pending.filter(recipient_id=user_id).update(digest=digest)
            transaction.on_commit(lambda pk=digest.pk: _enqueue_digest(pk))
        yield digest


def _enqueue_digest(digest_id: int) -> None:
    from inbox.tasks import send_digest_email

    send_digest_email.enqueue(digest_id=digest_id)
