"""One fingerprint of what a user may see, for everything kept per user.

Every queryset method that decides what a user may see (``visible_to``, ``managed_by``) reads
the user's row, the areas they work for, their person's current posts (and those posts'
organisations and areas) and their groups. The fingerprint is read from the database on each
request and changes with any of them, so a value kept under it is never served to a user whose
scope has changed, whoever changed it and however (a save, a queryset update, the admin).
"""

import hashlib

from django.utils import timezone

from governance.models import Post
from residents.models import User


def scope_fingerprint(user: User) -> str:
    """A short hash of everything the user's scope is decided by; three small queries."""
    if not user.is_authenticated:
        return "anonymous"
    today = timezone.localdate()
    posts = (
        sorted(
            Post.objects.current(today)
            .filter(person_id=user.person_id)
            .values_list("pk", "organization_id", "organization__area_id", "title")
        )
        if user.person_id
        else []
    )
    parts = [
        user.pk,
        user.is_active,
        user.is_superuser,
        user.is_staff,
        str(user.role),
        user.street_id,
        user.person_id,
        sorted(user.areas.values_list("pk", flat=True)),
        sorted(user.groups.values_list("pk", flat=True)),
        posts,
        today.isoformat(),  # posts start and end with the day
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
