"""One fingerprint of what a user may see, for everything kept per user.

Every queryset method that decides what a user may see (``visible_to``, ``managed_by``) reads
the user's row, the areas they work for, their person's posts (and those posts' organisations
and areas) and their groups. The fingerprint is read from the database on each request and
changes with any of them, so a value kept under it is never served to a user whose scope has
changed, whoever changed it and however (a save, a queryset update, the admin).
"""

import functools
import hashlib

from django.db import connection
from django.utils import timezone

from governance.models import Organization, Post
from residents.models import User


@functools.cache
def _rows_sql() -> str:
    """The one query the fingerprint reads, written once from the models' tables and columns.
    Plain SQL: it runs on every signed-in request that reads a kept value, and the ORM's
    three-part UNION cost 1.7 ms of CPU to build against 0.1 ms to send this. Every post of
    the person is read, with its dates, rather than the current ones: the date is part of
    the fingerprint, so a post that starts or ends changes it all the same."""
    quote = connection.ops.quote_name
    areas, groups = User.areas.through._meta, User.groups.through._meta
    post, organization = Post._meta, Organization._meta

    def column(meta, name: str) -> str:
        return f"{quote(meta.db_table)}.{quote(meta.get_field(name).column)}"

    # The posts first: PostgreSQL types the other parts' NULLs after the columns above them.
    # Names from the models, values as parameters.
    return (
        f"SELECT 'post', {column(post, 'id')}, {column(post, 'organization')},"  # noqa: S608
        f" {column(organization, 'area')}, {column(post, 'title')},"
        f" {column(post, 'start_date')}, {column(post, 'end_date')}"
        f" FROM {quote(post.db_table)} INNER JOIN {quote(organization.db_table)}"
        f" ON {column(post, 'organization')} = {column(organization, 'id')}"
        f" WHERE {column(post, 'person')} = %s"
        f" UNION ALL SELECT 'area', {column(areas, 'residentialarea')}, NULL, NULL, '', NULL, NULL"
        f" FROM {quote(areas.db_table)} WHERE {column(areas, 'user')} = %s"
        f" UNION ALL SELECT 'group', {column(groups, 'group')}, NULL, NULL, '', NULL, NULL"
        f" FROM {quote(groups.db_table)} WHERE {column(groups, 'user')} = %s"
    )


def scope_fingerprint(user: User) -> str:
    """A short hash of everything the user's scope is decided by: the user's row, already
    loaded, and one query for their areas, groups and posts."""
    if not user.is_authenticated:
        return "anonymous"
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql(), [user.person_id or 0, user.pk, user.pk])
        rows = sorted(map(tuple, cursor.fetchall()), key=repr)
    parts = [
        user.pk,
        user.is_active,
        user.is_superuser,
        user.is_staff,
        str(user.role),
        user.street_id,
        user.person_id,
        rows,
        timezone.localdate().isoformat(),  # posts start and end with the day
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
