"""How long something may be kept: never past the setting, what the caller says, or midnight."""

import datetime
import math

from django.conf import settings
from django.utils import timezone


def seconds_to_keep(
    valid_until: datetime.datetime | None = None, seconds: int | None = None
) -> int:
    """PAGE_CACHE_SECONDS at most, and never past ``valid_until``, ``seconds`` or the next
    midnight in the portal's time zone (pages say "today", terms expire, sessions pass)."""
    now = timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    midnight = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()))
    limits = [settings.PAGE_CACHE_SECONDS, (midnight - now).total_seconds()]
    if valid_until is not None:
        limits.append((valid_until - now).total_seconds())
    if seconds is not None:
        limits.append(seconds)
    return max(0, math.floor(min(limits)))
