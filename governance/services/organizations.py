"""Writes of record on organisations and co-construction agreements, from the roster import and
the admin."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.history import audited
from governance.models import Agreement, Organization, Tier
from governance.permissions import can_manage_agreement, can_manage_area, can_manage_organization
from governance.services.edits import KEEP, Keep, given
from residents.models import BuildingGroup, Compound, ResidentialArea, Street, User


def _check_place(*, actor: User, street_id: int | None, area_id: int | None) -> None:
    """An organisation of an area the actor manages, or a partner unit serving the whole street
    of a street office the actor works for."""
    if area_id is not None:
        if not ResidentialArea.objects.managed_by(actor).filter(pk=area_id).exists():
            raise PermissionDenied
    elif not Street.objects.managed_by(actor).filter(pk=street_id).exists():
        raise PermissionDenied


@audited
@transaction.atomic
def organization_create(
    *,
    actor: User,
    street: Street,
    kind: str,
    name: str,
    area: ResidentialArea | None = None,
    compound: Compound | None = None,
    building_group: BuildingGroup | None = None,
    parent: Organization | None = None,
    description: str = "",
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
) -> Organization:
    """Register an organisation of an area the actor manages, or a partner unit serving the
    whole street of a street office the actor works for."""
    _check_place(actor=actor, street_id=street.pk, area_id=area.pk if area else None)
    organization = Organization(
        street=street,
        area=area,
        compound=compound,
        building_group=building_group,
        parent=parent,
        kind=kind,
        name=name,
        description=description,
        term_start=term_start,
        term_end=term_end,
    )
    organization.full_clean()
    organization.save()
    return organization


@audited
@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    actor: User,
    street: Street | Keep = KEEP,
    area: ResidentialArea | Keep | None = KEEP,
    compound: Compound | Keep | None = KEEP,
    building_group: BuildingGroup | Keep | None = KEEP,
    parent: Organization | Keep | None = KEEP,
    kind: str | Keep = KEEP,
    name: str | Keep = KEEP,
    description: str | Keep = KEEP,
    term_start: datetime.date | Keep | None = KEEP,
    term_end: datetime.date | Keep | None = KEEP,
) -> Organization:
    """Change an organisation the actor manages; one moved to another area or street must move
    to one the actor manages too. A field left at ``KEEP`` keeps its value."""
    if not can_manage_organization(actor, organization):
        raise PermissionDenied
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    street_id, tier = organization.street_id, organization.tier
    changes = given(
        street=street,
        area=area,
        compound=compound,
        building_group=building_group,
        parent=parent,
        kind=kind,
        name=name,
        description=description,
        term_start=term_start,
        term_end=term_end,
    )
    for field, value in changes.items():
        setattr(organization, field, value)
    if "street" in changes or "area" in changes:
        _check_place(actor=actor, street_id=organization.street_id, area_id=organization.area_id)
    organization.full_clean()
    _check_records_kept(organization, street_id=street_id, tier=tier)
    organization.save()
    return organization


def _check_records_kept(organization: Organization, *, street_id: int, tier: Tier) -> None:
    """An organisation that was in ``street_id`` and of ``tier`` keeps meeting the rules its
    posts and agreements were made under: a post's holder is registered in the organisation's
    street, an agreement's partner is a partner unit of the area's street."""
    errors = {}
    if organization.street_id != street_id and (
        organization.posts.exists() or organization.agreements.exists()
    ):
        errors["street"] = ValidationError(
            _("%(name)s has posts or co-construction agreements in its street, so it stays there."),
            code="street_has_records",
            params={"name": organization.name},
        )
    if tier == Tier.N and organization.tier != Tier.N and organization.agreements.exists():
        errors["kind"] = ValidationError(
            _("%(name)s has signed co-construction agreements, so it stays a partner unit."),
            code="partner_has_agreements",
            params={"name": organization.name},
        )
    if errors:
        raise ValidationError(errors)


def _check_no_overlap(agreement: Agreement) -> None:
    """A partner unit and an area have one agreement at a time: a renewal starts after the
    agreement before it ends (both days count)."""
    others = (
        Agreement.objects.filter(partner_id=agreement.partner_id, area_id=agreement.area_id)
        .exclude(pk=agreement.pk)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=agreement.start_date))
    )
    if agreement.end_date is not None:
        others = others.filter(start_date__lte=agreement.end_date)
    other = others.order_by("start_date").first()
    if other is not None:
        raise ValidationError(
            _("%(partner)s already has an agreement with %(area)s from %(start)s."),
            code="agreement_overlaps",
            params={
                "partner": agreement.partner.name,
                "area": agreement.area.name,
                "start": date_format(other.start_date, "Y-m-d"),
            },
        )


@audited
@transaction.atomic
def agreement_create(
    *,
    actor: User,
    partner: Organization,
    area: ResidentialArea,
    title: str,
    partner_offers: str,
    start_date: datetime.date,
    area_offers: str = "",
    end_date: datetime.date | None = None,
) -> Agreement:
    """Record a co-construction agreement between a partner unit of the street and an area the
    actor manages."""
    if not can_manage_area(actor, area):
        raise PermissionDenied
    agreement = Agreement(
        partner=partner,
        area=area,
        title=title,
        partner_offers=partner_offers,
        area_offers=area_offers,
        start_date=start_date,
        end_date=end_date,
    )
    agreement.full_clean()
    _check_no_overlap(agreement)
    agreement.save()
    return agreement


@audited
@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    actor: User,
    partner: Organization | Keep = KEEP,
    area: ResidentialArea | Keep = KEEP,
    title: str | Keep = KEEP,
    partner_offers: str | Keep = KEEP,
    area_offers: str | Keep = KEEP,
    start_date: datetime.date | Keep = KEEP,
    end_date: datetime.date | Keep | None = KEEP,
) -> Agreement:
    """Change an agreement of an area the actor manages; one moved to another area must move
    to one the actor manages too. A field left at ``KEEP`` keeps its value."""
    if not can_manage_agreement(actor, agreement):
        raise PermissionDenied
    if area is not KEEP and not can_manage_area(actor, area):
        raise PermissionDenied
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    changes = given(
        partner=partner,
        area=area,
        title=title,
        partner_offers=partner_offers,
        area_offers=area_offers,
        start_date=start_date,
        end_date=end_date,
    )
    for field, value in changes.items():
        setattr(agreement, field, value)
    agreement.full_clean()
    _check_no_overlap(agreement)
    agreement.save()
    return agreement
