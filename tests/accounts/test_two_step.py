import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent, LoginOutcome

PASSWORD = "test-pass-2026"

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _login(client, user, token="", url="/accounts/login/"):
    data = {"username": user.username, "password": PASSWORD, "otp_token": token}
    return client.post(url, data, REMOTE_ADDR="203.0.113.1")


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def device(street_staff):
    return TOTPDevice.objects.create(user=street_staff, name="authenticator", confirmed=True)


def test_a_login_without_a_device_needs_no_code(client, street_staff):
    assert _login(client, street_staff).status_code == 302
    assert _logged_in(client)


def test_a_login_with_a_device_is_refused_without_the_code(client, street_staff, device):
    response = _login(client, street_staff)

    assert response.status_code == 200
    assert not _logged_in(client)
    assert response.context["form"].non_field_errors().as_data()[0].code == "token_required"


def test_a_login_with_a_device_is_refused_with_a_wrong_code(client, street_staff, device):
    wrong = _code(device, steps_ahead=10)

    response = _login(client, street_staff, token=wrong)

    assert response.status_code == 200
    assert not _logged_in(client)
    assert response.context["form"].non_field_errors().as_data()[0].code == "invalid_token"
    assert LoginEvent.objects.get().outcome == LoginOutcome.FAILURE


def test_a_login_with_a_device_passes_with_the_current_code(client, street_staff, device):
    response = _login(client, street_staff, token=_code(device))

    assert response.status_code == 302
    assert _logged_in(client)
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_used_code_cannot_log_in_twice(client, street_staff, device):
    code = _code(device)
    assert _login(client, street_staff, token=code).status_code == 302
    client.logout()

    assert _login(client, street_staff, token=code).status_code == 200
    assert not _logged_in(client)


def test_the_admin_login_asks_for_the_code_too(client, street_staff, device):
    refused = _login(client, street_staff, token=_code(device, steps_ahead=10), url="/admin/login/")
    assert refused.status_code == 200
    assert not _logged_in(client)
    assert 'name="otp_token"' in refused.text
    device.refresh_from_db()
    device.throttle_reset()  # as if the second of waiting after a wrong code had passed

    passed = _login(client, street_staff, token=_code(device), url="/admin/login/")
    assert passed.status_code == 302
    assert _logged_in(client)


def test_right_after_a_wrong_code_even_the_right_one_waits(client, street_staff, device):
    _login(client, street_staff, token=_code(device, steps_ahead=10))

    response = _login(client, street_staff, token=_code(device))

    assert not _logged_in(client)
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"


def test_wrong_codes_count_toward_the_lockout(client, street_staff, device):
    for steps in range(10, 15):
        _login(client, street_staff, token=_code(device, steps_ahead=steps))

    assert _login(client, street_staff, token=_code(device)).status_code == 429
    assert not _logged_in(client)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_set_up_page_shows_a_server_drawn_qr_code(client, secretary, language):
    client.force_login(secretary)

    response = client.get(reverse("two_step"), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text
    assert 'src="data:image/svg+xml;base64,' in response.text
    pending = TOTPDevice.objects.get(user=secretary)
    assert not pending.confirmed
    secret = response.context["secret"].replace(" ", "")
    assert b32decode(secret) == pending.bin_key


def test_a_wrong_code_does_not_turn_two_step_login_on(client, secretary):
    client.force_login(secretary)
    client.get(reverse("two_step"))
    pending = TOTPDevice.objects.get(user=secretary)

    response = client.post(reverse("two_step"), {"otp_token": _code(pending, steps_ahead=10)})

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["otp_token"][0].code == "invalid_token"
    assert not TOTPDevice.objects.get(user=secretary).confirmed


def test_wrong_codes_on_the_set_up_page_make_the_next_check_wait(client, secretary):
    client.force_login(secretary)
    client.get(reverse("two_step"))
    pending = TOTPDevice.objects.get(user=secretary)
    client.post(reverse("two_step"), {"otp_token": _code(pending, steps_ahead=10)})

    response = client.post(reverse("two_step"), {"otp_token": _code(pending)})

    assert response.context["form"].errors.as_data()["otp_token"][0].code == "throttled"
    assert TOTPDevice.objects.get(user=secretary).throttling_failure_count == 1
    assert not TOTPDevice.objects.get(user=secretary).confirmed


def test_the_current_code_turns_two_step_login_on_and_then_off(client, secretary):
    client.force_login(secretary)
    client.get(reverse("two_step"))
    pending = TOTPDevice.objects.get(user=secretary)

    code = _code(pending)
    turned_on = client.post(reverse("two_step"), {"otp_token": code})

    assert turned_on.status_code == 302
    device = TOTPDevice.objects.get(user=secretary)
    assert device.confirmed
    assert client.get(reverse("two_step")).context["enabled"] is True

    # The code already used cannot turn it off; the next one can.
    client.post(reverse("two_step"), {"otp_token": code})
    assert TOTPDevice.objects.filter(user=secretary).exists()
    device.refresh_from_db()
    device.throttle_reset()  # as if the second of waiting after the refused code had passed
    turned_off = client.post(reverse("two_step"), {"otp_token": _code(device, steps_ahead=1)})
    assert turned_off.status_code == 302
    assert not TOTPDevice.objects.filter(user=secretary).exists()


def test_the_set_up_page_needs_a_login(client):
    response = client.get(reverse("two_step"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
