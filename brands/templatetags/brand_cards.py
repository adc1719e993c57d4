"""An area's party-building brands as cards, for the area's page in governance, so that
governance's Python never imports brands."""

from django import template

from brands.models import Brand

register = template.Library()


@register.inclusion_tag("brands/includes/area_brands.html", takes_context=True)
def area_brands(context, area) -> dict:
    """The area's brands the reader may see, by name, each with its actions."""
    user = context["request"].user
    # By name alone: the cards show nothing of the area, so need not join it.
    brands = (
        Brand.objects.visible_to(user)
        .filter(area=area)
        .order_by("name")
        .prefetch_related("actions")
    )
    return {"brands": brands}
