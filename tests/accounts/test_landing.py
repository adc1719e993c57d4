"""Where each login lands after logging in: on its work, unless it asked for a page of the site."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from inbox.models import Delivery, Kind, Notification
from tests import factories

PASSWORD = "test-pass-2026"
LOGIN = "/accounts/login/"

pytestmark = pytest.mark.django_db


def _login(client, user, query: str = "", **data):
    data = {"username": user.username, "password": PASSWORD, **data}
    return client.post(LOGIN + query, data, REMOTE_ADDR="203.0.113.1")


def _notify(user, *, read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=Kind.CASE_LOGGED,
        content_type=ContentType.objects.get_for_model(user),
        object_id=user.pk,
        delivery=Delivery.INBOX,
        read_at=timezone.now() if read else None,
    )


@pytest.fixture
def liaison(street):
    return factories.liaison(factories.OrganizationFactory(area=None, street=street, partner=True))


def test_a_secretary_lands_on_the_case_workbench(client, secretary):
    _notify(secretary, read=True)
    assert _login(client, secretary).url == reverse("governance:case_list")


def test_a_secretary_with_unread_notifications_lands_in_the_inbox(client, secretary):
    _notify(secretary)
    assert _login(client, secretary).url == reverse("inbox:inbox")


def test_a_partner_liaison_lands_on_the_case_workbench(client, liaison):
    assert _login(client, liaison).url == reverse("governance:case_list")


def test_a_partner_liaison_with_unread_notifications_lands_in_the_inbox(client, liaison):
    _notify(liaison)
    assert _login(client, liaison).url == reverse("inbox:inbox")


def test_street_staff_land_on_the_dashboard_even_with_unread_notifications(client, street_staff):
    _notify(street_staff)
    assert _login(client, street_staff).url == reverse("reports:dashboard")


def test_a_superuser_lands_on_the_dashboard(client):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    assert _login(client, admin).url == reverse("reports:dashboard")


def test_a_next_page_of_the_site_wins(client, secretary, street_staff):
    wanted = reverse("wishes:wish_manage_list")
    assert _login(client, secretary, f"?next={wanted}").url == wanted
    client.logout()
    assert _login(client, street_staff, next="/areas/").url == "/areas/"


def test_an_external_next_is_ignored(client, secretary):
    response = _login(client, secretary, "?next=https://evil.example/cases/")
    assert response.url == reverse("governance:case_list")


def test_the_home_page_as_next_lands_on_the_work(client, secretary):
    """The header's login link names the page it was on; from the home page that is no wish."""
    assert _login(client, secretary, "?next=/").url == reverse("governance:case_list")


def test_the_two_step_login_lands_the_same_way(client, secretary):
    device = TOTPDevice.objects.create(user=secretary, name="authenticator", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)

    response = _login(client, secretary, otp_token=f"{totp.token():0{device.digits}d}")

    assert response.url == reverse("governance:case_list")
    assert client.session["otp_device_id"] == device.persistent_id
