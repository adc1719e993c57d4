"""A case's history (who changed what, old and new value), read from django-simple-history:
its edits, its status changes and its parties, and the attachments uploaded to it."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    Attachment,
    Case,
    CaseParty,
    CaseStatus,
    Category,
    Indicator,
    PartyRole,
)
from residents.models import BuildingGroup, Compound, User

# Never shown in the history: bookkeeping, and the reporting resident's name and phone.
HIDDEN_FIELDS = {
    "version",
    "sequence",
    "year",
    "street",
    "number",
    "logged_by",
    "created_at",
    "reporter_name",
    "reporter_phone",
}
FOREIGN_KEYS: dict[str, type[Model]] = {
    "category": Category,
    "compound": Compound,
    "building_group": BuildingGroup,
    "indicator": Indicator,
    "duplicate_of": Case,
}


# The history models, looked up once: ``Case.history`` makes a manager class on every read.
HistoricalCase = Case.history.model
HistoricalCaseParty = CaseParty.history.model
# The history's users are named by their short name, else their login.
USER_NAME_FIELDS = ("history_user__username", "history_user__first_name")


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: User | None
    summary: str
    changes: list[Change] = field(default_factory=list)

    @property
    def when(self) -> str:
        """The moment in the reader's time zone, as the date filter's "Y-m-d H:i" writes it."""
        return timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M")

    @property
    def who(self) -> str:
        return (self.user.get_short_name() or self.user.username) if self.user else "—"


def _display(name: str, value, names: dict[tuple[str, object], str]) -> str:
    if value in (None, ""):
        return "—"
    if name in FOREIGN_KEYS:
        return names.get((name, value), str(value))
    model_field = Case._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _status_label(code: str) -> str:
    """A status in the reader's language, from its stored code."""
    try:
        return str(CaseStatus(code).label)
    except ValueError:
        return code or "—"


def case_history(case: Case, attachments: list[Attachment] | None = None) -> list[HistoryEntry]:
    """Every change of the case, its status and its parties, and every attachment with its
    uploader, newest first, in a bounded number of queries. ``attachments``, with their
    uploaders, spares a query when the page reads them already."""
    records = list(
        HistoricalCase.objects.filter(id=case.pk)
        .select_related("history_user")
        .only(*(field.name for field in HistoricalCase._meta.concrete_fields), *USER_NAME_FIELDS)
        .order_by("history_date", "history_id")
    )
    deltas = [
        (record, record.diff_against(previous) if previous else None)
        for previous, record in zip([None, *records[:-1]], records, strict=True)
    ]
    wanted: dict[str, set] = {name: set() for name in FOREIGN_KEYS}
    for _record, delta in deltas:
        for change in delta.changes if delta else []:
            if change.field in FOREIGN_KEYS:
                wanted[change.field].update(v for v in (change.old, change.new) if v)
    names = {
        # A case is named by its number only: its title may belong to another area.
        (name, obj.pk): obj.number if isinstance(obj, Case) else str(obj)
        for name, ids in wanted.items()
        if ids
        for obj in FOREIGN_KEYS[name]._default_manager.filter(pk__in=ids)
    }
    entries = []
    for record, delta in deltas:
        if delta is None:
            entries.append(HistoryEntry(record.history_date, record.history_user, _("Case logged")))
            continue
        changes = [
            Change(
                str(Case._meta.get_field(change.field).verbose_name),
                _display(change.field, change.old, names),
                _display(change.field, change.new, names),
            )
            for change in delta.changes
            if change.field not in HIDDEN_FIELDS
        ]
        # The status is no editable field, so the diff leaves it out: compared here.
        old_status = delta.old_record.status
        if old_status != record.status:
            summary = _("Status changed from %(old)s to %(new)s") % {
                "old": _status_label(old_status),
                "new": _status_label(record.status),
            }
            entries.append(HistoryEntry(record.history_date, record.history_user, summary, changes))
        elif changes:
            entries.append(
                HistoryEntry(record.history_date, record.history_user, _("Changed"), changes)
            )
    parties = (
        HistoricalCaseParty.objects.filter(case_id=case.pk)
        .select_related("history_user", "organization")
        .only("history_type", "history_date", "role", "organization__name", *USER_NAME_FIELDS)
        .order_by("-history_date", "-history_id")
    )
    for party in parties:
        role = PartyRole(party.role).label
        summary = {
            "+": _("%(party)s added as %(role)s party"),
            "~": _("%(party)s is now the %(role)s party"),
            "-": _("%(party)s removed from the parties"),
        }[party.history_type] % {"party": party.organization.name, "role": role}
        entries.append(HistoryEntry(party.history_date, party.history_user, summary))
    if attachments is None:
        attachments = list(case.attachments.select_related("uploaded_by"))
    for attachment in attachments:
        # Named by its kind, never by the uploader's file name (it may hold personal data).
        summary = _("Uploaded: %(kind)s") % {"kind": attachment.get_kind_display()}
        entries.append(HistoryEntry(attachment.created_at, attachment.uploaded_by, summary))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
