"""Django's login signals feed the login audit (the admin's login and the portal's alike)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.ip import client_ip
from accounts.models import LoginOutcome
from accounts.services import login_event_record


@receiver(user_logged_in, dispatch_uid="accounts_login_succeeded")
def _login_succeeded(sender, request, user, **kwargs) -> None:
    login_event_record(
        username=user.get_username(),
        user=user,
        ip_address=client_ip(request) if request is not None else None,
        outcome=LoginOutcome.SUCCESS,
    )


@receiver(user_login_failed, dispatch_uid="accounts_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the username is read.
    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    login_event_record(
        username=str(username or ""),
        ip_address=client_ip(request) if request is not None else None,
        outcome=LoginOutcome.FAILURE,
    )
