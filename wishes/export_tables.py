"""What the staff export of wishes holds: its header, in the user's language, and its rows, read
as plain values in chunks (see ``governance.export_tables``)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from governance.export_tables import CHUNK, choice_labels, model_header
from wishes.models import Wish, WishCategory, WishStatus

WISH_FIELDS = [
    "title",
    "area",
    "category",
    "status",
    "wanted_by",
    "created_at",
    "published_at",
    "claimed_by_organization",
    "claimed_at",
    "fulfilled_at",
    "thanked_at",
]
# Shown only to the people who manage the wish: the resident's identity and the claimer's name.
WISH_PRIVATE_FIELDS = ["resident_name", "resident_phone", "resident_address", "claimed_by_name"]
_WISH_VALUES = {"area": "area__name", "claimed_by_organization": "claimed_by_organization__name"}


def wish_header() -> list[str]:
    return model_header(Wish, WISH_FIELDS + WISH_PRIVATE_FIELDS)


def wish_rows(wishes: QuerySet[Wish]) -> Iterator[list[Any]]:
    """One row per wish, for the people who manage it (``Wish.objects.managed_by``)."""
    categories = choice_labels(WishCategory.choices)
    states = choice_labels(WishStatus.choices)
    fields = [_WISH_VALUES.get(name, name) for name in WISH_FIELDS + WISH_PRIVATE_FIELDS]
    for values_row in wishes.values_list(*fields).iterator(CHUNK):
        row = list(values_row)
        row[2] = categories[row[2]]
        row[3] = states[row[3]]
        yield row
