"""Reading the audit trail: the history rows of some records, as entries that say who did what
and when, with each changed field's old and new value in words.

The rows come from django-simple-history's history tables (``HistoricalTrail``). Foreign keys
are named with one query per related model, whatever the number of rows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Field, ForeignKey, Model, QuerySet
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Bookkeeping, never shown as a change.
HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at", "version", "seats_taken"})
LONG_TEXT = 120

ACTIONS = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    personal: bool = False


@dataclass
class Entry:
    at: datetime.datetime
    user: str
    action: str
    kind: str
    record: str
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])


def trail(*histories: QuerySet) -> list[Entry]:
    """The entries of these history querysets (e.g. ``Post.history.filter(person=…)``), newest
    first. Each row is compared with the row before it of the same record."""
    entries: list[Entry] = []
    for history in histories:
        entries.extend(_entries(history))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _tracked(history_model: type[Model]) -> list[Field]:
    return [f for f in history_model.tracked_fields if f.name not in HIDDEN_FIELDS]


def _entries(history: QuerySet) -> list[Entry]:
    rows = list(history.select_related("history_user").order_by("id", "history_date", "history_id"))
    if not rows:
        return []
    model = history.model.instance_type
    fields = _tracked(history.model)
    names = _related_names(rows, fields)
    entries, previous = [], {}
    for row in rows:
        # None for a record created before it was audited: its first row has no old values.
        before = previous.get(row.id)
        entries.append(
            Entry(
                at=row.history_date,
                user=_user_name(row.history_user),
                action=row.history_type,
                kind=str(model._meta.verbose_name),
                record=_record_name(row, fields, names),
                changes=_changes(before, row, fields, names) if row.history_type != "-" else [],
            )
        )
        previous[row.id] = row
    # A save that changed only bookkeeping is not an entry of its own.
    return [e for e in entries if e.action != "~" or e.changes]


def _related_names(rows: list, fields: list[Field]) -> dict[str, dict]:
    """The related rows of every foreign key in ``rows``, by field name and key: one query per
    related model."""
    wanted: dict[type[Model], set] = defaultdict(set)
    for f in fields:
        if isinstance(f, ForeignKey):
            wanted[f.related_model].update(
                value for row in rows if (value := getattr(row, f.attname)) is not None
            )
    found = {
        related: related._base_manager.in_bulk(ids) if ids else {}
        for related, ids in wanted.items()
    }
    return {f.name: found[f.related_model] for f in fields if isinstance(f, ForeignKey)}


def _record_name(row, fields: list[Field], names: dict[str, dict]) -> str:
    """The record's own name, as its ``__str__`` says, without a query for its relations."""
    instance = row.instance
    for f in fields:
        if isinstance(f, ForeignKey):
            related = names[f.name].get(getattr(row, f.attname))
            if related is not None:
                instance._meta.get_field(f.name).set_cached_value(instance, related)
    try:
        return str(instance)
    except Model.DoesNotExist:
        return str(row.id)


def _changes(before, row, fields: list[Field], names: dict[str, dict]) -> list[Change]:
    """What changed since ``before``; of a personal field (the model's ``personal_fields``:
    contacts), only that it changed."""
    personal = getattr(row.instance_type, "personal_fields", frozenset())
    changes = []
    for f in fields:
        new = getattr(row, f.attname)
        old = getattr(before, f.attname) if before is not None else None
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", False):
            continue  # a new record: only the values it was given
        label = str(f.verbose_name)
        if f.name in personal:
            changes.append(Change(label, "", "", personal=True))
            continue
        old_shown = _shown(f, old, names) if before is not None else ""
        changes.append(Change(label, old_shown, _shown(f, new, names)))
    return changes


def _shown(f: Field, value, names: dict[str, dict]) -> str:
    """A value in words: a choice's label, a related row's name, a date as a date."""
    if value is None or value == "":
        return "—"
    if isinstance(f, ForeignKey):
        related = names[f.name].get(value)
        return str(related) if related is not None else f"#{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "Y-m-d")
    return Truncator(str(value)).chars(LONG_TEXT)


def _user_name(user) -> str:
    if user is None:
        return _("the system")
    return user.first_name or user.username
