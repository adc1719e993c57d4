"""The areas' indicators and their readings in the admin."""

from django.contrib import admin

from governance.models import Indicator, IndicatorReading
from residents.admin import ScopedAdmin


class ReadingInline(admin.TabularInline):
    model = IndicatorReading
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    list_display = ["name", "area", "compound", "unit", "baseline", "goal"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area", "compound"]
    search_fields = ["name", "area__name"]
    inlines = [ReadingInline]
