import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstep.models import Category, Service
from residents.models import ResidentialArea

OPEN_NOW = "now"
OPEN_THIS_WEEK = "week"


def _visible_areas(request):
    user = getattr(request, "user", None)
    areas = ResidentialArea.objects.visible_to(user) if user else ResidentialArea.objects.all()
    return areas.filter(stations__isnull=False).distinct()


class ServiceFilter(django_filters.FilterSet):
    """The filters of ``/services/``. "When" needs the hours, so the view applies it after the
    database has applied the others."""

    area = django_filters.ModelChoiceFilter(
        label=_("residential area"),
        queryset=_visible_areas,
        to_field_name="slug",
        field_name="station__area",
        empty_label=_("all areas"),
    )
    category = django_filters.ChoiceFilter(
        label=_("category"), choices=Category.choices, empty_label=_("all categories")
    )
    when = django_filters.ChoiceFilter(
        label=_("when"),
        choices=[
            (OPEN_NOW, pgettext_lazy("opening hours", "open now")),
            (OPEN_THIS_WEEK, _("open this week (the next 7 days)")),
        ],
        empty_label=_("any time"),
        method="filter_when",
    )

    class Meta:
        model = Service
        fields = ["area", "category", "when"]

    def filter_when(self, queryset, name, value):
        return queryset  # applied by the view, from the hours
