"""The client's address, read the same way for the login lockout as for the booking throttle."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind a proxy (DJANGO_BEHIND_PROXY) the header the proxy sets, as
    RATELIMIT_IP_META_KEY names it for django-ratelimit."""
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    address = request.META.get(key, "").split(",")[0].strip()
    return address or None
