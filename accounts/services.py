import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent, LoginOutcome

TOTP_DEVICE_NAME = "authenticator"


def login_event_record(
    *, username: str, outcome: LoginOutcome, ip_address: str | None, user=None
) -> LoginEvent:
    """Record a login attempt: the username as typed, the login it names (if any), the client's
    address and the outcome. Never the password."""
    username = (username or "")[:150]
    if user is None and username:
        user = get_user_model()._default_manager.filter(username=username).first()
    return LoginEvent.objects.create(
        username=username, user=user, ip_address=ip_address or None, outcome=outcome
    )


def login_events_forget(*, older_than_days: int) -> int:
    """Delete the login attempts older than the retention period; returns how many."""
    before = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = LoginEvent.objects.filter(at__lt=before).delete()
    return deleted


def _verify_code(device: TOTPDevice | None, token: str) -> None:
    """Raise unless `token` is the device's current code (django-otp waits longer after each
    wrong code before it checks another)."""
    if device is not None and not device.verify_is_allowed()[0]:
        raise ValidationError(
            _("Too many wrong codes: wait a little, then enter the current code."),
            code="throttled",
        )
    if device is None or not device.verify_token(token):
        raise ValidationError(
            _("The code is wrong or has expired. Enter the current code."), code="invalid_token"
        )


def totp_device_for_login(*, user) -> TOTPDevice | None:
    """The confirmed authenticator of a login; with one, logging in needs its code."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """The authenticator being set up for a login: a new secret until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


# No transaction around a check of a code: a wrong code's count must stay when the check fails.


def totp_device_confirm(*, user, token: str) -> TOTPDevice:
    """Turn two-step login on once the app shows a code that matches the new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    _verify_code(device, token)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    return device


def totp_device_remove(*, user, token: str) -> None:
    """Turn two-step login off; a current code proves the phone is still at hand."""
    device = totp_device_for_login(user=user)
    _verify_code(device, token)
    TOTPDevice.objects.filter(user=user).delete()
