"""One fingerprint of what a user may see, for everything kept per user.

Every queryset method that decides what a user may see (``visible_to``, ``managed_by``) reads
the user's row, the areas they work for, their person's current posts (and those posts'
organisations and areas) and their groups. The fingerprint is read from the database on each
request and changes with any of them, so a value kept under it is never served to a user whose
scope has changed, whoever changed it and however (a save, a queryset update, the admin).
"""

import hashlib

from django.db.models import BigIntegerField, CharField, F, Value
from django.db.models.functions import Cast
from django.utils import timezone

from governance.models import Post
from residents.models import User


def _rows(kind: str, queryset, organization=None, area=None, title=None):
    """The rows of one kind as (kind, id, organisation, area, title), one shape for all, every
    column an expression so that the SQL lists them in this order for the UNION."""
    none = Cast(Value(None), output_field=BigIntegerField())  # typed, for PostgreSQL's UNION
    return queryset.order_by().values_list(
        Value(kind, output_field=CharField()),
        F("pk"),
        F(organization) if organization else none,
        F(area) if area else none,
        F(title) if title else Value("", output_field=CharField()),
    )


def scope_fingerprint(user: User) -> str:
    """A short hash of everything the user's scope is decided by: the user's row, already
    loaded, and one query for their areas, groups and current posts."""
    if not user.is_authenticated:
        return "anonymous"
    today = timezone.localdate()
    rows = _rows("area", user.areas.all()).union(
        _rows("group", user.groups.all()),
        _rows(
            "post",
            Post.objects.current(today).filter(person_id=user.person_id or 0),
            organization="organization_id",
            area="organization__area_id",
            title="title",
        ),
        all=True,
    )
    parts = [
        user.pk,
        user.is_active,
        user.is_superuser,
        user.is_staff,
        str(user.role),
        user.street_id,
        user.person_id,
        sorted(rows, key=repr),
        today.isoformat(),  # posts start and end with the day
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
