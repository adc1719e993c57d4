"""Filters of the public lists, built on the already-scoped querysets."""

import django_filters
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, NewsItem, Practice, Topic
from governance.models import Category
from residents.models import ResidentialArea


def _published_forum_years():
    years = (
        Forum.objects.published()
        .annotate(year=ExtractYear("starts_at"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return [(year, str(year)) for year in years]


def _published_news_sources():
    sources = NewsItem.objects.published().order_by("source").values_list("source", flat=True)
    return [(source, source) for source in sources.distinct()]


class ForumFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("residential area"),
        field_name="areas",
        queryset=ResidentialArea.objects.filter(forums__in=Forum.objects.published()).distinct(),
        empty_label=_("all areas"),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("topic"),
        field_name="topics",
        queryset=Topic.objects.filter(forums__in=Forum.objects.published()).distinct(),
        empty_label=_("all topics"),
    )
    year = django_filters.ChoiceFilter(
        label=_("year"),
        field_name="starts_at__year",
        choices=_published_forum_years,
        empty_label=_("all years"),
    )

    class Meta:
        model = Forum
        fields = ["area", "topic", "year"]


class PracticeFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("problem"),
        field_name="categories",
        queryset=Category.objects.filter(practices__in=Practice.objects.published()).distinct(),
        empty_label=_("all problems"),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("residential area"),
        queryset=ResidentialArea.objects.filter(
            practices__in=Practice.objects.published()
        ).distinct(),
        empty_label=_("all areas"),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("topic"),
        field_name="topics",
        queryset=Topic.objects.filter(practices__in=Practice.objects.published()).distinct(),
        empty_label=_("all topics"),
    )

    class Meta:
        model = Practice
        fields = ["category", "area", "topic"]


class NewsFilter(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(
        label=_("source"), choices=_published_news_sources, empty_label=_("all sources")
    )

    class Meta:
        model = NewsItem
        fields = ["source"]
