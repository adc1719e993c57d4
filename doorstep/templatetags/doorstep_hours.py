"""Template tags of the doorstep services: the hours in words, and an area's station and
services on the area's page (so that governance's Python never imports doorstep)."""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep import hours, views
from doorstep.models import Station, Weekday

register = template.Library()


def _moment(moment: datetime.datetime, today: datetime.date) -> str:
    """A moment in words relative to today, in Shanghai time."""
    moment = moment.astimezone(hours.SHANGHAI)
    clock = moment.strftime("%H:%M")
    days = (moment.date() - today).days
    if days == 0:
        return _("today at %(time)s") % {"time": clock}
    if days == 1:
        return _("tomorrow at %(time)s") % {"time": clock}
    return _("%(weekday)s %(date)s at %(time)s") % {
        "weekday": Weekday(moment.weekday()).label,
        "date": moment.strftime("%Y-%m-%d"),  # the portal's one form of a date, in both languages
        "time": clock,
    }


@register.simple_tag
def hours_text(status: hours.Status | None, now: datetime.datetime | None = None) -> str:
    """The status in words: open until when, or closed until when."""
    if status is None:
        return _("By arrangement: call the station's office landline.")
    today = (now or views._now()).astimezone(hours.SHANGHAI).date()
    if status.is_open and status.closes_at:
        return _("Open now, closes %(moment)s") % {"moment": _moment(status.closes_at, today)}
    if status.opens_at:
        return _("Closed now, opens %(moment)s") % {"moment": _moment(status.opens_at, today)}
    return _("Closed now, no opening hours in the next three weeks")


@register.simple_tag
def moment_text(moment: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """A moment in words relative to today: "today at 20:00", "tomorrow at 08:30"..."""
    return _moment(moment, (now or views._now()).astimezone(hours.SHANGHAI).date())


@register.filter
def weekday_name(number: int) -> str:
    return Weekday(number).label


@register.inclusion_tag("doorstep/includes/area_services.html", takes_context=True)
def area_services(context, area) -> dict:
    """The area's stations with their hours today and the services offered, on the doorstep
    pages' clock."""
    now = views._now()
    today = timezone.localtime(now).date()
    stations = list(Station.objects.filter(area=area).with_services_data(today))
    services = []
    for station in stations:
        station.hours_status = hours.status_at(station.schedule(), now)
        for service in station.services.all():
            service.hours_status = hours.status_or_none(service.schedule(), now)
            services.append(service)
    return {"area": area, "stations": stations, "services": services, "now": now}
