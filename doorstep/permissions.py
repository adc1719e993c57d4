"""Who may keep which station and service current: the area's staff and their street's staff."""

from doorstep.models import Service, Station
from residents.models import ResidentialArea, User


def can_manage_station(user: User, station: Station) -> bool:
    return Station.objects.managed_by(user).filter(pk=station.pk).exists()


def can_manage_service(user: User, service: Service) -> bool:
    return Service.objects.managed_by(user).filter(pk=service.pk).exists()


def can_manage_doorstep(user: User) -> bool:
    """Whether the user works for any area, so has stations to keep."""
    return ResidentialArea.objects.managed_by(user).exists()
