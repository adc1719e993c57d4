"""Who may change what: predicates shared by templates, views and services."""

from dataclasses import dataclass

from django.db.models import QuerySet

from governance.models import (
    Brand,
    Case,
    CaseStatus,
    Organization,
    PartyRole,
    Post,
    Tier,
    Wish,
    WishStatus,
)
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


def can_manage_person(user: User, person: Person) -> bool:
    return Person.objects.managed_by(user).filter(pk=person.pk).exists()


def can_manage_brand(user: User, brand: Brand) -> bool:
    """Record and remove a brand's activities: the area's secretaries and its street's staff."""
    return ResidentialArea.objects.managed_by(user).filter(pk=brand.area_id).exists()


def user_organizations(user: User) -> QuerySet[Organization]:
    """The organisations in which the user's person holds a current post."""
    return Organization.objects.held_by(user)


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


def can_manage_wish(user: User, wish: Wish) -> bool:
    """Record, edit, publish, thank, withdraw: the area's secretaries and the street's staff."""
    return can_manage_area(user, wish.area)


def wish_claim_units(user: User, wish: Wish) -> QuerySet[Organization]:
    """The partner units for which the user may claim the wish: staff who manage it may record
    a claim by any partner unit of the street; a liaison claims for their own units there."""
    units = Organization.objects.in_tier(Tier.N).filter(street_id=wish.street_id)
    if can_manage_wish(user, wish):
        return units
    return units.filter(pk__in=user_organizations(user).values("pk"))


def can_claim_wish(user: User, wish: Wish) -> bool:
    """Only a published wish is claimed: staff who manage it record a claim, a partner unit's
    people claim it for their unit."""
    if wish.status != WishStatus.PUBLISHED:
        return False
    return can_manage_wish(user, wish) or wish_claim_units(user, wish).exists()


def can_fulfil_wish(user: User, wish: Wish) -> bool:
    """The claiming unit's people, the area's secretaries and the street's staff."""
    if can_manage_wish(user, wish):
        return True
    return bool(
        wish.claimed_by_organization_id
        and user_organizations(user).filter(pk=wish.claimed_by_organization_id).exists()
    )


@dataclass(frozen=True)
class WishRights:
    """What one user may do on one wish, worked out once for a page."""

    manage: bool
    claim: bool
    fulfil: bool


def wish_rights(user: User, wish: Wish) -> WishRights:
    manage = can_manage_wish(user, wish)
    return WishRights(
        manage=manage,
        claim=can_claim_wish(user, wish),
        fulfil=manage or can_fulfil_wish(user, wish),
    )
