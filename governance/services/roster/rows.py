"""Importing a roster's rows of organisations and posts: every row goes through the same
services as the staff pages (``organization_create``, ``person_create``, ``post_create``), inside
one transaction that is rolled back on a dry run or when any row has a problem."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from governance.models import Organization, OrganizationKind, Post, PostTitle
from governance.roster import RosterRow, parse_date, parse_yes_no, text
from governance.services.organizations import organization_create
from governance.services.posts import person_create, post_create
from residents.models import Compound, Person, ResidentialArea, Street, User

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
