"""Who may do what on a brand: predicates shared by templates, views and services."""

from brands.models import Brand
from residents.models import ResidentialArea, User


def can_manage_brand(user: User, brand: Brand) -> bool:
    """Record and remove a brand's activities: the area's secretaries and its street's staff."""
    return ResidentialArea.objects.managed_by(user).filter(pk=brand.area_id).exists()
