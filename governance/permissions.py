"""Who may change what: predicates shared by templates, views and services."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from governance.models import (
    Agreement,
    Case,
    CaseStatus,
    Organization,
    PartyRole,
    Post,
)
from governance.models.cases import units_beyond_managed_areas
from residents.models import Person, ResidentialArea, Street, User


def can_manage_area(user: User, area: ResidentialArea) -> bool:
    """Street staff of the area's street and the area's own secretaries."""
    return ResidentialArea.objects.managed_by(user).filter(pk=area.pk).exists()


def keeps_records(user: User) -> bool:
    """Whether the user works for an area or a street's office, so may log cases and record
    people: the forms for it are a 404 to anyone else, as a record out of reach is."""
    return (
        ResidentialArea.objects.managed_by(user).exists()
        or Street.objects.managed_by(user).exists()
    )


def can_manage_organization(user: User, organization: Organization) -> bool:
    return Organization.objects.managed_by(user).filter(pk=organization.pk).exists()


def can_manage_post(user: User, post: Post) -> bool:
    return Post.objects.managed_by(user).filter(pk=post.pk).exists()


def can_manage_agreement(user: User, agreement: Agreement) -> bool:
    return Agreement.objects.managed_by(user).filter(pk=agreement.pk).exists()


def can_manage_person(user: User, person: Person) -> bool:
    return Person.objects.managed_by(user).filter(pk=person.pk).exists()


def user_organizations(user: User) -> QuerySet[Organization]:
    """The organisations in which the user's person holds a current post."""
    return Organization.objects.held_by(user)


class CaseScope:
    """Which cases one user reaches, looked up once for a request (see `case_scope`): the
    workbench and a case's page read it instead of asking the database again for each rule."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def units_beyond_areas(self) -> QuerySet[Organization] | None:
        units = units_beyond_managed_areas(self.user)
        # Kept on the request's own user, where `visible_to` finds it: asked once a request.
        self.user.units_beyond_managed_areas = units
        return units

    @cached_property
    def manages_a_street(self) -> bool:
        """Whether the user works for a street's office (so across its areas)."""
        return Street.objects.managed_by(self.user).exists()

    @property
    def areas_alone_decide(self) -> bool:
        """Whether the user's areas are the whole scope (no post beyond them)."""
        return self.units_beyond_areas is None

    def cases(self, *, due_date_right: bool = False) -> QuerySet[Case]:
        """The cases the user may see; with ``due_date_right``, each with whether the user may
        change its due date (``can_change_due_date``) read in the same query, for ``rights``."""
        self.units_beyond_areas  # noqa: B018  (looked up once, then read by visible_to)
        cases = Case.objects.visible_to(self.user)
        if due_date_right:
            streets = Street.objects.managed_by(self.user)
            # Nobody outside a street's office may: they need neither the column nor a query.
            if not streets.query.is_empty():
                right = Exists(streets.filter(pk=OuterRef("street_id")))
                cases = cases.annotate(due_date_right_of_scope=right)
        return cases

    def rights(self, case: Case) -> "CaseRights":
        """What the user may do on a case read through ``cases()``. When the user's areas alone
        decide the scope, such a case is in one of them: the user manages it (so may resolve
        it) without asking the database again."""
        change_due_date = getattr(case, "due_date_right_of_scope", None)
        if change_due_date is None:
            change_due_date = can_change_due_date(self.user, case)
        if self.areas_alone_decide:
            return CaseRights(manage=True, resolve=True, change_due_date=change_due_date)
        return case_rights(self.user, case, change_due_date=change_due_date)


def case_scope(request: HttpRequest) -> CaseScope:
    """The request's case scope, made on first use and kept on the request: what it looks up
    holds for that request only (its user is loaded afresh for the next)."""
    scope = getattr(request, "case_scope", None)
    if scope is None:
        scope = request.case_scope = CaseScope(request.user)
    return scope


def can_view_case(user: User, case: Case) -> bool:
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def can_manage_case(user: User, case: Case) -> bool:
    """Accept, reject, set parties, edit, close, follow up: area secretaries and street staff."""
    return can_manage_area(user, case.area)


def can_resolve_case(user: User, case: Case) -> bool:
    """Only the lead party's people, the area's secretary and street staff may resolve."""
    if can_manage_case(user, case):
        return True
    lead = case.parties.filter(role=PartyRole.LEAD).values("organization")
    return user_organizations(user).filter(pk__in=lead).exists()


def can_change_due_date(user: User, case: Case) -> bool:
    """Street staff of the case's street only."""
    return Street.objects.managed_by(user).filter(pk=case.street_id).exists()


@dataclass(frozen=True)
class CaseRights:
    """What one user may do on one case, worked out once for a page."""

    manage: bool
    resolve: bool
    change_due_date: bool

    def may_transition(self, to: str) -> bool:
        if to in (CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED):
            return self.resolve
        return self.manage


def case_rights(user: User, case: Case, *, change_due_date: bool | None = None) -> CaseRights:
    """``change_due_date``, when known already, spares its query."""
    manage = can_manage_case(user, case)
    return CaseRights(
        manage=manage,
        resolve=manage or can_resolve_case(user, case),
        change_due_date=(
            can_change_due_date(user, case) if change_due_date is None else change_due_date
        ),
    )


def can_transition(user: User, case: Case, to: str) -> bool:
    return case_rights(user, case).may_transition(to)
