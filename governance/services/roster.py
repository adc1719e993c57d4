"""Importing a roster of organisations and posts: every row goes through the same services as
the staff pages (``organization_create``, ``person_create``, ``post_create``), inside one
transaction that is rolled back on a dry run or when any row has a problem.

The import page queues an upload (``roster_import_queue``) for a background task that runs it
(``roster_import_run``) and records the result; the management command imports at once."""

import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.models import (
    Organization,
    OrganizationKind,
    Post,
    PostTitle,
    RosterImport,
    RosterImportStatus,
)
from governance.models.imports import progress_key, progress_save
from governance.roster import RosterRow, parse_date, parse_yes_no, read_roster, text
from governance.services.organizations import organization_create
from governance.services.posts import person_create, post_create
from lujiazui.uploads import save_on_commit
from residents.models import Compound, Person, ResidentialArea, Street, User

logger = logging.getLogger(__name__)

# Which roster column a model field's error belongs to, for each model a row writes.
ORGANIZATION_COLUMNS = {
    "name": "organization",
    "kind": "kind",
    "area": "area",
    "compound": "compound",
    "term_start": "term_start",
    "term_end": "term_end",
}
PERSON_COLUMNS = {"name": "person", "area": "area"}
POST_COLUMNS = {
    "person": "person",
    "organization": "organization",
    "title": "title",
    "part_time": "part_time",
    "start_date": "start_date",
    "end_date": "end_date",
}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str  # a key of governance.roster.COLUMNS, or "" for the whole row
    message: str
    code: str


@dataclass
class RosterResult:
    rows: int = 0
    organizations_created: int = 0
    people_created: int = 0
    posts_created: int = 0
    posts_on_record: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    written: bool = False


class _RowError(Exception):
    def __init__(self, problems: list[tuple[str, ValidationError]]) -> None:
        self.problems = problems


def _problems(error: ValidationError, columns: dict[str, str]) -> list[tuple[str, ValidationError]]:
    if not hasattr(error, "error_dict"):
        return [("", item) for item in error.error_list]
    return [
        ("" if name == NON_FIELD_ERRORS else columns.get(name, ""), item)
        for name, items in error.error_dict.items()
        for item in items
    ]


# The short names rosters use for the kinds of organisation.
KIND_ALIASES = {
    "党总支": OrganizationKind.PARTY,
    "党支部": OrganizationKind.PARTY,
    "党委": OrganizationKind.PARTY,
    "居委会": OrganizationKind.RESIDENTS_COMMITTEE,
    "业委会": OrganizationKind.OWNERS_COMMITTEE,
    "物业": OrganizationKind.PROPERTY_COMPANY,
}


def _choice(value: str, choices, column: str, code: str, aliases=None) -> str:
    """A choice's code from its code, its label in Chinese or English, or a usual short name."""
    wanted = value.strip().lower()
    if aliases and wanted in aliases:
        return aliases[wanted]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for code_value, label in choices:
                if wanted in (code_value, str(label).lower()):
                    return code_value
    raise _RowError(
        [
            (
                column,
                ValidationError(
                    _("“%(value)s” is not one of the listed values."),
                    code=code,
                    params={"value": value},
                ),
            )
        ]
    )


def _parsed(row: RosterRow) -> dict:
    """The row's cells as values, or every cell's problem at once."""
    values = {key: text(value) for key, value in row.values.items()}
    problems = []
    for key, parse in (
        ("term_start", parse_date),
        ("term_end", parse_date),
        ("start_date", parse_date),
        ("end_date", parse_date),
        ("part_time", parse_yes_no),
    ):
        try:
            values[key] = parse(row.values[key])
        except ValidationError as error:
            problems.append((key, error))
    if not values["organization"]:
        problems.append(
            ("organization", ValidationError(_("Name the organisation."), code="required"))
        )
    if values["person"]:
        if not values["title"]:
            problems.append(("title", ValidationError(_("Name the post."), code="required")))
        if values["start_date"] is None:
            problems.append(
                ("start_date", ValidationError(_("Give the post's first day."), code="required"))
            )
    elif values["title"] or values["start_date"]:
        problems.append(("person", ValidationError(_("Name who holds the post."), code="required")))
    if problems:
        raise _RowError(problems)
    return values


def _area(street: Street, name: str) -> ResidentialArea | None:
    if not name:
        return None
    area = ResidentialArea.objects.filter(
        Q(name=name) | Q(short_name=name) | Q(slug=name), street=street
    ).first()
    if area is None:
        raise _RowError(
            [
                (
                    "area",
                    ValidationError(
                        _("There is no residential area “%(name)s” in this street."),
                        code="unknown_area",
                        params={"name": name},
                    ),
                )
            ]
        )
    return area


def _compound(area: ResidentialArea | None, name: str) -> Compound | None:
    if not name:
        return None
    compound = Compound.objects.filter(area=area, name=name).first() if area else None
    if compound is None:
        raise _RowError(
            [
                (
                    "compound",
                    ValidationError(
                        _("There is no compound “%(name)s” in this residential area."),
                        code="unknown_compound",
                        params={"name": name},
                    ),
                )
            ]
        )
    return compound


def _organization(
    *, actor: User, street: Street, values: dict, result: RosterResult
) -> Organization:
    area = _area(street, values["area"])
    organization = Organization.objects.filter(street=street, name=values["organization"]).first()
    if organization is not None:
        if not Organization.objects.managed_by(actor).filter(pk=organization.pk).exists():
            raise PermissionDenied
        if values["kind"]:
            kind = _choice(
                values["kind"], OrganizationKind.choices, "kind", "unknown_kind", KIND_ALIASES
            )
            if kind != organization.kind:
                raise _RowError(
                    [
                        (
                            "kind",
                            ValidationError(
                                _("This organisation is on record as a %(kind)s."),
                                code="kind_differs",
                                params={"kind": organization.get_kind_display()},
                            ),
                        )
                    ]
                )
        if area is not None and organization.area_id != area.pk:
            raise _RowError(
                [
                    (
                        "area",
                        ValidationError(
                            _("This organisation is on record in another residential area."),
                            code="area_differs",
                        ),
                    )
                ]
            )
        return organization
    if not values["kind"]:
        raise _RowError(
            [("kind", ValidationError(_("Give a new organisation's kind."), code="required"))]
        )
    kind = _choice(values["kind"], OrganizationKind.choices, "kind", "unknown_kind", KIND_ALIASES)
    try:
        organization = organization_create(
            actor=actor,
            street=street,
            kind=kind,
            name=values["organization"],
            area=area,
            compound=_compound(area, values["compound"]),
            term_start=values["term_start"],
            term_end=values["term_end"],
        )
    except ValidationError as error:
        raise _RowError(_problems(error, ORGANIZATION_COLUMNS)) from None
    result.organizations_created += 1
    return organization


def _person(*, actor: User, organization: Organization, name: str, result: RosterResult) -> Person:
    people = list(
        Person.objects.managed_by(actor)
        .filter(street_id=organization.street_id, name=name)
        .order_by("pk")[:3]
    )
    if len(people) > 1:
        # Prefer the namesake the organisation's own area keeps; beyond that, ask.
        own = [person for person in people if person.area_id == organization.area_id]
        people = own if len(own) == 1 else people
    if len(people) > 1:
        raise _RowError(
            [
                (
                    "person",
                    ValidationError(
                        _("Several people are named “%(name)s”: add this post on the page."),
                        code="ambiguous_person",
                        params={"name": name},
                    ),
                )
            ]
        )
    if people:
        return people[0]
    try:
        person = person_create(actor=actor, name=name, area=organization.area)
    except ValidationError as error:
        raise _RowError(_problems(error, PERSON_COLUMNS)) from None
    result.people_created += 1
    return person


def _import_row(*, actor: User, street: Street, row: RosterRow, result: RosterResult) -> None:
    values = _parsed(row)
    organization = _organization(actor=actor, street=street, values=values, result=result)
    if not values["person"]:
        return
    title = _choice(values["title"], PostTitle.choices, "title", "unknown_title")
    person = _person(actor=actor, organization=organization, name=values["person"], result=result)
    if Post.objects.filter(
        organization=organization, person=person, title=title, start_date=values["start_date"]
    ).exists():
        result.posts_on_record += 1  # imported before: a roster may be loaded again
        return
    try:
        post_create(
            actor=actor,
            organization=organization,
            person=person,
            title=title,
            start_date=values["start_date"],
            end_date=values["end_date"],
            part_time=values["part_time"],
        )
    except ValidationError as error:
        raise _RowError(_problems(error, POST_COLUMNS)) from None
    result.posts_created += 1


@transaction.atomic
def roster_import(
    *,
    actor: User,
    street: Street,
    rows: Iterable[RosterRow],
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> RosterResult:
    """Register the roster's organisations, people and posts in the street. Every row is tried
    and every problem reported (row, column, message); nothing is written on a dry run or when
    any row has a problem."""
    result = RosterResult()
    for row in rows:
        result.rows += 1
        counts = (result.organizations_created, result.people_created, result.posts_created)
        try:
            with transaction.atomic():  # a savepoint: a failed row leaves no half of itself
                _import_row(actor=actor, street=street, row=row, result=result)
        except (_RowError, PermissionDenied) as error:
            # The row's savepoint is rolled back: so is what it counted.
            (result.organizations_created, result.people_created, result.posts_created) = counts
            result.problems += _row_problems(row, error)
        if progress is not None:
            progress(result.rows)
    if dry_run or result.problems:
        transaction.set_rollback(True)
    else:
        result.written = True
    return result


def _row_problems(row: RosterRow, error: "_RowError | PermissionDenied") -> list[RowProblem]:
    if isinstance(error, PermissionDenied):
        return [
            RowProblem(
                row.number,
                "area",
                _("You do not manage this organisation's residential area."),
                "not_managed",
            )
        ]
    return [
        RowProblem(row.number, column, message, item.code or "invalid")
        for column, item in error.problems
        for message in item.messages
    ]


# Queued and background imports


@transaction.atomic
def roster_import_queue(
    *, actor: User, street: Street, file: File, dry_run: bool, language: str
) -> RosterImport:
    """Keep the uploaded roster in the private storage and hand it to the background task once
    this transaction commits. The page of the returned import follows its progress."""
    if not (
        Street.objects.managed_by(actor).filter(pk=street.pk).exists()
        or ResidentialArea.objects.managed_by(actor).filter(street=street).exists()
    ):
        raise PermissionDenied
    record = RosterImport(
        street=street,
        actor=actor,
        original_name=(file.name or "")[-200:],
        dry_run=dry_run,
        language=language,
    )
    save_on_commit(record.file, file.name or "roster", file)
    record.save()

    def enqueue() -> None:
        from governance.tasks import run_roster_import  # the task module imports this one

        run_roster_import.enqueue(record.pk)

    transaction.on_commit(enqueue)
    return record


def roster_import_run(*, import_id: int) -> None:
    """Check or import a queued roster in its uploader's language, recording the result; the
    count of rows done goes to the cache as they are worked through. An unexpected error marks
    the import failed (nothing is written: the rows' transaction is rolled back) and is logged
    without the error's text, which may quote names from the file."""
    started = RosterImport.objects.filter(pk=import_id, status=RosterImportStatus.QUEUED).update(
        status=RosterImportStatus.RUNNING, started_at=timezone.now()
    )
    if not started:
        return  # run already, or no longer there
    record = RosterImport.objects.select_related("street", "actor").get(pk=import_id)
    try:
        with translation.override(record.language or None):
            _roster_import_record(record)
    except Exception as error:
        logger.error(
            "Roster import %s failed with %s at:\n%s",
            import_id,
            type(error).__name__,
            # Where it happened, without the lines' text or the error's: either may quote the file.
            "\n".join(
                f"  {frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(error.__traceback__)
            ),
        )
        RosterImport.objects.filter(pk=import_id).update(
            status=RosterImportStatus.FAILED, written=False, finished_at=timezone.now()
        )
    finally:
        _discard_file(import_id)
        cache.delete(progress_key(import_id))


def _roster_import_record(record: RosterImport) -> None:
    try:
        with record.file.open("rb") as handle:
            rows = read_roster(handle, record.original_name)
    except ValidationError as error:
        # The file as a whole is refused (unreadable, no header, too long): a problem of no row.
        problems = [
            RowProblem(0, "", message, error.code or "invalid") for message in error.messages
        ]
        _record_result(record, RosterResult(problems=problems))
        return
    RosterImport.objects.filter(pk=record.pk).update(rows_total=len(rows))
    progress_save(record.pk, 0)
    with transaction.atomic():  # the rows and their result are recorded together, or neither
        result = roster_import(
            actor=record.actor,
            street=record.street,
            rows=rows,
            dry_run=record.dry_run,
            progress=lambda done: progress_save(record.pk, done),
        )
        _record_result(record, result)


def _record_result(record: RosterImport, result: RosterResult) -> None:
    RosterImport.objects.filter(pk=record.pk).update(
        status=RosterImportStatus.DONE,
        rows_total=result.rows,
        organizations_created=result.organizations_created,
        people_created=result.people_created,
        posts_created=result.posts_created,
        posts_on_record=result.posts_on_record,
        written=result.written,
        problems=[asdict(problem) for problem in result.problems],
        finished_at=timezone.now(),
    )


def _discard_file(import_id: int) -> None:
    """The roster holds names: it is kept only while its import runs."""
    record = RosterImport.objects.get(pk=import_id)
    if record.file:
        record.file.delete(save=False)
        RosterImport.objects.filter(pk=import_id).update(file="")
