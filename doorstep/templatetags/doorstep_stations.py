"""An area's service stations and their public landlines, for pages of other apps (a wish's
"how to help"), so that governance's Python never imports doorstep."""

from django import template

from doorstep.models import Station

register = template.Library()


@register.inclusion_tag("doorstep/includes/station_landlines.html")
def station_landlines(area) -> dict:
    """The area's stations, each with its page and its public office landline."""
    return {"area": area, "stations": list(Station.objects.filter(area=area).order_by("name"))}
