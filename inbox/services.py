"""Telling people: ``notify``, which the apps' hooks (``governance.notifications``,
``forums.notifications``) call inside their own transaction. E-mails go out after the commit,
through a task."""

import datetime
import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from inbox.models import Delivery, Kind, Notification, Preference

User = get_user_model()
logger = logging.getLogger(__name__)


def notify(
    *,
    kind: Kind | str,
    about: Model,
    recipients: Iterable[User],
    params: dict,
    actor: User | None = None,
    key: str = "",
    at: datetime.datetime | None = None,
) -> list[Notification]:
    """Tell each recipient (never the actor) about an object, once per key for reminders.

    Each notification takes the delivery the recipient chose for its kind; e-mails to be sent
    at once are enqueued when the transaction commits."""
    users = {user.pk: user for user in recipients if actor is None or user.pk != actor.pk}
    if not users:
        return []
    content_type = ContentType.objects.get_for_model(about)
    if key:
        told = Notification.objects.filter(
            recipient__in=list(users),
            kind=kind,
            content_type=content_type,
            object_id=about.pk,
            key=key,
        ).values_list("recipient_id", flat=True)
        for user_id in set(told):
            users.pop(user_id)
    chosen = dict(
        Preference.objects.filter(user__in=list(users), kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    created = []
    for user_id in sorted(users):
        notification = Notification(
            recipient_id=user_id,
            kind=kind,
            content_type=content_type,
            object_id=about.pk,
            params=params,
            key=key,
            delivery=chosen.get(user_id, Delivery.INBOX),
            created_at=at or timezone.now(),
        )
        if key:
            try:
                with transaction.atomic():  # a reminder raced by another run is told once
                    notification.save()
            except IntegrityError:
                continue
        else:
            notification.save()
        created.append(notification)
    emailed = [n.pk for n in created if n.delivery == Delivery.EMAIL]
    if emailed:
        transaction.on_commit(lambda: _enqueue_emails(emailed))
    return created


def _enqueue_emails(notification_ids: list[int]) -> None:
    """After the commit: a queue that fails never breaks the request that told someone."""
    from inbox.tasks import send_notification_email

    for pk in notification_ids:
        try:
            send_notification_email.enqueue(notification_id=pk)
        except Exception:
            logger.exception("Could not enqueue the e-mail of notification %s", pk)


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user: User, deliveries: dict[str, str], language: str) -> None:
    """Store how the user hears about each kind, and the language of their e-mails."""
    from inbox.models import MailSettings

    for kind, delivery in deliveries.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    MailSettings.objects.update_or_create(user=user, defaults={"language": language})
