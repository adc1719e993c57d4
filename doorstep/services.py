"""Writes of the doorstep services: a station or service saved with its hours, in one
transaction, by someone who manages its area."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.history import audited
from doorstep import signals
from doorstep.models import Service, Station
from residents.models import ResidentialArea, User


def _check_area(actor: User, area_id: int) -> None:
    if not ResidentialArea.objects.managed_by(actor).filter(pk=area_id).exists():
        raise PermissionDenied


@audited
@transaction.atomic
def station_save(
    *, actor: User, station: Station, save_hours: Callable[[Station], None] | None = None
) -> Station:
    """Save a station of an area the actor manages, then its hours (``save_hours``)."""
    if station.pk:
        stored = Station.objects.select_for_update().get(pk=station.pk)
        _check_area(actor, stored.area_id)
    _check_area(actor, station.area_id)
    station.full_clean()
    station.save()
    if save_hours is not None:
        save_hours(station)
    # The station's name and address are part of its services' public text.
    service_ids = list(station.services.values_list("pk", flat=True))
    signals.services_changed.send(sender=Service, service_ids=service_ids)
    return station


@audited
@transaction.atomic
def service_save(
    *, actor: User, service: Service, save_hours: Callable[[Service], None] | None = None
) -> Service:
    """Save a service of a station the actor manages, then its hours. The station counts as
    updated too: the street's list of stations not kept current reads its ``updated_at``."""
    if service.pk:
        stored = Service.objects.select_for_update().select_related("station").get(pk=service.pk)
        _check_area(actor, stored.station.area_id)
    station = Station.objects.select_for_update().get(pk=service.station_id)
    _check_area(actor, station.area_id)
    service.full_clean()
    service.save()
    if save_hours is not None:
        save_hours(service)
    Station.objects.filter(pk=station.pk).update(updated_at=timezone.now())
    signals.services_changed.send(sender=Service, service_ids=[service.pk])
    return service


@audited
@transaction.atomic
def service_delete(*, actor: User, service: Service) -> None:
    """Remove a service that is no longer offered, with its own hours; its station counts as
    updated."""
    stored = Service.objects.select_for_update().select_related("station").get(pk=service.pk)
    _check_area(actor, stored.station.area_id)
    service_id = stored.pk
    stored.delete()
    Station.objects.filter(pk=stored.station_id).update(updated_at=timezone.now())
    signals.services_changed.send(sender=Service, service_ids=[service_id])
