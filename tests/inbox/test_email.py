"""E-mails: sent after the commit in the recipient's language, retried when sending fails,
never carrying a resident's data, never breaking the request that caused them."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance import services
from inbox import tasks
from inbox.models import Delivery, Kind, MailSettings, Notification, Preference

pytestmark = pytest.mark.django_db

PRIVATE = ["王秀英", "13912345678", "崂山三村12号楼302室", "楼道堆物", "三楼楼道堆放纸箱"]


def wants_email(user, kind=Kind.CASE_UPDATED, language=None):
    Preference.objects.create(user=user, kind=kind, delivery=Delivery.EMAIL)
    if language:
        MailSettings.objects.create(user=user, language=language)


def test_an_email_goes_only_after_the_commit(
    case, lead_liaison, assisting_liaison, django_capture_on_commit_callbacks
):
    wants_email(lead_liaison)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_add_update(case=case, actor=assisting_liaison, text="已清理")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lead@example.org"]
    assert Notification.objects.get(recipient=lead_liaison, kind=Kind.CASE_UPDATED).emailed_at


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "has a new update"), ("zh-hans", "陆家嘴")]
)
def test_emails_are_in_the_recipients_language_without_personal_data(
    case, lead_liaison, assisting_liaison, language, expected, django_capture_on_commit_callbacks
):
    wants_email(lead_liaison, language=language)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_add_update(case=case, actor=assisting_liaison, text="联系王秀英 13912345678")
    (message,) = mail.outbox
    assert expected in message.subject + message.body
    assert case.number in message.body
    for private in PRIVATE:
        assert private not in message.subject
        assert private not in message.body


def test_inbox_only_kinds_send_no_email(
    case, lead_liaison, assisting_liaison, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_add_update(case=case, actor=assisting_liaison, text="已清理")
    assert mail.outbox == []


def test_a_failed_send_is_retried_later_by_the_worker(settings, case, lead_liaison):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    notification = Notification.objects.get(recipient=lead_liaison, kind=Kind.CASE_PARTY_ADDED)
    with mock.patch("inbox.tasks.send_mail", side_effect=OSError("mail server down")):
        assert tasks.send_notification_email.call(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert notification.email_attempts == 1
    (retry,) = default_task_backend.results
    assert retry.task.func is tasks.send_notification_email.func
    assert retry.kwargs == {"notification_id": notification.pk}
    assert retry.task.run_after > timezone.now() + datetime.timedelta(minutes=4)

    assert tasks.send_notification_email.call(**retry.kwargs) is True
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1


def test_retries_stop_after_the_last_attempt(settings, case, lead_liaison):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    notification = Notification.objects.get(recipient=lead_liaison, kind=Kind.CASE_PARTY_ADDED)
    with mock.patch("inbox.tasks.send_mail", side_effect=OSError("mail server down")):
        for _attempt in range(tasks.MAX_ATTEMPTS + 2):
            tasks.send_notification_email.call(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_attempts == tasks.MAX_ATTEMPTS
    assert len(default_task_backend.results) == tasks.MAX_ATTEMPTS - 1


def test_the_reminder_command_retries_where_the_backend_cannot_wait(case, lead_liaison):
    from django.core.management import call_command

    notification = Notification.objects.get(recipient=lead_liaison, kind=Kind.CASE_PARTY_ADDED)
    Notification.objects.filter(pk=notification.pk).update(
        delivery=Delivery.EMAIL,
        email_attempts=1,
        created_at=timezone.now() - datetime.timedelta(hours=1),
    )
    call_command("send_reminders", stdout=mock.Mock())
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_never_breaks_the_request(
    client,
    case,
    lead_liaison,
    assisting_liaison,
    assisting_unit,
    django_capture_on_commit_callbacks,
):
    wants_email(lead_liaison)
    client.force_login(assisting_liaison)
    with (
        mock.patch("inbox.tasks.send_mail", side_effect=OSError("mail server down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("governance:case_update", kwargs={"number": case.number}),
            {"text": "已清理", "party": assisting_unit.pk, "kind": "note"},
        )
    assert response.status_code == 302
    assert case.updates.filter(text="已清理").exists()
    assert Notification.objects.get(recipient=lead_liaison, kind=Kind.CASE_UPDATED).email_attempts
