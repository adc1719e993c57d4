"""What each staff export holds: its header, in the user's language, and its rows, read as plain
values in chunks so that a long list streams. The staff pages and the admin share them.

Scope is the caller's: every function takes a queryset already narrowed to what the user may
see (``visible_to``) or manages (``managed_by``). Private columns are chosen here, once."""

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import roster
from governance.models import (
    Case,
    CaseStatus,
    Channel,
    Organization,
    OrganizationKind,
    Post,
    PostTitle,
    Priority,
)
from governance.models.cases import FINISHED_STATUSES
from governance.models.organizations import TIER_BY_KIND

CHUNK = 2000

# The reporting resident's name and phone never leave the case page.
CASE_FIELDS = [
    "number",
    "title",
    "area",
    "compound",
    "category",
    "channel",
    "priority",
    "status",
    "created_at",
    "due_date",
    "accepted_at",
    "resolved_at",
    "closed_at",
]
# Read through the relation's name, so that a row is a tuple and no case becomes an object.
_CASE_VALUES = {"area": "area__name", "compound": "compound__name", "category": "category__name"}


def choice_labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def model_header(model, fields: list[str]) -> list[str]:
    return [str(model._meta.get_field(name).verbose_name) for name in fields]


def case_header() -> list[str]:
    return [*model_header(Case, CASE_FIELDS), _("overdue")]


def case_rows(cases: QuerySet[Case]) -> Iterator[list[Any]]:
    """One row per case, with whether it is overdue today."""
    labels = {
        "channel": choice_labels(Channel.choices),
        "priority": choice_labels(Priority.choices),
        "status": choice_labels(CaseStatus.choices),
    }
    today = timezone.localdate()
    yes = _("yes")
    values = cases.values_list(*(_CASE_VALUES.get(name, name) for name in CASE_FIELDS))
    for values_row in values.iterator(chunk_size=CHUNK):
        row = dict(zip(CASE_FIELDS, values_row, strict=True))
        overdue = row["status"] not in FINISHED_STATUSES and row["due_date"] < today
        for name, names in labels.items():
            row[name] = names[row[name]]
        yield [*row.values(), yes if overdue else ""]


def organization_header() -> list[str]:
    """The roster's columns, so that an export can be corrected and imported again; then the
    tier and whether the post is held today."""
    return [*roster.header(), _("tier"), _("current")]


def organization_rows(
    organizations: QuerySet[Organization], on: datetime.date | None = None
) -> Iterator[list[Any]]:
    """One row per post, the organisation's columns repeated; an organisation with no post has
    one row with the post's columns empty. Only who holds which post: never a contact."""
    on = on or timezone.localdate()
    kinds = choice_labels(OrganizationKind.choices)
    titles = choice_labels(PostTitle.choices)
    tiers = {kind: str(tier.label) for kind, tier in TIER_BY_KIND.items()}
    yes = _("yes")
    rows = (
        Post.objects.filter(organization__in=organizations.values("pk"))
        .order_by("organization__area__name", "organization__kind", "organization__name", "pk")
        .values_list(
            "organization__name",
            "organization__kind",
            "organization__area__name",
            "organization__compound__name",
            "organization__term_start",
            "organization__term_end",
            "person__name",
            "title",
            "part_time",
            "start_date",
            "end_date",
        )
    )
    for name, kind, area, compound, term_start, term_end, *post in rows.iterator(CHUNK):
        person, title, part_time, start, end = post
        current = start <= on and (end is None or end >= on)
        yield [
            name,
            kinds[kind],
            area,
            compound,
            term_start,
            term_end,
            person,
            titles[title],
            yes if part_time else "",
            start,
            end,
            tiers[kind],
            yes if current else "",
        ]
    empty = organizations.filter(posts__isnull=True).values_list(
        "name", "kind", "area__name", "compound__name", "term_start", "term_end"
    )
    no_post = [""] * 5
    for name, kind, area, compound, term_start, term_end in empty.iterator(CHUNK):
        yield [name, kinds[kind], area, compound, term_start, term_end, *no_post, tiers[kind], ""]
