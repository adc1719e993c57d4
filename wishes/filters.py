"""The filters of the wish wall and of the staff list of wishes, each built on the already
scoped queryset."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.filters import managed_areas, visible_areas
from residents.models import ResidentialArea
from wishes.models import PUBLIC_STATUS_LABELS, PUBLIC_STATUSES, Wish, WishCategory, WishStatus


class WishFilter(django_filters.FilterSet):
    """The wish wall's filters, applied to public wishes (or an area's)."""

    area = django_filters.ModelChoiceFilter(
        label=_("residential area"), queryset=visible_areas, empty_label=_("all areas")
    )
    category = django_filters.ChoiceFilter(
        label=_("category"), choices=WishCategory.choices, empty_label=_("all categories")
    )
    status = django_filters.ChoiceFilter(
        label=_("state"),
        choices=[(s, PUBLIC_STATUS_LABELS[s]) for s in PUBLIC_STATUSES],  # a resident's words
        empty_label=_("all states"),
    )

    class Meta:
        model = Wish
        fields = ["area", "category", "status"]

    def __init__(self, *args, area: ResidentialArea | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if area is not None:
            del self.filters["area"]  # an area's wall shows that area only


class WishManageFilter(django_filters.FilterSet):
    """The staff list of wishes, applied to ``Wish.objects.managed_by(user)``."""

    q = django_filters.CharFilter(label=_("text contains"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("state"), choices=WishStatus.choices, empty_label=_("all states")
    )
    category = django_filters.ChoiceFilter(
        label=_("category"), choices=WishCategory.choices, empty_label=_("all categories")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("residential area"), queryset=managed_areas, empty_label=_("all areas")
    )

    class Meta:
        model = Wish
        fields = ["q", "status", "category", "area"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(text__icontains=value) | Q(resident_name__icontains=value)
        )
