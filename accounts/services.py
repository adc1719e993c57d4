import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import LoginEvent, LoginOutcome


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
