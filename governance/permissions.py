"""Who may change what: predicates shared by templates, views and services."""

from dataclasses import dataclass

from django.db.models import QuerySet

from governance.models import Brand, Case, CaseStatus, Organization, PartyRole, Post
from residents.models import Person, ResidentialArea, Street, User


def can_manage_area(user: User, area: ResidentialArea) -> bool:
    """Street staff of the area's street and the area's own secretaries."""
    return ResidentialArea.objects.managed_by(user).filter(pk=area.pk).exists()


def can_manage_organization(user: User, organization: Organization) -> bool:
    return Organization.objects.managed_by(user).filter(pk=organization.pk).exists()


def can_manage_post(user: User, post: Post) -> bool:
    return Post.objects.managed_by(user).filter(pk=post.pk).exists()


def can_manage_person(user: User, person: Person) -> bool:
    return Person.objects.managed_by(user).filter(pk=person.pk).exists()


def can_manage_brand(user: User, brand: Brand) -> bool:
    """Record and remove a brand's activities: the area's secretaries and its street's staff."""
    return ResidentialArea.objects.managed_by(user).filter(pk=brand.area_id).exists()


def user_organizations(user: User) -> QuerySet[Organization]:
    """The organisations in which the user's person holds a current post."""
    if not (user.is_authenticated and user.person_id):
        return Organization.objects.none()
    return Organization.objects.filter(
        pk__in=Post.objects.current().filter(person_id=user.person_id).values("organization")
    )


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


def case_rights(user: User, case: Case) -> CaseRights:
    manage = can_manage_case(user, case)
    return CaseRights(
        manage=manage,
        resolve=manage or can_resolve_case(user, case),
        change_due_date=can_change_due_date(user, case),
    )


def can_transition(user: User, case: Case, to: str) -> bool:
    return case_rights(user, case).may_transition(to)
