"""Who is told: resolved through posts (a party's people), area staff and street staff.

Only active logins; the actor is taken out by ``inbox.services.notify`` itself."""

from collections.abc import Iterable

from django.db.models import QuerySet

from governance.models import Post
from residents.models import Role, User


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def organization_people(organization_ids: Iterable[int]) -> QuerySet[User]:
    """The logins whose person holds a current post in one of the organisations."""
    holders = Post.objects.current().filter(organization_id__in=list(organization_ids))
    return _active().filter(person_id__in=holders.values("person_id"))


def case_people(case, exclude_organization_id: int | None = None) -> QuerySet[User]:
    """A case's parties' people, without those of one party (the one that acted)."""
    parties = case.parties.values_list("organization_id", flat=True)
    return organization_people(org for org in parties if org != exclude_organization_id)


def area_secretaries(area_id: int) -> QuerySet[User]:
    """The secretaries and committee staff of one area, never another area's."""
    return _active().filter(role=Role.AREA_STAFF, areas__id=area_id)


def street_staff(street_id: int) -> QuerySet[User]:
    """The street office's people; a partner system's account (Open311) is nobody to tell."""
    return _active().filter(role=Role.STREET_STAFF, street_id=street_id, api_client__isnull=True)
