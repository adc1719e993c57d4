"""Who may do what on a wish: predicates shared by templates, views and services."""

from dataclasses import dataclass

from django.db.models import QuerySet

from governance.models import Organization, Tier
from governance.permissions import can_manage_area, user_organizations
from residents.models import User
from wishes.models import Wish, WishStatus


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
