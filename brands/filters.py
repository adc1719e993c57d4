"""The filters of the brand list, built on the already scoped queryset."""

import django_filters
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from residents.models import ResidentialArea


def _brand_areas(request):
    """The areas that have a brand the user may see, for the brand list's area filter."""
    if request is None:
        return ResidentialArea.objects.none()
    return ResidentialArea.objects.filter(
        pk__in=Brand.objects.visible_to(request.user).values("area")
    ).order_by("street", "pk")


class BrandFilter(django_filters.FilterSet):
    """Filters the brand list by area; built on the already-scoped queryset."""

    area = django_filters.ModelChoiceFilter(
        label=_("residential area"),
        queryset=_brand_areas,
        to_field_name="slug",
        empty_label=_("all areas"),
    )

    class Meta:
        model = Brand
        fields = ["area"]
