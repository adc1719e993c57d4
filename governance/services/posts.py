"""Writes of record on people and posts, from the staff pages, the roster import and the admin."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.history import audited
from governance.models import Organization, Post, PostTitle
from governance.permissions import can_manage_organization, can_manage_person, can_manage_post
from governance.services.edits import KEEP, Keep, given
from residents.models import Person, ResidentialArea, Street, User


@audited
@transaction.atomic
def post_create(
    *,
    actor: User,
    organization: Organization,
    person: Person,
    title: PostTitle | str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    part_time: bool = False,
) -> Post:
    """Give a person a post in an organisation the actor manages."""
    if not can_manage_organization(actor, organization) or not can_manage_person(actor, person):
        raise PermissionDenied
    post = Post(
        organization=organization,
        person=person,
        title=title,
        start_date=start_date,
        end_date=end_date,
        part_time=part_time,
    )
    post.full_clean()
    post.save()
    return post


@audited
@transaction.atomic
def post_update(
    *,
    post: Post,
    actor: User,
    person: Person | Keep = KEEP,
    organization: Organization | Keep = KEEP,
    title: PostTitle | str | Keep = KEEP,
    part_time: bool | Keep = KEEP,
    start_date: datetime.date | Keep = KEEP,
    end_date: datetime.date | Keep | None = KEEP,
) -> Post:
    """Correct a post the actor manages; a post given to another person or organisation must go
    to one the actor manages too. A field left at ``KEEP`` keeps its value."""
    if not can_manage_post(actor, post):
        raise PermissionDenied
    if organization is not KEEP and not can_manage_organization(actor, organization):
        raise PermissionDenied
    if person is not KEEP and not can_manage_person(actor, person):
        raise PermissionDenied
    post = Post.objects.select_for_update().get(pk=post.pk)
    changes = given(
        person=person,
        organization=organization,
        title=title,
        part_time=part_time,
        start_date=start_date,
        end_date=end_date,
    )
    for field, value in changes.items():
        setattr(post, field, value)
    post.full_clean()
    post.save()
    return post


@audited
@transaction.atomic
def post_end(*, actor: User, post: Post, end_date: datetime.date) -> Post:
    """Record the last day of a post; a post already ended keeps its end."""
    if not can_manage_post(actor, post):
        raise PermissionDenied
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.end_date is not None and post.end_date <= end_date:
        raise ValidationError(
            _("This post already ended on %(date)s."),
            code="post_already_ended",
            params={"date": date_format(post.end_date, "Y-m-d")},
        )
    if end_date < post.start_date:
        raise ValidationError(
            _("A post cannot end before it starts (%(date)s)."),
            code="post_ends_before_start",
            params={"date": date_format(post.start_date, "Y-m-d")},
        )
    post.end_date = end_date
    post.save(update_fields=["end_date"])
    return post


def _person_place(*, actor: User, person: Person) -> None:
    """Put the person in their area's street, or with no area in the actor's street office, and
    check that the actor manages that area or street."""
    if person.area_id:
        person.street_id = person.area.street_id
    elif actor.street_id:
        person.street_id = actor.street_id
    else:
        raise ValidationError(
            {
                "area": ValidationError(
                    _("Choose the residential area this person belongs to."), code="area_required"
                )
            }
        )
    if person.area_id:
        if not ResidentialArea.objects.managed_by(actor).filter(pk=person.area_id).exists():
            raise PermissionDenied
    elif not Street.objects.managed_by(actor).filter(pk=person.street_id).exists():
        raise PermissionDenied


@audited
@transaction.atomic
def person_create(
    *,
    actor: User,
    name: str,
    area: ResidentialArea | None = None,
    phone: str = "",
    address: str = "",
    note: str = "",
) -> Person:
    """Register a person in an area the actor manages; with no area, in the street office the
    actor works for."""
    person = Person(name=name, area=area, phone=phone, address=address, note=note)
    _person_place(actor=actor, person=person)
    person.full_clean()
    person.save()
    return person


@audited
@transaction.atomic
def person_update(
    *,
    person: Person,
    actor: User,
    name: str | Keep = KEEP,
    area: ResidentialArea | Keep | None = KEEP,
    phone: str | Keep = KEEP,
    address: str | Keep = KEEP,
    note: str | Keep = KEEP,
) -> Person:
    """Change the record of a person the actor manages; a person moved to another area must
    move to one the actor manages too. A field left at ``KEEP`` keeps its value."""
    if not can_manage_person(actor, person):
        raise PermissionDenied
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = given(name=name, area=area, phone=phone, address=address, note=note)
    for field, value in changes.items():
        setattr(person, field, value)
    _person_place(actor=actor, person=person)
    person.full_clean()
    person.save()
    return person
