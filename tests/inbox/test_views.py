"""/inbox/: unread first, marking read, following an item (a 404 once out of sight), the
count in the navigation, the preferences page and the admin list."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from governance import services
from inbox.models import Delivery, Kind, MailSettings, Notification, Preference
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("inbox:inbox"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unread_items_come_first_then_the_newest(client, case, lead_liaison):
    older = Notification.objects.get(recipient=lead_liaison)
    services.case_add_update(case=case, actor=factories.street_staff(case.street), text="已清理")
    newer = Notification.objects.get(recipient=lead_liaison, kind=Kind.CASE_UPDATED)
    Notification.objects.filter(pk=newer.pk).update(read_at=timezone.now())
    client.force_login(lead_liaison)
    response = client.get(reverse("inbox:inbox"))
    assert [n.pk for n in response.context["page_obj"]] == [older.pk, newer.pk]
    assert case.number in response.content.decode()


def test_the_inbox_shows_only_the_users_own_items(client, case, lead_liaison, assisting_liaison):
    client.force_login(assisting_liaison)
    response = client.get(reverse("inbox:inbox"))
    mine = Notification.objects.filter(recipient=assisting_liaison)
    assert {n.pk for n in response.context["page_obj"]} == set(mine.values_list("pk", flat=True))
    theirs = Notification.objects.get(recipient=lead_liaison)
    assert client.get(reverse("inbox:open", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("inbox:read", kwargs={"pk": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_pages_and_its_query_count_is_bounded(
    client, lead_liaison, case, django_assert_max_num_queries
):
    template = Notification.objects.get(recipient=lead_liaison)
    for day in range(45):
        template.pk = None
        template.created_at = timezone.now() - datetime.timedelta(days=day)
        template.save()
    client.force_login(lead_liaison)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("inbox:inbox"))
    assert len(response.context["page_obj"]) == 20
    assert "?page=2" in response.content.decode()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("inbox:inbox") + "?page=3").status_code == 200


def test_following_an_item_marks_it_read_and_opens_the_case(client, case, lead_liaison):
    notification = Notification.objects.get(recipient=lead_liaison)
    client.force_login(lead_liaison)
    response = client.get(notification.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_an_item_whose_case_is_out_of_sight_now_is_a_404(
    client, case, secretary, lead_liaison, assisting_unit
):
    notification = Notification.objects.get(recipient=lead_liaison)
    services.case_set_parties(case=case, actor=secretary, lead=assisting_unit, assisting=[])
    client.force_login(lead_liaison)
    assert client.get(notification.get_absolute_url()).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_one_and_mark_all_read_need_a_post(client, case, lead_liaison, assisting_liaison):
    services.case_add_update(case=case, actor=assisting_liaison, text="已清理")
    first, second = Notification.objects.filter(recipient=lead_liaison)
    client.force_login(lead_liaison)
    assert client.get(reverse("inbox:read", kwargs={"pk": first.pk})).status_code == 405
    assert client.post(reverse("inbox:read", kwargs={"pk": first.pk})).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert client.get(reverse("inbox:read_all")).status_code == 405
    assert client.post(reverse("inbox:read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=lead_liaison, read_at__isnull=True).exists()


def test_marking_read_checks_the_csrf_token(case, lead_liaison):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lead_liaison)
    assert client.post(reverse("inbox:read_all")).status_code == 403


def test_the_navigation_shows_the_unread_count_on_staff_pages(
    client, case, lead_liaison, django_assert_max_num_queries
):
    client.force_login(lead_liaison)
    client.get(reverse("governance:case_list"))  # the session and the user, read once
    with django_assert_max_num_queries(12):  # the case list's own, and one count of unread
        html = client.get(reverse("governance:case_list")).content.decode()
    assert 'href="/inbox/"' in html
    assert '<span class="badge">1<span class="visually-hidden">' in html
    Notification.objects.update(read_at=timezone.now())
    html = client.get(reverse("governance:case_list")).content.decode()
    assert '<span class="badge">' not in html.split('href="/inbox/"')[1].split("</li>")[0]


def test_anonymous_pages_do_not_count_anything(client, street):
    html = client.get("/").content.decode()
    assert 'href="/inbox/"' not in html


def test_preferences_store_one_delivery_per_kind_and_the_language(client, lead_liaison):
    client.force_login(lead_liaison)
    response = client.get(reverse("inbox:preferences"))
    assert response.status_code == 200
    data = {kind.value: Delivery.INBOX for kind in Kind}
    data[Kind.CASE_OVERDUE] = Delivery.EMAIL
    data[Kind.CASE_UPDATED] = Delivery.DIGEST
    data["language"] = "en"
    assert client.post(reverse("inbox:preferences"), data).status_code == 302
    chosen = dict(Preference.objects.filter(user=lead_liaison).values_list("kind", "delivery"))
    assert chosen[Kind.CASE_OVERDUE] == Delivery.EMAIL
    assert chosen[Kind.CASE_UPDATED] == Delivery.DIGEST
    assert len(chosen) == len(Kind)
    assert MailSettings.objects.get(user=lead_liaison).language == "en"


def test_preferences_show_the_language_the_emails_are_written_in(client, lead_liaison):
    client.force_login(lead_liaison)
    form = client.get(reverse("inbox:preferences"), headers={"accept-language": "en"}).context[
        "form"
    ]
    assert form.initial["language"] == "zh-hans"  # the portal's language until one is chosen


def test_a_new_notification_follows_the_chosen_delivery(case, lead_liaison, assisting_liaison):
    Preference.objects.create(user=lead_liaison, kind=Kind.CASE_UPDATED, delivery=Delivery.DIGEST)
    services.case_add_update(case=case, actor=assisting_liaison, text="已清理")
    assert Notification.objects.get(kind=Kind.CASE_UPDATED).delivery == Delivery.DIGEST


def test_the_admin_lists_a_users_own_notifications_only(client, case, street, lead_liaison):
    staff = factories.street_staff(street)
    staff.user_permissions.add(Permission.objects.get(codename="view_notification"))
    event = factories.EventFactory(street=street, organising_unit=None)
    factories.book(factories.SessionFactory(event=event, capacity=1))  # tells the street office
    client.force_login(staff)
    response = client.get(reverse("admin:inbox_notification_changelist"))
    assert response.status_code == 200
    mine = Notification.objects.filter(recipient=staff)
    assert mine.exists()
    assert set(response.context["cl"].queryset) == set(mine)
    theirs = Notification.objects.filter(recipient=lead_liaison).first()
    url = reverse("admin:inbox_notification_change", args=[theirs.pk])
    assert client.get(url).status_code == 302  # "does not exist": back to the admin index
    assert client.get(reverse("admin:inbox_notification_add")).status_code == 403


def test_the_admin_shows_a_notification_with_its_text(client, case, lead_liaison):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    notification = Notification.objects.filter(recipient=lead_liaison).first()
    client.force_login(admin)
    response = client.get(reverse("admin:inbox_notification_change", args=[notification.pk]))
    assert response.status_code == 200
    assert case.number in response.content.decode()
