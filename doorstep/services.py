"""Writes of the doorstep services: a station or service saved with its hours, in one
transaction, by someone who manages its area."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.history import audited
from doorstep import signals
from doorstep.hours import Schedule
from doorstep.models import OpeningPeriod, ScheduleException, Service, Station
from governance.models import Organization
from governance.services.edits import KEEP, Keep, given
from residents.models import ResidentialArea, User


def _check_area(actor: User, area_id: int) -> None:
    if not ResidentialArea.objects.managed_by(actor).filter(pk=area_id).exists():
        raise PermissionDenied


def _hours_store(owner: Station | Service, hours: Schedule) -> None:
    """Make ``hours`` the owner's own weekly periods and exceptions, in place of the stored
    ones. A period runs past midnight when it closes at or before its opening time."""
    owned_by = {"station": owner} if isinstance(owner, Station) else {"service": owner}
    OpeningPeriod.objects.filter(**owned_by).delete()
    ScheduleException.objects.filter(**owned_by).delete()
    rows: list[OpeningPeriod | ScheduleException] = [
        OpeningPeriod(
            **owned_by,
            weekday=period.weekday,
            opens=period.opens,
            closes=period.closes,
            crosses_midnight=period.closes <= period.opens,
        )
        for period in hours.periods
    ]
    rows += [
        ScheduleException(
            **owned_by,
            date=date,
            kind=rule.kind,
            works_like=rule.weekday,
            opens=rule.opens,
            closes=rule.closes,
            note=rule.note,
        )
        for date, rule in sorted(hours.exceptions.items(), key=lambda item: item[0])
    ]
    for row in rows:
        row.full_clean()
        row.save()


def _station_saved(station: Station, hours: Schedule | Keep | None) -> None:
    if isinstance(hours, Schedule):
        _hours_store(station, hours)
    # The station's name and address are part of its services' public text.
    service_ids = list(station.services.values_list("pk", flat=True))
    signals.services_changed.send(sender=Service, service_ids=service_ids)


@audited
@transaction.atomic
def station_create(
    *,
    actor: User,
    area: ResidentialArea,
    name: str,
    address: str,
    phone: str,
    directions: str = "",
    hours: Schedule | None = None,
) -> Station:
    """Open a station in an area the actor manages, with its hours (none: by arrangement)."""
    _check_area(actor, area.pk)
    station = Station(area=area, name=name, address=address, directions=directions, phone=phone)
    station.full_clean()
    station.save()
    _station_saved(station, hours)
    return station


@audited
@transaction.atomic
def station_update(
    *,
    station: Station,
    actor: User,
    area: ResidentialArea | Keep = KEEP,
    name: str | Keep = KEEP,
    address: str | Keep = KEEP,
    directions: str | Keep = KEEP,
    phone: str | Keep = KEEP,
    hours: Schedule | Keep = KEEP,
) -> Station:
    """Change a station of an area the actor manages (moved, to another such area); hours
    given replace the stored ones. A field left at ``KEEP`` keeps its value; a save that
    changes nothing still counts as keeping the station current."""
    station = Station.objects.select_for_update().get(pk=station.pk)
    _check_area(actor, station.area_id)
    changes = given(area=area, name=name, address=address, directions=directions, phone=phone)
    for field, value in changes.items():
        setattr(station, field, value)
    _check_area(actor, station.area_id)
    station.full_clean()
    station.save()
    _station_saved(station, hours)
    return station


def _service_saved(service: Service, station: Station, hours: Schedule | Keep | None) -> None:
    if isinstance(hours, Schedule):
        _hours_store(service, hours)
    # The street's list of stations not kept current reads the station's ``updated_at``.
    Station.objects.filter(pk=station.pk).update(updated_at=timezone.now())
    signals.services_changed.send(sender=Service, service_ids=[service.pk])


@audited
@transaction.atomic
def service_create(
    *,
    actor: User,
    station: Station,
    title: str,
    category: str,
    provider: Organization,
    access: str,
    description: str = "",
    audience: str = "",
    at_station: bool = True,
    place_name: str = "",
    place_address: str = "",
    what_to_bring: str = "",
    hours: Schedule | None = None,
) -> Service:
    """Offer a service at a station the actor manages, with its own hours (none: the
    station's, or by arrangement elsewhere). The station counts as updated too."""
    station = Station.objects.select_for_update().get(pk=station.pk)
    _check_area(actor, station.area_id)
    service = Service(
        station=station,
        title=title,
        category=category,
        description=description,
        audience=audience,
        provider=provider,
        at_station=at_station,
        place_name=place_name,
        place_address=place_address,
        access=access,
        what_to_bring=what_to_bring,
    )
    service.full_clean()
    service.save()
    _service_saved(service, station, hours)
    return service


@audited
@transaction.atomic
def service_update(
    *,
    service: Service,
    actor: User,
    station: Station | Keep = KEEP,
    title: str | Keep = KEEP,
    category: str | Keep = KEEP,
    description: str | Keep = KEEP,
    audience: str | Keep = KEEP,
    provider: Organization | Keep = KEEP,
    at_station: bool | Keep = KEEP,
    place_name: str | Keep = KEEP,
    place_address: str | Keep = KEEP,
    access: str | Keep = KEEP,
    what_to_bring: str | Keep = KEEP,
    hours: Schedule | Keep = KEEP,
) -> Service:
    """Change a service of a station the actor manages (moved, to another such station); hours
    given replace its own stored hours. A field left at ``KEEP`` keeps its value. The station
    counts as updated too: the street's list of stations not kept current reads its
    ``updated_at``."""
    service = Service.objects.select_for_update().select_related("station").get(pk=service.pk)
    _check_area(actor, service.station.area_id)
    changes = given(
        station=station,
        title=title,
        category=category,
        description=description,
        audience=audience,
        provider=provider,
        at_station=at_station,
        place_name=place_name,
        place_address=place_address,
        access=access,
        what_to_bring=what_to_bring,
    )
    for field, value in changes.items():
        setattr(service, field, value)
    station = Station.objects.select_for_update().get(pk=service.station_id)
    _check_area(actor, station.area_id)
    service.station = station
    service.full_clean()
    service.save()
    _service_saved(service, station, hours)
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
