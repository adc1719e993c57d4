"""send_digest: one e-mail a day per user of the kinds they chose for it, grouped by day."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from governance import services
from inbox.models import Delivery, Digest, Kind, Notification, Preference

pytestmark = pytest.mark.django_db


def run(django_capture_on_commit_callbacks) -> str:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digest", stdout=out)
    return out.getvalue()


def test_a_digest_groups_the_days_and_goes_once_a_day(
    case, lead_liaison, assisting_liaison, lead_unit, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=lead_liaison, kind=Kind.CASE_UPDATED, delivery=Delivery.DIGEST)
    services.case_add_update(case=case, actor=assisting_liaison, text="第一次")
    services.case_add_update(case=case, actor=assisting_liaison, text="第二次")
    yesterday, _today = Notification.objects.filter(kind=Kind.CASE_UPDATED).order_by("pk")
    Notification.objects.filter(pk=yesterday.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    output = run(django_capture_on_commit_callbacks)
    assert "[1/1] daily digests: 1 queued" in output
    (message,) = mail.outbox
    assert message.to == ["lead@example.org"]
    days = [
        (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        timezone.localdate().isoformat(),
    ]
    assert message.body.index(days[0]) < message.body.index(days[1])
    assert message.body.count(case.number) == 2
    assert "第一次" not in message.body  # the update's text stays on the case page
    assert Digest.objects.get().sent_at is not None

    services.case_add_update(case=case, actor=assisting_liaison, text="第三次")
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # today's digest went already: tomorrow's carries it
    assert Notification.objects.filter(digest__isnull=True, delivery=Delivery.DIGEST).count() == 1


def test_kinds_not_chosen_for_the_digest_stay_out_of_it(
    case, lead_liaison, assisting_liaison, django_capture_on_commit_callbacks
):
    services.case_add_update(case=case, actor=assisting_liaison, text="已清理")
    run(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not Digest.objects.exists()
