import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from governance.models import Post
from residents.models import Person, ResidentialArea


def _managed_areas(request):
    return (
        ResidentialArea.objects.managed_by(request.user)
        if request
        else ResidentialArea.objects.none()
    )


class PersonFilter(django_filters.FilterSet):
    """Filters the people directory; built on the already-scoped queryset."""

    q = django_filters.CharFilter(label=_("name contains"), method="filter_q")
    area = django_filters.ModelChoiceFilter(
        label=_("residential area"), queryset=_managed_areas, empty_label=_("all areas")
    )
    holds_post = django_filters.ChoiceFilter(
        label=_("holds a current post"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        empty_label=_("any"),
        method="filter_holds_post",
    )

    class Meta:
        model = Person
        fields = ["q", "area", "holds_post"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_holds_post(self, queryset, name, value):
        current = Exists(Post.objects.current().filter(person=OuterRef("pk")))
        return queryset.filter(current) if value == "yes" else queryset.exclude(current)
