"""No resident's name, phone or address in any notification, e-mail or log line: the demo's
items and their e-mails in both languages hold none of the stored private values."""

import logging
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from inbox import tasks
from inbox.models import Delivery, MailSettings, Notification
from tests.test_privacy import _private_values

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_demo_notification_or_email_holds_personal_data(demo, language, caplog):
    call_command("send_reminders", stdout=mock.Mock())
    private = _private_values()
    assert private, "the demo stores private values to look for"
    notifications = list(Notification.objects.select_related("recipient"))
    assert len(notifications) > 20
    for user in {n.recipient for n in notifications}:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
        MailSettings.objects.update_or_create(user=user, defaults={"language": language})
    Notification.objects.update(delivery=Delivery.EMAIL)
    caplog.set_level(logging.DEBUG)
    with mock.patch("inbox.tasks.send_mail", wraps=tasks.send_mail) as sending:
        for notification in notifications:
            tasks.send_notification_email.call(notification_id=notification.pk)
    assert sending.call_count == len(notifications) == len(mail.outbox)
    stored = [str(n.params) for n in notifications]
    written = [m.subject + m.body for m in mail.outbox]
    for text in stored + written + [caplog.text]:
        leaked = [value for value in private if value in text]
        assert leaked == []


def test_a_failed_send_logs_no_personal_data(case, lead_liaison, caplog):
    notification = Notification.objects.get(recipient=lead_liaison)
    with mock.patch("inbox.tasks.send_mail", side_effect=OSError("mail server down")):
        tasks.send_notification_email.call(notification_id=notification.pk)
    assert f"notification {notification.pk}" in caplog.text
    for private in ("王秀英", "13912345678", "崂山三村12号楼302室", case.number):
        assert private not in caplog.text
