"""Who may change what: predicates shared by templates, views and services."""

from governance.models import Organization, Post
from residents.models import Person, ResidentialArea, User


def can_manage_area(user: User, area: ResidentialArea) -> bool:
    """Street staff of the area's street and the area's own secretaries."""
    return ResidentialArea.objects.managed_by(user).filter(pk=area.pk).exists()


def can_manage_organization(user: User, organization: Organization) -> bool:
    return Organization.objects.managed_by(user).filter(pk=organization.pk).exists()


def can_manage_post(user: User, post: Post) -> bool:
    return Post.objects.managed_by(user).filter(pk=post.pk).exists()


def can_manage_person(user: User, person: Person) -> bool:
    return Person.objects.managed_by(user).filter(pk=person.pk).exists()
