"""E-mails, sent by the task worker: one notification at once, or one user's daily digest.

A failed send is tried again later, a bounded number of times; it never reaches the request
that caused it. Each e-mail is written in its recipient's language."""

import datetime
import logging
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import default_task_backend, task

from inbox.models import Digest, MailSettings, Notification

User = get_user_model()
logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_DELAY = datetime.timedelta(minutes=5)


def language_of(user: User) -> str:
    language = MailSettings.objects.filter(user=user).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def retry_delay(attempts: int) -> datetime.timedelta:
    """5, 10, 20, 40 minutes: a mail server that is down for a while is not hammered."""
    return RETRY_DELAY * 2 ** max(attempts - 1, 0)


def _retry(task_to_run, attempts: int, **kwargs) -> None:
    """Enqueue the task again after a delay where the backend can wait; otherwise the next
    ``send_reminders`` run picks the unsent e-mail up."""
    if attempts >= MAX_ATTEMPTS or not default_task_backend.supports_defer:
        return
    run_after = timezone.now() + retry_delay(attempts)
    try:
        task_to_run.using(run_after=run_after).enqueue(**kwargs)
    except Exception:
        logger.exception("Could not enqueue a retry of %s", task_to_run.name)


def _send(*, user: User, subject_template: str, body_template: str, context: dict) -> None:
    with translation.override(language_of(user)):
        context = {**context, "site_url": settings.SITE_URL}
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    send_mail(subject, body, None, [user.email])


@task()
def send_notification_email(notification_id: int) -> bool:
    """Mail one notification to its recipient; True once sent (or nothing is left to send)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return True
        if notification.email_attempts >= MAX_ATTEMPTS:
            return False
        notification.email_attempts += 1
        notification.save(update_fields=["email_attempts"])
    try:
        _send(
            user=notification.recipient,
            subject_template="inbox/email/notification_subject.txt",
            body_template="inbox/email/notification_body.txt",
            context={"notification": notification},
        )
    except Exception:
        # The log names the notification only: its text may not go to the logs.
        logger.warning(
            "Sending notification %s failed (attempt %s)",
            notification.pk,
            notification.email_attempts,
            exc_info=True,
        )
        _retry(
            send_notification_email, notification.email_attempts, notification_id=notification.pk
        )
        return False
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


@task()
def send_digest_email(digest_id: int) -> bool:
    """Mail one user's daily digest, the notifications grouped by the day they came."""
    with transaction.atomic():
        digest = (
            Digest.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=digest_id, sent_at__isnull=True)
            .first()
        )
        if digest is None or not digest.recipient.email:
            return True
        if digest.attempts >= MAX_ATTEMPTS:
            return False
        digest.attempts += 1
        digest.save(update_fields=["attempts"])
    notifications = list(digest.notifications.order_by("created_at", "pk"))
    with translation.override(language_of(digest.recipient)):
        days = [
            (day, list(items))
            for day, items in groupby(notifications, key=lambda n: timezone.localdate(n.created_at))
        ]
    try:
        _send(
            user=digest.recipient,
            subject_template="inbox/email/digest_subject.txt",
            body_template="inbox/email/digest_body.txt",
            context={"digest": digest, "days": days, "count": len(notifications)},
        )
    except Exception:
        logger.warning(
            "Sending digest %s failed (attempt %s)", digest.pk, digest.attempts, exc_info=True
        )
        _retry(send_digest_email, digest.attempts, digest_id=digest.pk)
        return False
    Digest.objects.filter(pk=digest.pk).update(sent_at=timezone.now())
    return True
